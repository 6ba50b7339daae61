"""Downloads of the whole map under data/: CSV, JSON, BibTeX, RIS and the record's JSON Schema."""

from __future__ import annotations

from ...evidence.dataset import Dataset
from ..context import Files, SiteContext
from ..downloads import DOWNLOADS


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {d.file: d.render(ds) for d in DOWNLOADS}
