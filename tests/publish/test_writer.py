"""The writer writes only what changed, removes only its own stale files, and never leaves the docs folder."""

from __future__ import annotations

import pytest

from generator.publish.writer import MANIFEST, UnsafePath, is_safe, write_tree


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


@pytest.mark.parametrize("rel", [
    "../README.md", "../../../README.md", "facets/../../x.md", "/etc/passwd", "facets\\x.md", "a//b.md", ".hidden.md",
    "facets/task/..md", "C:/x.md", "facets/ x.md", "",
])
def test_unsafe_paths_are_refused_and_nothing_is_written(tmp_path, rel):
    out = tmp_path / "repo" / "docs"
    with pytest.raises(UnsafePath, match="refusing to write"):
        write_tree({"a.md": "A", rel: "owned"}, out)
    assert not out.exists()
    assert not (tmp_path / "repo" / "README.md").exists()


def test_a_symlinked_folder_cannot_lead_writes_out(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (out / "facets").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath):
        write_tree({"facets/x.md": "X"}, out)
    assert not (tmp_path / "elsewhere" / "x.md").exists()


def test_a_tampered_manifest_cannot_delete_files_outside(tmp_path):
    repo = tmp_path / "repo"
    out = repo / "docs"
    write_tree({"a.md": "A"}, out)
    (repo / "README.md").write_text("keep me")
    (out / MANIFEST).write_text("a.md\n../README.md\n/etc/hostname\n")
    changes = write_tree({"a.md": "A"}, out)
    assert changes.removed == []
    assert (repo / "README.md").read_text() == "keep me"


def test_safe_paths():
    assert all(is_safe(p) for p in ("index.md", "facets/task/index.md", "assets/vendor/vega/vega-bundle.js", "data/study.schema.json"))
