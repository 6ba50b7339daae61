"""explore-core.js on its own: the pure part of Explore (URL state, filter, counts) loaded into a blank
page with no network, its functions called on a small hand-made data set.

Expected results come from the cases' own filter descriptions, evaluated here by the semantics the
page documents: OR within a facet, AND across facets and with every other filter; dataset and
architecture names match exactly (case, spaces, punctuation); every word of q must occur; the year
range is inclusive, open bounds allowed, a reversed range ordered, garbage ignored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import ROOT

from generator.publish.urls import explore_url

pytestmark = pytest.mark.browser

CORE = ROOT / "generator" / "assets" / "explore-core.js"

FACETS = [
    {"name": "task", "label": "Task", "multi": True, "values": [["seg", "Segmentation"], ["cls", "Classification"], ["not-reported", "Not reported"]]},
    {"name": "dim", "label": "Dimensionality", "multi": False, "values": [["2d", "2D"], ["3d", "3D"]]},
]
ODD = "ADNI, 3T & more – Köln"
"""A dataset name with a comma, spaces, an ampersand and non-ASCII characters."""
DATASETS = ["ADNI", ODD, "BraTS", "OASIS+3"]
ARCHITECTURES = ["ResNet", "U-Net"]
STUDIES = [
    # id, year, task, dim, datasets, architectures, title
    ("s0", 2015, ["seg"], "2d", ["ADNI"], ["U-Net"], "Alpha UNet for lesions"),
    ("s1", 2016, ["cls"], "3d", [ODD], ["ResNet"], "Beta grading"),
    ("s2", 2018, ["seg", "cls"], "3d", ["ADNI", "BraTS"], [], "Gamma joint model, ADNI cohort"),
    ("s3", 2020, ["not-reported"], "2d", [], ["ResNet", "U-Net"], "Delta survey"),
    ("s4", 2021, ["seg"], "3d", ["BraTS", "OASIS+3"], ["U-Net"], "Epsilon alpha tumour"),
]
COLUMNS = ["id", "title", "year", "summary"]


def data() -> dict[str, Any]:
    """studies.json as generator/explore.py writes it (only the fields the core reads)."""
    def idx(facet: dict[str, Any], slugs: list[str]) -> list[int]:
        return [[v[0] for v in facet["values"]].index(s) for s in slugs]

    return {
        "columns": COLUMNS, "search": ["title", "summary"], "display": ["task"], "facets": FACETS,
        "datasets": DATASETS, "architectures": ARCHITECTURES,
        "studies": [
            {"id": i, "url": f"../studies/{i}/", "authors": "A", "f": [idx(FACETS[0], task), idx(FACETS[1], [dim])],
             "d": sorted(DATASETS.index(n) for n in ds), "a": sorted(ARCHITECTURES.index(n) for n in arch),
             "row": [i, title, year, f"summary of {i}"]}
            for i, year, task, dim, ds, arch, title in STUDIES
        ],
    }


# --- the reference filter -------------------------------------------------------------------------

def matches(study: tuple[Any, ...], want: dict[str, Any], skip: str | None = None) -> bool:
    sid, year, task, dim, ds, arch, title = study
    values = {"task": set(task), "dim": {dim}, "dataset": set(ds), "architecture": set(arch)}
    for name, have in values.items():
        if name != skip and want.get(name) and not want[name] & have:
            return False
    text = f"{title}\nsummary of {sid}".lower()
    if not all(tok in text for tok in want.get("q", "").lower().split()):
        return False
    lo, hi = want.get("years", (None, None))
    return (lo is None or year >= lo) and (hi is None or year <= hi)


def expected_ids(want: dict[str, Any]) -> list[str]:
    return [s[0] for s in STUDIES if matches(s, want)]


def expected_counts(want: dict[str, Any]) -> list[list[int]]:
    """Per facet value: the studies with it that pass every *other* filter."""
    out = []
    for fi, facet in enumerate(FACETS):
        slugs = [v[0] for v in facet["values"]]
        counts = [0] * len(slugs)
        for s in STUDIES:
            if matches(s, want, skip=facet["name"]):
                for v in (s[2] if fi == 0 else [s[3]]):
                    counts[slugs.index(v)] += 1
        out.append(counts)
    return out


# --- the page -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def core(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.route("**/*", lambda route: route.abort())  # nothing may be fetched: the core is pure
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content("<!doctype html><html><head><title>core</title></head><body></body></html>")
    page.add_script_tag(content=CORE.read_text(encoding="utf-8"))
    yield page
    assert errors == []
    context.close()


RUN = """([data, search]) => {
  const E = window.EvidenceExplore;
  const model = E.buildModel(data);
  const state = E.parseState(model, search);
  const view = E.evaluate(model, state);
  const query = E.formatQuery(model, state);
  // Round trip: the canonical query reads back to the same state and the same view.
  const again = E.parseState(model, query);
  const view2 = E.evaluate(model, again);
  return {
    query, again: E.formatQuery(model, again),
    ids: data.studies.filter((_s, i) => view.matched[i]).map((s) => s.id),
    ids2: data.studies.filter((_s, i) => view2.matched[i]).map((s) => s.id),
    total: view.total, counts: view.counts.map((c) => Array.from(c)),
    years: [state.min, state.max], q: state.q,
    chips: E.activeNames(model, state).map((a) => `${a.label}: ${a.name}`),
  };
}"""

enc = explore_url


@pytest.mark.parametrize(("search", "want", "canonical"), [
    ("", {}, ""),
    ("?task=seg", {"task": {"seg"}}, "?task=seg"),
    ("?task=cls,seg", {"task": {"seg", "cls"}}, "?task=seg,cls"),  # OR within a facet; vocabulary order
    ("?task=seg%2Ccls", {"task": {"seg", "cls"}}, "?task=seg,cls"),  # slugs hold no comma: %2C separates too
    ("?task=seg&task=cls", {"task": {"seg", "cls"}}, "?task=seg,cls"),  # repeated parameter
    ("?dim=3d&task=seg", {"task": {"seg"}, "dim": {"3d"}}, "?task=seg&dim=3d"),  # AND across facets
    ("?task=not-reported", {"task": {"not-reported"}}, "?task=not-reported"),
    ("?colour=red&task=seg,nope,&dim=", {"task": {"seg"}}, "?task=seg"),  # unknown names and values dropped
    # Year range: inclusive, open bounds, reversed ordered, garbage ignored.
    ("?year=2016-2018", {"years": (2016, 2018)}, "?year=2016-2018"),
    ("?year=2018-2016", {"years": (2016, 2018)}, "?year=2016-2018"),
    ("?year=2018", {"years": (2018, 2018)}, "?year=2018"),
    ("?year=2018-2018", {"years": (2018, 2018)}, "?year=2018"),
    ("?year=2018-", {"years": (2018, None)}, "?year=2018-"),
    ("?year=-2016", {"years": (None, 2016)}, "?year=-2016"),
    ("?year=%202016%20-%202018%20", {"years": (2016, 2018)}, "?year=2016-2018"),
    ("?year=abc", {}, ""),
    ("?year=-", {}, ""),
    ("?year=", {}, ""),
    ("?year=99999", {}, ""),
    ("?year=2015-99999", {}, ""),
    ("?year=2015-2018-2020", {}, ""),
    ("?year=1e3", {}, ""),
    ("?year=%E0%A4%A", {}, ""),  # broken percent-encoding
    ("?task=seg&year=20x5", {"task": {"seg"}}, "?task=seg"),
    # Free text: every word, any case, '+' is a space.
    ("?q=alpha", {"q": "alpha"}, "?q=alpha"),
    ("?q=ALPHA+unet", {"q": "alpha unet"}, "?q=ALPHA%20unet"),
    ("?q=%20adni%20", {"q": "adni"}, "?q=adni"),
    # Exact names: case-sensitive, whole name, source or target, OR within, AND with the rest.
    ("?dataset=ADNI", {"dataset": {"ADNI"}}, "?dataset=ADNI"),
    (enc({"dataset": [ODD]}).removeprefix("explore/"), {"dataset": {ODD}}, "?dataset=ADNI%2C%203T%20%26%20more%20%E2%80%93%20K%C3%B6ln"),
    (enc({"dataset": [ODD, "BraTS"]}).removeprefix("explore/"), {"dataset": {ODD, "BraTS"}},
     "?dataset=ADNI%2C%203T%20%26%20more%20%E2%80%93%20K%C3%B6ln,BraTS"),
    ("?dataset=ADNI,BraTS", {"dataset": {"ADNI", "BraTS"}}, "?dataset=ADNI,BraTS"),
    ("?dataset=ADNI%2CBraTS", {}, ""),  # one name "ADNI,BraTS", which no study has
    ("?dataset=adni", {}, ""),  # case counts
    ("?dataset=ADNI%20", {}, ""),  # so do spaces
    ("?dataset=OASIS%2B3", {"dataset": {"OASIS+3"}}, "?dataset=OASIS%2B3"),
    ("?dataset=OASIS+3", {}, ""),  # '+' is a space: "OASIS 3"
    ("?architecture=U-Net", {"architecture": {"U-Net"}}, "?architecture=U-Net"),
    ("?architecture=U-Net&dataset=ADNI", {"architecture": {"U-Net"}, "dataset": {"ADNI"}}, "?dataset=ADNI&architecture=U-Net"),
    ("?dataset=ADNI&task=cls", {"dataset": {"ADNI"}, "task": {"cls"}}, "?task=cls&dataset=ADNI"),
    ("?q=adni&dataset=BraTS&year=2019-", {"q": "adni", "dataset": {"BraTS"}, "years": (2019, None)}, "?dataset=BraTS&q=adni&year=2019-"),
    ("?year=2015-2020&dim=2d&architecture=ResNet,U-Net&task=seg,not-reported&q=a",
     {"years": (2015, 2020), "dim": {"2d"}, "architecture": {"ResNet", "U-Net"}, "task": {"seg", "not-reported"}, "q": "a"},
     "?task=seg,not-reported&dim=2d&architecture=ResNet,U-Net&q=a&year=2015-2020"),
])
def test_parse_filter_count_and_format(core: Any, search: str, want: dict[str, Any], canonical: str) -> None:
    got = core.evaluate(RUN, [data(), search])
    assert got["ids"] == expected_ids(want), search
    assert got["total"] == len(got["ids"])
    assert got["counts"] == expected_counts(want), search
    assert got["query"] == canonical
    assert got["again"] == canonical and got["ids2"] == got["ids"]  # parse -> format -> parse is stable
    assert list(got["years"]) == list(want.get("years", (None, None)))
    assert got["q"].lower() == want.get("q", "")
    names = sorted(want.get("dataset", ()), key=DATASETS.index)
    assert got["chips"] == [f"Dataset: {n}" for n in names] + [
        f"Architecture: {n}" for n in sorted(want.get("architecture", ()), key=ARCHITECTURES.index)]


def test_exact_names_are_not_a_text_search(core: Any) -> None:
    """'ADNI' as text finds the study whose dataset merely contains it and the one naming it in its
    title; as a dataset filter only the studies with exactly that dataset."""
    text = core.evaluate(RUN, [data(), "?q=adni"])["ids"]
    exact = core.evaluate(RUN, [data(), "?dataset=ADNI"])["ids"]
    assert exact == ["s0", "s2"]
    assert text == ["s2"]  # only titles and summaries are searched in this data set
    assert core.evaluate(RUN, [data(), explore_url({"dataset": [ODD]}).removeprefix("explore/")])["ids"] == ["s1"]


@pytest.mark.parametrize(("value", "years"), [
    ("2015-2020", [2015, 2020]), ("2020-2015", [2015, 2020]), ("2018", [2018, 2018]), ("2018-", [2018, None]),
    ("-2019", [None, 2019]), (" 2015 - 2020 ", [2015, 2020]), ("0-9999", [0, 9999]),
    ("", [None, None]), (None, [None, None]), ("abc", [None, None]), ("-", [None, None]), ("2015--2020", [None, None]),
    ("12345", [None, None]), ("2015 2020", [None, None]), ("2015-12345", [None, None]), ("2015-2020-2025", [None, None]), ("2015.5", [None, None]),
])
def test_parse_year(core: Any, value: str | None, years: list[int | None]) -> None:
    assert core.evaluate("(v) => EvidenceExplore.parseYear(v)", value) == years


@pytest.mark.parametrize(("bounds", "text"), [
    ((None, None), ""), ((2015, 2020), "2015-2020"), ((2020, 2015), "2015-2020"), ((2018, 2018), "2018"),
    ((2018, None), "2018-"), ((None, 2019), "-2019"),
])
def test_format_year_orders_the_range(core: Any, bounds: tuple[int | None, int | None], text: str) -> None:
    js = "([a, b]) => EvidenceExplore.formatYear(...EvidenceExplore.orderYears(a, b))"
    assert core.evaluate(js, list(bounds)) == text
    ordered = sorted(bounds) if None not in bounds else list(bounds)  # type: ignore[type-var]
    assert core.evaluate("(t) => EvidenceExplore.parseYear(t)", text) == ordered  # and it reads back


def test_query_params_keep_encoded_commas_inside_a_value(core: Any) -> None:
    got = core.evaluate("(s) => [...EvidenceExplore.queryParams(s)]", "?dataset=A%2CB,C&dataset=D&q=x%26y&flag&%zz=1")
    assert got == [["dataset", ["A%2CB,C", "D"]], ["q", ["x%26y"]], ["flag", [""]]]


def test_csv_is_quoted_as_python_writes_it(core: Any) -> None:
    import csv
    import io

    rows = [["a", 'say "hi"', "x,y", "line\nbreak", "", 3]]
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([["c1", "c2", "c3", "c4", "c5", "c6"], rows[0]])
    assert core.evaluate("([c, r]) => EvidenceExplore.toCSV(c, r)", [["c1", "c2", "c3", "c4", "c5", "c6"], rows]) == buf.getvalue()


def test_the_filter_is_fast_on_ten_thousand_studies(core: Any) -> None:
    """The filter and every count in one pass: well under a frame's budget per click at 10,000."""
    ms = core.evaluate("""(d) => {
      const E = window.EvidenceExplore;
      const studies = [];
      for (let i = 0; i < 10000; i++) {
        const s = d.studies[i % d.studies.length];
        studies.push({ ...s, id: `x${i}` });
      }
      const model = E.buildModel({ ...d, studies });
      const state = E.parseState(model, "?task=seg,cls&dataset=ADNI,BraTS&year=2015-");
      E.evaluate(model, state);
      const t0 = performance.now();
      for (let k = 0; k < 20; k++) { state.sel[1] = new Set([k % 2]); E.evaluate(model, state); }
      return (performance.now() - t0) / 20;
    }""", data())
    assert ms < 50, ms


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_formula_cells_as_the_data_page_does(core: Any, start: str) -> None:
    import csv
    import io

    from generator.publish.downloads import neutralise

    cells = [f"{start}HYPERLINK(\"https://evil.example\",\"x\")", f"{start}1+1", "plain", 2024]
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows([["a", "b", "c", "d"], [neutralise(c) for c in cells]])
    assert core.evaluate("([c, r]) => EvidenceExplore.toCSV(c, [r])", [["a", "b", "c", "d"], cells]) == buf.getvalue()
