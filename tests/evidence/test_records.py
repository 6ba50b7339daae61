"""The record model is the single source: the JSON Schema is generated from it and agrees with it."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
import yaml

from generator.evidence.records import json_schema, record_model
from generator.evidence.taxonomy import parse_taxonomy
from tests.conftest import DATA, record

TAXONOMY = parse_taxonomy(yaml.safe_load((DATA / "taxonomy.yaml").read_text()))


def as_json(rec: dict) -> dict:
    """A record as an editor's YAML language server sees it (dates are strings in JSON)."""
    return json.loads(json.dumps(rec, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema(TAXONOMY)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_accepts_every_shipped_record(validator):
    files = sorted((DATA / "studies").glob("*.yaml"))
    assert len(files) > 100
    for path in files:
        errors = [e.message for e in validator.iter_errors(as_json(yaml.safe_load(path.read_text())))]
        assert errors == [], path.name


@pytest.mark.parametrize("bad", [
    {"application": ["alzheimer"]}, {"year": "2019"}, {"doi": "https://doi.org/10.1/x"}, {"url": "javascript:alert(1)"},
    {"extra_field": 1}, {"task": []}, {"compared_with_no_transfer": "yes"}, {"id": "Not A Slug"},
])
def test_schema_rejects_what_the_validator_rejects(validator, bad):
    rec = record(**bad)
    assert list(validator.iter_errors(as_json(rec)))
    with pytest.raises(Exception):  # noqa: B017 - pydantic ValidationError; the point is that both reject
        record_model(TAXONOMY).model_validate(rec)


def test_schema_vocabularies_come_from_the_taxonomy():
    schema = json_schema(TAXONOMY)
    for facet in TAXONOMY.facets:
        prop = schema["properties"][facet.name]
        enum = prop["items"]["enum"] if facet.multi else prop["enum"]
        assert enum == [v.value for v in facet.values]
    assert schema["additionalProperties"] is False
    assert {"id", "title", "authors", "year", "venue", "summary", "added", "task", "application", "publication_type"} <= set(schema["required"])


def test_a_new_facet_in_the_taxonomy_is_validated_without_code_changes(tmp_path):
    """The generator is generic: another review's taxonomy drives the record model."""
    raw = yaml.safe_load((DATA / "taxonomy.yaml").read_text())
    raw["facets"].append({"name": "cohort_size", "label": "Cohort size", "description": "Target cohort.", "multi": False,
                          "values": [{"value": "small", "label": "Small", "definition": "< 100"},
                                     {"value": "large", "label": "Large", "definition": ">= 100"}]})
    model = record_model(parse_taxonomy(raw))
    assert model.model_validate(record(cohort_size="small"))
    with pytest.raises(Exception):  # noqa: B017
        model.model_validate(record())  # required: no default given
    with pytest.raises(Exception):  # noqa: B017
        model.model_validate(record(cohort_size="huge"))


def test_the_field_list_is_derived_from_the_record_model_in_one_place():
    """Study, the canonical order, the CSV columns and the template all follow the model: a field
    added to the model shows up everywhere, or this fails."""
    import dataclasses

    from generator.evidence.records import BIBLIOGRAPHIC, Bibliographic, Study, field_names, record_model
    from generator.evidence.taxonomy import parse_taxonomy
    from generator.publish.table import NOT_IN_TABLE, columns

    assert tuple(f.name for f in dataclasses.fields(Study)) == (*BIBLIOGRAPHIC, "facets", "path")
    other = parse_taxonomy({"facets": [
        {"name": "zeta", "label": "Z", "description": "z", "multi": True, "values": [{"value": "a", "label": "A", "definition": "a"}]},
        {"name": "alpha", "label": "A", "description": "a", "multi": False, "values": [{"value": "b", "label": "B", "definition": "b"}]},
    ]})
    names = field_names(other)
    assert set(names) == set(record_model(other).model_fields) == set(Bibliographic.model_fields) | {"zeta", "alpha"}
    assert names.index("zeta") == names.index("key_result") + 1 and names.index("alpha") == names.index("zeta") + 1
    assert columns(other) == [n for n in names if n not in NOT_IN_TABLE]
