"""Membership in the source review: the records and review.yaml's included-list search agree both ways
(exact messages, at the record's source_review line), and coverage is counted from that search."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import DATA, make_data, record

from generator.evidence.dataset import InvalidData, load
from generator.evidence.membership import coverage

SEARCH = "2026-11-30-review-2021-included"
LIST = f"""\
id: {SEARCH}
source: review-2021-included
kind: file
file: review-2021-included.bib
run: 2026-11-30
candidates:
  - key: doe2020
    title: "Transfer learning for glioma segmentation in small cohorts"
    decision: include
    record: doe2020transfer
    reason: null
  - key: roe2019
    title: "A study nobody found"
    decision: pending
    record: null
    reason: null
  - key: poe2018
    title: "A CT study"
    decision: exclude
    record: null
    reason: not-brain-mri
"""
TODAY = dt.date(2026, 11, 30)


def data_with(tmp_path: Path, records: list[dict], search: str | None = LIST) -> Path:
    data = make_data(tmp_path, records)
    if search is not None:
        (data / "searches").mkdir()
        (data / "searches" / f"{SEARCH}.yaml").write_text(textwrap.dedent(search), encoding="utf-8")
    return data


def messages(data: Path) -> list[str]:
    with pytest.raises(InvalidData) as e:
        load(data, today=TODAY)
    return [p.format().split("studies/", 1)[-1] for p in e.value.problems]


def test_a_linked_record_that_says_probable_loads_and_others_default_to_added_since(tmp_path: Path) -> None:
    ds = load(data_with(tmp_path, [record(source_review="probable"), record(id="roe2021other", title="Another study", doi=None)]), today=TODAY)
    assert {s.id: s.facets["source_review"] for s in ds.studies} == {"doe2020transfer": ("probable",), "roe2021other": ("added-since",)}


def test_a_record_the_list_links_must_say_probable(tmp_path: Path) -> None:
    assert messages(data_with(tmp_path, [record()])) == [
        f"doe2020transfer.yaml:1:1: error: source_review: candidate 'doe2020' of {SEARCH} (the source review's included list) "
        "links this record; set 'source_review: probable'"]


def test_a_record_saying_added_since_is_reported_at_its_line(tmp_path: Path) -> None:
    [msg] = messages(data_with(tmp_path, [record(source_review="added-since")]))
    assert msg.startswith("doe2020transfer.yaml:41:1: error: source_review: candidate 'doe2020'")


def test_a_record_claiming_membership_needs_an_include_of_the_list(tmp_path: Path) -> None:
    other = record(id="roe2021other", title="Another study", doi=None, source_review="probable")
    assert messages(data_with(tmp_path, [record(source_review="probable"), other])) == [
        f"roe2021other.yaml:41:1: error: source_review: 'probable' but no include of {SEARCH} (the source review's included list) "
        f"links this record; link its entry (evidence-map include KEY --search {SEARCH} --record roe2021other) or remove the field"]


def test_without_the_list_a_claim_of_membership_is_reported(tmp_path: Path) -> None:
    assert messages(data_with(tmp_path, [record(source_review="probable")], search=None)) == [
        f"doe2020transfer.yaml:41:1: error: source_review: 'probable' but review.yaml's source_review.included_list.search "
        f"'{SEARCH}' is not a search record of data/searches/; import the list or remove the field"]
    assert load(data_with(tmp_path / "b", [record()], search=None), today=TODAY).searches == ()


def test_coverage_is_counted_from_the_search_record(tmp_path: Path) -> None:
    ds = load(data_with(tmp_path, [record(source_review="probable")]), today=TODAY)
    c = coverage(ds.review, ds.searches)
    assert c is not None and (c.entries, c.held, c.pending, c.excluded, c.reported) == (3, 1, 1, 1, 129)


def test_the_maps_coverage_of_the_source_review() -> None:
    ds = load(DATA)
    c = coverage(ds.review, ds.searches)
    assert c is not None and c.search.id == SEARCH
    assert (c.entries, c.held, c.pending, c.excluded, c.reported) == (131, 102, 27, 2, 129)
    assert c.held == sum(1 for s in ds.studies if s.facets["source_review"] == ("probable",))
