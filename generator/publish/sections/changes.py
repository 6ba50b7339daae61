"""Changes: a page per release (what changed since the release before it), read from the snapshots
under releases/, and an index of releases with what changed since the newest one (unreleased)."""

from __future__ import annotations

from typing import Any

from ...evidence.dataset import Dataset
from ...evidence.records import short_authors
from .. import mapcite
from ..context import Files, SiteContext
from ..frontmatter import front_matter
from ..releasediff import Diff, diff, of_data, of_release
from ..render import render
from ..urls import study_file

INDEX = "changes/index.md"


def page_file(version: str) -> str:
    return f"changes/{version}.md"


def _study(r: dict[str, Any], this: str, current: set[str]) -> dict[str, Any]:
    """A study of a snapshot, linked when it is still in the map."""
    who = short_authors([str(a) for a in r.get("authors") or []], bool(r.get("authors_truncated")))
    return {"id": r["id"], "title": str(r.get("title", r["id"])), "who": who, "year": r.get("year", ""),
            "file": study_file(r["id"]) if r["id"] in current else None}


def view(d: Diff, this: str, current: set[str]) -> dict[str, Any]:
    """What a template prints of a diff (raw values: the template escapes them)."""
    return {
        "added": [_study(r, this, current) for r in d.added],
        "removed": [_study(r, this, current) for r in d.removed],
        "recategorised": [{"study": _study(d.new.records[c.id], this, current), "fields": c.recategorised} for c in d.changed if c.recategorised],
        "corrected": [{"study": _study(d.new.records[c.id], this, current), "fields": c.corrected} for c in d.changed if c.corrected],
        "searches": list(d.searches),
        "cells": list(d.cells),
        "first_cells": [c for c in d.cells if c.first],
        "rows": d.rows_label, "columns": d.columns_label,
        "facets_added": list(d.facets_added), "facets_removed": list(d.facets_removed),
        "old": d.old.version if d.old else None,
        "before": len(d.old.records) if d.old else 0, "after": len(d.new.records),
    }


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    current = {s.id for s in ds.studies}
    files: Files = {}
    rows = []
    prev = None
    for r in ds.releases:
        snap = of_release(r)
        d = diff(prev, snap)
        this = page_file(r.version)
        doi = mapcite.doi_of(ds, r)
        files[this] = front_matter({"title": f"Changes in release {r.version}"}) + render("changes.md.j2", version=r.version, date=r.date.isoformat(), doi=doi, placeholder=mapcite.DOI_PLACEHOLDER,
                             this=this, index=INDEX, path=r.path, **view(d, this, current))
        rows.append({"version": r.version, "date": r.date.isoformat(), "file": this, "studies": len(snap.records), "doi": doi,
                     "added": len(d.added), "removed": len(d.removed), "recategorised": len(d.recategorised), "searches": len(d.searches)})
        prev = snap
    unreleased = None
    if prev is not None:
        d = diff(prev, of_data(ds))
        if d.added or d.removed or d.changed or d.searches or d.facets_added or d.facets_removed:
            unreleased = view(d, INDEX, current)
    files[INDEX] = front_matter({"title": "Changes"}) + render("changes_index.md.j2", releases=list(reversed(rows)), unreleased=unreleased, this=INDEX,
                          placeholder=mapcite.DOI_PLACEHOLDER, studies=len(ds.studies))
    return files
