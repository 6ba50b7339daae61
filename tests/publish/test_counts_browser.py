"""Every count the site shows opens a list of exactly that many studies.

The counts come from Python (charts, gap matrix, facet pages); the lists from Explore's filter core
(explore-core.js), run here in the browser on the site's own studies.json. So each side is the
shipped code, and a bar that says 4 but opens 17 studies fails."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

CORE = ROOT / "generator" / "assets" / "explore-core.js"

COUNT_ALL = """([data, queries]) => {
  const E = window.EvidenceExplore;
  const model = E.buildModel(data);
  return queries.map((q) => E.evaluate(model, E.parseState(model, q)).total);
}"""


def _datums(node: Any) -> Iterator[dict[str, Any]]:
    """Every inline data row of a Vega-Lite spec (top level, layers, nested data)."""
    if isinstance(node, dict):
        values = node.get("data", {}).get("values") if isinstance(node.get("data"), dict) else None
        for row in values or []:
            if isinstance(row, dict):
                yield row
        for key, value in node.items():
            if key != "data":
                yield from _datums(value)
    elif isinstance(node, list):
        for item in node:
            yield from _datums(item)


def _query(href: str) -> str:
    return "?" + urlsplit(href).query


def spec_counts(site: Path) -> list[tuple[str, int, str]]:
    """(query, count, where) for every mark that links to Explore, in every published chart spec."""
    out = []
    for path in sorted((site / "charts").rglob("*.vl.json")):
        for row in _datums(json.loads(path.read_text(encoding="utf-8"))):
            if "explore" in row and "count" in row:
                out.append((_query(row["explore"]), int(row["count"]), f"{path.relative_to(site)}: {row}"))
    return out


def table_counts(site: Path) -> list[tuple[str, int, str]]:
    """(query, count, where) for every number in a page's tables that links to Explore."""
    out = []
    for path in sorted(site.rglob("index.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        for a in tree.xpath("//td//a[contains(@href, 'explore/?')]"):
            text = a.text_content().strip()
            if re.fullmatch(r"\d+", text):
                out.append((_query(a.get("href")), int(text), f"{path.relative_to(site)}: {a.get('href')}"))
    return out


def facet_page_counts(site: Path) -> list[tuple[str, int, str]]:
    """(query, count, where) for every facet value page: its bold count, its list and its Explore link agree."""
    out = []
    for path in sorted((site / "facets").glob("*/*/index.html")):
        tree = lxml.html.fromstring(path.read_bytes())
        article = tree.xpath("//article")[0]
        count = int(article.xpath(".//strong")[0].text_content())
        listed = len(article.xpath(".//a[contains(@href, 'studies/')]"))
        assert listed == count, f"{path.relative_to(site)} says {count} but lists {listed}"
        link = article.xpath(".//a[contains(@href, 'explore/?')]")
        if count:
            out.append((_query(link[0].get("href")), count, str(path.relative_to(site))))
        else:
            assert not link
    return out


@pytest.fixture(scope="module")
def core(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    page.set_content("<!doctype html><title>counts</title>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    yield page
    context.close()


def _check(core: Any, site: Path, cases: list[tuple[str, int, str]]) -> None:
    data = json.loads((site / "explore" / "studies.json").read_text(encoding="utf-8"))
    totals = core.evaluate(COUNT_ALL, [data, [q for q, _, _ in cases]])
    wrong = [(where, want, got) for (_, want, where), got in zip(cases, totals, strict=True) if want != got]
    assert not wrong, f"{len(wrong)} of {len(cases)} counts open another number of studies, e.g. {wrong[:3]}"


def test_every_chart_mark_opens_exactly_its_count(core: Any, real_site: Path) -> None:
    cases = spec_counts(real_site)
    kinds = {where.split(":")[0].split("/")[1] for _, _, where in cases}
    assert {"gap-map", "top-datasets.vl.json", "top-architectures.vl.json", "per-year-by-source-review.vl.json", "tl-approach-before-after.vl.json"} <= kinds
    assert len(cases) > 1000  # every gap-map pair, every bar
    _check(core, real_site, cases)


def test_every_number_in_a_table_opens_exactly_its_count(core: Any, real_site: Path) -> None:
    cases = table_counts(real_site)
    pages = {where.split(":")[0] for _, _, where in cases}
    assert {"index.html", "trends/index.html", "map/index.html"} <= pages
    _check(core, real_site, cases)


def test_every_facet_page_count_matches_its_list_and_explore(core: Any, real_site: Path) -> None:
    cases = facet_page_counts(real_site)
    assert len(cases) > 50
    _check(core, real_site, cases)
