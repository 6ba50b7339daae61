"""The top-level pages: Home (index.md), Methods (methods.md) and Data (data/index.md)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from . import bibtex
from .build import Files, SiteContext
from .charts import home_snippet
from .dataset import Dataset
from .dictionary import fields
from .exports import DOWNLOADS
from .links import facet_file
from .render import fence, render
from .stats import facet_counts

HOME, METHODS, DATA = "index.md", "methods.md", "data/index.md"
EXTRACTED_FROM = "extracted_from"
"""The facet saying whether categories came from the abstract or the full text (shown on Methods)."""


@dataclass(frozen=True)
class Headline:
    studies: int
    first_year: int | None
    last_year: int | None
    last_added: str | None


def headline(ds: Dataset) -> Headline:
    years = [s.year for s in ds.studies]
    return Headline(
        len(ds.studies), min(years, default=None), max(years, default=None),
        ds.last_added.isoformat() if ds.last_added else None,
    )


def review_period_end(ds: Dataset) -> int:
    """Last publication year the source review covered: it searched up to the year before it appeared."""
    return ds.review.source_review.year - 1


def review_short(ds: Dataset) -> str:
    """'Valverde et al. (2021)': the source review as cited in running text."""
    r = ds.review.source_review
    names = [a.split(",")[0].strip() for a in r.authors]
    who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
    return f"{who} ({r.year})"


def home(ds: Dataset) -> str:
    return render(
        "home.md.j2", map=ds.review.map, numbers=headline(ds), review=ds.review.source_review,
        review_short=review_short(ds), key_charts=Markup(home_snippet(ds)), this=HOME,
    )


def prisma(ds: Dataset) -> Markup:
    """The flow from the review's screening to this map's records, drawn in HTML/CSS (no script)."""
    end = review_period_end(ds)
    within = sum(1 for s in ds.studies if s.year <= end)
    p = ds.review.source_review.prisma
    return Markup(render(
        "prisma.html.j2", prisma=p, excluded=p.screened - p.included, total=len(ds.studies), within=within,
        later=len(ds.studies) - within, end=end, review_short=review_short(ds),
    ))


def methods(ds: Dataset) -> str:
    facets = [
        {"facet": f, "file": facet_file(f.name),
         "values": [{"label": f.label_of(slug), "slug": slug, "file": facet_file(f.name, slug),
                     "definition": f.by_slug[slug].definition} for slug in f.slugs]}
        for f in ds.taxonomy.facets
    ]
    extracted = None
    if EXTRACTED_FROM in ds.taxonomy.by_name:
        f = ds.taxonomy[EXTRACTED_FROM]
        extracted = [{"label": f.label_of(slug), "count": n} for slug, n in facet_counts(ds.studies, f)]
    return render(
        "methods.md.j2", review=ds.review.source_review, map=ds.review.map, prisma=prisma(ds), facets=facets,
        extracted=extracted, total=len(ds.studies), end=review_period_end(ds), this=METHODS,
    )


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
    return {HOME: home(ds), METHODS: methods(ds), DATA: data(ds, ctx)}
