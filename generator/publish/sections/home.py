"""Home (index.md): what the map is, headline numbers, entry points and key charts."""

from __future__ import annotations

from markupsafe import Markup

from ...evidence.dataset import Dataset
from .. import frame
from ..charts import TASK, figure, per_facet_value, per_year_by_task
from ..context import Files, SiteContext, headline, review_short
from ..gapmatrix import default_chart
from ..living import currency
from ..render import render

HOME = "index.md"


def home_snippet(ds: Dataset) -> str:
    """Three key charts for Home (studies per year by task, applications, the gap map), as raw HTML
    blocks for a Markdown page at the site root; call from the Home page's producer."""
    df = frame.studies(ds)
    if df.empty:
        return ""
    parts = []
    if TASK in ds.taxonomy.by_name:
        parts.append(figure(per_year_by_task(ds, df), "", "em-chart--home"))
    if "application" in ds.taxonomy.by_name:
        parts.append(figure(per_facet_value(ds, df, ds.taxonomy["application"]), "", "em-chart--home"))
    gm = default_chart(ds)
    if gm is not None:
        parts.append(figure(gm, "", "em-chart--home"))
    return "\n".join(parts) + "\n"



def home(ds: Dataset) -> str:
    return render(
        "home.md.j2", map=ds.review.map, numbers=headline(ds), review=ds.review.source_review,
        review_short=review_short(ds), key_charts=Markup(home_snippet(ds)), this=HOME,
        currency=currency(ds),
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {HOME: home(ds)}
