"""Explore in a real browser (Playwright driving headless Chromium) on the site built from the shipped
records, served from 127.0.0.1.

Every expected count is computed here from the YAML records, with the filter semantics the issue
states (OR within a facet, AND across facets, multi-valued facets match on any value, empty ones are
'not-reported'). Most tests share one page, reloading it by URL; each checks at the end that the
page logged no console error and made no request to another origin."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import rispy
from axe_playwright_python.sync_playwright import Axe
from conftest import DATA, ROOT, PageWatch
from site_fixture import TAXONOMY, facet_slugs, real_records

from generator.evidence.dataset import load
from generator.publish import table
from generator.publish.downloads import neutralise
from generator.publish.sections.explore import PAGE_SIZE
from generator.publish.urls import explore_url

pytestmark = pytest.mark.browser

RECORDS = real_records()
NEWEST_FIRST = sorted(RECORDS, key=lambda r: (-r["year"], r["authors"][0].split(",")[0].strip().casefold(), r["title"].casefold(), r["id"]))
FACETS = {f["name"]: f for f in TAXONOMY["facets"]}
READY = "[data-em-explore][data-em-ready]"
COUNT = "[data-result-count]"

Filters = Mapping[str, set[str]]


# --- the filter, computed from the records --------------------------------------------------------

def haystack(rec: dict[str, Any]) -> str:
    fields = [rec["title"], *rec["authors"], rec["summary"], *rec.get("source_datasets", []),
              *rec.get("target_datasets", []), *rec.get("architectures", [])]
    return "\n".join(fields).lower()


def matches(rec: dict[str, Any], filters: Filters | None = None, q: str = "",
            years: tuple[int | None, int | None] = (None, None), skip: str | None = None) -> bool:
    for name, wanted in (filters or {}).items():
        if name != skip and wanted and not wanted & set(facet_slugs(rec, FACETS[name])):
            return False
    if not all(tok in haystack(rec) for tok in q.lower().split()):
        return False
    lo, hi = years
    return (lo is None or rec["year"] >= lo) and (hi is None or rec["year"] <= hi)


def expected(filters: Filters | None = None, q: str = "", years: tuple[int | None, int | None] = (None, None)) -> list[dict[str, Any]]:
    return [r for r in RECORDS if matches(r, filters, q, years)]


def value_counts(facet: str, filters: Filters, q: str = "") -> dict[str, int]:
    """For each value of a facet: the studies with that value that pass every *other* filter."""
    counts: dict[str, int] = {}
    for r in RECORDS:
        if matches(r, filters, q, skip=facet):
            for slug in facet_slugs(r, FACETS[facet]):
                counts[slug] = counts.get(slug, 0) + 1
    return counts


# --- the page ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared(browser: Any, real_server: str) -> Iterator[PageWatch]:
    """One page for the filter tests; blocks and records every off-origin request."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    origin = real_server.rstrip("/")
    context.route(lambda url: not url.startswith(origin) and not url.startswith(("data:", "blob:")), lambda route: route.abort())
    watch = PageWatch(context.new_page(), real_server)
    yield watch
    context.close()


def open_explore(watch: PageWatch, base: str, query: str = "") -> Any:
    page = watch.page
    page.goto(base + "explore/" + query)
    page.wait_for_selector(READY)
    return page


def count(page: Any) -> int:
    return int(page.text_content(COUNT))


def wait_count(page: Any, n: int) -> None:
    """The count updates as the filter runs (text and year inputs apply after a short pause)."""
    page.wait_for_function("([sel, n]) => document.querySelector(sel).textContent === String(n)", arg=[COUNT, n], timeout=5000)
    assert count(page) == n


def tick(page: Any, facet: str, slug: str) -> None:
    details = page.locator(f"details[data-facet='{facet}']")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    page.locator(f".em-explore__filters input[name='{facet}'][value='{slug}']").check()


def shown_counts(page: Any, facet: str) -> dict[str, int]:
    return page.eval_on_selector_all(
        f".em-explore__filters input[name='{facet}']",
        "els => Object.fromEntries(els.map(e => [e.value, Number(e.parentElement.querySelector('.em-facet__count').textContent)]))",
    )


def wait_url(page: Any, params: Mapping[str, set[str] | str]) -> None:
    """The address bar follows the filters (written when the browser is idle, without a reload)."""
    want = sorted([k, sorted(v) if isinstance(v, set) else [v]] for k, v in params.items() if v)
    page.wait_for_function(
        """(want) => { const got = [...new URLSearchParams(location.search)].map(([k, v]) => [k, v.split(",").sort()]);
                       return JSON.stringify(got.sort()) === JSON.stringify(want); }""",
        arg=want, timeout=5000,
    )
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1


def clean(watch: PageWatch) -> None:
    assert watch.errors == [], watch.errors
    assert watch.offsite == [], watch.offsite


# --- tests ------------------------------------------------------------------------------------------

def test_lists_every_study(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server)
    assert count(page) == len(RECORDS)
    assert page.locator(".em-explore__static").count() == 0  # the plain table made way for the filterable one
    assert page.locator("table.em-explore__dt tbody tr").count() == 25  # first page
    assert f"of {len(RECORDS)} studies" in page.text_content(".dt-info")
    # Every facet of the taxonomy has a filter, each value with its count (no filter set: its total).
    for name, facet in FACETS.items():
        slugs = [str(v["value"]).lower() if isinstance(v["value"], bool) else v["value"] for v in facet["values"]]
        slugs += ["not-reported"] if facet["multi"] else []
        totals = value_counts(name, {})
        assert shown_counts(page, name) == {s: totals.get(s, 0) for s in slugs}, name
    clean(shared)


def test_facet_selection_or_within_and_across(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server)
    steps: list[tuple[str, str]] = [
        ("application", "brain-tumor"), ("application", "stroke"),  # OR within a facet
        ("tl_approach", "fine-tuning-all"), ("tl_approach", "feature-extraction"),  # AND across; multi-valued
        ("source_domain", "natural-images"),  # multi-valued
        ("compared_with_no_transfer", "true"),  # a single-valued boolean facet
    ]
    filters: dict[str, set[str]] = {}
    for facet, slug in steps:
        tick(page, facet, slug)
        filters.setdefault(facet, set()).add(slug)
        assert count(page) == len(expected(filters)), (facet, slug)
        wait_url(page, filters)
    assert 0 < count(page) < len(RECORDS)
    for facet in ("application", "tl_approach", "task", "mri_modality", "compared_with_no_transfer"):
        want = value_counts(facet, filters)
        assert shown_counts(page, facet) == {s: want.get(s, 0) for s in shown_counts(page, facet)}, facet
    # The table shows exactly the matching studies.
    page.select_option(".dt-length select", "250")
    page.wait_for_function("(n) => document.querySelectorAll('table.em-explore__dt tbody td:first-child a').length === n",
                           arg=len(expected(filters)))
    titles = page.eval_on_selector_all("table.em-explore__dt tbody td:first-child a", "as => as.map(a => a.textContent)")
    assert sorted(titles) == sorted(" ".join(r["title"].split()) for r in expected(filters))
    page.locator(".em-explore__filters input[name='application'][value='stroke']").uncheck()
    filters["application"].discard("stroke")
    assert count(page) == len(expected(filters))
    page.click("text=Clear all")
    assert count(page) == len(RECORDS)
    wait_url(page, {})
    assert page.eval_on_selector_all(".em-explore__filters input:checked", "els => els.length") == 0
    clean(shared)


def test_not_reported_filters_to_empty_facets(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server, "?tl_approach=not-reported")
    want = [r for r in RECORDS if not r.get("tl_approach")]
    assert want, "the records have studies without a TL approach"
    assert count(page) == len(want)
    clean(shared)


@pytest.mark.parametrize(("query", "filters", "q", "years"), [
    ("?application=brain-tumor,stroke&tl_approach=fine-tuning-all&year=2015-2020",
     {"application": {"brain-tumor", "stroke"}, "tl_approach": {"fine-tuning-all"}}, "", (2015, 2020)),
    ("?task=segmentation&year=2018", {"task": {"segmentation"}}, "", (2018, 2018)),
    ("?year=2018-", {}, "", (2018, None)),
    ("?year=-2019&brain_mri_specific=true", {"brain_mri_specific": {"true"}}, "", (None, 2019)),
    ("?q=unet", {}, "unet", (None, None)),
    ("?q=U-Net&application=brain-tumor", {"application": {"brain-tumor"}}, "u-net", (None, None)),
    # Unknown parameters and values are ignored, never an error.
    ("?colour=red&application=brain-tumor,no-such-value&year=soon&task=", {"application": {"brain-tumor"}}, "", (None, None)),
    ("?application=no-such-value", {}, "", (None, None)),
    # The links other pages build (gap map, study pages) with links.explore_url.
    (explore_url({"dimensionality": ["2.5d", "3d"], "compared_with_no_transfer": "true", "q": "transfer learning"}).removeprefix("explore/"),
     {"dimensionality": {"2.5d", "3d"}, "compared_with_no_transfer": {"true"}}, "transfer learning", (None, None)),
])
def test_filter_urls(shared: PageWatch, real_server: str, query: str, filters: Filters, q: str, years: tuple[int | None, int | None]) -> None:
    page = open_explore(shared, real_server, query)
    assert count(page) == len(expected(filters, q, years))
    for facet, slugs in filters.items():
        for slug in slugs:
            assert page.locator(f".em-explore__filters input[name='{facet}'][value='{slug}']").is_checked()
    assert page.input_value(".em-explore__filters input[name='q']").lower() == q.lower()
    # Material treats ?q= as a shared site search (opens its search, drops q when it closes): on
    # Explore the search stays closed and the URL keeps q.
    assert not page.is_checked("#__search")
    if q:
        assert parse_qs(urlsplit(page.url).query)["q"][0].lower() == q.lower()
    clean(shared)


def test_text_search(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server)
    for q in ("ADNI", "resnet", "brain tumour segmentation", "zzzz-nothing"):
        n = len(expected(q=q))
        page.fill(".em-explore__filters input[name='q']", q)
        wait_count(page, n)
    assert len(expected(q="ADNI")) > 0
    page.fill(".em-explore__filters input[name='q']", "ADNI")
    wait_count(page, len(expected(q="ADNI")))
    wait_url(page, {"q": "ADNI"})
    clean(shared)


def test_summaries_load_only_for_the_text_search(browser: Any, real_server: str) -> None:
    """studies.json holds what the table shows; the rest of the rows (summaries, full author lists)
    comes from studies-rows.json on the first text search, which then searches them too."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
        page.goto(real_server + "explore/")
        page.wait_for_selector(READY)
        page.wait_for_timeout(300)
        assert "/explore/studies.json" in fetched and "/explore/studies-rows.json" not in fetched
        rec = next(r for r in NEWEST_FIRST[PAGE_SIZE:] if len(r["summary"].split()) > 8)
        words = [w for w in re.findall(r"[A-Za-z]{6,}", rec["summary"]) if w.lower() not in rec["title"].lower()][:2]
        q = " ".join(words)
        page.locator(".em-explore__filters input[name='q']").fill(q)
        wait_count(page, len(expected(q=q)))
        assert "/explore/studies-rows.json" in fetched
        assert matches(rec, q=q) and count(page) >= 1
    finally:
        context.close()
    # Opened with a text search in the URL, the page loads the rows before it counts.
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(real_server + "explore/?q=" + quote(q))
        page.wait_for_selector(READY)
        assert count(page) == len(expected(q=q))
    finally:
        context.close()


def test_year_range(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server)
    page.fill(".em-explore__filters input[name='year-min']", "2016")
    wait_count(page, len(expected(years=(2016, None))))
    page.fill(".em-explore__filters input[name='year-max']", "2019")
    wait_count(page, len(expected(years=(2016, 2019))))
    wait_url(page, {"year": "2016-2019"})
    years = page.eval_on_selector_all("table.em-explore__dt tbody td:nth-child(3)", "tds => tds.map(td => Number(td.textContent))")
    assert years and all(2016 <= y <= 2019 for y in years)
    clean(shared)


def column(page: Any, n: int) -> list[str]:
    return page.eval_on_selector_all(f"table.em-explore__dt tbody td:nth-child({n})", "tds => tds.map(td => td.textContent)")


def test_sorting_by_column(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server, "?application=brain-tumor")
    rows = expected({"application": {"brain-tumor"}})
    years = [int(y) for y in column(page, 3)]
    assert years == sorted(years, reverse=True) and years[0] == max(r["year"] for r in rows)  # newest first
    # DataTables sorts in a timeout after the header click, and marks the header when it has.
    page.click("table.em-explore__dt thead th:nth-child(3)")
    page.wait_for_selector("table.em-explore__dt thead th:nth-child(3)[aria-sort=ascending]")
    years = [int(y) for y in column(page, 3)]
    assert years == sorted(years) and years[0] == min(r["year"] for r in rows)
    page.click("table.em-explore__dt thead th:nth-child(2)")
    page.wait_for_selector("table.em-explore__dt thead th:nth-child(2)[aria-sort=ascending]")
    authors = [a.lower() for a in column(page, 2)]
    assert authors == sorted(authors)
    assert authors[0].startswith(min(r["authors"][0].split(",")[0].lower() for r in rows))
    assert count(page) == len(rows)  # sorting does not filter
    clean(shared)


def test_csv_download_holds_exactly_the_filtered_rows(shared: PageWatch, real_server: str) -> None:
    filters = {"application": {"alzheimers-disease", "mild-cognitive-impairment"}, "source_domain": {"natural-images"}}
    page = open_explore(shared, real_server, "?application=alzheimers-disease,mild-cognitive-impairment&source_domain=natural-images&year=2010-")
    want_ids = {r["id"] for r in expected(filters, years=(2010, None))}
    assert 0 < len(want_ids) < len(RECORDS)
    with page.expect_download() as info:
        page.click("text=Download CSV")
    raw = Path(info.value.path()).read_bytes()
    text = raw.decode("utf-8")
    assert "\r\n" in text
    got = list(csv.DictReader(io.StringIO(text, newline="")))
    ds = load(DATA)
    assert list(got[0].keys()) == table.columns(ds.taxonomy)
    # The same columns and values as the Data page's CSV (table.py, formula cells neutralised), for exactly these studies.
    rows = {s.id: {k: str(neutralise(v)) for k, v in table.row(s, ds.taxonomy).items()} for s in ds.studies if s.id in want_ids}
    assert sorted(got, key=lambda r: r["id"]) == [rows[i] for i in sorted(rows)]
    # Cross-check a few values against the YAML itself.
    by_id = {r["id"]: r for r in RECORDS}
    for row in got:
        assert row["title"] == by_id[row["id"]]["title"] and row["year"] == str(by_id[row["id"]]["year"])
    # Written as Python's csv module writes it (quoting, line ends).
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(table.columns(ds.taxonomy))
    for row in got:
        writer.writerow(row.values())
    assert text == buf.getvalue()
    clean(shared)


def test_ris_download_holds_the_filtered_studies(shared: PageWatch, real_server: str) -> None:
    filters = {"task": {"segmentation"}, "application": {"brain-tumor"}}
    page = open_explore(shared, real_server, "?task=segmentation&application=brain-tumor")
    with page.expect_download() as info:
        page.click("text=Download RIS")
    entries = rispy.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in entries) == sorted(r["id"] for r in expected(filters))
    by_id = {r["id"]: r for r in RECORDS}
    for e in entries:
        assert e["title"] == " ".join(by_id[e["id"]]["title"].split())
    clean(shared)


def serve_sitemap_as_deployed(page: Any, base: str) -> None:
    """Material's instant navigation only takes over links found in sitemap.xml, whose URLs carry
    site_url (another host and path than this test server; `mkdocs serve` rewrites site_url for
    the same reason). Serve the sitemap as it would read if the site were deployed here."""
    site_url = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert site_url, "mkdocs.yml has a site_url (Material needs it for instant navigation)"

    def handle(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace(site_url.group(1).rstrip("/") + "/", base))

    page.route("**/sitemap.xml", handle)


def test_instant_navigation_works_like_a_fresh_load(watched: PageWatch, real_server: str) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1400, "height": 1000})
    serve_sitemap_as_deployed(page, real_server)
    page.goto(real_server, wait_until="networkidle")  # Material intercepts links once it has read sitemap.xml
    page.locator("a.md-tabs__link", has_text=re.compile(r"^\s*Explore\s*$")).click()
    page.wait_for_selector(READY)
    assert urlsplit(page.url).path == "/explore/"
    assert count(page) == len(RECORDS)
    assert page.locator("table.em-explore__dt tbody tr").count() == 25
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    assert page.evaluate("() => performance.getEntriesByType('navigation')[0].name") == real_server  # no full reload happened
    tick(page, "application", "stroke")
    assert count(page) == len(expected({"application": {"stroke"}}))
    # Away and back through instant navigation to a filtered URL: it re-reads location.search and
    # the previous table is torn down (one DataTable, one panel).
    page.locator("a.md-tabs__link", has_text="Methods").click()
    page.wait_for_url("**/methods/")
    page.wait_for_function("() => !document.querySelector('[data-em-explore]')")  # the new content is in
    page.evaluate("""() => { const a = document.createElement('a'); a.id = 'em-test-link';
        a.href = '../explore/?task=segmentation&year=2018-'; a.textContent = 'go';
        document.querySelector('article').append(a); }""")
    page.click("#em-test-link")
    page.wait_for_selector(READY)
    assert count(page) == len(expected({"task": {"segmentation"}}, years=(2018, None)))
    assert page.locator(".em-explore__filters").count() == 1 and page.locator("table.em-explore__dt").count() == 1
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == 1
    clean(watched)


def test_no_serious_accessibility_violations(watched: PageWatch, real_server: str) -> None:
    page = watched.page
    page.goto(real_server + "explore/?application=brain-tumor&dataset=BraTS")
    page.wait_for_selector(READY)
    assert page.locator(".em-chip").is_visible()  # the exact-filter chips are checked too
    page.locator("details[data-facet='task'] summary").click()  # an open facet is checked too
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad
    clean(watched)  # axe-core runs from the package's own copy: no request leaves the origin


def test_without_javascript_the_first_page_lists_the_newest_studies_and_links_to_the_next(browser: Any, real_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(real_server + "explore/")
        assert page.locator(".em-explore__static").is_visible()
        links = page.eval_on_selector_all(".em-explore__static tbody td:first-child a", "as => as.map(a => a.href)")
        newest = [f"/studies/{r['id']}/" for r in NEWEST_FIRST]
        assert len(links) == PAGE_SIZE < len(RECORDS)
        assert [urlsplit(h).path for h in links] == newest[:PAGE_SIZE]
        assert count(page) == len(RECORDS)
        # Next, page after page, until every study was listed once, in order.
        listed = [urlsplit(h).path for h in links]
        pages = 1
        while page.locator(".em-explore__pages a[rel='next']").count():
            page.locator(".em-explore__pages a[rel='next']").click()
            page.wait_for_load_state()
            pages += 1
            assert urlsplit(page.url).path == f"/explore/page/{pages}/"
            assert page.locator(".em-explore__static").is_visible()
            listed += [urlsplit(h).path for h in page.eval_on_selector_all(".em-explore__static tbody td:first-child a", "as => as.map(a => a.href)")]
        assert pages == -(-len(RECORDS) // PAGE_SIZE)
        assert listed == newest
        # Page links go back too.
        page.locator(".em-explore__pages a", has_text="1").first.click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/explore/"
    finally:
        context.close()


def test_the_filterable_table_holds_every_study_beyond_the_first_page(shared: PageWatch, real_server: str) -> None:
    """The plain list shows PAGE_SIZE studies; the filters still work on all of them (studies.json)."""
    oldest = NEWEST_FIRST[-1]  # on the last page of the plain list
    page = open_explore(shared, real_server, f"?year=-{oldest['year']}")
    wait_count(page, len(expected(years=(None, oldest["year"]))))
    titles = page.eval_on_selector_all("table.em-explore__dt tbody td:first-child a", "as => as.map(a => a.textContent)")
    assert " ".join(oldest["title"].split()) in [" ".join(t.split()) for t in titles]
    page = open_explore(shared, real_server)
    tick(page, "task", "segmentation")
    want = expected({"task": {"segmentation"}})
    wait_count(page, len(want))
    assert any(r in want for r in NEWEST_FIRST[PAGE_SIZE:])  # the filter counts studies beyond the first page
    # Every study can be paged to in the filterable table: show 250 a page and count the rows.
    page.locator(".em-explore__filters .em-explore__clear").click()
    wait_count(page, len(RECORDS))
    page.select_option(".dt-length select", "250")
    shown = page.locator("table.em-explore__dt tbody tr").count()
    assert shown == min(250, len(RECORDS)) > PAGE_SIZE
    clean(shared)


def test_if_the_script_cannot_load_its_library_the_plain_table_stays(browser: Any, real_server: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route("**/dt_bundle.js", lambda route: route.abort())
        page.goto(real_server + "explore/")
        page.wait_for_selector(".em-explore.em-explore--failed")
        assert page.locator(".em-explore__static").is_visible()
        assert page.locator(".em-explore__static tbody tr").count() == PAGE_SIZE
        assert page.locator(".em-explore__pages a[rel='next']").is_visible()
        assert count(page) == len(RECORDS)
        assert any("Explore" in e for e in errors)
    finally:
        context.close()


def test_opened_from_a_file_the_plain_table_shows(browser: Any, real_site: Path) -> None:
    """From file:// the browser refuses module scripts and fetch(): the page still lists the first
    studies, and links to the others."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto((real_site / "explore" / "index.html").as_uri())
        page.wait_for_selector(".em-explore.em-explore--failed")
        assert page.locator(".em-explore__static tbody tr").count() == PAGE_SIZE
        assert page.locator(".em-explore__static").is_visible()
        # (Directory links, as everywhere on the site: the browser shows a folder listing from file://.)
        nxt = page.eval_on_selector(".em-explore__pages a[rel='next']", "a => a.href")
        assert nxt == (real_site / "explore" / "page" / "2").as_uri() + "/"
        assert (real_site / "explore" / "page" / "2" / "index.html").is_file()
    finally:
        context.close()


# --- year ranges from the URL and the inputs ---------------------------------------------------------

def year_inputs(page: Any) -> list[str]:
    return [page.input_value(f".em-explore__filters input[name='year-{b}']") for b in ("min", "max")]


def test_a_reversed_year_range_is_ordered_in_the_filter_inputs_and_url(shared: PageWatch, real_server: str) -> None:
    page = open_explore(shared, real_server, "?year=2020-2015&task=segmentation")
    want = expected({"task": {"segmentation"}}, years=(2015, 2020))
    assert 0 < len(want) < len(expected({"task": {"segmentation"}}))
    assert count(page) == len(want)
    assert year_inputs(page) == ["2015", "2020"]
    wait_url(page, {"task": {"segmentation"}, "year": "2015-2020"})  # the shared URL now says what the page shows
    # Typed the wrong way round: the same studies; the inputs are put in order once a year is committed.
    page = open_explore(shared, real_server)
    page.fill(".em-explore__filters input[name='year-min']", "2020")
    page.fill(".em-explore__filters input[name='year-max']", "2016")
    wait_count(page, len(expected(years=(2016, 2020))))
    wait_url(page, {"year": "2016-2020"})
    page.press(".em-explore__filters input[name='year-max']", "Tab")
    page.wait_for_function("() => document.querySelector(\".em-explore__filters input[name='year-min']\").value === '2016'")
    assert year_inputs(page) == ["2016", "2020"]
    assert count(page) == len(expected(years=(2016, 2020)))
    clean(shared)


@pytest.mark.parametrize(("year", "years", "kept"), [
    ("abc", (None, None), None), ("-", (None, None), None), ("99999", (None, None), None), ("2015-99999", (None, None), None),
    ("2015-2018-2020", (None, None), None), ("20x8", (None, None), None), ("%E0%A4%A", (None, None), None),
    ("2015-", (2015, None), "2015-"), ("-2018", (None, 2018), "-2018"), ("2018-2018", (2018, 2018), "2018"),
])
def test_garbage_years_are_ignored_and_dropped_from_the_url(shared: PageWatch, real_server: str, year: str,
                                                            years: tuple[int | None, int | None], kept: str | None) -> None:
    page = open_explore(shared, real_server, f"?task=segmentation&year={year}")
    assert count(page) == len(expected({"task": {"segmentation"}}, years=years))
    assert year_inputs(page) == ["" if y is None else str(y) for y in years]
    wait_url(page, {"task": {"segmentation"}, "year": kept or ""})
    clean(shared)


# --- exact dataset and architecture filters -------------------------------------------------------------

ODD = "Köln, 3T & mehr – ü"
"""A dataset name with a comma, spaces, an ampersand and non-ASCII characters."""
ODD_ARCH = "U-Net (3D), v2+"


def _odd_records() -> list[dict[str, Any]]:
    from conftest import record

    return [
        record(id="ash2020exact", title="Exact source dataset study", doi=None, source_datasets=[ODD], target_datasets=["in-house"],
               architectures=[ODD_ARCH], task=["segmentation"]),
        record(id="birch2019target", title="Target side of the transfer", doi=None, source_datasets=["BraTS"], target_datasets=[ODD],
               task=["classification"], year=2019),
        # The pieces of the name, its other case, and a mention in the text: none is the dataset.
        record(id="cedar2018pieces", title="Pieces of a name", doi=None, source_datasets=["Köln"], target_datasets=["3T & mehr – ü"], year=2018),
        record(id="dogwood2017case", title="Lower case cohort", doi=None, source_datasets=[ODD.lower()], year=2017),
        record(id="elm2016text", title="Mentions only in the summary", doi=None, summary=f"Unlike work on {ODD}, we use our own data.",
               source_datasets=["OASIS"], architectures=["U-Net", "ResNet"], year=2016),
    ]


ODD_RECORDS = _odd_records()


@pytest.fixture(scope="module")
def odd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import built, make_project, serve

    yield from serve(built(make_project(tmp_path_factory.mktemp("odd-names"), ODD_RECORDS)))


def titles(page: Any) -> list[str]:
    return sorted(page.eval_on_selector_all("table.em-explore__dt tbody td:first-child a", "as => as.map(a => a.textContent)"))


def chips(page: Any) -> list[str]:
    return page.eval_on_selector_all(".em-explore__chips:not([hidden]) .em-chip",
                                     "bs => bs.map(b => b.textContent.replace('Remove the filter ', '').replace(' ×', ''))")


def raw_param(page: Any, name: str) -> list[str]:
    """A list parameter of the address bar as the page reads it: split on raw commas, then decoded."""
    return page.evaluate("""(name) => location.search.slice(1).split('&').filter(p => p.startsWith(name + '='))
        .flatMap(p => p.slice(name.length + 1).split(',').map(decodeURIComponent))""", name)


def test_exact_dataset_filter_opens_exactly_the_studies_with_that_dataset(browser: Any, odd_server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        watch = PageWatch(context.new_page(), odd_server)
        page = open_explore(watch, odd_server, explore_url({"dataset": [ODD]}).removeprefix("explore/"))
        want = [r for r in ODD_RECORDS if ODD in r["source_datasets"] + r["target_datasets"]]
        assert [r["id"] for r in want] == ["ash2020exact", "birch2019target"]
        assert count(page) == len(want)
        assert titles(page) == sorted(r["title"] for r in want)
        assert chips(page) == [f"Dataset: {ODD}"]
        page.wait_for_timeout(300)  # the URL is rewritten to canonical form when idle: it keeps the name
        assert raw_param(page, "dataset") == [ODD]
        # The CSV holds the rows shown.
        with page.expect_download() as info:
            page.click("text=Download CSV")
        got = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"), newline="")))
        assert sorted(r["id"] for r in got) == sorted(r["id"] for r in want)
        # AND with the facets.
        tick(page, "task", "classification")
        assert count(page) == 1 and titles(page) == ["Target side of the transfer"]
        # Removing the chip removes the filter, from the page and the URL.
        page.click(".em-chip")
        classification = [r for r in ODD_RECORDS if "classification" in r["task"]]
        wait_count(page, len(classification))
        assert chips(page) == [] and page.locator(".em-explore__chips").is_hidden()
        assert page.evaluate("() => document.activeElement.name") == "q"  # the focus is not lost with the chip
        wait_url(page, {"task": {"classification"}})
        # Free text finds every mention, which is why links from the charts use the exact filter.
        page = open_explore(watch, odd_server, explore_url({"q": ODD}).removeprefix("explore/"))
        assert count(page) > len(want)
        # Several names: OR; an unknown or differently written name is ignored like any unknown value.
        page = open_explore(watch, odd_server, explore_url({"dataset": [ODD, "OASIS"]}).removeprefix("explore/"))
        assert count(page) == 3
        assert chips(page) == [f"Dataset: {ODD}", "Dataset: OASIS"]
        page = open_explore(watch, odd_server, explore_url({"dataset": [ODD.upper()]}).removeprefix("explore/"))
        assert count(page) == len(ODD_RECORDS) and chips(page) == []
        clean(watch)
    finally:
        context.close()


def test_exact_architecture_filter(browser: Any, odd_server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        watch = PageWatch(context.new_page(), odd_server)
        for names in ([ODD_ARCH], ["U-Net"], ["U-Net", ODD_ARCH], ["ResNet"]):
            page = open_explore(watch, odd_server, explore_url({"architecture": names}).removeprefix("explore/"))
            want = [r for r in ODD_RECORDS if set(names) & set(r["architectures"])]
            assert count(page) == len(want), names
            assert titles(page) == sorted(r["title"] for r in want)
            assert chips(page) == [f"Architecture: {n}" for n in sorted(names, key=lambda n: (n.casefold(), n))]
        # With a dataset filter: AND.
        page = open_explore(watch, odd_server, explore_url({"dataset": [ODD], "architecture": ["U-Net"]}).removeprefix("explore/"))
        assert count(page) == 1 and titles(page) == ["Target side of the transfer"]
        clean(watch)
    finally:
        context.close()
