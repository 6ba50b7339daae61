"""Methods (methods.md): the source review's method, the flow to this map and category definitions."""

from __future__ import annotations

from markupsafe import Markup

from ...evidence.dataset import Dataset
from ...evidence.stats import facet_counts
from .. import mapcite
from ..context import Files, SiteContext, review_period_end, review_short
from ..living import SCREENING_URL, anchor, currency, flows, review_coverage, status
from ..render import render
from ..urls import facet_file, relative

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

def living_flow(ds: Dataset) -> Markup:
    """The PRISMA 2020 flow of the living update per search source, every box linking to its list."""
    screening = ds.review.screening
    out = []
    for f in flows(ds):
        def href(part: str | None, source: str = f.source) -> str:
            return relative("methods/", f"{SCREENING_URL}#{anchor(source, part)}")

        reasons = [{"label": screening.label_of(r), "count": n, "href": href(f"excluded-{r}")}
                   for r, n in sorted(f.excluded.items(), key=lambda kv: (-kv[1], kv[0]))]
        out.append({"flow": f, "anchor": anchor(f.source), "reasons": reasons, "href": {
            "identified": href(None), "duplicates": href("duplicates"), "excluded": href("excluded"),
            "included": href("included"), "pending": href("pending")}})
    return Markup(render("prisma_living.html.j2", flows=out)) if out else Markup("")


def methods(ds: Dataset, site_url: str | None = None) -> str:
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
        living=living_flow(ds), currency=currency(ds), coverage=review_coverage(ds),
        manual_sources=[f.source for f in flows(ds) if f.manual], living_status=status(ds), cite=mapcite.view(ds, site_url, METHODS),
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {METHODS: methods(ds, ctx.site_url)}
