"""The downloads of the whole map, declared as a table (file, format, description, renderer)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from ..evidence.dataset import Dataset
from ..evidence.records import json_schema
from . import bibtex, ris
from .table import columns, rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP)."""


def neutralise(cell: str | int) -> str | int:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a ' before it (OWASP)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


def to_csv(ds: Dataset) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(ds.taxonomy), lineterminator="\r\n")  # RFC 4180
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in r.items()} for r in rows(sorted(ds.studies, key=lambda s: s.id), ds.taxonomy))
    return out.getvalue()


_last_json: dict[int, tuple[Dataset, str]] = {}
"""The JSON of the last dataset rendered, by identity (a Dataset holds dicts, so it cannot be hashed)."""


def to_json(ds: Dataset) -> str:
    """Every record as one JSON array: the download, the map's version digest and the Changes page's
    comparison all read it. Rendered once per dataset: indented JSON goes through Python's pure-Python
    encoder, and six renderings were 0.15 s of every rebuild in the live preview."""
    hit = _last_json.get(id(ds))
    if hit is not None and hit[0] is ds:
        return hit[1]
    records = [s.record(ds.taxonomy) for s in sorted(ds.studies, key=lambda s: s.id)]
    text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    _last_json.clear()
    _last_json[id(ds)] = (ds, text)  # the reference keeps id(ds) from being reused while cached
    return text


def schema(ds: Dataset) -> str:
    return json.dumps(json_schema(ds.taxonomy), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class Download:
    file: str
    """Path relative to the docs folder."""
    format: str
    description: str
    render: Callable[[Dataset], str]


DOWNLOADS = (
    Download("data/studies.csv", "CSV", "One row per study; multi-valued fields joined with \"; \"; facets as value codes.", to_csv),
    Download("data/studies.json", "JSON", "An array of records, each exactly as its YAML file (valid against the JSON Schema).", to_json),
    Download("data/studies.bib", "BibTeX", "One entry per study; the key is the study id.", lambda ds: bibtex.bibliography(ds.studies, ds.review.site.roles)),
    Download("data/studies.ris", "RIS", "One record per study, for reference managers (Zotero, EndNote, Mendeley).",
             lambda ds: ris.records(ds.studies, ds.taxonomy, ds.review.site.roles)),
    Download("data/study.schema.json", "JSON Schema", "The schema of one record file, generated from the record model and the taxonomy.", schema),
)
