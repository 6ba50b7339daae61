"""The evidence-gap matrix: two facets crossed of two facets, bubble area = studies, shaded squares = gaps.

The reader can cross any two facets. Every ordered pair (13 facets: 156 pairs) is pre-built here as
its own Vega-Lite spec under charts/gap-map/<rows>--<columns>.vl.json, fetched by charts.js only when
chosen. So the counting lives once, in Python, and is tested there, while the page carries only the
default pair; a client-side regroup would have meant a second implementation of the counts in
JavaScript and shipping every study's facets to every reader.

Colour is the share of a cell's studies with the positive value of review.yaml's gap_map.colour
facet ('true' for a yes/no facet). One hue per bubble stays readable at the few pixels a small bubble
has, where a pie or stack of three segments would not; the tooltip and table give the split."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import altair as alt
import pandas as pd

from ..evidence.dataset import Dataset
from ..evidence.taxonomy import Facet
from . import frame
from .charts import Cell, Chart, Table, explore, facet_values, lower, num

DEFAULT = "gap-map"
PAIRS = "gap-map/"
MAX_TITLES = 5
STEP_X, STEP_Y = 42, 28
MAX_AREA = 560  # a bubble of the fullest cell: about 27 px across, inside a 42 x 28 cell
GAP_FILL = "#9e9e9e"
# The share in four bands (ColorBrewer PuOr, safe for colour-blind readers): exact shares are in the
# tooltip and table, and four named colours read faster than a continuous ramp on small bubbles.
BANDS = {"none": "#e66101", "under half": "#fdb863", "half or more": "#b2abd2", "all": "#5e3c99"}


def band(hits: int, n: int) -> str:
    return "none" if hits == 0 else "all" if hits == n else "under half" if 2 * hits < n else "half or more"


def pair_name(rows: str, columns: str) -> str:
    return f"{PAIRS}{rows}--{columns}"


def positive_value(facet: Facet) -> str:
    """The value whose share colours the bubbles: 'true' for a yes/no facet, else the first value."""
    return "true" if "true" in facet.slugs else facet.slugs[0]


def axis(facet: Facet, values: Sequence[str], totals: dict[str, int]) -> dict[str, Any]:
    return {
        "facet": facet.name, "label": facet.label,
        "values": [{"value": v, "label": facet.label_of(v), "total": totals.get(v, 0), "explore": explore(**{facet.name: v})} for v in values],
    }


@dataclass(frozen=True)
class Study:
    """What a cell needs of a study, read once from the frame."""

    id: str
    title: str
    year: int
    values: dict[str, tuple[str, ...]]


def studies(ds: Dataset, df: pd.DataFrame) -> list[Study]:
    """Newest first (then by title): the order of the titles in a cell's tooltip."""
    names = [f.name for f in ds.taxonomy.facets]
    out = [Study(r["id"], r["title"], int(r["year"]), {n: r[n] for n in names}) for r in df.to_dict("records")]
    return sorted(out, key=lambda s: (-s.year, s.title, s.id))


@cache
def template(colour_key: str) -> dict[str, Any]:
    """The gap map's Vega-Lite spec without its pair: built by Altair once. Each pair fills in its
    data, titles and axis domains (fill()); calling Altair for all 156 pairs took 4 s a build."""
    grid: dict[str, Any] = {"grid": True, "tickBand": "extent", "domain": False, "labelFontSize": 11, "titleFontSize": 12}
    x = alt.X("column_axis:N", axis=alt.Axis(orient="top", labelAngle=-40, labelAlign="left", labelLimit=220, **grid))
    y = alt.Y("row_axis:N", axis=alt.Axis(labelLimit=240, **grid))
    gaps = alt.Chart(alt.NamedData(name="gaps")).transform_calculate(
        note="'none: a gap'", aria="datum.row_axis + ', ' + datum.column_axis + ': no study, a gap'",
    ).mark_rect(fill=GAP_FILL, opacity=0.22).encode(
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("row_axis:N", title=ROWS), alt.Tooltip("column_axis:N", title=COLUMNS), alt.Tooltip("note:N", title="Studies")])
    bubbles = alt.Chart().mark_circle(opacity=1, stroke="#999", strokeWidth=1).encode(
        size=alt.Size("count:Q", title="Studies", scale=alt.Scale(domain=[0, 1], range=[0, MAX_AREA]), legend=alt.Legend(values=[1], orient="bottom", direction="horizontal", symbolFillColor=GAP_FILL)),
        color=alt.Color("band:N", title=["Studies with", colour_key], scale=alt.Scale(domain=list(BANDS), range=list(BANDS.values())),
                        legend=alt.Legend(orient="bottom", direction="horizontal", titleLimit=300)),
        href=alt.Href("explore:N"),
        description=alt.Description("aria:N"),  # what a screen reader says for a bubble (not every tooltip field and the link)
        tooltip=[alt.Tooltip("row:N", title=ROWS), alt.Tooltip("column:N", title=COLUMNS), alt.Tooltip("count:Q", title="Studies"),
                 alt.Tooltip("colour_text:N", title=colour_key), alt.Tooltip("titles:N", title="Newest studies")],
    )
    chart = alt.layer(gaps, bubbles, data=alt.NamedData(name="cells"), title="-", description="-").encode(x=x, y=y)
    return chart.properties(width=alt.Step(STEP_X), height=alt.Step(STEP_Y)).to_dict()


ROWS, COLUMNS = "(rows)", "(columns)"


def fill(spec: dict[str, Any], rows: Facet, columns: Facet, row_domain: list[str], col_domain: list[str], most: int) -> None:
    """Put one pair's facet names and domains into a copy of the template."""
    spec["encoding"]["x"] |= {"title": columns.label, "scale": {"domain": col_domain}}
    spec["encoding"]["y"] |= {"title": rows.label, "scale": {"domain": row_domain}}
    for layer in spec["layer"]:
        for tip in layer["encoding"]["tooltip"]:
            tip["title"] = {ROWS: rows.label, COLUMNS: columns.label}.get(tip["title"], tip["title"])
    size = spec["layer"][1]["encoding"]["size"]
    size["scale"]["domain"] = [0, most]
    size["legend"]["values"] = sorted({1, max(1, most // 2), most})


class Index:
    """Studies as bit positions in one integer per facet value (in `everyone` order): a cell's studies
    are an AND of two integers and its count a popcount. Grouping studies per cell in Python for each
    of the 156 pairs took 7 s at 10,000 studies; this takes a fraction of a second."""

    def __init__(self, everyone: Sequence[Study]):
        self.everyone = everyone
        self.bits: dict[str, dict[str, int]] = {}

    def of(self, facet: str) -> dict[str, int]:
        if facet not in self.bits:
            positions: dict[str, list[int]] = {}
            for i, s in enumerate(self.everyone):
                for v in dict.fromkeys(s.values[facet]):
                    positions.setdefault(v, []).append(i)
            self.bits[facet] = {v: sum(1 << i for i in pos) for v, pos in positions.items()}
        return self.bits[facet]

    def first(self, mask: int, k: int) -> list[Study]:
        """The first k studies of a mask, in `everyone` order (lowest bits first)."""
        out = []
        while mask and len(out) < k:
            low = mask & -mask
            out.append(self.everyone[low.bit_length() - 1])
            mask ^= low
        return out


def matrix(ds: Dataset, everyone: Sequence[Study], rows: Facet, columns: Facet, name: str | None = None, index: Index | None = None) -> Chart:
    """The gap map of rows x columns; `name` defaults to the pair's file name under charts/."""
    index = index or Index(everyone)
    colour = ds.taxonomy[ds.review.gap_map.colour]
    positive = positive_value(colour)
    colour_key = f"{colour.label}: {colour.label_of(positive)}"
    row_bits, col_bits = index.of(rows.name), index.of(columns.name)
    positive_bits = index.of(colour.name).get(positive, 0)
    row_totals: Counter[str] = Counter({v: b.bit_count() for v, b in row_bits.items()})
    col_totals: Counter[str] = Counter({v: b.bit_count() for v, b in col_bits.items()})
    masks = {(r, c): m for r, rb in row_bits.items() for c, cb in col_bits.items() if (m := rb & cb)}
    row_values = facet_values(rows, row_totals)
    col_values = facet_values(columns, col_totals)
    row_axis = {v: f"{rows.label_of(v)} ({row_totals[v]})" for v in row_values}
    col_axis = {v: f"{columns.label_of(v)} ({col_totals[v]})" for v in col_values}

    cells, gaps = [], []
    for r in row_values:
        for c in col_values:
            mask = masks.get((r, c))
            if not mask:
                gaps.append({"row_axis": row_axis[r], "column_axis": col_axis[c]})
                continue
            n = mask.bit_count()
            hits = (mask & positive_bits).bit_count()
            titles = [f"• {s.title} ({s.year})" for s in index.first(mask, MAX_TITLES)] + ([f"… and {n - MAX_TITLES} more"] if n > MAX_TITLES else [])
            cells.append({rows.name: r, columns.name: c, "count": n, "row": rows.label_of(r), "column": columns.label_of(c),
                          "row_axis": row_axis[r], "column_axis": col_axis[c], "share": round(hits / n, 4), "band": band(hits, n),
                          "colour_text": f"{hits} of {n} ({hits / n:.0%})", "titles": titles,
                          "aria": f"{rows.label}: {rows.label_of(r)}; {columns.label}: {columns.label_of(c)}; {n} stud{'y' if n == 1 else 'ies'}",
                          "explore": explore(**{rows.name: r, columns.name: c})})

    title = f"Evidence-gap map: {lower(rows.label)} by {lower(columns.label)}"
    description = (f"Number of studies for each combination of {lower(rows.label)} (rows) and {lower(columns.label)} (columns) as bubble "
                   f"area, coloured by how many of them have “{colour_key}” (none, under half, half or more, all); shaded squares are gaps with no study; totals in brackets.")
    spec = copy.deepcopy(template(colour_key))
    counts = {key: m.bit_count() for key, m in masks.items()}
    fill(spec, rows, columns, list(row_axis.values()), list(col_axis.values()), max(counts.values(), default=1))
    spec |= {"title": title, "description": description, "data": {"values": cells}}
    spec["layer"][0]["data"] = {"values": gaps}
    spec["usermeta"] = {"gap_map": {"rows": axis(rows, row_values, row_totals), "columns": axis(columns, col_values, col_totals),
                                    "colour": colour_key, "studies": len(everyone)}}
    return Chart(name or pair_name(rows.name, columns.name), title, description, spec,
                 table(rows, columns, row_values, col_values, row_totals, col_totals, counts, len(everyone)))


def table(rows: Facet, columns: Facet, row_values: Sequence[str], col_values: Sequence[str], row_totals: dict[str, int],
          col_totals: dict[str, int], counts: dict[tuple[str, str], int], total: int) -> Table:
    header = (f"{rows.label} \\ {columns.label}", *(columns.label_of(c) for c in col_values), "Total")
    body = [
        (Cell(rows.label_of(r), explore(**{rows.name: r})),
         *(num(counts[(r, c)], explore(**{rows.name: r, columns.name: c})) if (r, c) in counts else num(0) for c in col_values),
         num(row_totals.get(r, 0)))
        for r in row_values
    ]
    body.append((Cell("Total"), *(num(col_totals.get(c, 0), explore(**{columns.name: c})) for c in col_values), num(total)))
    return Table(header, tuple(body))


def default_axes(ds: Dataset) -> tuple[Facet, Facet]:
    return ds.taxonomy[ds.review.gap_map.rows], ds.taxonomy[ds.review.gap_map.columns]


def default_chart(ds: Dataset) -> Chart | None:
    df = frame.studies(ds)
    if df.empty:
        return None
    rows, columns = default_axes(ds)
    return matrix(ds, studies(ds, df), rows, columns, DEFAULT)
