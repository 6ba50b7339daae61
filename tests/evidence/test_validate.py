"""Every bad-input kind is reported with its file, line, column and a precise message."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.conftest import VALID, make_data, record

TODAY = dt.date.today()


def dump(rec: dict) -> str:
    return yaml.safe_dump(rec, sort_keys=False, allow_unicode=True, width=1000)


def pos(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of needle: computed from the text, not the code."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], files: dict[str, str | bytes]) -> tuple[int, list[str]]:
    """Validate a data folder holding one valid record plus the given files; returns (exit, error lines)."""
    monkeypatch.chdir(tmp_path)
    make_data(tmp_path, [])
    for name, content in files.items():
        path = tmp_path / "data" / "studies" / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    code = main(["validate", "--data", "data"])
    err = capsys.readouterr().err.splitlines()
    return code, [line for line in err if ": error: " in line]


def one_error(tmp_path, monkeypatch, capsys, name: str, content: str | bytes) -> str:
    code, errors = run(tmp_path, monkeypatch, capsys, {name: content})
    assert code == 1
    assert len(errors) == 1, errors
    return errors[0]


def test_valid_record_passes(tmp_path, monkeypatch, capsys):
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record())})
    assert (code, errors) == (0, [])


def test_syntax_error_reports_its_line(tmp_path, monkeypatch, capsys):
    text = dump(record()).replace("venue: NeuroImage", "venue: [NeuroImage")
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    assert err.startswith("data/studies/doe2020transfer.yaml:")
    assert "YAML syntax error" in err
    line = int(err.split(":")[1])
    assert line >= pos(text, "venue:")[0]


def test_duplicate_key_is_an_error_not_silently_dropped(tmp_path, monkeypatch, capsys):
    text = dump(record()) + "title: Another title\n"
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "title:", 2)
    first, _ = pos(text, "title:")
    assert err == (f"data/studies/doe2020transfer.yaml:{line}:{col}: error: title: duplicate key (first at line {first}); "
                   "YAML would silently keep only the last value")


def test_aliases_are_refused(tmp_path, monkeypatch, capsys):
    text = dump(record(drop=["source_datasets", "target_datasets"])) + "source_datasets: &d [BraTS]\ntarget_datasets: *d\n"
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "&d")
    assert err == f"data/studies/doe2020transfer.yaml:{line}:{col}: error: anchors (&d) are not allowed; write the value out"


def test_alias_bomb_is_refused_quickly(tmp_path, monkeypatch, capsys):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", bomb)
    assert err == "data/studies/doe2020transfer.yaml:1:4: error: anchors (&a) are not allowed; write the value out"


def test_top_level_must_be_a_mapping(tmp_path, monkeypatch, capsys):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", "- id: doe2020transfer\n")
    assert err == "data/studies/doe2020transfer.yaml:1:1: error: expected a mapping of fields at the top level, got a list"


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty_file(tmp_path, monkeypatch, capsys, content):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", content)
    assert err == "data/studies/doe2020transfer.yaml:1:1: error: file is empty; expected a study record (field: value lines)"


def test_every_missing_required_field_is_reported(tmp_path, monkeypatch, capsys):
    required = ["title", "authors", "year", "venue", "publication_type", "summary", "task", "application", "added", "extracted_from"]
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record(drop=required))})
    assert code == 1
    assert sorted(e.split(": error: ")[1].split(":")[0] for e in errors) == sorted(required)
    for e in errors:
        assert e.startswith("data/studies/doe2020transfer.yaml:1:1: error: ")
        assert "required field is missing" in e
    task = next(e for e in errors if ": task:" in e)
    assert "(allowed: classification, segmentation," in task


def test_optional_facets_may_be_left_out(tmp_path, monkeypatch, capsys):
    rec = record(drop=["mri_modality", "ml_method", "tl_approach", "source_domain", "issues_addressed", "dimensionality",
                       "label_setting", "brain_mri_specific", "compared_with_no_transfer", "doi", "url", "code_url", "key_result"])
    assert run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(rec)}) == (0, [])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", 2019, "title: expected text, got the number 2019"),
        ("year", "2019", "year: expected a whole number written in decimal digits, e.g. 2019, got '2019'"),
        ("authors", "Doe, Jane", "authors: expected a list (one '- item' per line, or [] for none), got 'Doe, Jane'"),
        ("authors_truncated", "yes", "authors_truncated: expected true or false, got 'yes'"),
        ("added", "15 January 2026", "added: '15 January 2026' is not a valid date; expected YYYY-MM-DD"),
        ("added", 20260115, "added: expected a date written YYYY-MM-DD, got the number 20260115"),
        ("venue", None, "venue: is empty; expected text"),
        ("summary", "", "summary: must not be empty"),
    ],
)
def test_wrong_types(tmp_path, monkeypatch, capsys, field, value, message):
    text = dump(record(**{field: value}))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, _ = pos(text, f"\n{field}:")
    col = len(field) + 3
    assert err == f"data/studies/doe2020transfer.yaml:{line + 1}:{col}: error: {message}"


def test_wrong_type_inside_a_list_names_the_item(tmp_path, monkeypatch, capsys):
    text = dump(record(authors=["Doe, Jane", 42]))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "- 42")
    assert err == f"data/studies/doe2020transfer.yaml:{line}:{col + 2}: error: authors item 2: expected text, got the number 42"


def test_unknown_field_with_did_you_mean(tmp_path, monkeypatch, capsys):
    rec = record(drop=["summary"])
    rec["sumary"] = "typo"
    text = dump(rec)
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text})
    line, col = pos(text, "sumary:")
    assert code == 1
    assert f"data/studies/doe2020transfer.yaml:{line}:{col}: error: sumary: unknown field; did you mean 'summary'? (allowed fields: id, title," in "\n".join(errors)
    assert any(e.endswith("summary: required field is missing") for e in errors)


def test_controlled_value_with_did_you_mean(tmp_path, monkeypatch, capsys):
    text = dump(record(application=["brain-tumor", "alzheimer"]))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "- alzheimer")
    assert err.startswith(
        f"data/studies/doe2020transfer.yaml:{line}:{col + 2}: error: application: 'alzheimer' is not an allowed value; "
        "did you mean 'alzheimers-disease'? (allowed: alzheimers-disease, mild-cognitive-impairment,"
    )


def test_controlled_value_without_close_match_lists_what_is_allowed(tmp_path, monkeypatch, capsys):
    text = dump(record(label_setting="zzz"))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    assert err.endswith("label_setting: 'zzz' is not an allowed value (allowed: inductive, transductive, unsupervised, unspecified)")


def test_number_is_not_a_boolean_value(tmp_path, monkeypatch, capsys):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", dump(record(compared_with_no_transfer=1)))
    assert err.endswith("compared_with_no_transfer: the number 1 is not an allowed value (allowed: true, false, unknown)")


def test_quoted_boolean_is_explained(tmp_path, monkeypatch, capsys):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", dump(record(compared_with_no_transfer="true")))
    assert err.endswith("compared_with_no_transfer: 'true' is text; write true without quotes (allowed: true, false, unknown)")


def test_added_in_the_future(tmp_path, monkeypatch, capsys):
    later = TODAY + dt.timedelta(days=1)
    text = dump(record(added=later))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "added:")
    assert err == (f"data/studies/doe2020transfer.yaml:{line}:{col + 7}: error: added: {later.isoformat()} is in the future; "
                   f"use the day the record entered the map (today is {TODAY.isoformat()})")


def test_unquoted_flow_list_of_authors_is_caught(tmp_path, monkeypatch, capsys):
    text = dump(record(drop=["authors"])) + "authors: [Turrisi, Rosanna, Pati, Sarthak]\n"
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "Turrisi")
    assert err == (f"data/studies/doe2020transfer.yaml:{line}:{col}: error: authors: most names are not written 'Family, Given' "
                   "(e.g. 'Turrisi'); write one '- Family, Given' per line, or quote each name in a [bracketed] list: "
                   "a comma outside quotes starts a new name")


def test_a_few_single_names_among_authors_are_allowed(tmp_path, monkeypatch, capsys):
    rec = record(authors=["Pravitasari, Anindya Apriliyanti", "Irhamah", "Iriawan, Nur"])
    assert run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(rec)}) == (0, [])


def test_repeated_value_in_a_list(tmp_path, monkeypatch, capsys):
    text = dump(record(task=["segmentation", "segmentation"]))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "- segmentation", 2)
    assert err == f"data/studies/doe2020transfer.yaml:{line}:{col + 2}: error: task: 'segmentation' is listed more than once"


@pytest.mark.parametrize("bad", ["Doe2020", "doe 2020", "-doe", "doe_2020", "döe2020", "doe2020 ", "", "doe2020\u200b"])
def test_id_must_be_a_slug(tmp_path, monkeypatch, capsys, bad):
    text = dump(record(id=bad))
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text})
    line, col = pos(text, "id:")
    assert code == 1
    assert f"data/studies/doe2020transfer.yaml:{line}:{col + 4}: error: id: {bad!r} is not valid; use lowercase ascii letters, digits and hyphens, e.g. hon2017towards" in errors


def test_id_must_equal_file_name(tmp_path, monkeypatch, capsys):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020other.yaml", dump(record()))
    assert err == ("data/studies/doe2020other.yaml:1:5: error: id: 'doe2020transfer' does not match the file name "
                   "'doe2020other.yaml'; the id must equal the file name without .yaml")


def test_ids_are_unique(tmp_path, monkeypatch, capsys):
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record()), "zz.yaml": dump(record(doi=None, title="Other"))})
    assert code == 1
    both = "id: 'doe2020transfer' is used by 2 files (data/studies/doe2020transfer.yaml, data/studies/zz.yaml); ids must be unique"
    assert f"data/studies/doe2020transfer.yaml:1:5: error: {both}" in errors
    assert f"data/studies/zz.yaml:1:5: error: {both}" in errors


def test_dois_are_unique_ignoring_case(tmp_path, monkeypatch, capsys):
    other = record(id="roe2021other", title="A different study entirely", doi=VALID["doi"].upper())
    text = dump(other)
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record()), "roe2021other.yaml": text})
    line, col = pos(text, "doi:")
    assert code == 1
    assert errors == [f"data/studies/roe2021other.yaml:{line}:{col + 5}: error: doi: '{VALID['doi'].upper()}' is also the DOI of "
                      "'doe2020transfer' (data/studies/doe2020transfer.yaml); each study needs exactly one record"]


def test_near_identical_titles_are_flagged_unless_acknowledged(tmp_path, monkeypatch, capsys):
    twin = record(id="roe2021transfer", doi=None, title="Transfer learning for glioma segmentation in small cohort!")
    text = dump(twin)
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record()), "roe2021transfer.yaml": text})
    line, col = pos(text, "title:")
    assert code == 1
    assert errors[0].startswith(f"data/studies/roe2021transfer.yaml:{line}:{col + 7}: error: title: nearly identical to the title of "
                                "'doe2020transfer' (data/studies/doe2020transfer.yaml, similarity 0.99); likely a duplicate record.")
    twin["distinct_from"] = ["doe2020transfer"]
    (tmp_path / "data" / "studies" / "roe2021transfer.yaml").write_text(dump(twin))
    assert main(["validate", "--data", "data"]) == 0


def test_corpus_pairs_of_similar_but_distinct_titles_pass():
    """The corpus README names a conference paper and its journal extension (similarity 0.78)."""
    from generator.evidence.validate import similar_titles

    studies = {p.stem: yaml.safe_load(p.read_text())["title"] for p in (Path(__file__).resolve().parents[2] / "data" / "studies").glob("*.yaml")}
    assert "hosseiniasl2016alzheimers" in studies and "hosseiniasl2018alzheimers" in studies
    assert similar_titles(studies) == []
    pair = {k: studies[k] for k in ("hosseiniasl2016alzheimers", "hosseiniasl2018alzheimers")}
    assert similar_titles(pair, threshold=0.77) == [(*sorted(pair), 0.78)]  # the check does see them, below the bar


@pytest.mark.parametrize("bad", ["https://doi.org/10.1000/xyz", "doi:10.1000/xyz", "10.1000", "10.1000/has space", "11.1000/x"])
def test_doi_format(tmp_path, monkeypatch, capsys, bad):
    text = dump(record(doi=bad))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "doi:")
    assert err.startswith(f"data/studies/doe2020transfer.yaml:{line}:{col + 5}: error: doi: ")
    assert err.endswith("is not valid; expected a bare DOI such as 10.3390/jimaging7040066 (no https://doi.org/ prefix, no spaces)")


@pytest.mark.parametrize("field", ["url", "code_url"])
@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://example.org/x", "//example.org/x", "example.org", "data:text/html,x", "https://"])
def test_only_http_links(tmp_path, monkeypatch, capsys, field, bad):
    text = dump(record(**{field: bad}))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, _ = pos(text, f"\n{field}:")
    assert err.startswith(f"data/studies/doe2020transfer.yaml:{line + 1}:")
    assert err.endswith(f"{field}: {bad!r} is not a well-formed http(s) link; write an absolute http:// or https:// address with a valid host "
                        "and no spaces; the characters [ ] ( ) < > \" ' ` \\ must be percent-encoded")


@pytest.mark.parametrize("year", [1949, 1066, TODAY.year + 2, 20190])
def test_year_in_plausible_range(tmp_path, monkeypatch, capsys, year):
    text = dump(record(year=year))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "year:")
    assert err == (f"data/studies/doe2020transfer.yaml:{line}:{col + 6}: error: year: {year} is not a plausible publication year; "
                   f"expected 1950 to {TODAY.year + 1}")


def test_non_utf8_file_reports_the_byte(tmp_path, monkeypatch, capsys):
    text = dump(record(venue="Revue Neurologique"))
    raw = text.encode("utf-8").replace(b"Revue", b"R\xe9vue")
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", raw)
    line, col = pos(text, "Revue")
    assert err == f"data/studies/doe2020transfer.yaml:{line}:{col + 1}: error: file is not valid UTF-8 (byte 0xe9); save it as UTF-8"


def test_bom_and_crlf_are_accepted(tmp_path, monkeypatch, capsys):
    raw = b"\xef\xbb\xbf" + dump(record(venue="Revue Neurologique é")).replace("\n", "\r\n").encode("utf-8")
    assert run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": raw}) == (0, [])


def test_yml_extension_is_not_silently_skipped(tmp_path, monkeypatch, capsys):
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yml": dump(record())})
    assert code == 1
    assert errors == ["data/studies/doe2020transfer.yml:1:1: error: record files must end in .yaml; rename it so it is not skipped"]


def test_every_problem_in_every_file_in_one_run_sorted(tmp_path, monkeypatch, capsys):
    files = {
        "b.yaml": dump(record(id="b", doi=None, title="Bbb study", application=["alzheimer"], year=1800)),
        "a.yaml": dump(record(id="a", doi=None, title="Aaa study", task=["segmentaton"])) + "id: a\n",
    }
    code, errors = run(tmp_path, monkeypatch, capsys, files)
    assert code == 1
    assert [e.split(":")[0] for e in errors] == ["data/studies/a.yaml"] * 2 + ["data/studies/b.yaml"] * 2
    keys = [(e.split(":")[0], int(e.split(":")[1]), int(e.split(":")[2])) for e in errors]
    assert keys == sorted(keys)


def test_summary_line_counts_problems_and_files(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    make_data(tmp_path, [record(id="a", doi=None, title="Aaa", year=1800), record(id="b", doi=None, title="Bbb", year=1800)])
    assert main(["validate", "--data", "data"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "2 problems in 2 files"


def test_github_annotations(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    text = dump(record(application=["alzheimer"]))
    code, _ = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text})
    assert code == 1
    # run() consumed the output: run again to read stdout
    main(["validate", "--data", "data"])
    out = capsys.readouterr().out.splitlines()
    line, col = pos(text, "- alzheimer")
    assert len(out) == 1
    assert out[0].startswith(f"::error file=data/studies/doe2020transfer.yaml,line={line},col={col + 2}::application: 'alzheimer' is not an allowed value; did you mean 'alzheimers-disease'?")


def test_annotation_escapes_newlines_and_percent():
    from generator.evidence.validate import Problem

    p = Problem("data/studies/a,b.yaml", 3, 4, "x: 100% wrong\nsecond line")
    assert p.github() == "::error file=data/studies/a%2Cb.yaml,line=3,col=4::x: 100%25 wrong%0Asecond line"


def test_large_maps_are_checked_in_parallel_with_the_same_result(tmp_path, monkeypatch):
    """The process pool (used from PARALLEL_FROM files) reports exactly what the serial path does."""
    import generator.evidence.validate as v
    from generator.evidence.dataset import InvalidData, load

    recs = [record(id=f"s{i:03d}", doi=None, title=hashlib.sha256(str(i).encode()).hexdigest(), application=["alzheimer"] if i % 7 == 0 else ["stroke"])
            for i in range(60)]
    data = make_data(tmp_path, recs)
    results = []
    for threshold in (10_000, 5):
        monkeypatch.setattr(v, "PARALLEL_FROM", threshold)
        with pytest.raises(InvalidData) as e:
            load(data)
        results.append([p.format() for p in e.value.problems])
    assert results[0] == results[1]
    assert len(results[0]) == 9


# --- hardening: bad input never crashes, every case gets a precise message ----------------------

def replace_line(text: str, field: str, new: str) -> str:
    """The record text with the line of a top-level field replaced by raw YAML (not via the dumper)."""
    lines = text.splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[i] = new + "\n"
    return "".join(lines)


def test_impossible_calendar_date_is_reported_and_other_files_still_are(tmp_path, monkeypatch, capsys):
    text = replace_line(dump(record()), "added", "added: 2024-02-30")
    other = dump(record(id="zz", doi=None, title="Another study", year=1800))
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text, "zz.yaml": other})
    line, col = pos(text, "2024-02-30")
    yline, ycol = pos(other, "1800")
    assert code == 1
    assert errors == [
        f"data/studies/doe2020transfer.yaml:{line}:{col}: error: added: '2024-02-30' is not a valid date; expected YYYY-MM-DD",
        f"data/studies/zz.yaml:{yline}:{ycol}: error: year: 1800 is not a plausible publication year; expected 1950 to {TODAY.year + 1}",
    ]


@pytest.mark.parametrize("written", ["0x7e8", "0o3750", "2_024", "+2024", "33:44"])
def test_year_must_be_written_in_decimal_digits(tmp_path, monkeypatch, capsys, written):
    text = replace_line(dump(record()), "year", f"year: {written}")
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, written)
    assert err == (f"data/studies/doe2020transfer.yaml:{line}:{col}: error: year: expected a whole number written in decimal digits, "
                   f"e.g. 2019, got '{written}'")


def test_a_year_of_thousands_of_digits_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    text = replace_line(dump(record()), "year", "year: " + "1" * 5000)
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "1111")
    assert err == (f"data/studies/doe2020transfer.yaml:{line}:{col}: error: year: a number of 5000 digits is too long; "
                   "expected a whole number written in decimal digits, e.g. 2019")


def test_quoted_iso_date_is_accepted_as_the_json_schema_says(tmp_path, monkeypatch, capsys):
    text = replace_line(dump(record()), "added", 'added: "2026-01-15"')
    assert run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text}) == (0, [])


@pytest.mark.parametrize(("written", "message"), [
    ('"2026-13-01"', "added: '2026-13-01' is not a valid date; expected YYYY-MM-DD"),
    ("'26-01-15'", "added: '26-01-15' is not a valid date; expected YYYY-MM-DD"),
    ("2026-01-15 10:00:00", "added: expected a date written YYYY-MM-DD, got the date and time 2026-01-15 10:00:00"),
])
def test_quoted_text_that_is_no_date_is_still_refused(tmp_path, monkeypatch, capsys, written, message):
    text = replace_line(dump(record()), "added", f"added: {written}")
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    assert err == f"data/studies/doe2020transfer.yaml:{pos(text, written)[0]}:8: error: {message}"


def test_quoted_date_in_the_future_is_caught_too(tmp_path, monkeypatch, capsys):
    later = (TODAY + dt.timedelta(days=1)).isoformat()
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", dump(record(added=later)))
    assert err.endswith(f"error: added: {later} is in the future; use the day the record entered the map (today is {TODAY.isoformat()})")


def test_merge_keys_are_refused(tmp_path, monkeypatch, capsys):
    text = dump(record()) + "<<: {title: Hidden title}\n"
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    line, col = pos(text, "<<:")
    assert err == f"data/studies/doe2020transfer.yaml:{line}:{col}: error: merge keys (<<) are not allowed; write the fields out"


def test_a_long_id_and_file_name_get_the_limit(tmp_path, monkeypatch, capsys):
    long_id = "a" * 250
    err = one_error(tmp_path, monkeypatch, capsys, f"{long_id}.yaml", dump(record(id=long_id)))
    assert err == f"data/studies/{long_id}.yaml:1:5: error: id: is 250 characters long; at most 80 allowed"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("summary", "x" * 5012, "summary: is 5012 characters long; at most 2000 allowed"),
    ("title", "T" * 501, "title: is 501 characters long; at most 500 allowed"),
    ("venue", "V" * 301, "venue: is 301 characters long; at most 300 allowed"),
    ("key_result", "K" * 301, "key_result: is 301 characters long; at most 300 allowed"),
    ("verified", "W" * 1001, "verified: is 1001 characters long; at most 1000 allowed"),
    ("authors", ["Doe, Jane", "R" * 301], "authors item 2: is 301 characters long; at most 300 allowed"),
    ("authors", [f"Doe{i}, Jane" for i in range(1001)],
     "authors: has 1,001 items; at most 1,000 allowed; keep the first ones and set authors_truncated: true"),
    ("architectures", [f"Net{i}" for i in range(51)], "architectures: has 51 items; at most 50 allowed"),
])
def test_text_and_list_lengths_are_limited(tmp_path, monkeypatch, capsys, field, value, message):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", dump(record(**{field: value})))
    assert err.split(": error: ")[1] == message


def test_shipped_records_are_well_within_the_limits():
    """The limits catch runaway values without touching real records: the longest is under a third of each."""
    from generator.evidence.records import MAX_SHORT_TEXT, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH

    recs = [yaml.safe_load(p.read_text()) for p in (Path(__file__).resolve().parents[2] / "data" / "studies").glob("*.yaml")]
    assert max(len(r["summary"]) for r in recs) * 3 < MAX_SUMMARY_LENGTH
    assert max(len(r["title"]) for r in recs) * 2 < MAX_TITLE_LENGTH
    assert max(len(r["venue"]) for r in recs) < MAX_SHORT_TEXT


def test_thousands_of_unknown_keys_are_reported_quickly_and_capped(tmp_path, monkeypatch, capsys):
    import time

    text = dump(record()) + "".join(f"extra{i}: {i}\n" for i in range(20_000))
    start = time.perf_counter()
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text})
    assert time.perf_counter() - start < 5  # was 36 s: a scan of every key per problem
    assert code == 1
    assert len(errors) == 51
    line, col = pos(text, "extra0:")
    assert errors[0].startswith(f"data/studies/doe2020transfer.yaml:{line}:{col}: error: extra0: unknown field (allowed fields: id, title,")
    assert errors[-1] == f"data/studies/doe2020transfer.yaml:{line + 50}:1: error: ... and 19,950 more problems in this file"


def test_long_values_are_shortened_in_messages(tmp_path, monkeypatch, capsys):
    text = dump(record(id="X" * 100_000))
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text})
    assert code == 1
    shown = "'" + "X" * 78 + "…"
    assert errors == [
        f"data/studies/doe2020transfer.yaml:1:5: error: id: {shown} does not match the file name 'doe2020transfer.yaml'; "
        "the id must equal the file name without .yaml",
        "data/studies/doe2020transfer.yaml:1:5: error: id: is 100000 characters long; at most 80 allowed",
    ]
    assert max(len(e) for e in errors) < 300


def test_an_oversized_record_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    make_data(tmp_path, [])
    path = tmp_path / "data" / "studies" / "doe2020transfer.yaml"
    path.write_text(dump(record()))
    with path.open("r+b") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 52,428,800 bytes
    assert main(["validate", "--data", "data"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "data/studies/doe2020transfer.yaml:1:1: error: file is 52,428,800 bytes; a record must be under 1 MB"
    assert len(err) < 300


MARKUP_URL = "https://example.org/[x](/autofocus/onfocus=alert(1)//)"


@pytest.mark.parametrize("field", ["url", "code_url"])
@pytest.mark.parametrize("bad", [
    MARKUP_URL, 'https://example.org/"onmouseover="x', "https://example.org/<script>", "https://example.org/a`b", "https://example.org/a\\b",
    "https://example.org/it's", "https://exa mple.org/", "https://example.org/\u200bx", "https://example.org/\u202ex", "http://[::1]/",
    "https://example.org:99999/", "https://ex_ample.org/", "https://-example.org/", "https://example..org/", "https://:80/",
    "https://例え.jp/", "https://user:pw@example.org/", "https://example.org/\u00a0x", "https://example.org/\u2028x",
])
def test_links_must_be_well_formed_and_free_of_markup(tmp_path, monkeypatch, capsys, field, bad):
    text = dump(record(**{field: bad}))
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", text)
    assert err.split(": error: ")[1] == (
        f"{field}: {bad!r} is not a well-formed http(s) link; write an absolute http:// or https:// address with a valid host and no spaces; "
        "the characters [ ] ( ) < > \" ' ` \\ must be percent-encoded")


@pytest.mark.parametrize("good", ["https://example.org/a%28b%29", "http://example.org:8080/x?q=1&r=2#frag", "https://xn--r8jz45g.jp/パス",
                                  "https://github.com/user/repo_name-1.2", "https://doi.org/10.1002/(SICI)1097".replace("(", "%28").replace(")", "%29")])
def test_well_formed_links_pass(tmp_path, monkeypatch, capsys, good):
    assert run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record(url=good, code_url=good))}) == (0, [])


@pytest.mark.parametrize(("bad", "what"), [
    ("10.1016/j.neuro\u200bimage.2020.1", "an invisible character (U+200B)"),
    ("10.1016/j.neuro\u00adimage.2020.1", "an invisible character (U+00AD)"),
    ("10.1016/j.neuro\ufeffimage.2020.1", "an invisible character (U+FEFF)"),
    ("10.１０１６/j.neuroimage.2020.1", "a non-ASCII character (U+FF11)"),
    ("10.1016/j.neuroimage.٢٠٢٠", "a non-ASCII character (U+0662)"),
])
def test_doi_with_invisible_or_look_alike_characters_is_refused(tmp_path, monkeypatch, capsys, bad, what):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", dump(record(doi=bad)))
    assert err.split(": error: ")[1] == f"doi: {bad!r} contains {what}; retype the DOI in plain ASCII, e.g. 10.3390/jimaging7040066"


@pytest.mark.parametrize("bad", ['10.1000/a"b', "10.1000/a<b>", "10.1000/a`b"])
def test_doi_without_markup_characters(tmp_path, monkeypatch, capsys, bad):
    err = one_error(tmp_path, monkeypatch, capsys, "doe2020transfer.yaml", dump(record(doi=bad)))
    assert err.split(": error: ")[1] == (f"doi: {bad!r} is not valid; expected a bare DOI such as 10.3390/jimaging7040066 "
                                         "(no https://doi.org/ prefix, no spaces)")


def test_dois_are_compared_in_normal_form(tmp_path, monkeypatch, capsys):
    other = record(id="roe2021other", title="A different study entirely", doi=VALID["doi"].upper() + ".")
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record()), "roe2021other.yaml": dump(other)})
    assert code == 1
    assert [e.split(": error: ")[1] for e in errors] == [
        f"doi: '{VALID['doi'].upper()}.' is also the DOI of 'doe2020transfer' (data/studies/doe2020transfer.yaml); each study needs exactly one record"]


def test_doi_key():
    from generator.evidence.normalise import doi_key

    assert doi_key("https://doi.org/10.1016/J.X.") == doi_key("doi:10.1016/j.x") == doi_key("10.1016/j.x\u200b") == "10.1016/j.x"
    assert doi_key("10.１０１６/j.x\u00ad") == "10.1016/j.x"


def test_look_alike_letters_do_not_hide_a_duplicate_title(tmp_path, monkeypatch, capsys):
    spoof = "Trаnsfеr lеаrning fоr gliоmа sеgmеntаtiоn in smаll cоhоrts"  # Cyrillic а е о
    assert spoof != VALID["title"]
    twin = record(id="roe2021transfer", doi=None, title=spoof)
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": dump(record()), "roe2021transfer.yaml": dump(twin)})
    assert code == 1
    assert errors[0].split(": error: ")[1].startswith("title: nearly identical to the title of 'doe2020transfer' (data/studies/doe2020transfer.yaml, "
                                                      "similarity 1.00); likely a duplicate record.")


def test_normalise_title_is_unicode_aware():
    from generator.evidence.normalise import title_key
    from generator.evidence.validate import similar_titles

    assert title_key("Ｆｕｌｌ\u200bwidth ﬁne-tuning of Réseaux\u00ad") == "fullwidth fine tuning of reseaux"
    assert title_key("Вrаin МRI") == "brain mri"
    assert title_key("深度学习的脑部磁共振成像") == "深度学习的脑部磁共振成像"
    assert title_key("!!! ???") == ""
    titles = {"zh": "深度学习的脑部磁共振成像", "ru": "Обучение с переносом для МРТ", "x": "!!!", "y": "???", "z": "\u200b"}
    assert similar_titles(titles) == []
    assert similar_titles({"a": "Réseaux de neurones", "b": "Reseaux de neurones"}) == [("a", "b", 1.0)]


def test_a_value_repeated_many_times_is_reported_once(tmp_path, monkeypatch, capsys):
    text = dump(record(task=["segmentation"] * 1000 + ["classification"] * 3))
    code, errors = run(tmp_path, monkeypatch, capsys, {"doe2020transfer.yaml": text})
    assert code == 1
    assert [e.split(": error: ")[1] for e in errors] == ["task: 'segmentation' is listed more than once", "task: 'classification' is listed more than once"]


def test_a_record_is_parsed_again_only_when_its_bytes_or_the_taxonomy_change(tmp_path, monkeypatch):
    """`mkdocs serve` loads every record on each save: unchanged files reuse their last result."""
    from generator.evidence import validate
    from generator.evidence.dataset import InvalidData, load
    from tests.conftest import write_record

    other = record(id="roe2021other", title="Another study of transfer", doi="10.1000/other")
    data = make_data(tmp_path, [record(), other])
    checked: list[str] = []
    real = validate.check_file
    monkeypatch.setattr(validate, "check_file", lambda path, *a, **k: checked.append(path.name) or real(path, *a, **k))
    first = load(data)
    assert sorted(checked) == ["doe2020transfer.yaml", "roe2021other.yaml"]

    checked.clear()
    write_record(data, other)  # the same bytes saved again (a new modification time)
    assert load(data).studies == first.studies and checked == []

    write_record(data, {**other, "title": "A corrected title"})
    assert [s.title for s in load(data).studies if s.id == "roe2021other"] == ["A corrected title"] and checked == ["roe2021other.yaml"]

    checked.clear()
    write_record(data, {**other, "year": 1800})  # an invalid record: its problem is reported on every load
    for _ in range(2):
        with pytest.raises(InvalidData) as e:
            load(data)
        assert [p.message for p in e.value.problems if "year" in p.message]
    assert checked == ["roe2021other.yaml"]

    checked.clear()
    taxonomy = data / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("label: Task", "label: Task of the model", 1), encoding="utf-8")
    write_record(data, other)
    assert load(data).taxonomy["task"].label == "Task of the model"
    assert sorted(checked) == ["doe2020transfer.yaml", "roe2021other.yaml"]  # a new taxonomy: every record again
