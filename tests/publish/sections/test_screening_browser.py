"""The Screening page and the Methods flow in headless Chromium, on a built fixture site with two
search sources (one hostile candidate): boxes lead to their lists, values show as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import PageWatch, built, make_project, serve
from screening_fixture import HOSTILE_TITLE, PUBMED, write_searches
from site_fixture import RECORDS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("screening-site"), RECORDS)
    write_searches(project / "data")
    yield from serve(built(project))


@pytest.fixture
def watch(browser: Any, server: str) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    origin = server.rstrip("/")
    context.route(lambda url: not url.startswith(origin) and not url.startswith(("data:", "blob:")), lambda route: route.abort())
    w = PageWatch(context.new_page(), server)
    dialogs: list[str] = []
    w.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    w.dialogs = dialogs  # type: ignore[attr-defined]
    yield w
    context.close()


def test_a_flow_box_leads_to_the_list_it_counts(watch: PageWatch, server: str) -> None:
    page = watch.page
    page.goto(server + "methods/")
    box = page.locator("figure.em-prisma--living a", has_text="Not brain MRI")
    assert box.inner_text().split()[0] == "2"
    box.click()
    page.wait_for_url("**/screening/#src-pubmed-excluded-not-brain-mri")
    heading = page.locator("#src-pubmed-excluded-not-brain-mri")
    assert heading.is_visible() and heading.evaluate("h => h.getBoundingClientRect().top < window.innerHeight")
    items = page.locator("#src-pubmed-excluded-not-brain-mri + ul > li")
    assert items.count() == 2
    assert watch.errors == [] and watch.offsite == []


def test_pending_candidates_show_hostile_values_as_text(watch: PageWatch, server: str) -> None:
    page = watch.page
    page.goto(server + "screening/")
    pending = page.locator("#src-pubmed-pending + ul > li")
    assert pending.count() == 2
    first = pending.nth(0).inner_text()
    assert HOSTILE_TITLE in first and f"evidence-map include 6 --search {PUBMED}" in first
    assert pending.nth(0).locator("a").count() == 1  # the hostile URL, percent-encoded, is one plain link
    assert page.locator("article script, article img").count() == 0
    assert watch.dialogs == []  # type: ignore[attr-defined]
    hrefs = page.eval_on_selector_all("article a[href^='http']", "els => els.map(e => e.href)")
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert page.locator("nav a", has_text="Screening").count() >= 1
    assert watch.errors == [] and watch.offsite == []


@pytest.mark.parametrize("path", ["screening/", "methods/"])
def test_no_serious_accessibility_violations(watch: PageWatch, server: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = watch.page
    page.goto(server + path)
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
    assert watch.errors == [] and watch.offsite == []
