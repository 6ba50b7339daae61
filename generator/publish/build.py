"""The build step: a validated dataset -> every section's files (written by writer.write_tree)."""

from __future__ import annotations

from ..evidence.dataset import Dataset
from .context import Files, Producer, SiteContext
from .sections import (
    assets,
    changes,
    contribute,
    data_page,
    explore,
    exports,
    facets,
    gapmap,
    home,
    methods,
    screening,
    studies,
    trends,
    whatsnew,
)

PRODUCERS: tuple[Producer, ...] = (
    home.produce, methods.produce, data_page.produce, studies.produce, facets.produce, exports.produce,
    explore.produce, trends.produce, gapmap.produce, whatsnew.produce, contribute.produce, assets.produce,
    screening.produce, changes.produce,
)
"""Every section of the site, in order; no section may overwrite another's file."""


def generate(ds: Dataset, ctx: SiteContext) -> Files:
    files: Files = {}
    for produce in PRODUCERS:
        out = produce(ds, ctx)
        clash = files.keys() & out.keys()
        if clash:
            raise RuntimeError(f"{produce.__module__} would overwrite {sorted(clash)[:3]}")
        files.update(out)
    return files
