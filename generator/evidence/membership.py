"""Membership in the source review: the search record that holds the review's included list
(review.yaml's source_review.included_list) and the facet by which records say they are in it.

Both must agree: a record that an include of that search links carries the facet's value, and a
record carrying the value is linked by one. Coverage (how many of the list's entries the map holds)
is counted from the same search record."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .records import Study
from .review import IncludedList, Review
from .searches import Candidate, Search
from .taxonomy import Taxonomy
from .validate import Problem, display_path
from .yamlsafe import Document


def included_list(review: Review, searches: Sequence[Search]) -> tuple[IncludedList, Search] | None:
    """The review's included list and its search record, when review.yaml names one that exists."""
    spec = review.source_review.included_list
    if spec is None:
        return None
    search = next((s for s in searches if s.id == spec.search), None)
    return (spec, search) if search is not None else None


def members(search: Search) -> dict[str, Candidate]:
    """Record id -> the candidate of the included list that links it."""
    return {c.record: c for c in search.candidates if c.decision == "include" and c.record}


def _line_of(root: Path, study: Study, field: str) -> tuple[int, int]:
    """Where `field:` starts in the record file (line 1 when the field is left out)."""
    try:
        text = (root / study.path).read_text(encoding="utf-8-sig")
    except OSError:
        return 1, 1
    for n, line in enumerate(text.splitlines(), 1):
        if re.match(rf"{re.escape(field)}\s*:", line):
            return n, 1
    return 1, 1


def check_config(review: Review, taxonomy: Taxonomy, doc: Document, shown: str) -> list[Problem]:
    """included_list names a single facet and one of its values. (Its search may not be imported yet:
    then check_records reports each record that claims membership.)"""
    spec = review.source_review.included_list
    if spec is None:
        return []
    out = []
    where = ("source_review", "included_list")
    facet = taxonomy.by_name.get(spec.facet)
    if facet is not None and facet.multi:
        m = doc.where((*where, "facet"))
        out.append(Problem(shown, m.line, m.col, f"source_review.included_list.facet: '{spec.facet}' is a multi facet; membership needs a single facet (multi: false)"))
    elif facet is not None and spec.value not in facet.slugs:
        m = doc.where((*where, "value"))
        out.append(Problem(shown, m.line, m.col, f"source_review.included_list.value: {spec.value!r} is not a value of '{facet.name}' (allowed: {', '.join(facet.slugs)})"))
    return out


def check_records(review: Review, studies: Sequence[Study], searches: Sequence[Search], root: Path) -> list[Problem]:
    """Records and the included list agree, both ways; each problem is reported in the record."""
    spec = review.source_review.included_list
    if spec is None:
        return []
    found = included_list(review, searches)
    if found is None:  # the list is not (yet) a search record: nothing can support a claim of membership
        out = []
        for st in studies:
            if spec.value in st.facets.get(spec.facet, ()):
                line, col = _line_of(root, st, spec.facet)
                out.append(Problem(display_path(root / st.path), line, col, (
                    f"{spec.facet}: '{spec.value}' but review.yaml's source_review.included_list.search '{spec.search}' "
                    f"is not a search record of data/searches/; import the list or remove the field")))
        return out
    _, search = found
    linked = members(search)
    out = []
    for st in studies:
        says = spec.value in st.facets.get(spec.facet, ())
        cand = linked.get(st.id)
        if cand is not None and not says:
            line, col = _line_of(root, st, spec.facet)
            out.append(Problem(display_path(root / st.path), line, col, (
                f"{spec.facet}: candidate '{cand.key}' of {search.id} (the source review's included list) links this record; "
                f"set '{spec.facet}: {spec.value}'")))
        elif cand is None and says:
            line, col = _line_of(root, st, spec.facet)
            out.append(Problem(display_path(root / st.path), line, col, (
                f"{spec.facet}: '{spec.value}' but no include of {search.id} (the source review's included list) links this record; "
                f"link its entry (evidence-map include KEY --search {search.id} --record {st.id}) or remove the field")))
    return out


@dataclass(frozen=True)
class Coverage:
    """How much of the source review's included list the map holds, counted from its search record."""

    search: Search
    entries: int
    held: int
    pending: int
    excluded: int
    reported: int
    """The number of included studies the review itself reports (review.yaml)."""


def coverage(review: Review, searches: Sequence[Search]) -> Coverage | None:
    found = included_list(review, searches)
    if found is None:
        return None
    _, search = found
    decisions = [c.decision for c in search.candidates]
    return Coverage(search, len(decisions), len(members(search)), decisions.count("pending"), decisions.count("exclude"),
                    review.source_review.prisma.included)
