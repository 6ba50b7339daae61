"""Downloads of the whole map under data/: CSV, JSON, BibTeX, RIS and the record's JSON Schema."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from . import bibtex, ris
from .build import Files, SiteContext
from .dataset import Dataset
from .records import json_schema
from .table import columns, rows


@dataclass(frozen=True)
class Download:
    file: str
    """Path relative to the docs folder."""
    format: str
    description: str


DOWNLOADS = (
    Download("data/studies.csv", "CSV", "One row per study; multi-valued fields joined with \"; \"; facets as value codes."),
    Download("data/studies.json", "JSON", "An array of records, each exactly as its YAML file (valid against the JSON Schema)."),
    Download("data/studies.bib", "BibTeX", "One entry per study; the key is the study id."),
    Download("data/studies.ris", "RIS", "One record per study, for reference managers (Zotero, EndNote, Mendeley)."),
    Download("data/study.schema.json", "JSON Schema", "The schema of one record file, generated from the record model and the taxonomy."),
)


def to_csv(ds: Dataset) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(ds.taxonomy), lineterminator="\r\n")  # RFC 4180
    writer.writeheader()
    writer.writerows(rows(sorted(ds.studies, key=lambda s: s.id), ds.taxonomy))
    return out.getvalue()


def to_json(ds: Dataset) -> str:
    records = [s.record(ds.taxonomy) for s in sorted(ds.studies, key=lambda s: s.id)]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def schema(ds: Dataset) -> str:
    return json.dumps(json_schema(ds.taxonomy), ensure_ascii=False, indent=2) + "\n"


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    render = {
        "data/studies.csv": to_csv, "data/studies.json": to_json, "data/study.schema.json": schema,
        "data/studies.bib": lambda d: bibtex.bibliography(d.studies), "data/studies.ris": lambda d: ris.records(d.studies, d.taxonomy),
    }
    return {d.file: render[d.file](ds) for d in DOWNLOADS}
