"""The one writer: generated files into the docs folder, rewriting only what changed."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Changes:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


MANIFEST = ".evidence-map-files"
"""Lists what the generator wrote into the docs folder, so it removes only its own stale files."""


class UnsafePath(ValueError):
    """A generated path that would land outside the docs folder (or on something not ours)."""


_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def is_safe(rel: str) -> bool:
    """A relative POSIX path of plain names: no '..', no absolute or drive path, no backslash,
    no hidden or empty part. Paths come from slugs in data, so this is the last line of defence."""
    parts = rel.split("/")
    return all(_PART.fullmatch(p) and ".." not in p for p in parts)


def _all_inside(rels: Iterable[str], root: Path) -> list[str]:
    """The paths of rels that do not resolve inside root (a symlinked folder cannot lead writes or
    removals out); each folder is resolved once, not once per file (resolving 725 paths was half of
    an unchanged write), and the file itself only if it is a link."""
    top = root.resolve()
    folders: dict[Path, bool] = {}
    outside = []
    for rel in rels:
        path = root / rel
        ok = folders.get(path.parent)
        if ok is None:
            ok = folders[path.parent] = path.parent.resolve().is_relative_to(top)
        if not ok or (path.is_symlink() and not path.resolve().is_relative_to(top)):
            outside.append(rel)
    return outside


def write_tree(files: Mapping[str, str | bytes], out_dir: Path) -> Changes:
    """Write files under out_dir, rewriting only those whose bytes changed (so `mkdocs serve` and
    caches see real changes only), and remove files it wrote before that are no longer generated.

    Every path is checked before anything is written: one unsafe path and nothing is written. Stale
    files are removed only when the manifest lists them, their path is safe and they lie inside out_dir."""
    bad = sorted({rel for rel in files if not is_safe(rel)} | set(_all_inside((rel for rel in files if is_safe(rel)), out_dir)))
    if bad:
        raise UnsafePath(f"refusing to write outside {out_dir} or to an unsafe name: {', '.join(map(repr, bad[:5]))}")
    changes = Changes()
    manifest = out_dir / MANIFEST
    listed = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() and not manifest.is_symlink() else []
    before = {rel for rel in listed if is_safe(rel)}
    listing = "".join(f"{rel}\n" for rel in sorted(files))
    for rel, content in sorted({**files, MANIFEST: listing}.items()):
        target = out_dir / rel
        data = _as_bytes(content)
        if target.is_file() and target.read_bytes() == data:
            changes.unchanged += rel != MANIFEST
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic: a server never reads half a page
        if rel != MANIFEST:
            changes.written.append(rel)
    stale_rels = sorted(before - files.keys())
    outside = set(_all_inside(stale_rels, out_dir))
    for rel in stale_rels:
        stale = out_dir / rel
        if stale.is_file() and not stale.is_symlink() and rel not in outside:
            stale.unlink()
            changes.removed.append(rel)
            parent = stale.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return changes


