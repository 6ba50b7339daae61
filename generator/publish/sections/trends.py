"""Trends: the page of charts (each with its numbers as a table), their spec files and the Vega bundle."""

from __future__ import annotations

from collections.abc import Sequence

from ...evidence.dataset import Dataset
from ..charts import BUNDLE, Chart, chart_groups, figure, spec_json, vendor_bundle
from ..context import Files, SiteContext
from ..escape import md_text

TRENDS_PAGE = "trends/index.md"
TRENDS_URL = "trends/"


def trends_page(ds: Dataset, groups: Sequence[tuple[str, Sequence[Chart]]]) -> str:
    n = len(ds.studies)
    years = sorted({s.year for s in ds.studies})
    out = [
        "---", "title: Trends", "---", "", "# Trends", "",
        (f"Charts of the {n} studies in the map, published {years[0]}–{years[-1]}. " if years else "The map has no studies yet. ")
        + "Click a bar to open the matching studies in [Explore](../explore/index.md). Under each chart, "
        "*Numbers behind the chart* lists its counts; each chart's Vega-Lite specification, with its data, "
        "can be downloaded. A study with several values of a category counts once in each.",
        "",
    ]
    for heading, group in groups:
        if group:
            out += [f"## {md_text(heading)}", ""]
            for c in group:
                out += [figure(c, TRENDS_URL), ""]
    out.append("See also the [evidence-gap map](../map/index.md), which crosses two categories.")
    return "\n".join(out) + "\n"


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    groups = chart_groups(ds)
    files: Files = {TRENDS_PAGE: trends_page(ds, groups), BUNDLE: vendor_bundle()}
    for _, charts in groups:
        for c in charts:
            files[c.spec_path] = spec_json(c.spec)
    return files
