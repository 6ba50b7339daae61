"""Strict YAML loading: positions of values, no duplicate keys, no anchors, aliases or merge keys."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    col: int  # 1-based


@dataclass(frozen=True)
class YamlProblem(Exception):
    mark: Mark
    message: str


@dataclass
class Document:
    """A parsed YAML document and its node tree, to find where a value (or key) starts.

    Positions are looked up on demand: only a record with a problem needs them."""

    data: Any
    root: yaml.Node | None = None
    duplicates: list[YamlProblem] = field(default_factory=list)
    _index: dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]] = field(default_factory=dict, repr=False)

    def _children(self, node: yaml.MappingNode) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node) of a mapping, built once: a scan per lookup is quadratic
        for a record with thousands of keys. The first of duplicate keys wins (it is the one reported)."""
        index = self._index.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, (k, v))
            self._index[id(node)] = index
        return index

    def _nodes(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node | None]:
        """(key node, value node) at path; (None, nearest ancestor) where the path ends early."""
        key_node, node = None, self.root
        for step in path:
            child = None
            if isinstance(node, yaml.MappingNode):
                child = self._children(node).get(step) if isinstance(step, str) else None
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                child = (None, node.value[step])
            if child is None:
                return None, node
            key_node, node = child
        return key_node, node

    def where(self, path: Path_) -> Mark:
        """Position of the value at path, or of its nearest ancestor that exists."""
        node = self._nodes(path)[1]
        return _mark(node.start_mark) if node is not None else Mark(1, 1)

    def key_mark(self, path: Path_) -> Mark | None:
        """Position of the mapping key at path."""
        key = self._nodes(path)[0]
        return _mark(key.start_mark) if key is not None else None


SHOWN_CHARS = 80
"""Values are echoed in messages at most this long: a runaway value must not flood the output."""


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mark(m: yaml.Mark) -> Mark:
    return Mark(m.line + 1, m.column + 1)


# libyaml's loader when present (about 10x faster: validation time is mostly YAML parsing).
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_INT_DIGITS = 30
"""Longer numbers are kept as text: Python refuses to convert ints of over 4300 digits (and no
field needs a long one), so the validator reports them instead of crashing."""

_DECIMAL = re.compile(r"-?[0-9]+")


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, with numbers and dates that cannot crash construction."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        # YAML 1.1 also reads 0x7e8, 0o3750, 2_024, +2024 and 1:30 (base 60) as numbers: a record
        # means decimal, so anything else stays text and the field's type check reports it
        text = node.value
        if _DECIMAL.fullmatch(text) and len(text) <= MAX_INT_DIGITS:
            return int(text)
        return text

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # 2024-02-30 matches YAML's timestamp pattern but is no date: keep the text for the
        # date check to report, rather than let ValueError escape
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return node.value


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _refuse_anchors(text: str) -> None:
    """Raise at the first anchor or alias: an alias can expand to billions of nodes.

    Events carry anchor names and positions; the composed nodes of libyaml do not."""
    if "&" not in text and "*" not in text:  # neither can occur without its character
        return
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(_mark(event.start_mark), f"aliases (*{shorten(event.anchor)}) are not allowed; write the value out")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(_mark(event.start_mark), f"anchors (&{shorten(anchor)}) are not allowed; write the value out")


MERGE_TAG = "tag:yaml.org,2002:merge"


def _check_nodes(root: yaml.Node, doc: Document) -> None:
    """Record duplicate keys; raise at a merge key (<<), which would hide them by copying fields in.

    Iterative: libyaml allows nesting 1000 deep, close to Python's recursion limit."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[Any, yaml.Node] = {}
        children = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                raise YamlProblem(_mark(key_node.start_mark), "merge keys (<<) are not allowed; write the fields out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(_mark(key_node.start_mark), "a key must be a name, not a list or mapping; write field: value")
            key = key_node.value
            if key in seen:
                first = _mark(seen[key].start_mark)
                doc.duplicates.append(YamlProblem(
                    _mark(key_node.start_mark), f"{shorten(str(key))}: duplicate key (first at line {first.line}); YAML would silently keep only the last value"
                ))
                continue
            seen[key] = key_node
            children.append(value_node)
        stack.extend(reversed(children))
    doc.duplicates.sort(key=lambda p: (p.mark.line, p.mark.col))


def _mark_at(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    return Mark(line, index - (text.rfind("\n", 0, index) + 1) + 1)


def parse(text: str) -> Document:
    """Parse one YAML document; raise YamlProblem on syntax errors, anchors or aliases."""
    loader = None
    try:
        _refuse_anchors(text)
        loader = _Loader(text)  # the reader rejects control characters already here
        node = loader.get_single_node()
        doc = Document(data=None, root=node)
        if node is not None:
            _check_nodes(node, doc)
            doc.data = loader.construct_document(node)
        return doc
    except yaml.reader.ReaderError as e:
        raise YamlProblem(_mark_at(text, e.position), f"character U+{e.character:04X} is not allowed in YAML; remove it") from None
    except yaml.MarkedYAMLError as e:
        m = e.problem_mark or e.context_mark
        where = _mark(m) if m else Mark(1, 1)
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise YamlProblem(where, f"YAML syntax error: {shorten(what, 200)}") from None
    except yaml.YAMLError as e:
        raise YamlProblem(Mark(1, 1), f"YAML error: {e}") from None
    except RecursionError:  # the pure-Python parser has no nesting limit of its own (libyaml stops at 1000)
        raise YamlProblem(Mark(1, 1), "YAML nesting is too deep; a record needs at most a few levels") from None
    finally:
        if loader is not None:
            loader.dispose()


# JSON leaves these unescaped, but YAML either folds them as line breaks inside quoted scalars
# (NEL, LS, PS) or rejects the whole block as non-printable.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def dump_scalar(value: Any) -> str:
    """Any JSON-like value as one line of YAML (flow style), the way every writer here spells it:
    null, true/false, slugs plain, other text double-quoted and escaped (JSON is YAML)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and _PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value  # reads back as this very string (not a number, date, boolean or null)
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is allowed); raise YamlProblem at the first invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(Mark(line, col), f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x}); save it as UTF-8") from None
