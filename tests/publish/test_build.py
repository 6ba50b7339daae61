"""The build step writes only what changed and removes only its own stale files."""

from __future__ import annotations

from generator.publish.context import SiteContext
from generator.publish.writer import MANIFEST, write_tree


def test_write_tree_rewrites_only_changed_files(tmp_path):
    out = tmp_path / "docs"
    first = write_tree({"a.md": "A", "s/b.md": "B"}, out)
    assert first.written == ["a.md", "s/b.md"]
    mtime = (out / "a.md").stat().st_mtime_ns
    second = write_tree({"a.md": "A", "s/b.md": "B2"}, out)
    assert (second.written, second.unchanged) == (["s/b.md"], 1)
    assert (out / "a.md").stat().st_mtime_ns == mtime
    assert (out / "s/b.md").read_text() == "B2"


def test_write_tree_removes_its_stale_files_but_not_others(tmp_path):
    out = tmp_path / "docs"
    write_tree({"a.md": "A", "s/b.md": "B"}, out)
    (out / "mine.md").write_text("hand-written")
    changes = write_tree({"a.md": "A"}, out)
    assert changes.removed == ["s/b.md"]
    assert not (out / "s").exists()
    assert (out / "mine.md").read_text() == "hand-written"
    assert (out / MANIFEST).read_text() == "a.md\n"


def test_edit_url():
    ctx = SiteContext(repo_url="https://github.com/o/r/", edit_uri="edit/main/")
    assert ctx.edit_url("data/studies/x.yaml") == "https://github.com/o/r/edit/main/data/studies/x.yaml"
    assert SiteContext().edit_url("x") is None


def test_relative_links_match_posixpath():
    import itertools
    import posixpath

    from generator.publish.render import link

    files = ["index.md", "methods.md", "studies/a.md", "studies/b.md", "facets/index.md", "facets/task/index.md",
             "facets/task/x.md", "facets/app/y.md", "explore/index.md", "a/b/c/d.md"]
    for a, b in itertools.product(files, files):
        assert link(a, b) == posixpath.relpath(b, posixpath.dirname(a) or ".")
    assert link("studies/a.md", "explore/index.md?task=x,y") == "../explore/index.md?task=x,y"
