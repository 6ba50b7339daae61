from __future__ import annotations

import pytest

from generator.evidence.yamlsafe import Mark, YamlProblem, decode, parse


def test_positions_of_values_and_keys():
    doc = parse("a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.where(("a",)) == Mark(1, 4)
    assert doc.key_mark(("b",)) == Mark(2, 1)
    assert doc.where(("b", 1, "c")) == Mark(4, 9)
    assert doc.where(("b", 7)) == doc.where(("b",)) == Mark(3, 3)  # falls back to the nearest existing parent
    assert doc.key_mark(("zz",)) is None


def test_duplicate_keys_at_any_depth_are_all_reported():
    doc = parse("a: 1\nb: {c: 1, c: 2}\na: 3\n")
    assert [(p.mark, p.message.split(":")[0]) for p in doc.duplicates] == [(Mark(2, 11), "c"), (Mark(3, 1), "a")]


@pytest.mark.parametrize(("text", "message"), [
    ("a: &x 1\nb: *x\n", "anchors (&x) are not allowed; write the value out"),
    ("a: [*x]\n", "YAML syntax error: found undefined alias 'x'"),
])
def test_anchors_and_aliases_refused(text, message):
    with pytest.raises(YamlProblem) as e:
        parse(text)
    assert e.value.message == message or e.value.message.startswith("aliases")


def test_syntax_error_has_its_line():
    with pytest.raises(YamlProblem) as e:
        parse("a: 1\nb: [1, 2\nc: 3\n")
    assert e.value.mark.line == 3
    assert e.value.message.startswith("YAML syntax error: ")


def test_decode_accepts_bom_and_reports_bad_bytes():
    assert decode(b"\xef\xbb\xbfa: 1\r\n") == "a: 1\r\n"
    with pytest.raises(YamlProblem) as e:
        decode(b"a: 1\nb: \xff\n")
    assert e.value.mark == Mark(2, 4)


@pytest.mark.parametrize("text", ["\ta: 1", "a: \x00", "a: '\x07'", "? [a]\n: 1\n", "!!python/object:os.system x", "a: !!binary x"])
def test_odd_input_gives_a_positioned_problem(text):
    with pytest.raises(YamlProblem) as e:
        parse(text)
    assert e.value.mark.line >= 1 and e.value.message


@pytest.mark.parametrize("text", ["<<: {a: 1}\nb: 2\n", "b: 2\nc:\n  - <<: {a: 1}\n", "a: &x {b: 1}\nc:\n  <<: *x\n"])
def test_merge_keys_are_refused(text):
    with pytest.raises(YamlProblem) as e:
        parse(text)
    assert e.value.message in ("merge keys (<<) are not allowed; write the fields out", "anchors (&x) are not allowed; write the value out")
    if "&" not in text:
        assert e.value.mark == Mark(text.count("\n", 0, text.index("<<")) + 1, text.index("<<") - text.rfind("\n", 0, text.index("<<")))


def test_a_quoted_merge_key_is_an_ordinary_key():
    assert parse("'<<': 1\n").data == {"<<": 1}


@pytest.mark.parametrize(("text", "value"), [
    ("y: 2019", 2019), ("y: -5", -5), ("y: 0x7e8", "0x7e8"), ("y: 0o3750", "0o3750"), ("y: 2_024", "2_024"), ("y: +2024", "+2024"),
    ("y: 1:30", "1:30"), ("y: 0b101", "0b101"), ("y: " + "9" * 31, "9" * 31),
])
def test_only_decimal_numbers_become_ints(text, value):
    """Other YAML 1.1 integer forms, and numbers too long to convert, stay text for the type check to report."""
    assert parse(text).data == {"y": value}


def test_thousands_of_digits_do_not_raise():
    assert parse("y: " + "1" * 5000).data == {"y": "1" * 5000}


@pytest.mark.parametrize(("text", "value"), [("d: 2024-02-29", "date"), ("d: 2024-02-30", "2024-02-30"), ("d: 2023-02-29", "2023-02-29"),
                                             ("d: 9999-12-31 25:00:00", "9999-12-31 25:00:00")])
def test_impossible_dates_stay_text(text, value):
    got = parse(text).data["d"]
    assert (type(got).__name__ if value == "date" else got) == value


def test_position_lookups_are_linear_in_the_number_of_keys():
    import time

    n = 50_000
    doc = parse("".join(f"k{i}: {i}\n" for i in range(n)))
    start = time.perf_counter()
    marks = [doc.key_mark((f"k{i}",)) for i in range(n)]
    assert time.perf_counter() - start < 2  # a scan per lookup took minutes
    assert marks[-1] == Mark(n, 1)


def test_duplicate_key_messages_shorten_long_keys():
    doc = parse(f"{'k' * 1000}: 1\n{'k' * 1000}: 2\n")
    assert doc.duplicates[0].message == "k" * 79 + "…: duplicate key (first at line 1); YAML would silently keep only the last value"


def test_deep_nesting_is_a_problem_not_a_crash():
    with pytest.raises(YamlProblem) as e:
        parse("a: " + "[" * 5000 + "]" * 5000)
    assert "nesting" in e.value.message
    deep = "".join(" " * i + f"k{i}:\n" for i in range(990)) + " " * 990 + "x\n"
    assert parse(deep).data is not None


@pytest.mark.parametrize("text", ["? [a, b]\n: 1\n", "x:\n  ? {a: 1}\n  : 2\n"])
def test_a_key_that_is_a_list_or_mapping_is_refused_at_its_position(text):
    with pytest.raises(YamlProblem) as e:
        parse(text)
    assert e.value.message == "a key must be a name, not a list or mapping; write field: value"
    assert e.value.mark == (Mark(1, 3) if text.startswith("?") else Mark(2, 5))
