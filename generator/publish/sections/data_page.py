"""Data (data/index.md): downloads, the data dictionary and how to cite the map."""

from __future__ import annotations

from ...evidence.dataset import Dataset
from .. import mapcite
from ..context import Files, SiteContext, headline
from ..dictionary import fields
from ..downloads import DOWNLOADS
from ..render import render

DATA = "data/index.md"


def data(ds: Dataset, ctx: SiteContext) -> str:
    downloads = [{"d": d, "file": d.file} for d in DOWNLOADS]
    return render(
        "data.md.j2", downloads=downloads, fields=fields(ds.taxonomy), taxonomy=ds.taxonomy, numbers=headline(ds),
        map=ds.review.map, review=ds.review.source_review, site_url=ctx.site_url,
        this=DATA, cite=mapcite.view(ds, ctx.site_url, DATA),
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {DATA: data(ds, ctx)}
