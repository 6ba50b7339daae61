"""The one writer: generated files into the docs folder, rewriting only what changed."""

from __future__ import annotations

import os
from collections.abc import Mapping
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


def write_tree(files: Mapping[str, str | bytes], out_dir: Path) -> Changes:
    """Write files under out_dir, rewriting only those whose bytes changed (so `mkdocs serve` and
    caches see real changes only), and remove files it wrote before that are no longer generated."""
    changes = Changes()
    manifest = out_dir / MANIFEST
    before = set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
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
    for rel in sorted(before - files.keys()):
        stale = out_dir / rel
        if stale.is_file():
            stale.unlink()
            changes.removed.append(rel)
            parent = stale.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return changes


