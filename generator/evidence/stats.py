"""Counts of studies per facet value."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .records import Study
from .taxonomy import NOT_REPORTED, Facet, Taxonomy


def facet_counts(studies: Sequence[Study], facet: Facet) -> list[tuple[str, int]]:
    """(slug, count) for every value in vocabulary order, then 'not reported' when any study is."""
    counts = Counter(v for s in studies for v in s.values(facet.name))
    rows = [(slug, counts.get(slug, 0)) for slug in facet.slugs]
    if counts.get(NOT_REPORTED):
        rows.append((NOT_REPORTED, counts[NOT_REPORTED]))
    return rows


def render_stats(studies: Sequence[Study], taxonomy: Taxonomy) -> str:
    years = [s.year for s in studies]
    out = [f"{len(studies)} studies" + (f", {min(years)}-{max(years)}" if years else "")]
    for facet in taxonomy.facets:
        out += ["", f"{facet.label} ({facet.name}{', multi' if facet.multi else ''})"]
        rows = facet_counts(studies, facet)
        width = max(len(slug) for slug, _ in rows)
        out += [f"  {slug:<{width}}  {n:>5}" for slug, n in rows]
    return "\n".join(out) + "\n"
