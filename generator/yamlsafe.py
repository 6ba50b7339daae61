"""Strict YAML loading: positions for every value, no duplicate keys, no anchors or aliases."""

from __future__ import annotations

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
    """A parsed YAML document and where each value (and mapping key) starts."""

    data: Any
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    duplicates: list[YamlProblem] = field(default_factory=list)

    def where(self, path: Path_) -> Mark:
        """Position of the value at path, or of its nearest ancestor that exists."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Mark(1, 1))


def _mark(m: yaml.Mark) -> Mark:
    return Mark(m.line + 1, m.column + 1)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases: aliases can expand to billions of nodes."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(_mark(event.start_mark), f"aliases (*{event.anchor}) are not allowed; write the value out")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(_mark(event.start_mark), f"anchors (&{anchor}) are not allowed; write the value out")
        return super().compose_node(parent, index)


def _walk(node: yaml.Node, path: Path_, doc: Document) -> None:
    doc.values[path] = _mark(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else repr(key_node.value)
            km = _mark(key_node.start_mark)
            if key in seen:
                first = seen[key]
                doc.duplicates.append(
                    YamlProblem(km, f"{key}: duplicate key (first at line {first.line}); YAML would silently keep only the last value")
                )
                continue
            seen[key] = km
            doc.keys[(*path, key)] = km
            _walk(value_node, (*path, key), doc)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, (*path, i), doc)


def _mark_at(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    return Mark(line, index - (text.rfind("\n", 0, index) + 1) + 1)


def parse(text: str) -> Document:
    """Parse one YAML document; raise YamlProblem on syntax errors, anchors or aliases."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)  # the reader rejects control characters already here
        node = loader.get_single_node()
        doc = Document(data=None)
        if node is not None:
            _walk(node, (), doc)
            doc.data = loader.construct_document(node)
        return doc
    except yaml.reader.ReaderError as e:
        raise YamlProblem(_mark_at(text, e.position), f"character U+{e.character:04X} is not allowed in YAML; remove it") from None
    except yaml.MarkedYAMLError as e:
        m = e.problem_mark or e.context_mark
        where = _mark(m) if m else Mark(1, 1)
        what = " ".join(x for x in (e.context, e.problem) if x)
        raise YamlProblem(where, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as e:
        raise YamlProblem(Mark(1, 1), f"YAML error: {e}") from None
    finally:
        if loader is not None:
            loader.dispose()


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is allowed); raise YamlProblem at the first invalid byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        col = e.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(Mark(line, col), f"file is not valid UTF-8 (byte 0x{raw[e.start]:02x}); save it as UTF-8") from None
