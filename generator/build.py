"""The build step: validated dataset -> generated files -> written into the docs folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset

Files = dict[str, str | bytes]
"""Generated output: path relative to the docs folder -> content."""


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about where the site and its repository live."""

    site_name: str = "Evidence map"
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    """Relative to repo_url and pointing at the repository root, e.g. 'edit/main/'."""

    def edit_url(self, repo_path: str) -> str | None:
        """Link to edit a file of the repository (e.g. a record) on its forge."""
        if not self.repo_url or self.edit_uri is None:
            return None
        return self.repo_url.rstrip("/") + "/" + self.edit_uri.strip("/") + "/" + repo_path


Producer = Callable[[Dataset, SiteContext], Files]


def producers() -> list[Producer]:
    """Every part of the site, in order; later parts may not overwrite earlier ones."""
    from . import assets, charts, contribute, explore, exports, facet_pages, gapmap, pages, study_pages, whatsnew

    return [
        pages.produce, study_pages.produce, facet_pages.produce, exports.produce, explore.produce,
        charts.produce, gapmap.produce, whatsnew.produce, contribute.produce, assets.produce,
    ]


def generate(ds: Dataset, ctx: SiteContext) -> Files:
    files: Files = {}
    for produce in producers():
        out = produce(ds, ctx)
        clash = files.keys() & out.keys()
        if clash:
            raise RuntimeError(f"{produce.__module__} would overwrite {sorted(clash)[:3]}")
        files.update(out)
    return files


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


def build_site(config_file: Path, strict: bool = False) -> int:
    """`evidence-map build`: exactly `mkdocs build` with this config (the plugin generates the pages)."""
    import subprocess
    import sys

    if not config_file.is_file():
        print(f"evidence-map: error: no MkDocs configuration at {config_file}", file=sys.stderr)
        return 2
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(config_file)] + (["--strict"] if strict else [])
    return subprocess.call(cmd, env=env)
