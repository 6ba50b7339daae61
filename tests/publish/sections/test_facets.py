"""Browse by facet: each value page lists exactly its studies (newest first, then by title) with its
count and definition; each facet has an index with every value and count; one page lists the facets."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from site_fixture import RECORDS, TAXONOMY, article, facet_slugs, fixture_site, heading, page, real_records, resolve, study_links, text

from generator.publish.sections.facets import produce


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return fixture_site(tmp_path_factory)


def expected_pages(records: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """(facet, slug) -> ids of its studies, by year (newest first) then title; every vocabulary value
    has a page, and 'not-reported' has one where a multi facet is empty in some record."""
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in TAXONOMY["facets"]:
        for v in f["values"]:
            out[(f["name"], str(v["value"]).lower() if isinstance(v["value"], bool) else v["value"])] = []
        for rec in records:
            for slug in facet_slugs(rec, f):
                out.setdefault((f["name"], slug), []).append(rec)
    return {k: [r["id"] for r in sorted(rs, key=lambda r: (-r["year"], r["title"]))] for k, rs in out.items()}


def listed(site, facet: str, slug: str) -> list[str]:
    doc = page(site, f"facets/{facet}/{slug}/index.html")
    tables = article(doc).xpath(".//table")
    return study_links(tables[0], f"facets/{facet}/{slug}/") if tables else []


def test_every_value_page_lists_exactly_its_studies_in_order(site):
    expected = expected_pages(RECORDS)
    assert ("tl_approach", "not-reported") in expected  # the fixture exercises empty multi facets
    for (facet, slug), ids in expected.items():
        assert listed(site, facet, slug) == ids, (facet, slug)
    made = {(p.parent.parent.name, p.parent.name) for p in (site / "facets").glob("*/*/index.html")}
    assert made == set(expected)


def test_value_page_shows_label_definition_count_and_explore_link(site):
    for f in TAXONOMY["facets"]:
        for v in f["values"]:
            slug = str(v["value"]).lower() if isinstance(v["value"], bool) else v["value"]
            doc = page(site, f"facets/{f['name']}/{slug}/index.html")
            body = text(article(doc))
            n = len(expected_pages(RECORDS)[(f["name"], slug)])
            assert heading(article(doc).xpath(".//h1")[0]) == f"{f['label']}: {v['label']}"
            assert v["definition"] in body
            assert f"{n} of {len(RECORDS)} stud" in body
            explore = [resolve(f"facets/{f['name']}/{slug}/", a.get("href")) for a in article(doc).xpath(".//a[@href]")]
            explore = [h for h in explore if h.startswith("explore/")]
            if n:
                assert [parse_qs(urlsplit(h).query) for h in explore] == [{f["name"]: [slug]}]


def test_not_reported_page_lists_the_studies_with_an_empty_facet(site):
    ids = listed(site, "tl_approach", "not-reported")
    assert ids == [r["id"] for r in RECORDS if r["tl_approach"] == []]
    assert not (site / "facets" / "task" / "not-reported").exists()  # every record has a task


def test_study_rows_show_title_first_author_and_year(site):
    doc = page(site, "facets/application/stroke/index.html")
    [row] = article(doc).xpath(".//table/tbody/tr")
    rec = next(r for r in RECORDS if r["id"] == "roe2019stroke")
    cells = [text(td) for td in row.xpath("./td")]
    assert cells[0] == rec["title"] and rec["authors"][0] in cells[1] and cells[2] == str(rec["year"])


def test_facet_index_has_every_value_with_its_count(site):
    expected = expected_pages(RECORDS)
    for f in TAXONOMY["facets"]:
        doc = page(site, f"facets/{f['name']}/index.html")
        rows = article(doc).xpath(".//table/tbody/tr")
        got = {}
        for row in rows:
            href = row.xpath(".//a/@href")[0]
            got[resolve(f"facets/{f['name']}/", href)] = int(text(row.xpath("./td")[-1]))
        assert got == {f"facets/{name}/{slug}/": len(ids) for (name, slug), ids in expected.items() if name == f["name"]}


def test_facets_index_links_every_facet(site):
    doc = page(site, "facets/index.html")
    targets = {resolve("facets/", h) for h in article(doc).xpath(".//h2/a[not(@class='headerlink')]/@href")}
    assert targets == {f"facets/{f['name']}/" for f in TAXONOMY["facets"]}


def test_facet_pages_are_produced_for_an_empty_map(tmp_path):
    """A taxonomy with no studies yet still gets its pages (every value an evidence gap)."""
    from conftest import make_data

    from generator.evidence.dataset import load
    from generator.publish.context import SiteContext

    files = produce(load(make_data(tmp_path, [])), SiteContext())
    assert "facets/index.md" in files
    assert all(f"facets/{f['name']}/index.md" in files for f in TAXONOMY["facets"])


def test_real_data_value_pages_list_the_right_studies(real_site):
    for (facet, slug), ids in expected_pages(real_records()).items():
        assert listed(real_site, facet, slug) == ids, (facet, slug)


# --- a feed per facet value --------------------------------------------------------------------


def test_each_value_page_links_its_own_feed_in_head_and_body(site):
    doc = page(site, "facets/application/brain-tumor/index.html")
    links = doc.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    hrefs = [resolve("facets/application/brain-tumor/", link.get("href")) for link in links]
    assert hrefs == ["feed.xml", "feed-application-brain-tumor.xml"]  # beside the site feed
    assert links[1].get("title").endswith("new studies, Application: Brain tumour")
    body = [resolve("facets/application/brain-tumor/", a.get("href")) for a in article(doc).xpath(".//a[@type='application/atom+xml']")]
    assert body == ["feed-application-brain-tumor.xml"]


@pytest.mark.parametrize(("facet", "slug"), [("application", "brain-tumor"), ("application", "stroke"), ("tl_approach", "not-reported"),
                                             ("brain_mri_specific", "true")])
def test_a_value_feed_is_valid_atom_and_lists_only_its_newest_studies(site, facet, slug):
    import datetime as dt

    import feedparser

    from generator.publish.feeds import FACET_FEED_ENTRIES

    raw = (site / f"feed-{facet}-{slug}.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    f = next(f for f in TAXONOMY["facets"] if f["name"] == facet)
    mine = sorted(sorted((r for r in RECORDS if slug in facet_slugs(r, f)), key=lambda r: r["id"]), key=lambda r: r["added"], reverse=True)
    assert [e.link.rsplit("/", 2)[-2] for e in feed.entries] == [r["id"] for r in mine[:FACET_FEED_ENTRIES]]
    assert [e.updated[:10] for e in feed.entries] == [r["added"].isoformat() for r in mine[:FACET_FEED_ENTRIES]]
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries)
    newest = max((r["added"] for r in mine), default=dt.date(1970, 1, 1))
    assert feed.feed.updated.startswith(newest.isoformat())


def test_feed_ids_are_stable_and_follow_the_study_not_the_feed(site):
    import feedparser

    a = {e.link: e.id for e in feedparser.parse((site / "feed-application-brain-tumor.xml").read_bytes()).entries}
    b = {e.link: e.id for e in feedparser.parse((site / "feed-task-segmentation.xml").read_bytes()).entries}
    shared = a.keys() & b.keys()
    assert shared and all(a[k] == b[k] for k in shared)
    assert len(set(a.values())) == len(a)
