"""The evidence-gap map: counts per cell, gaps, totals, tooltips and links of the default spec and of
every pre-built axis pair, computed here from the YAML records."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from site_fixture import REVIEW, TAXONOMY, facet_slugs, page, real_records, text
from test_charts import query, values

RECORDS = real_records()
FACETS = {f["name"]: f for f in TAXONOMY["facets"]}
ROWS, COLUMNS = REVIEW["gap_map"]["rows"], REVIEW["gap_map"]["columns"]


def slugs(rec: dict[str, Any], name: str) -> list[str]:
    return list(dict.fromkeys(facet_slugs(rec, FACETS[name])))


def cells(rows: str, columns: str) -> dict[tuple[str, str], list[dict[str, Any]]]:
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in RECORDS:
        for a in slugs(r, rows):
            for b in slugs(r, columns):
                out.setdefault((a, b), []).append(r)
    return out


def axis_values(name: str) -> list[str]:
    """Every vocabulary value (a value no study has is a whole row of gaps), then 'not reported'."""
    facet = FACETS[name]
    vocab = [str(v["value"]).lower() if isinstance(v["value"], bool) else v["value"] for v in facet["values"]]
    return vocab + (["not-reported"] if facet["multi"] and any(not r.get(name) for r in RECORDS) else [])


def pair(site: Path, rows: str, columns: str) -> dict[str, Any]:
    return json.loads((site / "charts" / "gap-map" / f"{rows}--{columns}.vl.json").read_text(encoding="utf-8"))


def check_pair(spec: dict[str, Any], rows: str, columns: str) -> None:
    expected = cells(rows, columns)
    got = [(d[rows], d[columns]) for d in values(spec)]
    assert len(got) == len(set(got)), "one row per non-empty cell"
    assert {(d[rows], d[columns]): d["count"] for d in values(spec)} == {k: len(v) for k, v in expected.items()}
    meta = spec["usermeta"]["gap_map"]
    for axis, name in (("rows", rows), ("columns", columns)):
        assert meta[axis]["facet"] == name
        totals = Counter(v for r in RECORDS for v in slugs(r, name))
        assert [v["value"] for v in meta[axis]["values"]] == axis_values(name)
        assert {v["value"]: v["total"] for v in meta[axis]["values"]} == {v: totals[v] for v in axis_values(name)}
    assert meta["studies"] == len(RECORDS)
    n_rows, n_cols = len(axis_values(rows)), len(axis_values(columns))
    assert len(spec["layer"][0]["data"]["values"]) == n_rows * n_cols - len(expected), "every empty cell is drawn as a gap"
    assert len(spec["encoding"]["y"]["scale"]["domain"]) == n_rows and len(spec["encoding"]["x"]["scale"]["domain"]) == n_cols


def test_default_spec_holds_one_row_per_non_empty_cell(real_site):
    spec = json.loads((real_site / "charts" / "gap-map.vl.json").read_text(encoding="utf-8"))
    check_pair(spec, ROWS, COLUMNS)
    assert spec == pair(real_site, ROWS, COLUMNS)  # the same map as the pair's own file
    assert spec["title"] == "Evidence-gap map: application by TL approach"


def test_every_axis_pair_is_prebuilt_with_its_counts(real_site):
    files = sorted((real_site / "charts" / "gap-map").glob("*.vl.json"))
    assert len(files) == len(FACETS) * (len(FACETS) - 1)
    for rows in FACETS:
        for columns in FACETS:
            if rows != columns:
                check_pair(pair(real_site, rows, columns), rows, columns)


def test_gaps_are_the_empty_combinations(real_site):
    spec = pair(real_site, ROWS, COLUMNS)
    meta = spec["usermeta"]["gap_map"]
    label = {(axis, v["value"]): v["label"] for axis in ("rows", "columns") for v in meta[axis]["values"]}
    full = cells(ROWS, COLUMNS)
    row_total = Counter(a for r in RECORDS for a in slugs(r, ROWS))
    col_total = Counter(b for r in RECORDS for b in slugs(r, COLUMNS))
    want = {(f"{label[('rows', a)]} ({row_total[a]})", f"{label[('columns', b)]} ({col_total[b]})")
            for a in axis_values(ROWS) for b in axis_values(COLUMNS) if (a, b) not in full}
    got = {(g["row_axis"], g["column_axis"]) for g in spec["layer"][0]["data"]["values"]}
    assert got == want and want


def test_tooltip_colour_and_link_of_each_cell(real_site):
    spec = pair(real_site, ROWS, COLUMNS)
    colour = REVIEW["gap_map"]["colour"]
    for d in values(spec):
        members = cells(ROWS, COLUMNS)[(d[ROWS], d[COLUMNS])]
        newest = sorted(members, key=lambda r: (-r["year"], r["title"]))
        listed = [t for t in d["titles"] if t.startswith("• ")]
        assert listed == [f"• {r['title']} ({r['year']})" for r in newest[:5]]
        assert len(d["titles"]) == min(5, len(members)) + (len(members) > 5)
        hits = sum(1 for r in members if r.get(colour) is True)
        assert d["share"] == round(hits / len(members), 4)
        assert d["colour_text"].startswith(f"{hits} of {len(members)} ")
        assert d["band"] == ("none" if hits == 0 else "all" if hits == len(members) else "under half" if 2 * hits < len(members) else "half or more")
        assert query(d["explore"]) == {ROWS: d[ROWS], COLUMNS: d[COLUMNS]}
    assert spec["layer"][1]["encoding"]["href"]["field"] == "explore"


def test_map_page_offers_every_facet_pair_with_the_default_selected(real_site):
    doc = page(real_site, "map/index.html")
    form = doc.xpath("//form[@data-em-gapmap]")[0]
    assert form.get("hidden") is not None  # shown by charts.js: the pickers need JavaScript
    assert form.get("data-em-pairs") == "charts/gap-map/"
    for name, default in (("rows", ROWS), ("columns", COLUMNS)):
        options = form.xpath(f".//select[@name='{name}']/option")
        assert [o.get("value") for o in options] == list(FACETS)
        assert [o.get("value") for o in options if o.get("selected") is not None] == [default]
    view = doc.xpath("//*[@data-em-chart='gap-map']")[0]
    assert view.get("data-em-base") == "../"
    assert view.getparent().xpath(".//a[contains(@href, '.vl.json')]/@href") == ["../charts/gap-map.vl.json"]


def test_map_page_table_has_counts_and_totals(real_site):
    doc = page(real_site, "map/index.html")
    table = doc.xpath("//div[@id='chart-gap-map']//table")[0]
    head = [text(th) for th in table.xpath("./thead/tr/th")]
    columns = axis_values(COLUMNS)
    assert head[0] == "Application \\ TL approach" and head[-1] == "Total" and len(head) == len(columns) + 2
    body = table.xpath("./tbody/tr")
    assert len(body) == len(axis_values(ROWS)) + 1
    full = cells(ROWS, COLUMNS)
    for tr, a in zip(body, axis_values(ROWS), strict=False):
        nums = [int(text(td)) for td in tr.xpath("./td")]
        assert nums[:-1] == [len(full.get((a, b), [])) for b in columns]
        assert nums[-1] == sum(1 for r in RECORDS if a in slugs(r, ROWS))
    totals = [int(text(td)) for td in body[-1].xpath("./td")]
    assert totals == [sum(1 for r in RECORDS if b in slugs(r, COLUMNS)) for b in columns] + [len(RECORDS)]


def test_source_review_membership_crosses_any_facet(real_site):
    """In the source review vs added since, against the TL approach and the application, both ways."""
    for rows, columns in (("source_review", "tl_approach"), ("application", "source_review")):
        check_pair(pair(real_site, rows, columns), rows, columns)
    counts = Counter(v for r in RECORDS for v in slugs(r, "source_review"))
    assert counts["probable"] == 102 and counts["added-since"] == len(RECORDS) - 102
