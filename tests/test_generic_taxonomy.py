"""Another review's map: the fixture under tests/fixtures/exercise-depression/ (exercise for
depression) has its own taxonomy, gap-map axes and site configuration. Built strictly through the
plugin, every page must follow it and no page may name a facet of the main map.

Expected values come from the fixture's YAML files, never from the generator."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import DATA, ROOT, built
from site_fixture import page, resolve, study_links, text

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "exercise-depression"
TAXONOMY = yaml.safe_load((FIXTURE / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
REVIEW = yaml.safe_load((FIXTURE / "data" / "review.yaml").read_text(encoding="utf-8"))
SITE = REVIEW["site"]
FACETS = {f["name"]: f for f in TAXONOMY["facets"]}
RECORDS = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((FIXTURE / "data" / "studies").glob("*.yaml"))]
MAIN_FACETS = yaml.safe_load((DATA / "taxonomy.yaml").read_text(encoding="utf-8"))["facets"]


def dashed(name: str) -> str:
    return name.replace("_", "-")


def label(name: str) -> str:
    return FACETS[name]["label"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture map in a project of its own: the repository's mkdocs.yml with the fixture's name."""
    project = tmp_path_factory.mktemp("exercise")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config |= {
        "site_name": REVIEW["map"]["short_title"], "site_description": REVIEW["map"]["description"],
        "repo_url": "https://github.com/example/exercise-map", "repo_name": "example/exercise-map",
        "site_url": "https://example.github.io/exercise-map/",
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (project / "docs").mkdir()
    shutil.copytree(FIXTURE / "data", project / "data")
    return built(project)


def chart_ids(doc: Any) -> list[str]:
    return [d.get("data-em-chart") for d in doc.xpath("//div[@data-em-chart]")]


def spec(site: Path, name: str) -> dict[str, Any]:
    return json.loads((site / "charts" / f"{name}.vl.json").read_text(encoding="utf-8"))


# --- every page -----------------------------------------------------------------------------------

def test_every_page_builds(site):
    pages = ["index.html", "explore/index.html", "map/index.html", "trends/index.html", "facets/index.html",
             "data/index.html", "methods/index.html", "contribute/index.html", "whats-new/index.html"]
    pages += [f"studies/{r['id']}/index.html" for r in RECORDS]
    pages += [f"facets/{name}/index.html" for name in FACETS]
    for rel in pages:
        assert (site / rel).is_file(), rel
        assert page(site, rel).xpath("//article//h1"), rel
    titles = {text(page(site, f"studies/{r['id']}/index.html").xpath("//article//h1")[0]).removesuffix("¶").strip() for r in RECORDS}
    assert titles == {r["title"] for r in RECORDS}


def test_home_follows_the_map_and_its_site_config(site):
    doc = page(site, "index.html")
    body = text(doc.xpath("//article")[0])
    assert REVIEW["map"]["title"] in body
    rows, columns = REVIEW["gap_map"]["rows"], REVIEW["gap_map"]["columns"]
    assert f"({label(rows).lower()} × {label(columns).lower()} by default)" in body
    expected = [f"per-year-by-{dashed(SITE['trends']['per_year_by'])}", *(f"by-{dashed(f)}" for f in SITE["home"]["facets"]), "gap-map"]
    assert chart_ids(doc) == expected


# --- gap map --------------------------------------------------------------------------------------

def test_gap_map_uses_the_fixture_axes_and_colour(site):
    gap = REVIEW["gap_map"]
    meta = spec(site, "gap-map")["usermeta"]["gap_map"]
    assert meta["rows"]["facet"] == gap["rows"] and meta["columns"]["facet"] == gap["columns"]
    assert meta["colour"] == f"{label(gap['colour'])}: Yes"
    assert [v["value"] for v in meta["rows"]["values"]] == [str(v["value"]) for v in FACETS[gap["rows"]]["values"]]
    cells = Counter((r_, c) for rec in RECORDS for r_ in rec[gap["rows"]] for c in rec[gap["columns"]])
    got = {(d[gap["rows"]], d[gap["columns"]]): d["count"] for d in spec(site, "gap-map")["data"]["values"]}
    assert got == cells
    doc = page(site, "map/index.html")
    selects = {s.get("name") or s.get("id"): [o.get("value") for o in s.xpath(".//option")] for s in doc.xpath("//select")}
    assert selects and all(opts == list(FACETS) for opts in selects.values())
    # Every other ordered pair of the fixture's facets has its spec, and no other pair.
    pairs = {p.name for p in (site / "charts" / "gap-map").iterdir()}
    assert pairs == {f"{a}--{b}.vl.json" for a in FACETS for b in FACETS if a != b}


# --- Trends ---------------------------------------------------------------------------------------

def test_trends_charts_follow_the_site_config(site):
    t = SITE["trends"]
    doc = page(site, "trends/index.html")
    over_time = [f"per-year-by-{dashed(t['per_year_by'])}", *(f"{dashed(f)}-over-time" for f in t["over_time"]),
                 *(f"{dashed(f)}-share-per-year" for f in t["share_per_year"])]
    by_category = [f"by-{dashed(f['name'])}" for f in TAXONOMY["facets"] if f["multi"] or f["name"] in t["single_facets"]]
    assert chart_ids(doc) == over_time + by_category  # site.lists is empty: no dataset or architecture charts
    headings = [text(h).removesuffix("¶").strip() for h in doc.xpath("//article//h2")]
    assert headings == ["Over time", "By category"]
    # The stacked per-year chart counts each study once per value of the configured facet.
    by = t["per_year_by"]
    got = {(d["year"], d[by]): d["count"] for d in spec(site, over_time[0])["data"]["values"]}
    assert got == Counter((r["year"], r[by]) for r in RECORDS)
    share = spec(site, over_time[-1])
    colour = t["share_per_year"][0]
    default = FACETS[colour].get("default")
    expected = Counter((r["year"], str(r.get(colour, default)).lower()) for r in RECORDS)
    assert {(d["year"], d[colour]): d["count"] for d in share["data"]["values"]} == expected


# --- Explore --------------------------------------------------------------------------------------

def test_explore_columns_follow_the_site_config(site):
    columns = SITE["explore"]["columns"]
    data = json.loads((site / "explore" / "studies.json").read_text(encoding="utf-8"))
    assert data["display"] == columns
    assert [f["name"] for f in data["facets"]] == list(FACETS)
    header = [text(th) for th in page(site, "explore/index.html").xpath("//table[contains(@class, 'em-explore__table')]//th")]
    assert header == ["Title", "Authors", "Year", "Venue", *(label(c) for c in columns), "Code"]


# --- study pages: related studies and the roles -----------------------------------------------------

def shared(a: dict[str, Any], b: dict[str, Any]) -> int:
    return sum(len(set(a[f]) & set(b[f])) for f in SITE["related"]["facets"])


def test_related_studies_use_the_configured_facets(site):
    by_id = {r["id"]: r for r in RECORDS}
    for rec in RECORDS:
        doc = page(site, f"studies/{rec['id']}/index.html")
        section = doc.xpath("//h2[starts-with(normalize-space(), 'Related studies')]/following-sibling::*[1]")
        assert text(section[0]) == f"Studies sharing the most {', '.join(label(f) for f in SITE['related']['facets'])} categories with this one."
        ids = study_links(doc.xpath("//h2[starts-with(normalize-space(), 'Related studies')]/following-sibling::ol[1]")[0],
                          f"studies/{rec['id']}/")
        others = sorted((o for o in RECORDS if o["id"] != rec["id"] and shared(rec, o)), key=lambda o: (-shared(rec, o), -o["year"], o["id"]))
        assert ids == [o["id"] for o in others[:5]]
        assert all(shared(rec, by_id[i]) for i in ids)


def test_publication_type_role_and_citation_kinds_set_citation_types(site):
    assert {r[SITE["roles"]["publication_type"]] for r in RECORDS} >= {"journal", "conference-abstract", "preprint"}
    role = SITE["roles"]["publication_type"]
    venue_tag = {"conference-paper": "citation_conference_title"}
    bib = (site / "data" / "studies.bib").read_text(encoding="utf-8")
    ris = (site / "data" / "studies.ris").read_text(encoding="utf-8")
    entry = {"journal-article": "article", "conference-paper": "inproceedings", "preprint": "misc"}
    ris_type = {"journal-article": "JOUR", "conference-paper": "CONF", "preprint": "UNPB"}
    for rec in RECORDS:
        kind = SITE["roles"]["citation_kinds"].get(rec[role], rec[role])
        doc = page(site, f"studies/{rec['id']}/index.html")
        assert doc.xpath("/html/head/meta[@name=$n]/@content", n=venue_tag.get(kind, "citation_journal_title")) == [rec["venue"]]
        value_label = next(v["label"] for v in FACETS[role]["values"] if v["value"] == rec[role])
        assert f"{rec['year']} · {value_label}" in text(doc.xpath("//p[contains(@class, 'em-byline')]")[0])
        assert f"@{entry[kind]}{{{rec['id']},\n" in bib
        assert re.search(rf"TY  - {ris_type[kind]}\nID  - {rec['id']}\n", ris)
        assert not doc.xpath("//h2[contains(., 'Datasets') or contains(., 'Architectures')]")  # site.lists is empty


def test_extracted_from_role_on_methods_and_contribute(site):
    role = SITE["roles"]["extracted_from"]
    methods = text(page(site, "methods/index.html").xpath("//article")[0])
    for v in FACETS[role]["values"]:
        n = sum(1 for r in RECORDS if r[role] == v["value"])
        assert f"{v['label']}: {n} record" in methods
    contribute = text(page(site, "contribute/index.html").xpath("//article")[0])
    assert f"set {role} to what you read (abstract or full-text)" in contribute


# --- nothing of the main map ----------------------------------------------------------------------

def foreign_terms() -> set[str]:
    """Names and labels of the main map's facets that the fixture does not have, and words of its topic."""
    ours = set(FACETS) | {f["label"] for f in FACETS.values()}
    theirs = {f["name"] for f in MAIN_FACETS} | {f["label"] for f in MAIN_FACETS}
    return (theirs - ours) | {"MRI", "brain", "Brain", "Transfer-learning approach", "transfer learning", "Transfer learning"}


OUTPUTS = ("*.html", "*.json", "*.csv", "*.bib", "*.ris", "*.xml", "*.txt")


def test_no_page_names_a_facet_the_taxonomy_does_not_have(site):
    assert {"tl_approach", "TL approach", "application", "Application", "MRI"} <= foreign_terms()
    pattern = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, foreign_terms()), key=len, reverse=True)) + r")(?![\w-])")
    mime = re.compile(r"application/[\w.+-]+")  # MIME types such as application/ld+json are not the facet
    hits = []
    for pattern_glob in OUTPUTS:
        for path in sorted(site.rglob(pattern_glob)):
            rel = path.relative_to(site).as_posix()
            if rel.startswith(("assets/", "search/")):
                continue  # third-party bundles and the theme's code; the search index repeats the pages
            content = mime.sub("", path.read_text(encoding="utf-8", errors="replace"))
            hits += [f"{rel}: {m.group(0)!r}" for m in pattern.finditer(content)]
    assert not hits, "\n".join(hits[:40])


def test_search_index_names_no_foreign_facet(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    words = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert not [t for t in foreign_terms() if re.search(rf"(?<![\w-]){re.escape(t)}(?![\w-])", words)]


def test_links_between_pages_resolve(site):
    """Facet and study links on the fixture's pages point at pages that exist."""
    for rel in ("index.html", "facets/index.html", "methods/index.html"):
        for a in page(site, rel).xpath("//article//a[@href]"):
            href = a.get("href")
            if href.startswith(("http", "#", "mailto:")) or "?" in href:
                continue
            target = resolve(rel.removesuffix("index.html"), href.split("#")[0])
            if target and not target.endswith((".json", ".csv", ".bib", ".ris", ".xml")):
                assert (site / target / "index.html").is_file() or (site / target).is_file(), (rel, href)


# --- without a site section: generic defaults -----------------------------------------------------

def test_without_a_site_section_the_defaults_name_no_facet(tmp_path):
    """review.yaml's site section may be left out: every chart, column and role then follows the
    taxonomy alone (every multi facet), nothing is looked up by name."""
    from generator.evidence.dataset import load
    from generator.publish import bibtex, charts
    from generator.publish.related import related_facets
    from generator.publish.sections import explore, home

    data = tmp_path / "data"
    shutil.copytree(FIXTURE / "data", data)
    review = dict(REVIEW)
    del review["site"]
    (data / "review.yaml").write_text(yaml.safe_dump(review, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ds = load(data)
    multi = [f["name"] for f in TAXONOMY["facets"] if f["multi"]]
    groups = dict(charts.chart_groups(ds))
    assert [c.name for c in groups["Over time"]] == ["per-year"]
    assert [c.name for c in groups["By category"]] == [f"by-{dashed(n)}" for n in multi]
    assert [c.name for c in groups["Datasets and architectures"]] == ["top-datasets", "top-architectures"]
    assert explore.explore_data(ds)["display"] == multi[:5]
    assert related_facets(ds.taxonomy, ds.review.site) == multi
    assert re.findall(r'data-em-chart="([^"]+)"', home.home_snippet(ds)) == ["per-year", "gap-map"]
    # No publication-type role: every BibTeX entry is @misc.
    assert all(e.startswith("@misc{") for e in bibtex.bibliography(ds.studies, ds.review.site.roles).split("\n\n"))
