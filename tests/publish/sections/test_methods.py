"""Methods and Home state the map's coverage of the source review's included list, counted from the
search record review.yaml names (never typed by hand), and link its parts on the Screening page."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import DATA

from generator.evidence.dataset import load
from generator.publish.sections.home import home
from generator.publish.sections.methods import methods
from generator.publish.sections.screening import screening


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


def listed(ds) -> Counter[str]:
    spec = ds.review.source_review.included_list
    (search,) = [s for s in ds.searches if s.id == spec.search]
    return Counter(c.decision for c in search.candidates)


@pytest.mark.parametrize("page", [methods, home])
def test_coverage_equals_what_the_search_record_says(ds, page) -> None:
    n = listed(ds)
    entries = sum(n.values())
    text = page(ds)
    assert f"**The source review's studies in the map: {n['include']} of {entries}.**" in text
    assert f"{entries} entries, against the\n{ds.review.source_review.prisma.included} studies the review reports" in text
    assert f"[{n['include']} of them](screening.md#src-review-2021-included-included)" in text
    assert f"[{n['pending']} entries await a contributor](screening.md#src-review-2021-included-pending)" in text
    assert f"[{n['exclude']} were excluded](screening.md#src-review-2021-included-excluded)" in text
    assert "[*In the source review \\(probable\\)*](facets/source_review/probable.md)" in text
    assert (n["include"], entries) == (102, 131)


def test_the_coverage_links_land_on_anchors_of_the_screening_page(ds) -> None:
    anchors = set(re.findall(r"\{ #([\w-]+) \}", screening(ds)))
    linked = set(re.findall(r"screening\.md#([\w-]+)", methods(ds)))
    assert {"src-review-2021-included-pending", "src-review-2021-included-included"} <= linked <= anchors


def test_without_an_included_list_nothing_is_claimed(ds) -> None:
    import dataclasses

    review = ds.review.model_copy(update={"source_review": ds.review.source_review.model_copy(update={"included_list": None})})
    other = dataclasses.replace(ds, review=review)
    assert "The source review's studies in the map" not in methods(other)
    assert "The source review's studies in the map" not in home(other)


def test_a_manual_search_counts_under_other_sources_without_invented_numbers(ds) -> None:
    text = methods(ds)
    (manual,) = [s for s in ds.searches if s.kind == "manual"]
    n = len(manual.candidates)
    assert n == 61 and all(c.decision == "include" and c.record for c in manual.candidates)
    assert f'<span class="em-prisma__n">{n}</span> studies identified via other sources: manual searches, manual-topic-search' in text
    assert "Candidates rejected during these searches were not recorded: no count of records screened or excluded" in text
    assert "Manual searches (manual\\-topic\\-search) count under other sources" in text
    figure = text[text.index('aria-labelledby="em-prisma-src-manual-topic-search"'):]
    figure = figure[:figure.index("</figure>")]
    assert "</span> records screened" not in figure and f'<span class="em-prisma__n">{n}</span> included (records of this map)' in figure
    # databases and imported lists first, other sources after them
    assert text.index("em-prisma-src-review-2021-included") < text.index("em-prisma-src-manual-topic-search")
