"""Study pages: one per record, with its citation metadata in <head> (Highwire tags and schema.org
JSON-LD), every field, facet badges, BibTeX/RIS blocks, related studies and an edit link."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from conftest import DATA, make_data
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data
from site_fixture import (
    BY_ID,
    RECORDS,
    TAXONOMY,
    article,
    facet_slugs,
    fixture_site,
    heading,
    json_ld,
    meta,
    real_records,
    study_links,
    study_page,
    text,
)

from generator.evidence.dataset import load
from generator.publish.context import SiteContext
from generator.publish.sections.studies import produce

REPO = "https://github.com/tl-brain-mri/evidence-map"  # repo_url and edit_uri of mkdocs.yml
VENUE_TAG = {"journal-article": "citation_journal_title", "preprint": "citation_journal_title", "conference-paper": "citation_conference_title"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return fixture_site(tmp_path_factory)


@pytest.fixture(scope="module")
def fixture_ds(tmp_path_factory):
    return load(make_data(tmp_path_factory.mktemp("studies"), RECORDS))


def expected_related(rec: dict[str, Any], records: list[dict[str, Any]]) -> list[str]:
    """Up to five ids sharing the most application/tl_approach/source_domain values; ties: newer, then id."""
    def values(r: dict[str, Any]) -> set[tuple[str, str]]:
        return {(f, v) for f in ("application", "tl_approach", "source_domain") for v in r.get(f, [])}

    scored = [(len(values(rec) & values(o)), o) for o in records if o["id"] != rec["id"]]
    scored = [(n, o) for n, o in scored if n]
    scored.sort(key=lambda no: (-no[0], -no[1]["year"], no[1]["id"]))
    return [o["id"] for _, o in scored[:5]]


def check_head(doc, rec: dict[str, Any]) -> None:
    assert meta(doc, "citation_title") == [rec["title"]]
    assert meta(doc, "citation_author") == rec["authors"]
    assert meta(doc, "citation_publication_date") == [str(rec["year"])]
    assert meta(doc, VENUE_TAG[rec["publication_type"]]) == [rec["venue"]]
    assert meta(doc, "citation_doi") == ([rec["doi"]] if rec.get("doi") else [])
    [ld] = json_ld(doc)
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "ScholarlyArticle"
    assert ld["name"] == ld["headline"] == rec["title"]
    assert [a["name"] for a in ld["author"]] == rec["authors"]
    assert ld["datePublished"] == str(rec["year"])
    assert ld["isPartOf"]["name"] == rec["venue"]
    assert ld["description"] == rec["summary"]
    if rec.get("doi"):
        assert ld["identifier"]["value"] == rec["doi"]


def test_one_page_per_study_with_edit_path_front_matter(fixture_ds):
    files = produce(fixture_ds, SiteContext())
    assert sorted(files) == sorted(f"studies/{r['id']}.md" for r in RECORDS)
    for rec in RECORDS:
        _, fm = get_data(files[f"studies/{rec['id']}.md"])
        assert fm["edit_path"] == f"data/studies/{rec['id']}.yaml"
        assert fm["json_ld"]["name"] == rec["title"]


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1, max_size=60), venue=st.text(min_size=1, max_size=20))
def test_front_matter_keeps_any_text_exactly(fixture_ds, title, venue):
    """MkDocs drops a front matter block it cannot parse: whatever the text, it must parse to itself."""
    study = dataclasses.replace(fixture_ds.studies[0], title=title, venue=venue)
    fixture = dataclasses.replace(fixture_ds, studies=(study,))
    _, fm = get_data(produce(fixture, SiteContext())[f"studies/{study.id}.md"])
    assert fm["json_ld"]["name"] == title
    assert ["citation_title", title] in fm["citation_meta"]
    assert fm["json_ld"]["isPartOf"]["name"] == venue


def test_head_has_highwire_tags_and_json_ld(site):
    for rec in RECORDS:
        check_head(study_page(site, rec["id"]), rec)


def test_body_shows_every_field_with_links(site):
    rec = BY_ID["doe2020transfer"]
    doc = study_page(site, rec["id"])
    body = text(article(doc))
    assert heading(doc.xpath("//article//h1")[0]) == rec["title"]
    for value in [*rec["authors"], rec["venue"], str(rec["year"]), rec["summary"], rec["key_result"],
                  *rec["source_datasets"], *rec["target_datasets"], *rec["architectures"], rec["added"].isoformat()]:
        assert value in body
    hrefs = [a.get("href") for a in article(doc).xpath(".//a[@href]")]
    assert f"https://doi.org/{rec['doi']}" in hrefs
    assert rec["url"] in hrefs
    assert f"{REPO}/edit/main/data/studies/{rec['id']}.yaml" in hrefs
    code = BY_ID["roe2019stroke"]
    assert code["code_url"] in [a.get("href") for a in article(study_page(site, code["id"])).xpath(".//a[@href]")]


def test_every_facet_is_a_badge_linking_to_its_value_page(site):
    for rec in RECORDS:
        badges = {a.get("href") for a in study_page(site, rec["id"]).xpath("//article//a[contains(@class, 'em-badge')]")}
        expected = {f"../../facets/{f['name']}/{slug}/" for f in TAXONOMY["facets"] for slug in facet_slugs(rec, f)}
        assert badges == expected
        for href in badges:
            assert (site / "studies" / rec["id"] / href / "index.html").resolve().is_file()


def test_an_empty_multi_facet_shows_not_reported(site):
    doc = study_page(site, "poe2021glioma")
    [badge] = doc.xpath("//article//a[contains(@href, 'facets/tl_approach/')]")
    assert badge.get("href") == "../../facets/tl_approach/not-reported/" and text(badge) == "Not reported"


def test_bibtex_and_ris_blocks_parse_to_the_record(site):
    for rec in RECORDS:
        blocks = [c.text_content() for c in study_page(site, rec["id"]).xpath("//article//pre/code")]
        assert len(blocks) == 2
        lib = bibtexparser.parse_string(blocks[0])
        assert [e.key for e in lib.entries] == [rec["id"]] and lib.failed_blocks == []
        [entry] = rispy.loads(blocks[1])
        assert (entry["id"], entry["title"], entry["authors"]) == (rec["id"], rec["title"], rec["authors"])


def test_related_studies_share_the_most_categories(site):
    for rec in RECORDS:
        section = study_page(site, rec["id"]).xpath("//article//h2[@id='related-studies']/following-sibling::ol[1]")
        got = study_links(section[0], f"studies/{rec['id']}/") if section else []
        assert got == expected_related(rec, RECORDS), rec["id"]
    assert len(expected_related(BY_ID["doe2020transfer"], RECORDS)) == 5  # the limit is exercised


def test_study_pages_stay_small(site):
    """No list of all studies (nav or otherwise): a page grows with its own record, not the map."""
    chrome = (site / "404.html").stat().st_size
    for rec in RECORDS:
        doc_path = site / "studies" / rec["id"] / "index.html"
        own = (Path(site).parent / "data" / "studies" / f"{rec['id']}.yaml").stat().st_size
        assert doc_path.stat().st_size < chrome + 20_000 + 10 * own
        links = set(study_links(study_page(site, rec["id"]), f"studies/{rec['id']}/")) - {rec["id"]}
        assert links <= set(expected_related(rec, RECORDS))


def test_real_data_every_record_has_its_page_and_meta_tags(real_site):
    records = real_records()
    assert sorted(p.name for p in (real_site / "studies").iterdir()) == sorted(r["id"] for r in records)
    for rec in records:
        check_head(study_page(real_site, rec["id"]), rec)


def test_real_data_largest_study_page_stays_small(real_site):
    chrome = (real_site / "404.html").stat().st_size
    records = real_records()
    for rec in records:
        size = (real_site / "studies" / rec["id"] / "index.html").stat().st_size
        assert size < chrome + 20_000 + 10 * (DATA / "studies" / f"{rec['id']}.yaml").stat().st_size, rec["id"]
        assert len(set(study_links(study_page(real_site, rec["id"]), f"studies/{rec['id']}/")) - {rec["id"]}) <= 5
    biggest = max((real_site / "studies").glob("*/index.html"), key=lambda p: p.stat().st_size).parent.name
    rec = next(r for r in records if r["id"] == biggest)
    shown = set(expected_related(rec, records)) | {biggest}
    body = text(article(study_page(real_site, biggest)))
    assert [r["id"] for r in records if r["id"] not in shown and r["title"] in body] == []


HOSTILE_LINKS = [
    "https://example.org/[x](/autofocus/onfocus=alert(1)//)",
    'https://example.org/"><img src=x onerror=alert(1)>',
    "https://example.org/`x`<script>alert(1)</script>",
    "https://example.org/_a_*b*[c]: /x",
]


@pytest.mark.parametrize("hostile", HOSTILE_LINKS)
def test_a_link_field_cannot_become_markup_on_the_study_page(fixture_ds, hostile):
    """Even a link that slipped past validation stays one inert link once Markdown has run."""
    import lxml.html
    import markdown

    from generator.publish.sections.studies import page
    from generator.publish.urls import href

    study = dataclasses.replace(fixture_ds.studies[0], url=hostile, code_url=hostile, doi="10.1000/[x](/y onfocus=alert(1))")
    text_md = page(fixture_ds.taxonomy, fixture_ds.review.site, SiteContext(), study, [])
    body = text_md.split("---\n", 2)[2]
    html = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "pymdownx.superfences"])
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    assert not [a for el in tree.iter() if isinstance(el.tag, str) for a in el.attrib if a.lower().startswith("on") or a == "autofocus"]
    assert not tree.xpath("//script | //img")
    links = {a.text_content(): a.get("href") for a in tree.xpath('//div[@class="em-links"]//a')}
    assert links[hostile] == href(hostile)
    assert links["10.1000/[x](/y onfocus=alert(1))"].startswith("https://doi.org/10.1000/%5Bx%5D%28")


def test_about_this_record_shows_provenance_and_the_source_review_entry(real_site):
    """A record of the source review's list names its entry there; its verification note, including one
    saying the authors came from a bibliography or that the study is borderline, is shown as written."""
    about = {}
    for study_id in ("wang2019alzheimer", "chen2020generalization-pet", "kori2019zero"):
        doc = article(study_page(real_site, study_id))
        (ul,) = doc.xpath("//h2[starts-with(@id, 'about-this-record')]/following-sibling::ul[1]")
        about[study_id] = text(ul)
    assert ("In the source review's included list: entry wang2019alzheimer of the search record 2026-11-30-review-2021-included "
            "(Screening)") in about["wang2019alzheimer"]
    assert "Authors not seen on a public page: taken from the bibliography of the source review's first author." in about["wang2019alzheimer"]
    assert "How it was verified (the curator's provenance note):" in about["chen2020generalization-pet"]
    assert "this is PET/MRI rather than a pure brain-MRI study" in about["chen2020generalization-pet"]
    assert "entry chen2020generalization2 of the search record" in about["chen2020generalization-pet"]
    assert "re-verify (arXiv 1908.06213)" in about["kori2019zero"] and "source review's included list" not in about["kori2019zero"]
    link = article(study_page(real_site, "wang2019alzheimer")).xpath("//a[text()='Screening']/@href")
    assert link == ["../../screening/#src-review-2021-included-included"]
