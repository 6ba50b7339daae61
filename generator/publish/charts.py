"""Trends: Altair charts of the studies (Vega-Lite specs with inline data), the Trends page, the
offline Vega bundle, and the figure markup that Home and the gap map share.

Every chart is pre-aggregated here (pandas) and carries its counts as inline `values`, so the
published spec, the page's table and the tests all read the same numbers. Bars link to Explore with
site-root-relative URLs (field `explore`); the page's charts.js resolves them against the page."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

import altair as alt
import pandas as pd

from ..evidence.dataset import Dataset
from ..evidence.taxonomy import NOT_REPORTED, Facet
from . import frame, urls
from .context import review_period_end
from .escape import json_for_script
from .render import render
from .reuse import Reuse

BUNDLE = "assets/vendor/vega/vega-bundle.js"
SPEC_DIR = "charts/"

# Which facets get which chart comes from data/review.yaml (site.trends, site.home), never from here.
TOP_N = 15

# Values that record the source's silence rather than a category: drawn grey, as findings.
SILENT = (NOT_REPORTED, "unspecified", "unknown")
BAR = "#4c78a8"
GREY = "#9e9e9e"
VALUE_COLOURS = {"true": "#2a9d8f", "false": "#e76f51", "unknown": GREY}
"""Colours of a yes/no/unknown facet's values in a share chart (other values: the bar colour)."""
# As wide as the page's column; only the width follows it (heights are fixed or per bar).
FULL_WIDTH: dict[str, Any] = {"width": "container", "autosize": alt.AutoSizeParams(type="fit-x", contains="padding")}
ROLE_COLOURS = {"source only": "#4c78a8", "source and target": "#72b7b2", "target only": "#f58518"}
# Encodings are given as channel objects (alt.Href("explore:N")), never as shorthand strings: for a
# string Altair builds a lookup of every class of the Vega-Lite schema, about 5 ms a call, 0.2 s a build.


@dataclass(frozen=True)
class Cell:
    text: str
    href: str | None = None
    """Site-root-relative link (e.g. to Explore); made relative to the page when rendered."""
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    description: str
    spec: dict[str, Any]
    table: Table

    @property
    def spec_path(self) -> str:
        return f"{SPEC_DIR}{self.name}.vl.json"


def num(n: int, href: str | None = None) -> Cell:
    return Cell(str(n), href, numeric=True)


def spec_json(spec: dict[str, Any]) -> str:
    """The published spec file: stable key order, readable."""
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def compact_json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def to_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Vega-Lite dict. No selections or params are used, so Altair generates no counter-based names
    and the output is the same on every build. Altair's own check of every spec against the
    Vega-Lite schema took half of each build's generation (0.9 s of 1.6 s at 276 studies, on every
    save in the live preview), so it is left to the tests, which validate every published spec
    against the same schema (test_every_published_spec_validates_against_the_vega_lite_schema)."""
    return chart.to_dict(validate=False)


def bars_height(n: int, step: int = 22) -> int:
    """A fixed height for n bands: Vega-Lite warns about a step height in a container-wide chart."""
    return max(n, 1) * step


def lower(label: str) -> str:
    """A label inside a sentence: 'Task' -> 'task', but an acronym such as 'ML method' stays."""
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def studies_text(count: str) -> str:
    """A Vega expression: 'n studies' for a mark's accessible description."""
    return f"{count} + ({count} == 1 ? ' study' : ' studies')"


def explore(**filters: str | list[str]) -> str:
    return urls.explore_url(filters)


def year_range(year: int) -> str:
    return f"{year}-{year}"


def years_of(df: pd.DataFrame) -> list[int]:
    """Every year from the first to the last study: a year without studies shows as a gap."""
    return list(range(int(df["year"].min()), int(df["year"].max()) + 1)) if len(df) else []


def facet_values(facet: Facet, counts: dict[str, int]) -> list[str]:
    """Vocabulary order, then 'not reported' when a study left the facet empty."""
    return facet.slugs + ([NOT_REPORTED] if counts.get(NOT_REPORTED) else [])


def count_by(df: pd.DataFrame, column: str) -> dict[str, int]:
    """Studies per value (a study counts once per value it has)."""
    return {str(k): int(v) for k, v in frame.long(df, column).groupby(column)["id"].nunique().items()}


# --------------------------------------------------------------------------- the charts


def dashed(facet_name: str) -> str:
    return facet_name.replace("_", "-")


def per_year(ds: Dataset, df: pd.DataFrame, facet: Facet | None) -> Chart:
    """Studies per year, stacked by a facet's values (site.trends.per_year_by), or plain bars."""
    years = years_of(df)
    totals = df.groupby("year")["id"].nunique()
    if facet is None:
        title = "Studies per year"
        description = f"Number of studies published each year from {years[0]} to {years[-1]}." if years else "No studies yet."
        rows = [{"year": int(y), "count": int(n), "explore": explore(year=year_range(int(y)))} for y, n in totals.items()]
        chart = alt.Chart(alt.Data(values=rows), title=title, description=description).transform_calculate(
            aria=f"datum.year + ': ' + {studies_text('datum.count')}").mark_bar(color=BAR).encode(
            x=alt.X("year:O", title="Year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title="Studies", axis=alt.Axis(tickMinStep=1)),
            href=alt.Href("explore:N"),
            description=alt.Description("aria:N"),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("count:Q", title="Studies")],
        ).properties(**FULL_WIDTH, height=280)
        table = Table(("Year", "Studies"), tuple((Cell(str(y)), num(int(totals.get(y, 0)), explore(year=year_range(y)))) for y in years))
        return Chart("per-year", title, description, to_spec(chart), table)
    name = facet.name
    cells = frame.long(df, name).groupby(["year", name])["id"].nunique()
    order = facet_values(facet, count_by(df, name))
    rows = [
        {"year": int(y), name: t, "label": facet.label_of(t), "order": order.index(t), "count": int(n),
         "explore": explore(**{name: t, "year": year_range(int(y))})}
        for (y, t), n in sorted(cells.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1])))
    ]
    labels = [facet.label_of(t) for t in order]
    title = f"Studies per year by {lower(facet.label)}"
    several = f"; a study with several {lower(facet.label)}s counts once in each" if facet.multi else ""
    description = (f"Number of studies published each year from {years[0]} to {years[-1]}, stacked by {lower(facet.label)}"
                   f"{several}.") if years else "No studies yet."
    base = alt.Chart(alt.Data(values=rows), title=title, description=description).transform_calculate(
        aria=f"datum.year + ', ' + datum.label + ': ' + {studies_text('datum.count')}")
    chart = base.mark_bar().encode(
        x=alt.X("year:O", title="Year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("count:Q", title="Studies", stack="zero", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("label:N", title=facet.label, scale=alt.Scale(domain=labels, scheme="tableau10")),
        order=alt.Order("order:Q"),
        href=alt.Href("explore:N"),
        description=alt.Description("aria:N"),  # what a screen reader says for the mark (by default: every field, links too)
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title=facet.label), alt.Tooltip("count:Q", title="Studies")],
    ).properties(**FULL_WIDTH, height=280)
    header = ("Year", "Studies", *labels)
    table_rows = []
    for y in years:
        total = int(totals.get(y, 0))
        by_value = [int(cells.get((y, t), 0)) for t in order]
        table_rows.append((
            Cell(str(y)), num(total, explore(year=year_range(y))),
            *(num(n, explore(**{name: t, "year": year_range(y)})) for t, n in zip(order, by_value, strict=True)),
        ))
    return Chart(f"per-year-by-{dashed(name)}", title, description, to_spec(chart), Table(header, tuple(table_rows)))


def per_year_chart(ds: Dataset, df: pd.DataFrame) -> Chart:
    """The studies-per-year chart of this map (Trends and Home)."""
    by = ds.review.site.trends.per_year_by
    return per_year(ds, df, ds.taxonomy[by] if by else None)


def facet_chart_facets(ds: Dataset) -> list[Facet]:
    """Every multi facet, and the single facets review.yaml lists (site.trends.single_facets)."""
    single = ds.review.site.trends.single_facets
    return [f for f in ds.taxonomy.facets if f.multi or f.name in single]


def chart_name(facet_name: str) -> str:
    return "by-" + dashed(facet_name)


def ranked_bars(rows: list[dict[str, Any]], key: str, label: str, order: list[str], title: str, description: str,
                tooltip: Sequence[alt.Tooltip] = (), colour: Any = None) -> alt.LayerChart:
    """Horizontal bars of rows[key] in the given order, each with its count printed after it and a
    link to Explore (field `explore`): the shape of every "studies per X" chart."""
    base = alt.Chart().transform_calculate(aria=f"datum.{key} + ': ' + {studies_text('datum.count')}").encode(
        y=alt.Y(f"{key}:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        x=alt.X("count:Q", title="Studies", axis=alt.Axis(tickMinStep=1)),
        href=alt.Href("explore:N"),
        description=alt.Description("aria:N"),  # what a screen reader says for the mark (by default: every field, links too)
        tooltip=[alt.Tooltip(f"{key}:N", title=label), alt.Tooltip("count:Q", title="Studies"), *tooltip],
    )
    bars = base.mark_bar(color=BAR) if colour is None else base.mark_bar().encode(color=colour)
    text = base.mark_text(align="left", dx=3, aria=False).encode(text=alt.Text("count:Q"))
    return alt.layer(bars, text, data=alt.Data(values=rows), title=title, description=description).properties(
        **FULL_WIDTH, height=bars_height(len(order)))


def per_facet_value(ds: Dataset, df: pd.DataFrame, facet: Facet) -> Chart:
    counts = count_by(df, facet.name)
    total = len(df)
    values = facet_values(facet, counts)
    # Sorted by count; ties keep vocabulary order. Values no study has stay, at the bottom: gaps.
    values.sort(key=lambda v: -counts.get(v, 0))
    rows = [
        {facet.name: v, "label": facet.label_of(v), "count": counts.get(v, 0),
         "share": round(counts.get(v, 0) / total, 4) if total else 0,
         "kind": "not reported" if v in SILENT else "reported", "explore": explore(**{facet.name: v})}
        for v in values
    ]
    labels = [r["label"] for r in rows]
    title = f"Studies per {lower(facet.label)}"
    several = " (a study can have several)" if facet.multi else ""
    description = f"Number of studies for each {lower(facet.label)}{several}, most frequent first; grey bars are studies where it was not reported."
    chart = ranked_bars(
        rows, "label", facet.label, labels, title, description,
        tooltip=[alt.Tooltip("share:Q", title="Share of studies", format=".0%")],
        colour=alt.Color("kind:N", scale=alt.Scale(domain=["reported", "not reported"], range=[BAR, GREY]), legend=None),
    )
    table = Table(
        (facet.label, "Studies", "Share of studies"),
        tuple((Cell(r["label"], r["explore"]), num(r["count"], r["explore"]), Cell(f"{r['share']:.0%}", numeric=True)) for r in rows),
    )
    return Chart(chart_name(facet.name), title, description, to_spec(chart), table)


def _top(counter: dict[str, int], n: int = TOP_N) -> list[str]:
    """The n most used names; ties broken alphabetically so the cut is stable."""
    return sorted(counter, key=lambda k: (-counter[k], k.casefold(), k))[:n]


def top_datasets(ds: Dataset, df: pd.DataFrame) -> Chart:
    roles: dict[str, dict[str, int]] = {}
    for src, tgt in zip(df["source_datasets"], df["target_datasets"], strict=True):
        for name in dict.fromkeys((*src, *tgt)):
            role = "source and target" if name in src and name in tgt else "source only" if name in src else "target only"
            roles.setdefault(name, dict.fromkeys(ROLE_COLOURS, 0))[role] += 1
    totals = {k: sum(v.values()) for k, v in roles.items()}
    names = _top(totals)
    # One bar per dataset, its length the studies that used it: a bar opens exactly those studies in
    # Explore. The split by role is in the tooltip and the table (a stacked segment would have shown
    # a part but opened the whole).
    rows = [
        {"dataset": name, "count": totals[name], "explore": explore(dataset=[name]),
         "roles": ", ".join(f"{role} {n}" for role, n in roles[name].items() if n)}
        for name in names
    ]
    title = "Most used datasets"
    description = (f"The {len(names)} datasets used by most studies, as source or target of the transfer; "
                   "each study counts once per dataset; the table splits each count by the role the dataset played.")
    chart = ranked_bars(rows, "dataset", "Dataset", names, title, description, tooltip=[alt.Tooltip("roles:N", title="Used as")])
    table = Table(
        ("Dataset", "Studies", *(r.capitalize() for r in ROLE_COLOURS)),
        tuple((Cell(name, explore(dataset=[name])), num(totals[name], explore(dataset=[name])), *(num(roles[name][r]) for r in ROLE_COLOURS)) for name in names),
    )
    return Chart("top-datasets", title, description, to_spec(chart), table)


def top_architectures(ds: Dataset, df: pd.DataFrame) -> Chart:
    counts = count_by(df, "architectures")
    names = _top(counts)
    rows = [{"architecture": a, "count": counts[a], "explore": explore(architecture=[a])} for a in names]
    title = "Most used architectures"
    description = f"The {len(names)} network architectures named by most studies; 'custom' is a network designed for the study."
    chart = ranked_bars(rows, "architecture", "Architecture", names, title, description)
    table = Table(("Architecture", "Studies"), tuple((Cell(r["architecture"], r["explore"]), num(r["count"], r["explore"])) for r in rows))
    return Chart("top-architectures", title, description, to_spec(chart), table)


def values_over_time(ds: Dataset, df: pd.DataFrame, facet: Facet) -> Chart:
    """A value x year heat map of one facet (site.trends.over_time)."""
    name = facet.name
    years = years_of(df)
    cells = frame.long(df, name).groupby([name, "year"])["id"].nunique()
    order = facet_values(facet, count_by(df, name))
    labels = [facet.label_of(v) for v in order]
    rows = [
        {name: v, "label": facet.label_of(v), "year": y, "count": int(cells[(v, y)]),
         "explore": explore(**{name: v, "year": year_range(y)})}
        for v in order for y in years if (v, y) in cells
    ]
    title = f"{facet.label} over time"
    description = (f"Number of studies per {lower(facet.label)} and year, darker for more studies; "
                   "empty squares are combinations no study reported.")
    base = alt.Chart().transform_calculate(aria=f"datum.label + ', ' + datum.year + ': ' + {studies_text('datum.count')}").encode(
        x=alt.X("year:O", title="Year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("label:N", title=None, scale=alt.Scale(domain=labels), axis=alt.Axis(labelLimit=260)),
        href=alt.Href("explore:N"),
        description=alt.Description("aria:N"),  # what a screen reader says for the mark (by default: every field, links too)
        tooltip=[alt.Tooltip("label:N", title=facet.label), alt.Tooltip("year:O", title="Year"), alt.Tooltip("count:Q", title="Studies")],
    )
    rects = base.mark_rect(stroke="#8888", strokeWidth=0.5).encode(
        color=alt.Color("count:Q", title="Studies", scale=alt.Scale(scheme="blues", domainMin=0)))
    # Counts printed on the cells; dark text on light cells, light text on dark ones.
    most = max((r["count"] for r in rows), default=1)
    text = base.mark_text(fontSize=11, aria=False).encode(
        text=alt.Text("count:Q"),
        color=alt.condition(f"datum.count > {most / 2}", alt.value("white"), alt.value("#222")),
    )
    chart = alt.layer(rects, text, data=alt.Data(values=rows), title=title, description=description).properties(
        **FULL_WIDTH, height=bars_height(len(labels), 26))
    header = (facet.label, *map(str, years))
    table = Table(header, tuple(
        (Cell(facet.label_of(v), explore(**{name: v})),
         *(num(int(cells.get((v, y), 0)), explore(**{name: v, "year": year_range(y)})) for y in years))
        for v in order
    ))
    return Chart(f"{dashed(name)}-over-time", title, description, to_spec(chart), table)


def share_per_year(ds: Dataset, df: pd.DataFrame, facet: Facet) -> Chart:
    """Each value's share of the year's studies, per year (site.trends.share_per_year)."""
    name = facet.name
    years = years_of(df)
    cells = frame.long(df, name).groupby(["year", name])["id"].nunique()
    totals = df.groupby("year")["id"].nunique()
    order = facet_values(facet, count_by(df, name))
    labels = [facet.label_of(v) for v in order]
    colours = [VALUE_COLOURS.get(v, BAR) for v in order] if set(order) <= set(VALUE_COLOURS) | {NOT_REPORTED} else None
    rows = [
        {"year": y, name: v, "label": facet.label_of(v), "order": order.index(v), "count": int(cells[(y, v)]),
         "year_total": int(totals[y]), "share": round(int(cells[(y, v)]) / int(totals[y]), 4),
         "explore": explore(**{name: v, "year": year_range(y)})}
        for y in years for v in order if (y, v) in cells
    ]
    title = f"{facet.label}: share of studies per year"
    description = (f"For each year, how the year's studies split over the values of “{facet.label}” ("
                   + ", ".join(labels) + f"): {facet.description} Hover or see the table for the number of studies behind each share.")
    chart = alt.Chart(alt.Data(values=rows), title=title, description=description).transform_calculate(
        aria=f"datum.year + ', ' + datum.label + ': ' + datum.count + ' of ' + {studies_text('datum.year_total')}",
    ).mark_bar().encode(
        x=alt.X("year:O", title="Year", scale=alt.Scale(domain=years), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("count:Q", title="Share of the year's studies", stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("label:N", title=facet.label, scale=alt.Scale(domain=labels, range=colours) if colours else alt.Scale(domain=labels, scheme="tableau10")),
        order=alt.Order("order:Q"),
        href=alt.Href("explore:N"),
        description=alt.Description("aria:N"),  # what a screen reader says for the mark (by default: every field, links too)
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("label:N", title=facet.label),
                 alt.Tooltip("count:Q", title="Studies"), alt.Tooltip("share:Q", title="Share", format=".0%"),
                 alt.Tooltip("year_total:Q", title="Studies that year")],
    ).properties(**FULL_WIDTH, height=260)
    positive = "true" if "true" in order else order[0]
    header = ("Year", "Studies", *labels, f"Share “{facet.label_of(positive)}”")
    table_rows = []
    for y in years:
        n = int(totals.get(y, 0))
        share = f"{int(cells.get((y, positive), 0)) / n:.0%}" if n else "–"
        table_rows.append((Cell(str(y)), num(n, explore(year=year_range(y))),
                           *(num(int(cells.get((y, v), 0)), explore(**{name: v, "year": year_range(y)})) for v in order),
                           Cell(share, numeric=True)))
    return Chart(f"{dashed(name)}-share-per-year", title, description, to_spec(chart), Table(header, tuple(table_rows)))


def before_after(ds: Dataset, df: pd.DataFrame, facet: Facet) -> Chart:
    """Each value's share of the studies published up to the end of the source review's period and of
    those published after it, sorted by the change (site.trends.before_after): what rose since."""
    name, end = facet.name, review_period_end(ds)
    periods = [(f"up to {end}", f"-{end}"), (f"since {end + 1}", f"{end + 1}-")]
    long = frame.long(df, name)
    totals = [int(df.loc[df["year"] <= end, "id"].nunique()), int(df.loc[df["year"] > end, "id"].nunique())]
    counts = [long[long["year"] <= end].groupby(name)["id"].nunique(), long[long["year"] > end].groupby(name)["id"].nunique()]
    values = facet_values(facet, count_by(df, name))

    def share(i: int, v: str) -> float:
        return int(counts[i].get(v, 0)) / totals[i] if totals[i] else 0.0

    order = sorted(values, key=lambda v: (-(share(1, v) - share(0, v)), values.index(v)))
    labels = [facet.label_of(v) for v in order]
    rows = [
        {name: v, "label": facet.label_of(v), "period": label, "order": i, "count": int(counts[i].get(v, 0)),
         "period_total": totals[i], "share": round(share(i, v), 4), "explore": explore(**{name: v, "year": years})}
        for v in order for i, (label, years) in enumerate(periods)
    ]
    title = f"{facet.label}: share of studies up to {end} and since {end + 1}"
    description = (f"For each {lower(facet.label)}, the share of the {totals[0]} studies published up to {end} (the source review's "
                   f"period) and of the {totals[1]} published since {end + 1} that report it; a study with several values counts "
                   "in each. Sorted by the change, largest rise first.")
    chart = alt.Chart(alt.Data(values=rows), title=title, description=description).transform_calculate(
        aria=f"datum.label + ', ' + datum.period + ': ' + datum.count + ' of ' + {studies_text('datum.period_total')}",
    ).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("period:N", sort=[p for p, _ in periods]),
        x=alt.X("share:Q", title="Share of the period's studies", axis=alt.Axis(format="%")),
        color=alt.Color("period:N", title="Published", scale=alt.Scale(domain=[p for p, _ in periods], range=[GREY, BAR])),
        href=alt.Href("explore:N"),
        description=alt.Description("aria:N"),
        tooltip=[alt.Tooltip("label:N", title=facet.label), alt.Tooltip("period:N", title="Published"),
                 alt.Tooltip("count:Q", title="Studies"), alt.Tooltip("share:Q", title="Share", format=".0%"),
                 alt.Tooltip("period_total:Q", title="Studies in the period")],
    ).properties(**FULL_WIDTH, height=bars_height(len(labels), 30))
    header = (facet.label, f"Studies up to {end} (of {totals[0]})", f"Studies since {end + 1} (of {totals[1]})", "Change in share")
    table = Table(header, tuple(
        (Cell(facet.label_of(v), explore(**{name: v})),
         *(Cell(f"{int(counts[i].get(v, 0))} ({share(i, v):.0%})", explore(**{name: v, "year": years}), numeric=True)
           for i, (_, years) in enumerate(periods)),
         Cell(f"{(share(1, v) - share(0, v)) * 100:+.0f} points", numeric=True))
        for v in order
    ))
    return Chart(f"{dashed(name)}-before-after", title, description, to_spec(chart), table)


def over_time(ds: Dataset, df: pd.DataFrame) -> list[Chart]:
    """The time charts review.yaml asks for (site.trends), in that order."""
    t, tax = ds.review.site.trends, ds.taxonomy
    return [per_year_chart(ds, df), *(values_over_time(ds, df, tax[n]) for n in t.over_time),
            *(before_after(ds, df, tax[n]) for n in t.before_after),
            *(share_per_year(ds, df, tax[n]) for n in t.share_per_year)]


LISTS = {"datasets": top_datasets, "architectures": top_architectures}
"""The charts of the record's list fields (site.lists)."""


ChartGroups = list[tuple[str, list[Chart]]]


def chart_inputs(ds: Dataset) -> tuple[Any, ...]:
    """All the Trends charts are computed from: the taxonomy, review.yaml and each study's id, year,
    facet values and lists; not its text, so correcting a title or summary leaves them as they are."""
    facets = ds.taxonomy.facets
    studies = tuple((s.id, s.year, tuple(s.values(f.name) for f in facets), *(getattr(s, n) for n in frame.LISTS))
                    for s in sorted(ds.studies, key=lambda s: s.id))
    return ds.taxonomy, ds.review, studies


GROUPS: Reuse[ChartGroups] = Reuse()
"""The charts of the last build: `mkdocs serve` rebuilds on every save, and most saves change a
record's text, not what the charts count (0.3 s of each rebuild at 276 studies)."""


def chart_groups(ds: Dataset) -> ChartGroups:
    """The Trends page's sections and their charts, in page order (empty when there are no studies),
    reused while chart_inputs(ds) is equal."""
    with GROUPS.round(()) as reuse:
        return reuse("trends", chart_inputs(ds), lambda *_: _chart_groups(ds))


def _chart_groups(ds: Dataset) -> ChartGroups:
    """The charts are computed from chart_inputs only: they get the studies as a frame without titles
    and the dataset without its studies, searches or releases, so what they read is what is compared."""
    df = frame.studies(ds).drop(columns=["title"])
    if df.empty:
        return []
    bare = replace(ds, studies=(), searches=(), releases=())
    site = ds.review.site
    return [("Over time", over_time(bare, df)), ("By category", [per_facet_value(bare, df, f) for f in facet_chart_facets(bare)]),
            (site.lists_heading, [LISTS[k](bare, df) for k in site.lists])]


def all_charts(ds: Dataset) -> list[Chart]:
    """Every chart of the Trends page, in page order (empty when there are no studies)."""
    return [c for _, charts in chart_groups(ds) for c in charts]


# --------------------------------------------------------------------------- markup


def figure(chart: Chart, page_url: str, extra_class: str = "") -> str:
    """The chart's block of HTML for a Markdown page at page_url: container (filled by charts.js),
    description, inline spec (JSON in a <template>), numbers table and spec link. Raw HTML without blank lines, so Markdown
    leaves it alone."""
    base = urls.relative(page_url, "")
    html = render(
        "charts_figure.html.j2",
        chart=chart, base=base, spec_inline=json_for_script(chart.spec), extra_class=extra_class,
    )
    return html.strip() + "\n"


@cache
def vendor_bundle() -> str:
    """Vega, Vega-Lite and vega-embed in one script from vl-convert-python; wrapped in a function so
    its top-level names stay out of the page's global scope (only window.vegaEmbed & co. are set)."""
    import vl_convert

    return "/* Vega, Vega-Lite and vega-embed, bundled by vl-convert-python " + vl_convert.__version__ + " */\n(function () {\n" + (
        vl_convert.javascript_bundle() + "\n})();\n")
