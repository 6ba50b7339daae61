"""What changed between two versions of the map: studies added, removed and re-categorised field by
field, search runs added, and the evidence-gap map's cells on its default axes. Pure functions of two
snapshots (release folders, or the current data as an unreleased one). Shared by the Changes pages
and each study page's history."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..evidence.dataset import Dataset
from ..evidence.releases import Release
from ..evidence.review import GapMap
from ..evidence.taxonomy import NOT_REPORTED, Taxonomy, slug_of
from .downloads import to_json

FIELD_LABELS = {
    "title": "Title", "authors": "Authors", "authors_truncated": "Authors truncated", "year": "Year", "venue": "Venue",
    "doi": "DOI", "url": "Link", "summary": "Summary", "key_result": "Key result", "architectures": "Architectures",
    "source_datasets": "Source datasets", "target_datasets": "Target datasets", "code_url": "Code", "added": "Added",
    "verified": "Verified", "distinct_from": "Distinct from",
}
SHOWN_IN_FULL = frozenset({"year", "doi", "architectures", "source_datasets", "target_datasets", "venue", "authors_truncated"})
"""Corrected bibliographic fields whose old and new values are short enough to print; others are named only."""


@dataclass(frozen=True)
class Snapshot:
    version: str | None
    """None for the current, unreleased data."""
    date: dt.date | None
    records: dict[str, dict[str, Any]]
    taxonomy: Taxonomy
    searches: tuple[dict[str, Any], ...]
    gap_map: GapMap


def of_release(r: Release) -> Snapshot:
    return Snapshot(r.version, r.date, r.by_id(), r.taxonomy, r.searches, r.manifest.gap_map)


def of_data(ds: Dataset) -> Snapshot:
    """The current data as a snapshot would hold it (the same JSON the release command writes)."""
    import json

    from .release import searches_summary

    records = {r["id"]: r for r in json.loads(to_json(ds))}
    return Snapshot(None, None, records, ds.taxonomy, tuple(searches_summary(ds)), ds.review.gap_map)


def facet_slugs(record: dict[str, Any], name: str, taxonomy: Taxonomy) -> tuple[str, ...]:
    """A facet's slugs in a record ('not-reported' for an empty multi facet, as pages show it)."""
    raw = record.get(name)
    values = raw if isinstance(raw, list) else [] if raw is None else [raw]
    slugs = tuple(slug_of(v) for v in values)
    return slugs or (NOT_REPORTED,)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    facet: bool
    before: tuple[str, ...]
    """Labels (facets) or values (short fields); empty when only the field's name is shown."""
    after: tuple[str, ...]


@dataclass(frozen=True)
class StudyChange:
    id: str
    title: str
    fields: tuple[FieldChange, ...]

    @property
    def recategorised(self) -> tuple[FieldChange, ...]:
        return tuple(f for f in self.fields if f.facet)

    @property
    def corrected(self) -> tuple[FieldChange, ...]:
        return tuple(f for f in self.fields if not f.facet)


@dataclass(frozen=True)
class CellChange:
    row: str
    column: str
    before: int
    after: int

    @property
    def first(self) -> bool:
        """The first study in a cell that was empty: a gap filled."""
        return self.before == 0 and self.after > 0

    @property
    def emptied(self) -> bool:
        return self.after == 0 and self.before > 0


@dataclass(frozen=True)
class Diff:
    old: Snapshot | None
    new: Snapshot
    added: tuple[dict[str, Any], ...]
    removed: tuple[dict[str, Any], ...]
    changed: tuple[StudyChange, ...]
    searches: tuple[dict[str, Any], ...]
    """Search runs in new and not in old."""
    rows_label: str
    columns_label: str
    cells: tuple[CellChange, ...] = field(default=())
    facets_added: tuple[str, ...] = ()
    """Labels of facets the new taxonomy has and the old one had not."""
    facets_removed: tuple[str, ...] = ()

    @property
    def recategorised(self) -> tuple[StudyChange, ...]:
        return tuple(c for c in self.changed if c.recategorised)


def _label(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(map(str, value)) if value else "none"
    return "none" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def study_change(old: dict[str, Any], new: dict[str, Any], old_tax: Taxonomy, new_tax: Taxonomy) -> StudyChange:
    """Every field that differs, facets first (in the taxonomy's order) with their values' labels."""
    # A facet only one of the two taxonomies has is a change of the taxonomy (Diff.facets_added and
    # facets_removed), not a re-categorisation of every study.
    out = []
    for facet in new_tax.facets:
        if facet.name not in old_tax.by_name:
            continue
        before, after = facet_slugs(old, facet.name, old_tax), facet_slugs(new, facet.name, new_tax)
        if sorted(before) != sorted(after):
            old_facet = old_tax[facet.name]
            out.append(FieldChange(facet.name, facet.label, True, tuple(old_facet.label_of(v) for v in before), tuple(facet.label_of(v) for v in after)))
    for name in [k for k in dict.fromkeys([*old, *new]) if k not in old_tax.by_name and k not in new_tax.by_name and k != "id"]:
        if old.get(name) != new.get(name):
            shown = name in SHOWN_IN_FULL
            out.append(FieldChange(name, FIELD_LABELS.get(name, name), False,
                                   (_label(old.get(name)),) if shown else (), (_label(new.get(name)),) if shown else ()))
    return StudyChange(new["id"], str(new.get("title", "")), tuple(out))


def cells(snapshot: Snapshot, rows: str, columns: str) -> Counter[tuple[str, str]]:
    """Studies per (row value, column value) of the gap map (a study with two values counts in both)."""
    out: Counter[tuple[str, str]] = Counter()
    if rows not in snapshot.taxonomy.by_name or columns not in snapshot.taxonomy.by_name:
        return out
    for r in snapshot.records.values():
        for a in dict.fromkeys(facet_slugs(r, rows, snapshot.taxonomy)):
            for b in dict.fromkeys(facet_slugs(r, columns, snapshot.taxonomy)):
                out[(a, b)] += 1
    return out


def diff(old: Snapshot | None, new: Snapshot) -> Diff:
    """new compared with old (None: the first release, where every study is added)."""
    before = old.records if old else {}
    added = tuple(new.records[i] for i in sorted(new.records.keys() - before.keys()))
    removed = tuple(before[i] for i in sorted(before.keys() - new.records.keys()))
    changed = tuple(
        c for c in (study_change(before[i], new.records[i], old.taxonomy, new.taxonomy) for i in sorted(before.keys() & new.records.keys()) if old)
        if c.fields
    )
    seen = {s["id"] for s in old.searches} if old else set()
    searches = tuple(s for s in new.searches if s["id"] not in seen)
    rows, columns = new.gap_map.rows, new.gap_map.columns
    tax = new.taxonomy
    label = {n: (tax[n].label if n in tax.by_name else n) for n in (rows, columns)}
    was = cells(old, rows, columns) if old else Counter()
    now = cells(new, rows, columns)

    def value_label(facet: str, slug: str) -> str:
        for t in (tax, old.taxonomy if old else tax):
            if facet in t.by_name:
                return t[facet].label_of(slug)
        return slug

    def order(facet: str, slug: str) -> int:
        slugs = list(tax[facet].slugs) if facet in tax.by_name else []
        return slugs.index(slug) if slug in slugs else len(slugs)

    keys = sorted((was.keys() | now.keys()), key=lambda k: (order(rows, k[0]), k[0], order(columns, k[1]), k[1]))
    cell_changes = tuple(
        CellChange(value_label(rows, a), value_label(columns, b), was.get((a, b), 0), now.get((a, b), 0))
        for a, b in keys if was.get((a, b), 0) != now.get((a, b), 0)
    )
    facets_added = tuple(f.label for f in new.taxonomy.facets if old and f.name not in old.taxonomy.by_name)
    facets_removed = tuple(f.label for f in old.taxonomy.facets if f.name not in new.taxonomy.by_name) if old else ()
    return Diff(old, new, added, removed, changed, searches, label[rows], label[columns], cell_changes, facets_added, facets_removed)


@dataclass(frozen=True)
class Event:
    """One line of a study's history."""

    version: str | None
    """None: a change in the data not yet in a release."""
    kind: str
    """added, re-categorised, corrected or removed"""
    change: StudyChange | None = None


def histories(snaps: Sequence[Snapshot]) -> dict[str, list[Event]]:
    """Each study's events across snapshots in order (the releases, then the current data as unreleased)."""
    out: dict[str, list[Event]] = {}
    prev: Snapshot | None = None
    for snap in snaps:
        d = diff(prev, snap)
        for r in d.added:
            out.setdefault(r["id"], []).append(Event(snap.version, "added"))
        for r in d.removed:
            out.setdefault(r["id"], []).append(Event(snap.version, "removed"))
        for c in d.changed:
            out.setdefault(c.id, []).append(Event(snap.version, "re-categorised" if c.recategorised else "corrected", c))
        prev = snap
    return out
