"""Related studies: those sharing the most application, TL approach and source-domain values."""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence

from .records import Study
from .taxonomy import Taxonomy

RELATED_FACETS = ("application", "tl_approach", "source_domain")
MAX_RELATED = 5


def related_facets(taxonomy: Taxonomy) -> list[str]:
    """The issue's three facets where the taxonomy has them, else every multi facet."""
    names = [f for f in RELATED_FACETS if f in taxonomy.by_name]
    return names or [f.name for f in taxonomy.facets if f.multi]


def related(studies: Sequence[Study], taxonomy: Taxonomy, limit: int = MAX_RELATED) -> dict[str, list[tuple[Study, int]]]:
    """For each study id, up to `limit` (study, shared values) pairs, most shared first.

    Ties go to the more recent study, then the smaller id, so the choice is deterministic. An
    inverted index keeps this near-linear for sparse overlaps instead of comparing every pair."""
    facets = related_facets(taxonomy)
    keys = {s.id: {(f, v) for f in facets for v in s.facets.get(f, ())} for s in studies}
    postings: dict[tuple[str, str], list[Study]] = defaultdict(list)
    for s in studies:
        for key in keys[s.id]:
            postings[key].append(s)
    out: dict[str, list[tuple[Study, int]]] = {}
    for s in studies:
        shared: Counter[str] = Counter()
        by_id: dict[str, Study] = {}
        for key in keys[s.id]:
            for other in postings[key]:
                if other.id != s.id:
                    shared[other.id] += 1
                    by_id[other.id] = other
        best = heapq.nsmallest(limit, shared.items(), key=lambda kv: (-kv[1], -by_id[kv[0]].year, kv[0]))
        out[s.id] = [(by_id[i], n) for i, n in best]
    return out
