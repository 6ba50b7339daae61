"""What's new: studies newest first grouped by month, an Atom feed that parses and never changes
unless the records do, and a link to the feed in every page's head."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import lxml.html
import pytest
import yaml
from conftest import DATA, built, make_data, make_project, record

from generator.evidence.dataset import load
from generator.publish.context import SiteContext
from generator.publish.sections.whatsnew import FEED, FEED_ENTRIES, produce

SITE = "https://maps.example.org/tl/"
ATOM = "{http://www.w3.org/2005/Atom}"
CTX = SiteContext(site_name="Test map", site_url=SITE, repo_url="https://github.com/o/r", edit_uri="edit/main/")


def studies(*specs: tuple[str, str, dt.date]) -> list[dict]:
    return [record(id=sid, title=title, added=added, doi=None) for sid, title, added in specs]


RECORDS = studies(
    ("old2019first", "An old study of gliomas", dt.date(2026, 1, 15)),
    ("mid2020second", "A middle study of strokes", dt.date(2026, 3, 2)),
    ("new2021third", "A new study of tumours", dt.date(2026, 3, 20)),
    ("new2021fourth", "Another study added the same day", dt.date(2026, 3, 20)),
)


@pytest.fixture
def files(tmp_path):
    return produce(load(make_data(tmp_path, RECORDS)), CTX)


def test_page_lists_studies_newest_first_grouped_by_month(files):
    page = files["whats-new/index.md"]
    headings = re.findall(r"^## (.+?) \{", page, re.M)
    assert headings == ["March 2026", "January 2026"]
    links = re.findall(r"\]\(\.\./studies/([a-z0-9-]+)\.md\)", page)
    # newest first; the two studies added the same day in id order
    assert links == ["new2021fourth", "new2021third", "mid2020second", "old2019first"]
    march, january = page.split("## March 2026")[1].split("## January 2026")
    assert "new2021third" in march and "mid2020second" in march and "old2019first" in january
    assert "20 March 2026" in march and "15 January 2026" in january
    assert march.count("20 March 2026") == 1  # one heading per day, its studies below it
    assert "3 studies added" in march and "1 study added" in january


def test_feed_is_valid_atom_with_absolute_links_newest_first(files):
    feed = feedparser.parse(files[FEED])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [e.link for e in feed.entries] == [f"{SITE}studies/{i}/" for i in ("new2021fourth", "new2021third", "mid2020second", "old2019first")]
    assert [e.id for e in feed.entries] == [e.link for e in feed.entries]
    assert feed.entries[0].title == "Another study added the same day"
    assert feed.entries[0].authors[0].name == "Doe, Jane"
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == [f"{SITE}feed.xml"]


def test_feed_dates_come_from_the_records_not_the_clock(files):
    root = ET.fromstring(files[FEED])
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.findtext(f"{ATOM}updated") == "2026-03-20T00:00:00+00:00"  # the latest `added`
    by_id = {r["id"]: r["added"].isoformat() for r in RECORDS}
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        sid = entry.findtext(f"{ATOM}id").rstrip("/").rsplit("/", 1)[1]
        assert entry.findtext(f"{ATOM}updated") == f"{by_id[sid]}T00:00:00+00:00"
        assert entry.findtext(f"{ATOM}published") == f"{by_id[sid]}T00:00:00+00:00"
    stamps = set(re.findall(rb"\d{4}-\d\d-\d\dT[\d:]+", files[FEED]))
    assert stamps == {f"{d}T00:00:00".encode() for d in set(by_id.values())}


def test_output_is_deterministic(tmp_path):
    first = produce(load(make_data(tmp_path / "a", RECORDS)), CTX)
    second = produce(load(make_data(tmp_path / "b", list(reversed(RECORDS)))), CTX)
    assert first == second


def test_feed_carries_the_most_recent_studies_only(tmp_path):
    # distinct titles: near-identical ones would be reported as likely duplicates
    many = studies(*[(f"s{i:03d}", hashlib.sha256(str(i).encode()).hexdigest(), dt.date(2025, 1, 1) + dt.timedelta(days=i)) for i in range(FEED_ENTRIES + 7)])
    files = produce(load(make_data(tmp_path, many)), CTX)
    feed = feedparser.parse(files[FEED])
    expected = [f"s{i:03d}" for i in range(FEED_ENTRIES + 6, 6, -1)]
    assert [e.link.rstrip("/").rsplit("/", 1)[1] for e in feed.entries] == expected
    assert len(re.findall(r"\]\(\.\./studies/", files["whats-new/index.md"])) == FEED_ENTRIES + 7


def test_feed_without_site_url_is_still_valid(tmp_path):
    files = produce(load(make_data(tmp_path, RECORDS)), SiteContext(site_name="Test map"))
    feed = feedparser.parse(files[FEED])
    assert not feed.bozo and feed.version == "atom10"
    assert feed.entries[0].id == "urn:evidence-map:study:new2021fourth"
    # relative to the feed, which sits at the site root (it said ../studies/, above the root)
    assert ET.fromstring(files[FEED]).find(f"{ATOM}entry/{ATOM}link").get("href") == "studies/new2021fourth/"


HOSTILE = '<script>alert(1)</script> *bold* [x](javascript:alert(2)) & `code`'


def test_record_values_are_escaped_on_the_page_and_in_the_feed(tmp_path):
    rec = record(id="evil2020title", title=HOSTILE, venue="Venue <b>x</b> _y_", added=dt.date(2026, 2, 1))
    site = built(make_project(tmp_path, [rec]))
    html = (site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    doc = lxml.html.fromstring(html)
    assert not doc.xpath('//a[starts-with(@href, "javascript")]')
    items = doc.xpath("//article//li")
    assert len(items) == 1
    link = items[0].xpath(".//a")[0]
    assert link.text_content() == HOSTILE
    assert link.get("href") == "../studies/evil2020title/"
    assert "Venue <b>x</b> _y_" in items[0].text_content()
    assert not items[0].xpath(".//b | .//strong | .//em[contains(., 'bold')] | .//script")
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title == HOSTILE


def test_real_site_has_the_page_the_feed_and_a_feed_link_in_every_head(real_site: Path):
    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (DATA / "studies").glob("*.yaml")]
    newest = max(r["added"] for r in records)
    feed = feedparser.parse((real_site / FEED).read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    assert len(feed.entries) == min(FEED_ENTRIES, len(records))
    assert feed.feed.updated.startswith(newest.isoformat())
    config = yaml.safe_load((DATA.parent / "mkdocs.yml").read_text(encoding="utf-8"))
    assert all(e.link.startswith(config["site_url"] + "studies/") for e in feed.entries)
    page = (real_site / "whats-new" / "index.html").read_text(encoding="utf-8")
    assert page.count('href="../studies/') >= len(records)
    pages = sorted(real_site.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        head = lxml.html.fromstring(path.read_bytes()).find("head")
        links = head.xpath('link[@rel="alternate"][@type="application/atom+xml"]')
        # a facet value's page also links its own feed, after the site feed (tests/publish/sections/test_facets.py)
        topic = path.parent.parent.parent.name == "facets" and path.parent.parent.name != "facets"
        assert len(links) == (2 if topic else 1), path
        href = links[0].get("href")
        if path.name == "404.html":  # served at any depth, so MkDocs links it from the site root
            assert href == urlparse(config["site_url"]).path + FEED
            continue
        assert (path.parent / href).resolve() == (real_site / FEED).resolve(), path
