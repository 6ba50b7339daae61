"""The evidence-gap map page, its default chart and the spec of every other pair of facets."""

from __future__ import annotations

from ...evidence.dataset import Dataset
from .. import frame
from ..charts import Chart, compact_json, figure, lower, spec_json
from ..context import Files, SiteContext
from ..escape import md_text
from ..gapmatrix import DEFAULT, PAIRS, Index, default_axes, default_chart, matrix, positive_value, studies
from ..render import render

PAGE = "map/index.md"
PAGE_URL = "map/"


def page(ds: Dataset, chart: Chart | None) -> str:
    rows, columns = default_axes(ds)
    colour = ds.taxonomy[ds.review.gap_map.colour]
    controls = render(
        "gapmap_controls.html.j2",
        facets=ds.taxonomy.facets, rows=rows.name, columns=columns.name, chart=DEFAULT, pairs="charts/" + PAIRS,
    ).strip()
    intro = "\n".join([
        "---", "title: Evidence-gap map", "---", "", "# Evidence-gap map", "",
        f"Where the {len(ds.studies)} studies of the map cluster and where the gaps are. Each bubble is one combination "
        f"of two categories, by default {md_text(lower(rows.label))} (rows) and {md_text(lower(columns.label))} (columns); "
        "its area is the number of studies with both values. Its colour tells how many of those studies have "
        f"“{md_text(colour.label)}: {md_text(colour.label_of(positive_value(colour)))}”: none (dark orange), under half, "
        "half or more, or all (dark purple). "
        "Shaded squares are **gaps**: no study in the map has both values. The numbers in brackets are the "
        "totals of each row and column (a study with two values counts in both rows, once in a total).",
        "",
        "Hover a bubble for its count and up to five of its studies, newest first; click it to list them all in "
        "[Explore](../explore/index.md). Choose any two categories below to redraw the map.",
        "",
    ])
    body = figure(chart, PAGE_URL) if chart else "The map has no studies yet.\n"
    return f"{intro}\n{controls}\n\n{body}"


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    default = default_chart(ds)
    files: Files = {PAGE: page(ds, default)}
    if default is None:
        return files
    files[default.spec_path] = spec_json(default.spec)
    index = Index(studies(ds, frame.studies(ds)))
    for rows in ds.taxonomy.facets:
        for columns in ds.taxonomy.facets:
            if rows.name != columns.name:
                c = matrix(ds, index.everyone, rows, columns, index=index)
                files[c.spec_path] = compact_json(c.spec)  # fetched on demand: no indentation
    return files
