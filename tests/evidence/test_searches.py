"""Validation of search records (data/searches/<id>.yaml): exact messages with file:line:col."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from conftest import make_data, record

from generator.evidence.dataset import InvalidData, load

GOOD = """\
id: 2026-01-01-pubmed
source: pubmed
kind: file
file: pubmed.nbib
run: 2026-01-01
candidates:
  - key: "1"
    title: "A candidate"
    authors: ["Doe, Jane"]
    year: 2020
    decision: include
    record: doe2020transfer
    reason: null
  - key: "2"
    title: "Another"
    decision: exclude
    record: null
    reason: not-brain-mri
  - key: "3"
    title: "A third"
    decision: pending
    record: null
    reason: null
    duplicate_of: 2026-01-01-pubmed:2
    confidence: 0.8
"""


def write(data: Path, text: str, name: str = "2026-01-01-pubmed") -> Path:
    (data / "searches").mkdir(exist_ok=True)
    path = data / "searches" / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(data: Path) -> list[str]:
    with pytest.raises(InvalidData) as e:
        load(data, today=dt.date(2026, 6, 1))
    return [p.format().split("searches/", 1)[-1] for p in e.value.problems]


def test_valid_search_loads(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    write(data, GOOD)
    ds = load(data, today=dt.date(2026, 6, 1))
    (s,) = ds.searches
    assert s.id == "2026-01-01-pubmed" and [c.decision for c in s.candidates] == ["include", "exclude", "pending"]
    assert s.path == "data/searches/2026-01-01-pubmed.yaml"


def test_no_searches_folder_means_no_searches(tmp_path: Path) -> None:
    assert load(make_data(tmp_path)).searches == ()


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("decision: exclude", "decision: exlcude",
     "2026-01-01-pubmed.yaml:16:15: error: candidate '2': decision: 'exlcude' is not an allowed value; did you mean 'exclude'? "
     "(allowed: pending, include, exclude)"),
    ("reason: not-brain-mri", "reason: not-brain",
     "2026-01-01-pubmed.yaml:18:13: error: candidate '2': reason: 'not-brain' is not an allowed value; did you mean 'not-brain-mri'? "
     "(allowed: duplicate, not-brain-mri, no-transfer-learning, not-primary-research, not-human, not-found, out-of-scope)"),
    ("record: doe2020transfer", "record: nobody2020",
     "2026-01-01-pubmed.yaml:12:13: error: candidate '1': record: 'nobody2020' is not a record of the map (no data/studies/nobody2020.yaml)"),
    ("    reason: not-brain-mri\n", "    reason: null\n",
     "2026-01-01-pubmed.yaml:16:15: error: candidate '2': reason: an excluded candidate needs a reason (allowed: duplicate, not-brain-mri, "
     "no-transfer-learning, not-primary-research, not-human, not-found, out-of-scope)"),
    ("record: doe2020transfer", "record: null",
     "2026-01-01-pubmed.yaml:11:15: error: candidate '1': record: an included candidate needs 'record: <id>' naming the map record it became"),
    ('key: "2"', 'key: "1"',
     "2026-01-01-pubmed.yaml:14:10: error: candidate '1': key: also used by candidate 1; keys must be unique within a search file"),
    ("id: 2026-01-01-pubmed", "id: 2026-01-02-pubmed",
     "2026-01-01-pubmed.yaml:1:5: error: id: '2026-01-02-pubmed' does not match the file name '2026-01-01-pubmed.yaml'; "
     "the id must equal the file name without .yaml"),
    ("kind: file", "kind: fil",
     "2026-01-01-pubmed.yaml:3:7: error: kind: 'fil' is not an allowed value; did you mean 'file'? (allowed: file, api, manual)"),
    ("duplicate_of: 2026-01-01-pubmed:2", "duplicate_of: 2026-01-01-pubmed:9",
     "2026-01-01-pubmed.yaml:24:19: error: candidate '3': duplicate_of: '2026-01-01-pubmed:9' is not a candidate of the map; write <search-id>:<key>"),
    ("    confidence: 0.8\n", "",
     "2026-01-01-pubmed.yaml:19:5: error: candidate '3': confidence: duplicate_of and confidence go together; give both or neither"),
    ("year: 2020", "yaer: 2020",
     "2026-01-01-pubmed.yaml:10:5: error: candidate '1': yaer: unknown field; did you mean 'year'? (allowed fields: key, title, authors, "
     "authors_truncated, year, venue, doi, arxiv, url, score, decision, record, reason, duplicate_of, confidence, note)"),
    ("year: 2020", "year: '2020'",
     "2026-01-01-pubmed.yaml:10:11: error: candidate '1': year: expected a whole number written in decimal digits, e.g. 2019, got '2020'"),
    ("run: 2026-01-01", "run: 2027-01-01",
     "2026-01-01-pubmed.yaml:5:6: error: run: 2027-01-01 is in the future; use the day the search was run (today is 2026-06-01)"),
    ("    confidence: 0.8\n", "    confidence: 1.5\n",
     "2026-01-01-pubmed.yaml:25:17: error: candidate '3': confidence: the number 1.5 is out of range; expected a number from 0 to 1"),
])
def test_exact_messages(tmp_path: Path, old: str, new: str, expected: str) -> None:
    data = make_data(tmp_path)
    assert old in GOOD
    write(data, GOOD.replace(old, new, 1))
    assert problems(data) == [expected]


def test_a_record_is_claimed_by_one_candidate_at_most(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    write(data, GOOD)
    write(data, GOOD.replace("2026-01-01-pubmed", "2026-02-01-scopus").replace("source: pubmed", "source: scopus"), "2026-02-01-scopus")
    assert problems(data) == [
        "2026-02-01-scopus.yaml:12:13: error: candidate '1': record: 'doe2020transfer' is claimed by 2 candidates "
        "(2026-01-01-pubmed:1, 2026-02-01-scopus:1); a record is claimed by one candidate at most: exclude the others with "
        "'reason: duplicate' and 'duplicate_of: 2026-01-01-pubmed:1'",
    ]


def test_include_of_a_record_being_coded_is_not_a_missing_record(tmp_path: Path) -> None:
    """`include` writes a template that is invalid until coded: the search must not add a second error."""
    data = make_data(tmp_path, [record(), record(id="new2021study", summary=None)])
    write(data, GOOD.replace("record: doe2020transfer", "record: new2021study"))
    assert not any("new2021study" in p and "search" in p for p in problems(data) if p.startswith("2026"))


def test_yaml_syntax_errors_and_wrong_shapes(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    write(data, "id: [unclosed\n")
    assert problems(data)[0].startswith("2026-01-01-pubmed.yaml:2:1: error: YAML syntax error")
    write(data, "- a list\n")
    assert problems(data) == ["2026-01-01-pubmed.yaml:1:1: error: expected a mapping of fields at the top level, got a list"]


def test_committed_search_schema_is_current_and_accepts_the_committed_searches() -> None:
    import json

    import jsonschema
    import yaml
    from conftest import DATA, ROOT

    from generator.evidence.review import parse_review
    from generator.evidence.searches import SEARCH_SCHEMA, json_schema

    review = parse_review(yaml.safe_load((DATA / "review.yaml").read_text(encoding="utf-8")))
    schema = json_schema(review.screening)
    assert json.loads((ROOT / SEARCH_SCHEMA).read_text(encoding="utf-8")) == schema, "run: make schema"
    for path in sorted((DATA / "searches").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../schema/search.schema.json\n")
        jsonschema.validate(json.loads(json.dumps(yaml.safe_load(text), default=str)), schema)


def test_a_candidate_that_is_not_a_mapping(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    write(data, GOOD.replace('candidates:\n', 'candidates:\n  - just a title\n', 1))
    assert problems(data) == [
        "2026-01-01-pubmed.yaml:7:5: error: candidate 1: expected a mapping of fields (key:, title:, decision: ...), got 'just a title'"]
