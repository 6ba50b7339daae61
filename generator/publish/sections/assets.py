"""The generator's own CSS and JavaScript (generator/assets/), copied to docs/assets/map/."""

from __future__ import annotations

from pathlib import Path

from ...evidence.dataset import Dataset
from ..context import Files, SiteContext

ASSETS = Path(__file__).parents[2] / "assets"
PREFIX = "assets/map/"


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {PREFIX + p.relative_to(ASSETS).as_posix(): p.read_bytes() for p in sorted(ASSETS.rglob("*")) if p.is_file()}
