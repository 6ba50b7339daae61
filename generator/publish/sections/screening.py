"""Screening (screening.md): the candidates of every search run, by source: pending ones (with the
command that turns one into a record), included, excluded with their reasons and duplicates removed.
The Methods flow links each of its boxes to the list here that it counts."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ...evidence.dataset import Dataset
from ...evidence.review import DUPLICATE
from ...evidence.searches import Candidate, Search
from ..context import Files, SiteContext
from ..living import SCREENING, anchor, candidate_link, currency, flows
from ..render import render
from ..urls import study_file


def _authors(c: Candidate) -> str:
    if not c.authors:
        return ""
    names = list(c.authors[:6])
    more = len(c.authors) > 6 or c.authors_truncated
    return "; ".join(names) + ("; et al." if more else "")


def _item(s: Search, c: Candidate, ids: set[str]) -> dict[str, Any]:
    dup = c.duplicate_of
    link = candidate_link(c)
    return {
        "key": c.key, "search": s.id, "title": c.title, "link": Markup(link) if link else None, "pending": c.decision == "pending", "authors": _authors(c), "year": c.year,
        "venue": c.venue, "note": c.note, "confidence": c.confidence, "score": c.score,
        "command": f"evidence-map include {c.key} --search {s.id}",
        "record": c.record, "record_file": study_file(c.record) if c.record in ids else None,
        "duplicate_of": dup, "duplicate_file": study_file(dup) if dup in ids else None,
    }


def screening(ds: Dataset) -> str:
    ids = {s.id for s in ds.studies}
    reasons = ds.review.screening
    sources = []
    for f in flows(ds):
        rows = [(s, c) for s in f.searches for c in s.candidates]
        excluded = []
        for reason in sorted(f.excluded, key=lambda r: (reasons.reasons.index(r) if r in reasons.reasons else 99, r)):
            excluded.append({
                "label": reasons.label_of(reason), "anchor": Markup(anchor(f.source, f"excluded-{reason}")),
                "items": [_item(s, c, ids) for s, c in rows if c.decision == "exclude" and c.reason == reason],
            })
        sources.append({
            "flow": f, "anchor": Markup(anchor(f.source)), "searches": f.searches,
            # highest relevance score first where candidates have one (evidence-map discover and import score them)
            "pending": [_item(s, c, ids) for s, c in sorted((sc for sc in rows if sc[1].decision == "pending"),
                                                            key=lambda sc: (sc[1].score is None, -(sc[1].score or 0)))],
            "included": [_item(s, c, ids) for s, c in rows if c.decision == "include"],
            "duplicates": [_item(s, c, ids) for s, c in rows if c.decision == "exclude" and c.reason == DUPLICATE],
            "excluded": excluded,
            "anchors": {part: Markup(anchor(f.source, part)) for part in ("pending", "included", "duplicates", "excluded")},
        })
    return render("screening.md.j2", sources=sources, currency=currency(ds), this=SCREENING)


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {SCREENING: screening(ds)}
