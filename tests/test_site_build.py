"""The whole site: record text renders as text everywhere, no page loads anything from another origin,
two builds of the same data are byte-identical, and the study pages work in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from conftest import built, make_project
from site_fixture import (
    BY_ID,
    HOSTILE,
    HOSTILE_LIST_FIELDS,
    HOSTILE_TEXT_FIELDS,
    RECORDS,
    article,
    fixture_site,
    heading,
    html_files,
    json_ld,
    meta,
    study_page,
    text,
)

from generator.publish.urls import href

EVIL = BY_ID["evil2022script"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return fixture_site(tmp_path_factory)


def test_hostile_record_never_becomes_markup_anywhere(site):
    """No script, element, attribute or Markdown emphasis comes out of record text, on any page."""
    files = html_files(site)
    assert len(files) > len(RECORDS)
    for path in files:
        doc = lxml.html.fromstring(path.read_bytes())
        for script in doc.iter("script"):
            if script.get("src"):
                continue
            if "json" in (script.get("type") or ""):
                json.loads(script.text or "null")  # data, and still valid JSON
            else:
                assert "alert(" not in (script.text or ""), path
        assert not doc.xpath("//*[@onerror or @onload or @onclick]"), path
        assert not doc.xpath("//img[@src='x']"), path
        assert not doc.xpath("//strong[normalize-space()='bold'] | //em[normalize-space()='u']"), path


def test_hostile_record_reads_back_exactly_on_its_page(site):
    doc = study_page(site, EVIL["id"])
    assert heading(article(doc).xpath(".//h1")[0]) == EVIL["title"]
    assert doc.xpath("/html/head/title")[0].text.startswith(EVIL["title"] + " - ")
    body = text(article(doc))
    for field in HOSTILE_TEXT_FIELDS:
        assert EVIL[field] in body, field
    for field in HOSTILE_LIST_FIELDS:
        for value in EVIL[field]:
            assert value in body, field
    assert meta(doc, "citation_title") == [EVIL["title"]]
    assert meta(doc, "citation_author") == EVIL["authors"]
    assert meta(doc, "citation_conference_title") == [EVIL["venue"]]
    [ld] = json_ld(doc)
    assert (ld["name"], [a["name"] for a in ld["author"]], ld["description"]) == (EVIL["title"], EVIL["authors"], EVIL["summary"])
    hrefs = {a.get("href") for a in article(doc).xpath(".//a[@href]")}
    # Links arrive whole: the same address, with what URLs must not hold raw ({ } | ^) percent-encoded.
    assert {href(EVIL["url"]), href(EVIL["code_url"])} <= hrefs
    assert unquote(href(EVIL["url"])) == unquote(EVIL["url"])
    assert HOSTILE.count("{") == 2  # the unbalanced brace is really there


def test_hostile_text_is_plain_text_on_listing_pages(site):
    doc = lxml.html.fromstring((site / "facets/application/brain-tumor/index.html").read_bytes())
    titles = [text(a) for a in article(doc).xpath(".//table//a")]
    assert EVIL["title"] in titles


OFF_ORIGIN_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",), "embed": ("src",),
    "object": ("data",), "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "image": ("href", "{http://www.w3.org/1999/xlink}href"), "use": ("href", "{http://www.w3.org/1999/xlink}href"),
}
LOADING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "icon", "shortcut", "apple-touch-icon", "manifest"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def off_origin(url: str) -> bool:
    url = url.strip()
    return bool(urlsplit(url).netloc) or url.startswith("//")


def resources(path: Path) -> list[str]:
    """Every URL a page would load by itself: scripts, styles, fonts, images, frames, preconnects."""
    doc = lxml.html.fromstring(path.read_bytes())
    out = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.rsplit("}", 1)[-1]
        for attr in OFF_ORIGIN_ATTRS.get(tag, ()):
            for value in (el.get(attr) or "").split(","):
                if value.strip():
                    out.append(value.strip().split()[0])
        if tag == "link" and LOADING_RELS & set((el.get("rel") or "").lower().split()):
            out.append(el.get("href") or "")
        if el.get("style"):
            out += [a or b for a, b in CSS_URL.findall(el.get("style"))]
        if tag == "style":
            out += [a or b for a, b in CSS_URL.findall(el.text or "")]
    return out


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_no_page_loads_anything_from_another_origin(which, site, request):
    built_site = site if which == "fixture" else request.getfixturevalue("real_site")
    offending = {}
    for path in html_files(built_site):
        bad = [u for u in resources(path) if off_origin(u)]
        if bad:
            offending[str(path.relative_to(built_site))] = bad
    for css in sorted(built_site.rglob("*.css")):
        bad = [a or b for a, b in CSS_URL.findall(css.read_text(encoding="utf-8")) if off_origin(a or b)]
        if bad:
            offending[str(css.relative_to(built_site))] = bad
    assert offending == {}


def test_the_origin_check_sees_a_cdn(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><style>@import "//fonts.example/f.css";</style>'
                    '</head><body><img srcset="a.png 1x, https://img.example/b.png 2x"><script src="js/ok.js"></script></body></html>')
    assert [u for u in resources(page) if off_origin(u)] == ["https://cdn.example/x.css", "//fonts.example/f.css", "https://img.example/b.png"]


def test_two_builds_of_the_same_data_are_byte_identical(tmp_path, site):
    """Built again from a different folder, on any day: every file, sitemap.xml.gz included (its gzip
    timestamp and the sitemap dates come from the newest record's `added`, not the build day)."""
    again = built(make_project(tmp_path / "again", RECORDS))
    first = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in sorted(again.rglob("*")) if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [str(p) for p in first if first[p] != second[p]] == []
    newest = max(r["added"] for r in RECORDS).isoformat()
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8"))) == {newest}


@pytest.mark.browser
def test_study_page_works_in_a_browser(watched, real_server):
    """Copy buttons on the BibTeX/RIS blocks, no console error, no request to another origin."""
    from site_fixture import real_records

    rec = real_records()[0]
    for rel in ("", "methods/", "data/", "facets/", "facets/application/", f"studies/{rec['id']}/"):
        watched.page.goto(real_server + rel)
        watched.page.wait_for_load_state("networkidle")
    assert watched.page.locator("article h1").inner_text().removesuffix("¶").strip() == rec["title"]
    assert watched.page.locator("article pre button[data-md-type='copy']").count() == 2  # Material's copy buttons
    assert watched.offsite == []
    assert watched.errors == []
