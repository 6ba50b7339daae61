"""Methods (methods.md): the source review's method, the flow to this map and category definitions."""

from __future__ import annotations

from markupsafe import Markup

from ...evidence.dataset import Dataset
from ...evidence.stats import facet_counts
from ..context import Files, SiteContext, review_period_end, review_short
from ..render import render
from ..urls import facet_file

METHODS = "methods.md"


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
    name = ds.review.site.roles.extracted_from  # the facet saying what categories were read from
    if name:
        f = ds.taxonomy[name]
        extracted = [{"label": f.label_of(slug), "count": n} for slug, n in facet_counts(ds.studies, f)]
    return render(
        "methods.md.j2", review=ds.review.source_review, map=ds.review.map, prisma=prisma(ds), facets=facets,
        extracted=extracted, total=len(ds.studies), end=review_period_end(ds), this=METHODS,
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {METHODS: methods(ds)}
