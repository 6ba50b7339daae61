"""Property tests: no text, in any field or as a whole file, crashes the validator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.evidence.dataset import load
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
