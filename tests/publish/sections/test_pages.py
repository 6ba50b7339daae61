"""Home, Methods and Data: numbers computed from the records, entry points, the PRISMA flow,
category definitions, downloads and a data dictionary covering every field."""

from __future__ import annotations

import json
import re

import pytest
from site_fixture import RECORDS, REVIEW, TAXONOMY, article, fixture_site, page, real_records, resolve, text

from generator.evidence.records import json_schema
from generator.evidence.taxonomy import parse_taxonomy

DOWNLOADS = ("data/studies.csv", "data/studies.json", "data/studies.bib", "data/studies.ris", "data/study.schema.json")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return fixture_site(tmp_path_factory)


def links(doc, page_url: str) -> set[str]:
    return {resolve(page_url, a.get("href")) for a in article(doc).xpath(".//a[@href]")}


def stat_values(doc) -> dict[str, str]:
    return {text(s.xpath(".//*[@class='em-stat__label']")[0]): text(s.xpath(".//*[@class='em-stat__value']")[0])
            for s in doc.xpath("//*[@class='em-stat']")}


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_home_headline_numbers_come_from_the_records(which, site, request):
    records = RECORDS if which == "fixture" else real_records()
    built = site if which == "fixture" else request.getfixturevalue("real_site")
    stats = stat_values(page(built, "index.html"))
    years = [r["year"] for r in records]
    assert stats == {
        "studies": str(len(records)),
        "publication years": f"{min(years)}–{max(years)}",
        "last record added": max(r["added"] for r in records).isoformat(),
    }


def test_home_says_what_the_map_is_and_links_every_entry_point(site):
    doc = page(site, "index.html")
    assert " ".join(REVIEW["map"]["description"].split()) in text(article(doc))
    targets = links(doc, "")
    for target in ("explore/", "map/", "trends/", "facets/", "contribute/", "data/", "methods/"):
        assert target in targets
        assert (site / target / "index.html").is_file()


def test_home_keeps_a_place_for_the_key_charts(site):
    doc = page(site, "index.html")
    assert doc.xpath("//h2[@id='key-charts']")
    assert "<!-- key-charts -->" in (site / "index.html").read_text(encoding="utf-8")


def test_methods_cites_the_review_and_draws_the_prisma_flow(site):
    doc = page(site, "methods/index.html")
    review = REVIEW["source_review"]
    targets = links(doc, "methods/")
    assert f"https://doi.org/{review['doi']}" in targets
    assert f"https://arxiv.org/abs/{review['arxiv']}" in targets
    flow = doc.xpath("//figure[contains(@class, 'em-prisma')]")[0]
    numbers = [int(n) for n in re.findall(r"\d+", " ".join(text(x) for x in flow.xpath(".//*[@class='em-prisma__n']")))]
    screened, included = review["prisma"]["screened"], review["prisma"]["included"]
    end = review["year"] - 1
    within = sum(1 for r in RECORDS if r["year"] <= end)
    assert numbers == [screened, screened - included, included, len(RECORDS), within, len(RECORDS) - within]
    assert not flow.xpath(".//script | .//img")  # drawn in HTML/CSS


def test_methods_defines_every_category(site):
    body = text(article(page(site, "methods/index.html")))
    for f in TAXONOMY["facets"]:
        assert f["label"] in body and f["description"] in body
        for v in f["values"]:
            assert f"{v['label']}: {v['definition']}" in body


def test_data_page_links_every_download_and_the_files_exist(site):
    targets = links(page(site, "data/index.html"), "data/")
    for rel in DOWNLOADS:
        assert rel in targets
        assert (site / rel).is_file() and (site / rel).stat().st_size > 0
    records = json.loads((site / "data/studies.json").read_text(encoding="utf-8"))
    assert len(records) == len(RECORDS)


def test_data_dictionary_covers_every_field_and_value(site):
    doc = page(site, "data/index.html")
    schema = json_schema(parse_taxonomy(TAXONOMY))
    table = doc.xpath("//h2[@id='data-dictionary']/following-sibling::table[1]")[0]
    rows = {text(tr.xpath("./td")[0]): [text(td) for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")}
    assert set(rows) == set(schema["properties"])
    for name, cells in rows.items():
        assert cells[2] == ("yes" if name in schema["required"] else "no"), name
    assert rows["year"][1] == "whole number" and rows["authors"][1].startswith("list of")
    body = text(article(doc))
    for f in TAXONOMY["facets"]:
        for v in f["values"]:
            assert v["definition"] in body


def test_data_page_says_how_to_cite(site):
    doc = page(site, "data/index.html")
    section = text(article(doc)).split("How to cite", 1)[1]
    assert REVIEW["map"]["title"] in section
    assert REVIEW["source_review"]["doi"] in section
    assert max(r["added"] for r in RECORDS).isoformat() in section
