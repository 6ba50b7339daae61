"""Trends charts: published Vega-Lite specs valid, offline and deterministic, and their counts equal to
counts computed here from the YAML records (one test per chart family)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import altair
import jsonschema
import pytest
from conftest import ROOT
from site_fixture import REVIEW, TAXONOMY, facet_slugs, page, real_records, text

RECORDS = real_records()
FACETS = {f["name"]: f for f in TAXONOMY["facets"]}
SCHEMA = json.loads((Path(altair.__file__).parent / "vegalite" / "v6" / "schema" / "vega-lite-schema.json").read_text(encoding="utf-8"))
# Named in the issue: every one of them has a chart of studies per value.
ISSUE_FACETS = ("application", "tl_approach", "source_domain", "ml_method", "mri_modality", "label_setting", "issues_addressed")


def load(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "charts" / f"{name}.vl.json").read_text(encoding="utf-8"))


def values(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["data"]["values"]


def encoding(spec: dict[str, Any]) -> dict[str, Any]:
    return spec.get("encoding") or spec["layer"][0]["encoding"]


def query(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert parts.path == "explore/" and not parts.scheme and not parts.netloc, url
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def slugs(rec: dict[str, Any], name: str) -> set[str]:
    return set(facet_slugs(rec, FACETS[name]))


def all_specs(site: Path) -> list[Path]:
    return sorted((site / "charts").rglob("*.vl.json"))


def walk(node: Any, path: str = ""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{path}/{k}")
            yield path, k, v
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}/{i}")


# ------------------------------------------------------------------ every spec


def test_every_published_spec_validates_against_the_vega_lite_schema(real_site):
    validator = jsonschema.Draft7Validator(SCHEMA)
    specs = all_specs(real_site)
    assert len(specs) > 150  # Trends charts, the gap map and its 156 axis pairs
    for path in specs:
        errors = sorted(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))), key=str)
        assert not errors, f"{path.name}: {errors[0].message}"


def test_specs_are_offline_with_inline_data(real_site):
    for path in all_specs(real_site):
        spec = json.loads(path.read_text(encoding="utf-8"))
        assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
        for where, key, value in walk(spec):
            assert key != "url", f"{path.name}{where}: data must be inline values"
            if key != "$schema" and isinstance(value, str):
                assert not value.startswith(("http:", "https:", "//")), f"{path.name}{where}/{key}: {value}"
        assert "values" in spec["data"], path.name
        assert spec["title"] and spec["description"], path.name


def test_specs_have_no_generated_names(real_site):
    """Altair names unnamed selections param_1, param_2 ... and datasets by hash: none may appear."""
    for path in all_specs(real_site):
        raw = path.read_text(encoding="utf-8")
        assert '"params"' not in raw and '"datasets"' not in raw and "param_" not in raw, path.name


def test_two_builds_give_byte_identical_charts(tmp_path):
    script = (
        "import hashlib, sys; from pathlib import Path; from generator.evidence.dataset import load; "
        "from generator.publish.context import SiteContext; from generator.publish.sections import gapmap, trends; "
        "ds = load(Path(sys.argv[1])); files = {**trends.produce(ds, SiteContext()), **gapmap.produce(ds, SiteContext())}; "
        "h = hashlib.sha256(); [h.update(k.encode() + (v if isinstance(v, bytes) else v.encode())) for k, v in sorted(files.items())]; "
        "print(len(files), h.hexdigest())"
    )
    runs = [subprocess.run([sys.executable, "-c", script, str(ROOT / "data")], capture_output=True, text=True, cwd=ROOT, check=True).stdout
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert int(runs[0].split()[0]) > 170


def test_vendor_bundle_is_published_and_not_linked_from_pages(real_site):
    bundle = (real_site / "assets" / "vendor" / "vega" / "vega-bundle.js").read_text(encoding="utf-8")
    assert "window.vegaEmbed" in bundle and len(bundle) > 500_000
    for rel in ("trends/index.html", "map/index.html", "methods/index.html"):
        assert "vega-bundle.js" not in (real_site / rel).read_text(encoding="utf-8")  # charts.js loads it where needed


# ------------------------------------------------------------------ the Trends page


def test_every_chart_on_trends_has_title_description_table_and_its_published_spec(real_site):
    doc = page(real_site, "trends/index.html")
    views = doc.xpath("//*[@data-em-chart]")
    names = [v.get("data-em-chart") for v in views]
    assert len(names) == len(set(names)) >= 15
    for view in views:
        name = view.get("data-em-chart")
        published = load(real_site, name)
        figure = view.getparent()
        assert not figure.xpath(".//script"), "Material's instant navigation would run a script block's JSON"
        inline = json.loads(figure.xpath(".//template")[0].text_content())
        assert inline == published, name
        assert view.get("aria-label") == published["title"]
        desc = doc.get_element_by_id(view.get("aria-describedby"))
        assert text(desc) == published["description"]
        assert view.get("data-em-base") == "../"
        table = figure.xpath(".//details/div/table")
        assert table and text(table[0].xpath("caption")[0]) == published["title"], name
        link = figure.xpath(".//a[contains(@href, '.vl.json')]")[0].get("href")
        assert link == f"../charts/{name}.vl.json"
        assert (real_site / "trends" / link).resolve().is_file()


def test_table_links_lead_to_explore_relative_to_the_page(real_site):
    doc = page(real_site, "trends/index.html")
    hrefs = doc.xpath("//div[@class='em-chart__table']//a/@href")
    assert hrefs and all(h.startswith("../explore/?") for h in hrefs)


# ------------------------------------------------------------------ one test per chart family


def test_studies_per_year_by_source_review_membership(real_site):
    """The per-year chart shows the two eras apart: studies in the source review's list and those added since."""
    spec = load(real_site, "per-year-by-source-review")
    expected = Counter((r["year"], t) for r in RECORDS for t in slugs(r, "source_review"))
    got = Counter()
    for d in values(spec):
        got[(d["year"], d["source_review"])] += d["count"]
        assert query(d["explore"]) == {"source_review": d["source_review"], "year": f"{d['year']}-{d['year']}"}
    assert got == expected
    assert {v for _, v in expected} == {"probable", "added-since"}
    assert sum(n for (_, v), n in expected.items() if v == "probable") == 102
    years = [r["year"] for r in RECORDS]
    assert encoding(spec)["x"]["scale"]["domain"] == list(range(min(years), max(years) + 1))


def test_task_over_time(real_site):
    spec = load(real_site, "task-over-time")
    got = Counter()
    for d in values(spec):
        got[(d["year"], d["task"])] += d["count"]
    expected = Counter((r["year"], t) for r in RECORDS for t in slugs(r, "task"))
    assert {k: v for k, v in got.items() if v} == expected


def test_studies_per_facet_value_sorted_with_not_reported_as_a_bar(real_site):
    charted = []
    for name, facet in FACETS.items():
        path = real_site / "charts" / f"by-{name.replace('_', '-')}.vl.json"
        if not path.is_file():
            assert not facet["multi"] and name not in ISSUE_FACETS, f"no chart for {name}"
            continue
        charted.append(name)
        spec = json.loads(path.read_text(encoding="utf-8"))
        expected = Counter(s for r in RECORDS for s in slugs(r, name))
        rows = values(spec)
        got = {d[name]: d["count"] for d in rows}
        assert {k: v for k, v in got.items() if v} == expected, name
        vocabulary = {str(v["value"]).lower() if isinstance(v["value"], bool) else v["value"] for v in facet["values"]}
        assert set(got) == vocabulary | set(expected), name  # values no study has are shown (as zero)
        if facet["multi"]:
            assert ("not-reported" in got) == any(not r.get(name) for r in RECORDS), name
        order = encoding(spec)["y"]["sort"]
        by_label = {d["label"]: d["count"] for d in rows}
        counts = [by_label[label] for label in order]
        assert counts == sorted(counts, reverse=True), name
        for d in rows:
            assert query(d["explore"]) == {name: d[name]}
            assert d["share"] == pytest.approx(d["count"] / len(RECORDS), abs=1e-4)
    assert set(ISSUE_FACETS) <= set(charted)
    assert {n for n, f in FACETS.items() if f["multi"]} <= set(charted)


def test_not_reported_is_its_own_grey_bar(real_site):
    spec = load(real_site, "by-tl-approach")
    missing = sum(1 for r in RECORDS if not r.get("tl_approach"))
    row = next(d for d in values(spec) if d["tl_approach"] == "not-reported")
    assert missing > 0 and row["count"] == missing and row["label"] == "Not reported" and row["kind"] == "not reported"


def _top(counter: Counter, shown: list[str]) -> None:
    """shown is a top-n of counter: nothing left out has more studies than anything shown."""
    assert len(shown) == min(15, len(counter))
    least = min(counter[n] for n in shown)
    assert all(counter[n] <= least for n in counter if n not in shown)


def test_top_datasets_and_architectures(real_site):
    spec = load(real_site, "top-datasets")
    per_study = [(set(r.get("source_datasets") or []), set(r.get("target_datasets") or [])) for r in RECORDS]
    totals = Counter(n for src, tgt in per_study for n in src | tgt)
    roles = Counter()
    for src, tgt in per_study:
        for n in src | tgt:
            roles[(n, "source and target" if n in src and n in tgt else "source only" if n in src else "target only")] += 1
    bars = [d for d in values(spec) if "count" in d]
    got = {d["dataset"]: d["count"] for d in bars}
    shown = list(got)
    _top(totals, shown)
    assert got == {n: totals[n] for n in shown}  # a bar is every study using the dataset, as its link opens
    for d in bars:  # the split by role is named in the tooltip
        assert d["roles"] == ", ".join(f"{r} {roles[(d['dataset'], r)]}" for r in ("source only", "source and target", "target only")
                                       if roles[(d["dataset"], r)])
    assert encoding(spec)["y"]["sort"] == sorted(shown, key=lambda n: -totals[n])
    assert all(query(d["explore"]) == {"dataset": d["dataset"]} for d in bars)

    spec = load(real_site, "top-architectures")
    counts = Counter(a for r in RECORDS for a in set(r.get("architectures") or []))
    got = {d["architecture"]: d["count"] for d in values(spec)}
    _top(counts, list(got))
    assert got == {a: counts[a] for a in got}
    assert all(query(d["explore"]) == {"architecture": d["architecture"]} for d in values(spec))


def test_tl_approach_over_time(real_site):
    spec = load(real_site, "tl-approach-over-time")
    expected = Counter((a, r["year"]) for r in RECORDS for a in slugs(r, "tl_approach"))
    got = {(d["tl_approach"], d["year"]): d["count"] for d in values(spec)}
    assert got == expected
    for d in values(spec):
        assert query(d["explore"]) == {"tl_approach": d["tl_approach"], "year": f"{d['year']}-{d['year']}"}


def test_share_that_compared_with_no_transfer_per_year(real_site):
    spec = load(real_site, "compared-with-no-transfer-share-per-year")
    per_year = Counter(r["year"] for r in RECORDS)
    compared = Counter(r["year"] for r in RECORDS if r.get("compared_with_no_transfer") is True)
    got = {(d["year"], d["compared_with_no_transfer"]): d for d in values(spec)}
    for year, n in per_year.items():
        yes = got.get((year, "true"))
        assert (yes["count"] if yes else 0) == compared[year]
        assert sum(d["count"] for (y, _), d in got.items() if y == year) == n
        if yes:
            assert yes["share"] == pytest.approx(compared[year] / n, abs=1e-4) and yes["year_total"] == n
    assert encoding(spec)["y"]["stack"] == "normalize"
    # The table's last column is the share that compared, per year.
    doc = page(real_site, "trends/index.html")
    for tr in doc.xpath("//div[@id='chart-compared-with-no-transfer-share-per-year']//tbody/tr"):
        year = int(text(tr[0]))
        if per_year[year]:
            assert text(tr[-1]) == f"{compared[year] / per_year[year]:.0%}"


def test_gap_map_defaults_come_from_review_yaml(real_site):
    spec = load(real_site, "gap-map")
    rows, columns = REVIEW["gap_map"]["rows"], REVIEW["gap_map"]["columns"]
    assert spec["usermeta"]["gap_map"]["rows"]["facet"] == rows
    assert spec["usermeta"]["gap_map"]["columns"]["facet"] == columns
    assert all({rows, columns, "count"} <= set(d) for d in values(spec))


# ------------------------------------------------------------------ edge cases and hostile text


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_datasets_give_valid_pages_and_specs(tmp_path, n):
    from conftest import make_data, record

    from generator.evidence.dataset import load as load_data
    from generator.publish.context import SiteContext
    from generator.publish.sections import gapmap, trends

    ds = load_data(make_data(tmp_path, [record()][:n]))
    files = {**trends.produce(ds, SiteContext()), **gapmap.produce(ds, SiteContext())}
    assert "trends/index.md" in files and "map/index.md" in files
    specs = {k: json.loads(v) for k, v in files.items() if k.endswith(".vl.json")}
    assert bool(specs) == bool(n)
    validator = jsonschema.Draft7Validator(SCHEMA)
    for name, spec in specs.items():
        assert not list(validator.iter_errors(spec)), name
    if n:
        assert values(specs["charts/gap-map.vl.json"]) and values(specs["charts/gap-map.vl.json"])[0]["count"] == 1


def test_hostile_record_text_stays_text_in_chart_pages(tmp_path_factory):
    from site_fixture import HOSTILE, fixture_site

    site = fixture_site(tmp_path_factory)
    for rel in ("trends/index.html", "map/index.html"):
        raw = (site / rel).read_text(encoding="utf-8")
        doc = page(site, rel)
        assert not doc.xpath("//img[@src='x']") and "<script>alert" not in raw, rel
        for tpl in doc.xpath("//template"):
            json.loads(tpl.text_content())  # still one JSON document
    datasets = load(site, "top-datasets")
    assert any(HOSTILE in d["dataset"] for d in values(datasets))
    table = page(site, "trends/index.html").xpath("//div[@id='chart-top-datasets']//tbody/tr/th")
    assert any(HOSTILE in text(th) for th in table)
    gap = load(site, "gap-map")
    assert any(HOSTILE in t for d in values(gap) for t in d["titles"])


def test_tl_approach_before_and_after_the_review_period(real_site):
    """Each approach's share of the studies up to 2020 and since 2021, largest rise first: the approaches
    added since the review (self-supervised pretraining, foundation models) show as rises."""
    spec = load(real_site, "tl-approach-before-after")
    before = [r for r in RECORDS if r["year"] <= 2020]
    after = [r for r in RECORDS if r["year"] > 2020]
    got = {(d["tl_approach"], d["period"]): (d["count"], d["period_total"]) for d in values(spec)}
    for period, group in (("up to 2020", before), ("since 2021", after)):
        counts = Counter(v for r in group for v in slugs(r, "tl_approach"))
        assert {v: n for (v, p), (n, _) in got.items() if p == period and n} == counts
        assert {t for (_, p), (_, t) in got.items() if p == period} == {len(group)}
    for d in values(spec):
        years = "-2020" if d["period"] == "up to 2020" else "2021-"
        assert query(d["explore"]) == {"tl_approach": d["tl_approach"], "year": years}

    def change(v):
        return got[(v, "since 2021")][0] / len(after) - got[(v, "up to 2020")][0] / len(before)

    order = encoding(spec)["y"]["sort"]
    shown = list(dict.fromkeys(d["tl_approach"] for d in values(spec)))
    assert [change(v) for v in shown] == sorted((change(v) for v in shown), reverse=True)
    assert len(order) == len(shown)
    assert got[("foundation-model", "up to 2020")][0] == 0 and got[("foundation-model", "since 2021")][0] == 5
    assert change("self-supervised-pretraining") > 0.1
