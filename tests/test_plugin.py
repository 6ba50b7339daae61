"""The MkDocs plugin's hooks that need no build: what it does to the search plugin under serve."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from generator.plugin import EvidenceMapPlugin


@pytest.mark.parametrize(("command", "reset"), [("serve", True), ("build", False)])
def test_under_serve_the_search_plugin_writes_only_what_this_build_rendered(command: str, reset: bool):
    """Material's search adds a dirty rebuild's pages to the index it kept, dropping the old entries
    of the first page only: after a save that re-rendered a dozen pages, their old entries stayed.
    Under serve the plugin clears that kept index, then completes the fresh one itself."""
    kept = object()
    search = SimpleNamespace(search_index_prev=kept)
    plugin = EvidenceMapPlugin()
    plugin.on_startup(command=command, dirty=True)
    plugin._search_fresh(SimpleNamespace(plugins={"material/search": search}))  # type: ignore[arg-type]
    assert (search.search_index_prev is None) is reset and plugin.fresh_index is reset
    if not reset:
        assert search.search_index_prev is kept


def test_without_material_s_search_nothing_is_completed():
    plugin = EvidenceMapPlugin()
    plugin.on_startup(command="serve", dirty=True)
    plugin._search_fresh(SimpleNamespace(plugins={}))  # type: ignore[arg-type]
    assert plugin.fresh_index is False
