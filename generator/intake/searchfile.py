"""Writing search records (data/searches/<id>.yaml) and changing one candidate's decision in place.

A new search file is written once, deterministically, in the layout below (block style, one field a
line, decision/record/reason always present), so that a later decision is a minimal text edit: only
the values of that candidate's decision lines change, every other byte of the file stays as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..evidence.yamlsafe import decode, dump_scalar, parse

HEADER = """\
# yaml-language-server: $schema=../../schema/search.schema.json
# Search record: one search run and what became of each candidate it returned. Written by
# `evidence-map import`; decisions change with `evidence-map include` / `exclude` (never by hand-editing
# other candidates). Abstracts are not stored: they are the publishers' text.
"""

BIBLIOGRAPHIC = ("key", "title", "authors", "authors_truncated", "year", "venue", "doi", "arxiv", "url", "score")
DECISION = ("decision", "record", "reason")
DEDUPE = ("duplicate_of", "confidence", "note")


def render_search(meta: Mapping[str, Any], candidates: Sequence[Mapping[str, Any]]) -> str:
    lines = [HEADER.rstrip("\n")]
    for name in ("id", "source", "kind", "description", "query", "file"):
        if meta.get(name) is not None:
            lines.append(f"{name}: {dump_scalar(meta[name])}")
    run = meta["run"]
    lines.append(f"run: {run.isoformat() if isinstance(run, dt.date) else run}")
    if not candidates:
        lines.append("candidates: []")
        return "\n".join(lines) + "\n"
    lines.append("candidates:")
    for c in candidates:
        first = True
        for name in BIBLIOGRAPHIC + DECISION + DEDUPE:
            value = c.get(name)
            if value is None and name not in DECISION:
                continue
            if name == "authors_truncated" and not value:
                continue
            if name == "authors":
                if not value:
                    continue
                text = "[" + ", ".join(_quoted(a) for a in value) + "]"
            else:
                text = dump_scalar(value)
            lines.append(("  - " if first else "    ") + f"{name}: {text}")
            first = False
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """Always double-quoted: an author 'Family, Given' inside [..] must not split at its comma."""
    out = dump_scalar(text)
    return out if out.startswith('"') else '"' + out + '"'


def write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as fh:  # never overwrite an earlier search run
        fh.write(text)


def set_decision(path: Path, key: str, values: Mapping[str, Any]) -> None:
    """Set fields (decision, record, reason, note, ...) of one candidate, editing only their values.

    Fields the candidate has are replaced in place; fields it lacks are inserted as new lines after its
    last decision line. Every other byte of the file stays as it was."""
    text = decode(path.read_bytes())
    doc = parse(text)
    cands = doc.root.value if doc.root is not None else []
    cand_node = next(v for k, v in cands if k.value == "candidates")
    index = next(i for i, c in enumerate(doc.data["candidates"]) if c.get("key") == key)
    node = cand_node.value[index]
    pairs = {k.value: (k, v) for k, v in node.value}
    edits: list[tuple[int, int, str]] = []
    indent = " " * node.value[0][0].start_mark.column
    anchor_key = max((pairs[n] for n in DECISION + DEDUPE if n in pairs), key=lambda kv: kv[1].end_mark.index, default=None)
    anchor = anchor_key[1].end_mark.index if anchor_key else node.end_mark.index
    inserts = []
    for name, value in values.items():
        rendered = dump_scalar(value.isoformat() if isinstance(value, dt.date) else value)
        if name in pairs:
            v = pairs[name][1]
            edits.append((v.start_mark.index, v.end_mark.index, rendered))
        elif value is not None:
            inserts.append(f"\n{indent}{name}: {rendered}")
    if inserts:
        edits.append((anchor, anchor, "".join(inserts)))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    raw = text.encode("utf-8")
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_bytes(raw)
    tmp.replace(path)
