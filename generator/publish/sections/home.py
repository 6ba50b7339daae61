"""Home (index.md): what the map is, headline numbers, entry points and key charts."""

from __future__ import annotations

from markupsafe import Markup

from ...evidence.dataset import Dataset
from .. import frame, gapmatrix, mapcite
from ..charts import figure, lower, per_facet_value, per_year_chart
from ..context import Files, SiteContext, headline, review_short
from ..gapmatrix import default_chart
from ..living import currency, review_coverage, status
from ..render import render

HOME = "index.md"


def home_snippet(ds: Dataset) -> str:
    """Home's key charts as review.yaml's site.home lists them (studies per year, bar charts of some
    facets, the gap map), as raw HTML blocks for a Markdown page at the site root."""
    df = frame.studies(ds)
    if df.empty:
        return ""
    home = ds.review.site.home
    parts = []
    if home.per_year:
        parts.append(figure(per_year_chart(ds, df), "", "em-chart--home"))
    for name in home.facets:
        parts.append(figure(per_facet_value(ds, df, ds.taxonomy[name]), "", "em-chart--home"))
    gm = default_chart(ds) if home.gap_map else None
    if gm is not None:
        parts.append(figure(gm, "", "em-chart--home"))
    return "\n".join(parts) + "\n"


def prose(ds: Dataset) -> dict[str, str]:
    """Home's sentences that name facets, from the taxonomy's labels and review.yaml: the gap map's
    default axes and what Trends charts ('Studies per year by <facet>, <facets> over time ...')."""
    rows, columns = gapmatrix.default_axes(ds)
    by = ds.review.site.trends.per_year_by
    per_year = f"Studies per year by {lower(ds.taxonomy[by].label)}" if by else "Studies per year"
    over = [lower(ds.taxonomy[n].label) for n in ds.review.site.trends.over_time]
    trends = per_year + (f", {' and '.join(over)} over time" if over else "") + ", and studies per value of each category"
    return {"gap_rows": lower(rows.label), "gap_columns": lower(columns.label), "trends": trends}


def home(ds: Dataset, site_url: str | None = None) -> str:
    return render(
        "home.md.j2", **prose(ds), map=ds.review.map, numbers=headline(ds), review=ds.review.source_review,
        review_short=review_short(ds), key_charts=Markup(home_snippet(ds)), this=HOME,
        currency=currency(ds), coverage=review_coverage(ds), living_status=status(ds), cite=mapcite.view(ds, site_url, HOME),
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {HOME: home(ds, ctx.site_url)}
