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
