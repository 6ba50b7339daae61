"""The build step: every producer runs, and the site context builds edit links."""

from __future__ import annotations

from generator.publish.context import SiteContext


def test_edit_url():
    ctx = SiteContext(repo_url="https://github.com/o/r/", edit_uri="edit/main/")
    assert ctx.edit_url("data/studies/x.yaml") == "https://github.com/o/r/edit/main/data/studies/x.yaml"
    assert SiteContext().edit_url("x") is None
