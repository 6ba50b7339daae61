"""Property tests: no text, in any field or as a whole file, crashes the validator."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.evidence.dataset import load
from generator.evidence.records import json_schema
from generator.evidence.taxonomy import parse_taxonomy
from generator.evidence.validate import check_file
from tests.conftest import DATA, record

TAXONOMY = parse_taxonomy(yaml.safe_load((DATA / "taxonomy.yaml").read_text()))
TEXT_FIELDS = ["title", "venue", "summary", "key_result", "verified"]
LIST_FIELDS = ["authors", "architectures", "source_datasets", "target_datasets"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(path: Path, content: bytes) -> None:
    path.write_bytes(content)
    res = check_file(path, TAXONOMY, "data/studies/x.yaml", dt.date(2026, 6, 1))
    assert (res.study is None) == bool(res.problems)
    for p in res.problems:
        assert p.line >= 1 and p.col >= 1 and p.message


@FUZZ
@given(field=st.sampled_from(TEXT_FIELDS), text=st.text())
def test_any_text_in_a_text_field(tmp_path, field, text):
    rec = record(id="x", **{field: text})
    check(tmp_path / "x.yaml", yaml.safe_dump(rec, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(field=st.sampled_from(LIST_FIELDS), items=st.lists(st.text(), max_size=4))
def test_any_text_in_a_list_field(tmp_path, field, items):
    rec = record(id="x", **{field: items})
    check(tmp_path / "x.yaml", yaml.safe_dump(rec, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(text=st.text())
def test_any_text_as_a_whole_file(tmp_path, text):
    check(tmp_path / "x.yaml", text.encode("utf-8"))


@FUZZ
@given(raw=st.binary())
def test_any_bytes_as_a_whole_file(tmp_path, raw):
    check(tmp_path / "x.yaml", raw)


def test_valid_text_round_trips(tmp_path):
    """Text the validator accepts reaches the Study unchanged (nothing stripped or mangled)."""
    odd = 'Ünïcode “quotes” <b>&amp;</b> {braces} **md** `code` \\ 100% #1 — ok'
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump(record(id="x", title=odd, summary=odd), allow_unicode=True), encoding="utf-8")
    res = check_file(path, TAXONOMY, "data/studies/x.yaml", dt.date(2026, 6, 1))
    assert res.study is not None and res.study.title == odd and res.study.summary == odd


def test_real_data_loads():
    ds = load(DATA)
    assert len(ds.studies) == len(list((DATA / "studies").glob("*.yaml")))


# --- the validator accepts what the published JSON Schema accepts ---------------------------------
# Records are drawn from the schema's own properties (types, lengths, patterns, enums, dates, item
# counts, uniqueness), written as YAML and validated: any refusal is a disagreement between the two.

LATEST = dt.date(9999, 12, 31)
"""'today' for these checks, so that no drawn date is in the future."""


def _text(prop: dict) -> st.SearchStrategy[str]:
    low, high = prop.get("minLength", 0), prop.get("maxLength", 10_000)
    if "pattern" in prop:
        return st.from_regex(prop["pattern"], fullmatch=True).filter(lambda s: low <= len(s) <= high)
    if prop.get("format") == "date":
        return st.dates().map(dt.date.isoformat)
    # short text mostly, and text exactly at the limit, where the two could disagree
    return st.one_of(st.text(min_size=low, max_size=min(high, 40)), st.text(min_size=high, max_size=high))


def from_property(prop: dict) -> st.SearchStrategy[Any]:
    """Values one property of the schema allows (the subset of JSON Schema the record schema uses)."""
    if "anyOf" in prop:
        return st.one_of([from_property(p) for p in prop["anyOf"]])
    if "enum" in prop:
        return st.sampled_from(prop["enum"])
    kind = prop["type"]
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(prop.get("minimum"), prop.get("maximum"))
    if kind == "string":
        return _text(prop)
    if kind == "array":
        items = from_property(prop["items"])
        return st.lists(items, min_size=prop.get("minItems", 0), max_size=min(prop.get("maxItems", 5), 5), unique=prop.get("uniqueItems", False))
    raise AssertionError(f"schema construct not covered by the test: {prop}")


def generation_schema() -> dict[str, Any]:
    """The published schema plus the rules it cannot state, which the validator checks against today
    or across values: a plausible year, and authors written "Family, Given"."""
    schema = json_schema(TAXONOMY)
    props = schema["properties"]
    props["year"]["maximum"] = LATEST.year + 1
    props["authors"]["items"]["pattern"] = "^[^,]{1,20}, [^,]{1,20}$"
    return schema


@st.composite
def schema_records(draw: st.DrawFn) -> dict[str, Any]:
    schema = generation_schema()
    rec = {}
    for name, prop in schema["properties"].items():
        if name in schema["required"] or draw(st.booleans()):
            rec[name] = draw(from_property(prop))
    return rec


SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(json_schema(TAXONOMY), format_checker=jsonschema.FormatChecker())


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(rec=schema_records())
def test_the_validator_accepts_every_record_the_schema_accepts(tmp_path_factory, rec):
    assert list(SCHEMA_VALIDATOR.iter_errors(rec)) == []  # the strategy draws from the published schema
    path = tmp_path_factory.mktemp("schema") / f"{rec['id']}.yaml"
    path.write_text(yaml.safe_dump(rec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    res = check_file(path, TAXONOMY, f"data/studies/{path.name}", LATEST)
    assert [p.message for p in res.problems] == [], json.dumps(rec, ensure_ascii=False)
    assert res.study is not None
