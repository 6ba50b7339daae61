"""The search index holds what readers search for (titles, authors, summaries, datasets; categories
through their own pages) and grows only with the study pages, by one entry each, not with pages
that list or chart every study."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.conftest import DATA


def test_search_index_indexes_studies_not_listings(real_site):
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    locations = {d["location"].split("#")[0] for d in docs}
    for prefix in ("explore/", "whats-new/", "trends/", "map/", "data/"):
        assert not [loc for loc in locations if loc.startswith(prefix)], prefix
    # Facet values are found on their own pages (label and definition, not their lists of studies).
    facet_pages = {loc for loc in locations if loc.startswith("facets/")}
    assert facet_pages and all(re.fullmatch(r"facets/[a-z0-9_]+/[a-z0-9.-]+/", loc) for loc in facet_pages), facet_pages
    facet_docs = [d for d in docs if d["location"].startswith("facets/")]
    assert not [d for d in facet_docs if "studies/" in d["text"] or len(d["text"]) > 2000]
    assert any(d["title"] == "Application: Stroke" for d in facet_docs)
    records = [yaml.safe_load(p.read_text()) for p in sorted((DATA / "studies").glob("*.yaml"))]
    text = " ".join(d["title"] + " " + d["text"] for d in docs)
    for rec in records:
        assert f"studies/{rec['id']}/" in locations
        # one entry per study page (not one per section, each repeating the location and a heading)
        assert [d["location"] for d in docs if d["location"].split("#")[0] == f"studies/{rec['id']}/"] == [f"studies/{rec['id']}/"]
        # What a reader types must be found in this study's own entries: its title, every author's
        # family name, its whole summary, and the datasets and categories it names.
        own = " ".join(html.unescape(d["title"] + " " + d["text"]) for d in docs if d["location"].split("#")[0] == f"studies/{rec['id']}/")
        own = " ".join(own.split())
        assert " ".join(rec["title"].split()) in own, rec["id"]
        assert " ".join(rec["summary"].split()) in own, rec["id"]
        for author in rec["authors"]:
            assert author.split(",")[0].strip() in own, (rec["id"], author)
        for name in rec.get("source_datasets", []) + rec.get("target_datasets", []):
            assert name in own, (rec["id"], name)
    assert "@article{" not in text and "TY  -" not in text  # citation blocks are left out
    # Chart specifications (data that grows with the map) stay out too.
    assert '"$schema"' not in text and "explore/?" not in text
    per_study = len(json.dumps(index)) / len(records)
    assert per_study < 1500, per_study


def _unique(records: list[dict[str, Any]], words: Callable[[dict[str, Any]], list[str]]) -> tuple[dict[str, Any], str]:
    """A record and one of its words that no other record has anywhere (so a search for it must
    bring that study up)."""
    def everything(rec: dict[str, Any]) -> set[str]:
        text = " ".join([rec["title"], *rec["authors"], rec["summary"], rec.get("key_result") or "",
                         *rec.get("source_datasets", []), *rec.get("target_datasets", []), *rec.get("architectures", [])])
        return set(re.findall(r"[a-z0-9]+", text.lower()))
    seen: dict[str, int] = {}
    for rec in records:
        for w in everything(rec):
            seen[w] = seen.get(w, 0) + 1
    for rec in records:
        for w in words(rec):
            if re.fullmatch(r"[A-Za-z]{5,}", w) and seen.get(w.lower()) == 1:
                return rec, w
    raise AssertionError("no record has a word of its own")


@pytest.mark.browser
def test_material_search_finds_a_study_by_title_word_author_and_dataset(browser: Any, real_server: str) -> None:
    records = [yaml.safe_load(p.read_text()) for p in sorted((DATA / "studies").glob("*.yaml"))]
    queries = [
        _unique(records, lambda r: r["title"].split()),
        _unique(records, lambda r: [a.split(",")[0].strip() for a in r["authors"]]),
        _unique(records, lambda r: r.get("source_datasets", []) + r.get("target_datasets", [])),
    ]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(real_server)
        for rec, word in queries:
            box = page.locator("input.md-search__input")
            box.click()
            box.fill("")
            box.press_sequentially(word, delay=20)  # Material searches on key events, not on fill()
            want = f"/studies/{rec['id']}/"
            page.wait_for_function(
                "want => [...document.querySelectorAll('.md-search-result a')].some(a => new URL(a.href).pathname === want)",
                arg=want, timeout=15000)
            box.fill("")
            page.keyboard.press("Escape")
    finally:
        context.close()


def test_a_dirty_build_s_index_is_completed_with_the_pages_it_did_not_render():
    """`mkdocs serve --dirty` renders only changed pages, and Material indexes only those: the other
    pages keep the entries of the build that rendered them, in page order; gone pages drop out."""
    from generator.publish.searchindex import complete

    def entry(location: str, text: str) -> dict[str, str]:
        return {"location": location, "title": location, "text": text}

    first = {"config": {"lang": ["en"]}, "docs": [entry("", "home"), entry("studies/a/", "a"), entry("studies/b/", "b"),
                                                  entry("studies/b/#summary", "b summary"), entry("gone/", "gone")]}
    pages = ["", "studies/a/", "studies/b/", "gone/"]
    index, kept = complete(first, set(pages), pages, {})
    assert index == first  # a whole build is left as it is

    dirty = {"config": {"lang": ["en"]}, "docs": [entry("studies/b/", "b corrected"), entry("studies/c/", "c new")]}
    pages = ["", "studies/a/", "studies/b/", "studies/c/"]
    index, kept = complete(dirty, {"studies/b/", "studies/c/"}, pages, kept)
    assert index["config"] == dirty["config"]
    assert [(d["location"], d["text"]) for d in index["docs"]] == [
        ("", "home"), ("studies/a/", "a"), ("studies/b/", "b corrected"), ("studies/c/", "c new")]

    # a rendered page with no entries (now excluded from search) loses its old ones
    index, _ = complete({"docs": []}, {"studies/a/"}, pages, kept)
    assert [d["location"] for d in index["docs"]] == ["", "studies/b/", "studies/c/"]


def test_the_home_page_s_entries_have_an_empty_location():
    from generator.publish.searchindex import location

    assert location("./") == "" and location("studies/x/") == "studies/x/"
