"""Data (data/index.md): downloads, the data dictionary and how to cite the map."""

from __future__ import annotations

from ...evidence.dataset import Dataset
from .. import bibtex
from ..context import Files, SiteContext, headline
from ..dictionary import fields
from ..downloads import DOWNLOADS
from ..render import fence, render

DATA = "data/index.md"


def map_citation(ds: Dataset, ctx: SiteContext) -> str:
    """A BibTeX entry for the map itself; its version is the date of the newest record."""
    version = ds.last_added.isoformat() if ds.last_added else "unreleased"
    year = ds.last_added.year if ds.last_added else ds.review.source_review.year
    lines = [
        f"  title = {{{bibtex.escape(ds.review.map.title)}}}",
        f"  year = {{{year}}}",
        f"  note = {{Version of {version}, {len(ds.studies)} studies}}",
    ]
    if ctx.site_url:
        lines.append(f"  url = {{{bibtex.verbatim(ctx.site_url)}}}")
    return "@misc{evidencemap,\n" + ",\n".join(lines) + "\n}\n"

def data(ds: Dataset, ctx: SiteContext) -> str:
    downloads = [{"d": d, "file": d.file} for d in DOWNLOADS]
    return render(
        "data.md.j2", downloads=downloads, fields=fields(ds.taxonomy), taxonomy=ds.taxonomy, numbers=headline(ds),
        map=ds.review.map, review=ds.review.source_review, site_url=ctx.site_url,
        map_bibtex=fence(map_citation(ds, ctx), "bibtex"), this=DATA,
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {DATA: data(ds, ctx)}
