"""taxonomy.yaml: facet names and value slugs that would break the record model or the site are refused with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.evidence.records import Bibliographic
from generator.evidence.taxonomy import MODEL_NAMES, RECORD_FIELDS
from tests.conftest import make_data


def validate_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], old: str, new: str,
                  file: str = "taxonomy.yaml") -> tuple[int, list[str], str]:
    monkeypatch.chdir(tmp_path)
    data = make_data(tmp_path, [])
    text = (data / file).read_text()
    assert text.count(old) == 1
    text = text.replace(old, new)
    (data / file).write_text(text)
    code = main(["validate", "--data", "data"])
    return code, [e for e in capsys.readouterr().err.splitlines() if ": error: " in e], text


def position(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return text.count("\n", 0, start) + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def test_record_fields_are_the_model_fields():
    assert set(Bibliographic.model_fields) == RECORD_FIELDS


@pytest.mark.parametrize("name", ["title", "id", "added", "doi", "distinct_from"])
def test_a_facet_cannot_take_a_record_field_name(tmp_path, monkeypatch, capsys, name):
    code, errors, text = validate_with(tmp_path, monkeypatch, capsys, "  - name: label_setting\n", f"  - name: {name}\n")
    line, col = position(text, f"name: {name}\n")
    assert code == 1
    assert f"data/taxonomy.yaml:{line}:{col + 6}: error: facets.7.name: '{name}' is a record field; choose another name" in errors


@pytest.mark.parametrize("name", ["model_config", "model_fields", "schema", "json", "copy", "model_anything", "validate"])
def test_a_facet_cannot_take_a_name_the_model_uses(tmp_path, monkeypatch, capsys, name):
    code, errors, text = validate_with(tmp_path, monkeypatch, capsys, "  - name: label_setting\n", f"  - name: {name}\n")
    line, col = position(text, f"name: {name}\n")
    assert code == 1
    assert errors == [f"data/taxonomy.yaml:{line}:{col + 6}: error: facets.7.name: '{name}' is a reserved name (used by the record model); "
                      "choose another name"]


@pytest.mark.parametrize("name", ["Task", "1task", "task-type", "../x", "a" * 61])
def test_a_facet_name_must_be_a_slug(tmp_path, monkeypatch, capsys, name):
    code, errors, _ = validate_with(tmp_path, monkeypatch, capsys, "  - name: label_setting\n", f"  - name: '{name}'\n")
    assert code == 1
    shown = repr(name if len(name) <= 80 else name[:79] + "…")
    assert errors[0].split(": error: ")[1] == (f"facets.7.name: {shown} is not a facet name; use lowercase ascii letters, digits and "
                                               "underscores, starting with a letter (at most 60 characters)")


@pytest.mark.parametrize("value", ["index", "not-reported"])
def test_reserved_value_slugs(tmp_path, monkeypatch, capsys, value):
    code, errors, text = validate_with(tmp_path, monkeypatch, capsys, "{value: regression,", f"{{value: {value},")
    line, col = position(text, f"value: {value},")
    assert code == 1
    assert errors == [f"data/taxonomy.yaml:{line}:{col + 7}: error: facets.0.values.2.value: '{value}' is reserved (a facet's index page, "
                      "or the value shown for a facet left empty); choose another value"]


@pytest.mark.parametrize("value", ["Regression", "../etc", "a/b", "a..b", ".hidden", "with space", "x_y", "é"])
def test_value_slugs(tmp_path, monkeypatch, capsys, value):
    code, errors, _ = validate_with(tmp_path, monkeypatch, capsys, "{value: regression,", f"{{value: '{value}',")
    assert code == 1
    assert errors[0].split(": error: ")[1] == (f"facets.0.values.2.value: {value!r} is not a slug; use lowercase ascii letters, digits and "
                                               "hyphens, a dot only between them (at most 60 characters), e.g. brain-tumor or 2.5d, or true/false")


def test_gap_map_axis_must_be_a_facet_and_is_reported_at_its_line(tmp_path, monkeypatch, capsys):
    code, errors, text = validate_with(tmp_path, monkeypatch, capsys, "  rows: application\n", "  rows: title\n", file="review.yaml")
    line, col = position(text, "rows: title")
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith(f"data/review.yaml:{line}:{col + 6}: error: gap_map.rows: 'title' is not a facet of taxonomy.yaml "
                                "(facets: task, application,")


def test_model_names_cover_pydantic_internals():
    assert {"model_config", "model_fields", "schema", "dict", "json"} <= MODEL_NAMES


def test_problems_in_taxonomy_yaml_are_capped_too(tmp_path, monkeypatch, capsys):
    many = "".join(f"  - {{name: Bad{i}, label: x, description: x, multi: true, values: [{{value: v, label: v, definition: v}}]}}\n" for i in range(80))
    code, errors, _ = validate_with(tmp_path, monkeypatch, capsys, "facets:\n", "facets:\n" + many)
    assert code == 1
    assert len(errors) == 51
    assert errors[-1].endswith("error: ... and 30 more problems in this file")
