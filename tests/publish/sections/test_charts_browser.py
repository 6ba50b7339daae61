"""The charts in the system Chromium: they render on Trends, the gap map and Home with no console
error and no request to another origin, link to Explore, switch axes, follow the palette, survive
instant navigation, offer export only, and show hostile titles as text in tooltips."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from conftest import ROOT, PageWatch, serve
from site_fixture import HOSTILE, TAXONOMY, facet_slugs, fixture_site, real_records

pytestmark = pytest.mark.browser

RECORDS = real_records()
FACETS = {f["name"]: f for f in TAXONOMY["facets"]}
ALL_DRAWN = "() => { const els = [...document.querySelectorAll('[data-em-chart]')]; return els.length > 0 && els.every(el => el.querySelector('svg, canvas')); }"


def label(facet: str, slug: str) -> str:
    if slug == "not-reported":
        return "Not reported"
    return next(v["label"] for v in FACETS[facet]["values"] if str(v["value"]).lower() == slug or v["value"] == slug)


def has(rec: dict[str, Any], facet: str, slug: str) -> bool:
    return slug in facet_slugs(rec, FACETS[facet])


def open_page(w: PageWatch, url: str) -> int:
    w.page.goto(url)
    w.page.wait_for_function(ALL_DRAWN, timeout=20_000)
    return w.page.locator("[data-em-chart]").count()


def clean(w: PageWatch) -> None:
    assert w.errors == [], w.errors
    assert w.offsite == [], w.offsite


@pytest.mark.parametrize(("path", "least"), [("trends/", 15), ("map/", 1)])
def test_every_chart_renders_without_errors_or_offsite_requests(watched, real_server, path, least):
    n = open_page(watched, real_server + path)
    assert n >= least
    assert watched.page.locator("[data-em-chart] svg").count() >= n
    clean(watched)


def test_home_shows_the_three_key_charts(watched, real_server):
    """Home embeds charts.home_snippet(): studies per year by source-review membership, applications and the gap map."""
    watched.page.goto(real_server)
    names = watched.page.eval_on_selector_all("[data-em-chart]", "els => els.map(e => e.dataset.emChart)")
    assert names == ["per-year-by-source-review", "by-application", "gap-map"]
    watched.page.wait_for_function(ALL_DRAWN, timeout=20_000)
    clean(watched)


def test_the_bundle_loads_only_on_pages_with_charts(watched, real_server):
    bundles: list[str] = []
    watched.page.on("request", lambda r: bundles.append(r.url) if "vega-bundle" in r.url else None)
    watched.page.goto(real_server + "methods/")
    watched.page.wait_for_load_state("networkidle")
    assert bundles == [] and watched.page.evaluate("typeof window.vegaEmbed") == "undefined"
    open_page(watched, real_server + "trends/")
    assert len(bundles) == 1
    clean(watched)


def _expect_explore(w: PageWatch, filters: dict[str, str], expected: int) -> None:
    w.page.wait_for_url(re.compile(r"/explore/\?"), timeout=10_000)
    got = {k: v[0] for k, v in parse_qs(urlsplit(w.page.url).query).items()}
    for key, value in filters.items():
        assert got.get(key) == value, (key, w.page.url)
    if w.page.locator("[data-result-count]").count():
        w.page.wait_for_function(
            "n => document.querySelector('[data-result-count]').textContent.trim() === String(n)", arg=expected, timeout=10_000)


def test_clicking_a_gap_map_bubble_opens_explore_filtered_to_the_cell(watched, real_server):
    rows, cols = "application", "tl_approach"
    cells: dict[tuple[str, str], int] = {}
    for r in RECORDS:
        for a in set(facet_slugs(r, FACETS[rows])):
            for b in set(facet_slugs(r, FACETS[cols])):
                cells[(a, b)] = cells.get((a, b), 0) + 1
    (a, b), n = max(cells.items(), key=lambda kv: (kv[1], kv[0]))
    open_page(watched, real_server + "map/")
    bubble = watched.page.locator(f'[data-em-chart="gap-map"] path[aria-label^="Application: {label(rows, a)}; TL approach: {label(cols, b)};"]')
    assert bubble.count() == 1
    assert bubble.get_attribute("aria-label").endswith(f"; {n} studies")
    bubble.click()
    _expect_explore(watched, {rows: a, cols: b}, n)
    clean(watched)


def test_clicking_a_bar_on_trends_opens_explore(watched, real_server):
    n = sum(1 for r in RECORDS if has(r, "application", "stroke"))
    open_page(watched, real_server + "trends/")
    watched.page.locator('#chart-by-application path[aria-label^="Stroke:"]').click()
    _expect_explore(watched, {"application": "stroke"}, n)
    clean(watched)


def test_clicking_a_dataset_bar_opens_exactly_the_studies_it_counts(watched, real_server):
    """Dataset and architecture bars link with the exact filters: Explore shows the bar's number of
    studies, not every study that mentions the name (ADNI is also part of other datasets' names)."""
    totals: dict[str, int] = {}
    for r in RECORDS:
        for name in set(r.get("source_datasets") or []) | set(r.get("target_datasets") or []):
            totals[name] = totals.get(name, 0) + 1
    name, n = max(totals.items(), key=lambda kv: (kv[1], kv[0]))
    open_page(watched, real_server + "trends/")
    watched.page.locator(f'#chart-top-datasets path[aria-label^="{name}: "]').first.click()
    _expect_explore(watched, {"dataset": name}, n)
    watched.page.wait_for_selector(f'.em-chip:has-text("Dataset: {name}")')
    clean(watched)


def _gap_map_state(w: PageWatch) -> dict[str, Any]:
    return w.page.evaluate("""() => {
        const view = document.querySelector('[data-em-chart="gap-map"]');
        const fig = view.parentElement;
        return {
            label: view.getAttribute('aria-label'),
            texts: [...view.querySelectorAll('svg text')].map(t => t.textContent),
            bubbles: view.querySelectorAll('g.mark-symbol.role-mark path').length,
            caption: fig.querySelector('table caption').textContent,
            corner: fig.querySelector('table thead th').textContent,
            body: fig.querySelectorAll('table tbody tr').length,
            spec: fig.querySelector('.em-chart__links a').getAttribute('href'),
            query: location.search,
        };
    }""")


def test_switching_the_gap_map_axes_redraws_it(watched, real_server):
    open_page(watched, real_server + "map/")
    page = watched.page
    assert page.locator("form[data-em-gapmap]").is_visible()
    before = _gap_map_state(watched)
    assert before["label"] == "Evidence-gap map: application by TL approach" and "Application" in before["texts"]

    page.select_option("form[data-em-gapmap] select[name=rows]", "task")
    page.wait_for_function("() => document.querySelector('[data-em-chart=gap-map]').getAttribute('aria-label').includes('task by')")
    page.wait_for_function("() => [...document.querySelectorAll('[data-em-chart=gap-map] svg text')].some(t => t.textContent === 'Task')")
    state = _gap_map_state(watched)
    tasks = [v["value"] for v in FACETS["task"]["values"]]
    used = {(t, a) for r in RECORDS for t in facet_slugs(r, FACETS["task"]) for a in facet_slugs(r, FACETS["tl_approach"])}
    assert state["label"] == "Evidence-gap map: task by TL approach"
    assert "Application" not in state["texts"]
    assert f"{label('task', 'classification')} ({sum(has(r, 'task', 'classification') for r in RECORDS)})" in state["texts"]
    assert state["bubbles"] == len(used)
    assert state["caption"] == state["label"] and state["corner"] == "Task \\ TL approach"
    assert state["body"] == len(tasks) + 1  # a row per task value, then the totals
    assert state["spec"] == "../charts/gap-map/task--tl_approach.vl.json"
    assert state["query"] == "?rows=task&columns=tl_approach"

    # Choosing the rows' facet for the columns swaps the axes; so does the swap button.
    page.select_option("form[data-em-gapmap] select[name=columns]", "task")
    page.wait_for_function("() => location.search === '?rows=tl_approach&columns=task'")
    page.click("form[data-em-gapmap] [data-em-swap]")
    page.wait_for_function("() => location.search === '?rows=task&columns=tl_approach'")
    page.wait_for_function("() => document.querySelector('[data-em-chart=gap-map]').getAttribute('aria-label') === 'Evidence-gap map: task by TL approach'")

    # The chosen pair is in the URL: opening it shows that pair.
    page.goto(real_server + "map/?rows=label_setting&columns=source_domain")
    page.wait_for_function("() => document.querySelector('[data-em-chart=gap-map]').getAttribute('aria-label') === 'Evidence-gap map: label setting by source domain'")
    page.wait_for_function(ALL_DRAWN)
    assert page.locator("select[name=rows]").input_value() == "label_setting"
    clean(watched)


def _backgrounds(w: PageWatch) -> list[str]:
    return w.page.eval_on_selector_all("[data-em-chart] svg.marks", "els => els.map(e => e.style.backgroundColor)")


def test_charts_follow_the_dark_palette(watched, real_server):
    open_page(watched, real_server + "trends/")
    light = _backgrounds(watched)
    assert light and set(light) == {"rgb(255, 255, 255)"}
    watched.page.click("label[title='Switch to dark mode']")
    watched.page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    watched.page.wait_for_function(
        "() => [...document.querySelectorAll('[data-em-chart] svg.marks')].every(s => s.style.backgroundColor && s.style.backgroundColor !== 'rgb(255, 255, 255)')")
    dark = _backgrounds(watched)
    assert len(dark) == len(light)
    page_bg = watched.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert set(dark) == {page_bg}
    clean(watched)


def _as_deployed(browser: Any, site: Path) -> tuple[Any, PageWatch, str]:
    """A page that sees the built site at its site_url. Material's instant navigation follows only
    links found in sitemap.xml, whose URLs carry site_url's path and port, so a local server on
    another port would get full page loads: serve the files at site_url itself instead."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    base = config["site_url"].rstrip("/") + "/"

    def fulfil(route: Any) -> None:
        url = route.request.url
        if not url.startswith(base):
            route.abort()
            return
        rel = unquote(urlsplit(url).path[len(urlsplit(base).path):])
        target = site / rel
        if target.is_dir():
            target = target / "index.html"
        if target.is_file():
            route.fulfill(status=200, body=target.read_bytes(), content_type=mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        else:
            route.fulfill(status=404, body=b"not found")

    context = browser.new_context()
    context.route("**/*", fulfil)
    return context, PageWatch(context.new_page(), base), base


def test_charts_render_after_instant_navigation(browser, real_site):
    context, w, base = _as_deployed(browser, real_site)
    try:
        open_page(w, base + "map/")
        w.page.evaluate("window.__stillHere = true")
        w.page.locator("a.md-tabs__link", has_text="Trends").click()
        w.page.wait_for_url(re.compile(r"/trends/$"))
        w.page.wait_for_function(ALL_DRAWN, timeout=20_000)
        assert w.page.evaluate("window.__stillHere") is True  # no full reload: Material's instant navigation
        assert w.page.locator("[data-em-chart]").count() >= 15
        w.page.locator("a.md-tabs__link", has_text="Evidence-gap map").click()  # back to a page drawn before
        w.page.wait_for_url(re.compile(r"/map/$"))
        w.page.wait_for_function(ALL_DRAWN, timeout=20_000)
        assert w.page.evaluate("window.__stillHere") is True
        assert w.page.locator("form[data-em-gapmap]").is_visible()
        clean(w)
    finally:
        context.close()


def test_export_actions_only(watched, real_server):
    open_page(watched, real_server + "trends/")
    menu = watched.page.locator("#chart-by-application .vega-embed details")
    menu.locator("summary").click()
    actions = menu.locator(".vega-actions a").all_inner_texts()
    assert {a.strip() for a in actions} == {"Save as SVG", "Save as PNG"}
    clean(watched)


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(fixture_site(tmp_path_factory))


def test_tooltips_show_hostile_titles_as_text(browser, fixture_server):
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page, fixture_server)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(fixture_server + "map/")
    page.wait_for_function(ALL_DRAWN, timeout=20_000)
    # The hostile record is a brain-tumour study with fine-tuning of all layers.
    bubble = page.locator('[data-em-chart="gap-map"] path[aria-label^="Application: Brain tumour; TL approach: Fine-tuning (all layers);"]')
    bubble.hover()
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for(timeout=5_000)
    assert HOSTILE.split(" {")[0] in tip.inner_text()  # '<script>alert(1)</script> "quotes"' shown as text
    assert tip.locator("script, img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == [] and watch.errors == []
    context.close()
