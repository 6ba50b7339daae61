"""Explore, built: the data the page filters (studies.json, studies-ris.json), the plain table whose
pages list every study without JavaScript, escaping, and the vendored DataTables bundle.

Expected values come from the YAML records and taxonomy.yaml, read here, not from the generator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import itables
import lxml.html
import markdown
import pytest
import rispy
from conftest import make_data, record
from mkdocs.utils.meta import get_data
from site_fixture import (
    BY_ID,
    HOSTILE,
    RECORDS,
    TAXONOMY,
    facet_slugs,
    fixture_site,
    page,
    real_records,
    resolve,
    text,
)

from generator.evidence.dataset import load
from generator.publish import table, urls
from generator.publish.context import SiteContext
from generator.publish.sections import explore

ROOT = Path(__file__).resolve().parents[3]
FACETS = TAXONOMY["facets"]
COLUMNS = ["Title", "Authors", "Year", "Venue", "Task", "Application", "TL approach", "Source domain", "MRI modality", "Code"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_site(tmp_path_factory)


def read_json(site: Path, rel: str) -> Any:
    return json.loads((site / rel).read_text(encoding="utf-8"))


def slug_label(facet: dict[str, Any], slug: str) -> str:
    if slug == "not-reported":
        return "Not reported"
    return next(v["label"] for v in facet["values"] if str(v["value"]).lower() == slug or v["value"] == slug)


# --- the data the page filters ----------------------------------------------------------------------

def test_data_has_every_facet_of_the_taxonomy_with_its_vocabulary(real_site: Path) -> None:
    data = read_json(real_site, "explore/studies.json")
    assert [f["name"] for f in data["facets"]] == [f["name"] for f in FACETS]
    for got, facet in zip(data["facets"], FACETS, strict=True):
        expected = [[str(v["value"]).lower() if isinstance(v["value"], bool) else v["value"], v["label"]] for v in facet["values"]]
        if facet["multi"]:
            expected.append(["not-reported", "Not reported"])  # empty multi facets can be filtered to
        assert got["values"] == expected
        assert got["label"] == facet["label"] and got["multi"] == facet["multi"]


def test_data_holds_every_record_with_its_facet_values_and_page(real_site: Path) -> None:
    data = read_json(real_site, "explore/studies.json")
    records = {r["id"]: r for r in real_records()}
    assert sorted(s["id"] for s in data["studies"]) == sorted(records)
    col = {c: i for i, c in enumerate(data["columns"])}
    for s in data["studies"]:
        rec = records[s["id"]]
        for fi, facet in enumerate(FACETS):
            slugs = [data["facets"][fi]["values"][i][0] for i in s["f"][fi]]
            assert slugs == facet_slugs(rec, facet), (s["id"], facet["name"])
        assert s["row"][col["title"]] == rec["title"]
        assert s["row"][col["year"]] == rec["year"]
        assert s["row"][col["code_url"]] == (rec.get("code_url") or "")
        assert (real_site / resolve("explore/", data["study_base"] + s["id"] + "/") / "index.html").is_file()
        assert s["authors"] == rec["authors"][0].split(",")[0] + (" et al." if len(rec["authors"]) > 1 or rec.get("authors_truncated") else "")


def test_data_names_each_study_s_datasets_and_architectures_exactly(real_site: Path, site: Path) -> None:
    """The dataset= and architecture= filters read these: exact names (hostile ones too), once each."""
    for built_site, records in ((real_site, {r["id"]: r for r in real_records()}), (site, BY_ID)):
        data = read_json(built_site, "explore/studies.json")
        for key in ("datasets", "architectures"):
            assert len(set(data[key])) == len(data[key])
        assert set(data["datasets"]) == {n for r in records.values() for n in r.get("source_datasets", []) + r.get("target_datasets", [])}
        assert set(data["architectures"]) == {n for r in records.values() for n in r.get("architectures", [])}
        for s in data["studies"]:
            rec = records[s["id"]]
            assert {data["datasets"][i] for i in s["d"]} == set(rec.get("source_datasets", []) + rec.get("target_datasets", []))
            assert {data["architectures"][i] for i in s["a"]} == set(rec.get("architectures", []))
            assert s["d"] == sorted(set(s["d"])) and s["a"] == sorted(set(s["a"]))


@pytest.mark.parametrize(("filters", "url"), [
    ({}, "explore/"),
    ({"dataset": ["ADNI"]}, "explore/?dataset=ADNI"),
    # Each name encoded on its own (encodeURIComponent's way), then joined: the comma inside is %2C.
    ({"dataset": ["Köln, 3T & mehr", "BraTS 2018"]}, "explore/?dataset=K%C3%B6ln%2C%203T%20%26%20mehr,BraTS%202018"),
    ({"architecture": ["U-Net (3D)/v2+"]}, "explore/?architecture=U-Net%20%283D%29%2Fv2%2B"),
    ({"application": ["brain-tumor", "stroke"], "dimensionality": ["2.5d"], "year": "2015-2020", "q": "transfer learning"},
     "explore/?application=brain-tumor,stroke&dimensionality=2.5d&year=2015-2020&q=transfer%20learning"),
    ({"dataset": [], "q": ""}, "explore/"),
])
def test_explore_url_encodes_each_name(filters: dict[str, Any], url: str) -> None:
    assert urls.explore_url(filters) == url


def test_rows_are_the_data_page_csv_columns(real_site: Path) -> None:
    """The filtered CSV is built from these rows: the columns and values of table.py (the Data page's CSV)."""
    ds = load(ROOT / "data")
    data = read_json(real_site, "explore/studies.json")
    assert data["columns"] == table.columns(ds.taxonomy)
    by_id = {s.id: s for s in ds.studies}
    # studies.json holds the shown columns (the rest null); studies-rows.json, fetched for the text
    # search and the CSV, holds whole rows in the same order.
    assert data["rows"] == "studies-rows.json"
    rows = read_json(real_site, "explore/studies-rows.json")
    assert len(rows) == len(data["studies"])
    for s, row in zip(data["studies"], rows, strict=True):
        full = list(table.row(by_id[s["id"]], ds.taxonomy).values())
        assert row == full
        assert s["row"] == [v if c in ("title", "year", "venue", "code_url") else None for c, v in zip(data["columns"], full, strict=True)]
    assert data["search"] == ["title", "authors", "summary", "source_datasets", "target_datasets", "architectures"]
    assert data["display"] == ["task", "application", "tl_approach", "source_domain", "mri_modality"]


def test_ris_records_line_up_with_the_studies(real_site: Path) -> None:
    data = read_json(real_site, "explore/studies.json")
    ris = read_json(real_site, "explore/studies-ris.json")
    assert len(ris) == len(data["studies"])
    records = {r["id"]: r for r in real_records()}
    for study, text_ in zip(data["studies"], ris, strict=True):
        [entry] = rispy.loads(text_)
        rec = records[study["id"]]
        assert entry["id"] == rec["id"]
        assert entry["title"] == " ".join(rec["title"].split())
        assert entry["authors"] == rec["authors"]
        assert entry["year"] == str(rec["year"])


# --- the page without JavaScript ----------------------------------------------------------------------

def plain_rows(site: Path, page_url: str = "explore/") -> list[Any]:
    doc = page(site, page_url + "index.html")
    [tbl] = doc.xpath("//div[contains(@class,'em-explore__static')]//table")
    assert [text(th) for th in tbl.xpath(".//thead//th")] == COLUMNS
    return tbl.xpath(".//tbody/tr")


def paged_rows(site: Path) -> list[tuple[str, Any]]:
    """The plain list page by page, following each page's Next link from Explore: (page URL, row)."""
    out: list[tuple[str, Any]] = []
    url: str | None = "explore/"
    seen: list[str] = []
    while url is not None:
        assert url not in seen, url
        seen.append(url)
        rows = plain_rows(site, url)
        assert 0 < len(rows) <= explore.PAGE_SIZE
        out += [(url, tr) for tr in rows]
        nxt = page(site, url + "index.html").xpath("//nav[contains(@class,'em-explore__pages')]//a[@rel='next']")
        url = resolve(url, nxt[0].get("href")) if nxt else None
    # every page but the last is full; the pages are page/2/, page/3/, ...
    assert seen == ["explore/"] + [f"explore/page/{n}/" for n in range(2, len(seen) + 1)]
    assert len(out) > (len(seen) - 1) * explore.PAGE_SIZE - 1 and len(out) <= len(seen) * explore.PAGE_SIZE
    return out


def test_plain_pages_list_every_study_once_in_order_with_a_link_to_its_page(real_site: Path) -> None:
    records = {r["id"]: r for r in real_records()}
    rows = paged_rows(real_site)
    assert len(records) > explore.PAGE_SIZE  # the shipped map has more than one page
    assert len(plain_rows(real_site)) == explore.PAGE_SIZE  # Explore itself shows only the first
    assert len(rows) == len(records)
    seen = []
    for url, tr in rows:
        [a] = tr.xpath("./td[1]/a")
        target = resolve(url, a.get("href"))
        sid = target.removeprefix("studies/").strip("/")
        assert (real_site / target / "index.html").is_file()
        assert text(a) == " ".join(records[sid]["title"].split())
        cells = [text(td) for td in tr.xpath("./td")]
        assert cells[2] == str(records[sid]["year"])
        by_name = {f["name"]: f for f in FACETS}
        for i, name in enumerate(["task", "application", "tl_approach", "source_domain", "mri_modality"], start=4):
            assert cells[i] == ", ".join(slug_label(by_name[name], s) for s in facet_slugs(records[sid], by_name[name]))
        seen.append(sid)
    assert sorted(seen) == sorted(records)  # each study exactly once
    # in the order of studies.json (newest first, then first author and title), across the pages
    assert seen == [s["id"] for s in read_json(real_site, "explore/studies.json")["studies"]]
    years = [int(text(tr.xpath("./td[3]")[0])) for _url, tr in rows]
    assert years == sorted(years, reverse=True)  # newest first


def test_further_pages_are_out_of_the_nav_and_the_search_index(real_site: Path) -> None:
    doc = page(real_site, "explore/page/2/index.html")
    nav_links = {resolve("explore/page/2/", a.get("href")) for a in doc.xpath("//nav[contains(@class,'md-nav')]//a[@href]")}
    assert "explore/page/2/" not in nav_links and "explore/" in nav_links
    [back] = [a for a in doc.xpath("//article//p/a") if text(a) == "Explore"]
    assert resolve("explore/page/2/", back.get("href")) == "explore/"
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith("explore/")]
    pages = [a for a in doc.xpath("//nav[contains(@class,'em-explore__pages')]//a")]
    assert [a.get("aria-current") for a in pages if text(a) == "2"] == ["page"]


def test_page_shows_the_total_in_the_result_count_element(real_site: Path) -> None:
    doc = page(real_site, "explore/index.html")
    [count] = doc.xpath("//*[@data-result-count]")
    assert count.text_content() == str(len(real_records()))
    [root] = doc.xpath("//*[@data-em-explore]")
    assert (real_site / "explore" / root.get("data-src")).is_file()
    assert (real_site / "explore" / root.get("data-ris")).is_file()
    # The table is left out of the search index (each study has its own page there).
    assert "data-search-exclude" in doc.xpath("//div[contains(@class,'em-explore__static')]")[0].attrib


def test_hostile_values_are_escaped_everywhere(site: Path) -> None:
    html = (site / "explore" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    rows = plain_rows(site)
    assert len(rows) == len(RECORDS) <= explore.PAGE_SIZE
    assert not page(site, "explore/index.html").xpath("//nav[contains(@class,'em-explore__pages')]")  # one page only
    evil = next(tr for tr in rows if "evil2022script" in tr.xpath("./td[1]/a")[0].get("href"))
    assert text(evil.xpath("./td[1]/a")[0]) == " ".join(BY_ID["evil2022script"]["title"].split())
    assert text(evil.xpath("./td[4]")[0]) == " ".join(BY_ID["evil2022script"]["venue"].split())
    assert not evil.xpath(".//strong | .//em | .//img | .//script")  # no Markdown or HTML came alive
    [code] = evil.xpath("./td[10]/a")
    assert code.get("href") == urls.href(BY_ID["evil2022script"]["code_url"])  # percent-encoded: inert
    data = read_json(site, "explore/studies.json")
    col = {c: i for i, c in enumerate(data["columns"])}
    [s] = [s for s in data["studies"] if s["id"] == "evil2022script"]
    assert s["row"][col["title"]] == BY_ID["evil2022script"]["title"]
    assert HOSTILE in read_json(site, "explore/studies-rows.json")[data["studies"].index(s)][col["summary"]]
    [entry] = rispy.loads(read_json(site, "explore/studies-ris.json")[data["studies"].index(s)])
    assert entry["id"] == "evil2022script"  # a newline or tag inside a value cannot end the record


# --- assets -------------------------------------------------------------------------------------------

def test_datatables_bundle_is_copied_from_the_itables_package(real_site: Path) -> None:
    src = Path(itables.__file__).parent / "html"
    for name in ("dt_bundle.js", "dt_bundle.css"):
        assert (real_site / "assets/vendor/datatables" / name).read_bytes() == (src / name).read_bytes()
    bundle = (real_site / "assets/vendor/datatables/dt_bundle.js").read_text(encoding="utf-8")
    assert "SearchPanes" in bundle and "DataTables 2" in bundle  # the version the glue is written for
    html = (real_site / "explore" / "index.html").read_text(encoding="utf-8")
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_produce_is_deterministic_and_ignores_record_order(tmp_path: Path) -> None:
    ds = load(ROOT / "data")
    first = explore.produce(ds, SiteContext())
    shuffled = type(ds)(ds.taxonomy, ds.review, tuple(reversed(ds.studies)), ds.root)
    assert explore.produce(shuffled, SiteContext()) == first
    pages = {explore.page_file(n) for n in range(1, -(-len(ds.studies) // explore.PAGE_SIZE) + 1)}
    assert len(pages) > 1 and "explore/page/2/index.md" in pages
    assert set(first) == pages | {
        "explore/studies.json", "explore/studies-rows.json", "explore/studies-ris.json",
        "assets/vendor/datatables/dt_bundle.js", "assets/vendor/datatables/dt_bundle.css", "assets/vendor/datatables/NOTICE.txt",
    }


def test_no_record_value_can_end_the_html_block(tmp_path: Path) -> None:
    """A blank line inside raw HTML would end the block and let Markdown loose on the rest."""
    title = "First line\n\nsecond **bold** [link](x) <b>tag</b>"
    data = make_data(tmp_path, [record(), record(id="roe2019lines", title=title, doi=None, venue="V\n\n# Heading")])
    source, _meta = get_data(explore.page(load(data)))
    html = markdown.markdown(source, extensions=["attr_list", "md_in_html", "tables"])
    assert "<strong>" not in html and "<h1>Heading" not in html and "<b>" not in html
    rows = lxml.html.fromstring(html).xpath("//table//tbody/tr")
    assert len(rows) == 2
    cells = {text(r.xpath("./td[1]/a")[0]): text(r.xpath("./td[4]")[0]) for r in rows}
    assert cells["First line second **bold** [link](x) <b>tag</b>"] == "V # Heading"


def test_the_approaches_added_since_the_review_are_filters_charts_and_gap_map_values():
    """The tl_approach values added for studies since 2021 have definitions and reach every view."""
    from conftest import DATA

    from generator.evidence.dataset import load
    from generator.publish import charts, frame, gapmatrix
    from generator.publish.sections.explore import explore_data

    ds = load(DATA)
    added = ["self-supervised-pretraining", "foundation-model", "source-free-adaptation", "federated-learning"]
    facet = ds.taxonomy["tl_approach"]
    assert all(facet.by_slug[v].definition for v in added)
    (filt,) = [f for f in explore_data(ds)["facets"] if f["name"] == "tl_approach"]
    assert set(added) <= {slug for slug, _ in filt["values"]}
    df = frame.studies(ds)
    chart = charts.per_facet_value(ds, df, facet)
    assert all(any(row[0].text == facet.label_of(v) and int(row[1].text) > 0 for row in chart.table.rows) for v in added)
    gm = gapmatrix.matrix(ds, gapmatrix.studies(ds, df), ds.taxonomy["application"], facet)
    assert set(added) <= {v["value"] for v in gm.spec["usermeta"]["gap_map"]["columns"]["values"]}
