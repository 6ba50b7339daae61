"""Related studies: those sharing the most values of the facets review.yaml names (site.related)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..evidence.records import Study
from ..evidence.site import Site
from ..evidence.taxonomy import Taxonomy

MAX_RELATED = 5
BLOCK = 256
"""Rows of the shared-value matrix computed at once: 256 x N floats stay 20 MB at 10,000."""


def related_facets(taxonomy: Taxonomy, site: Site | None = None) -> list[str]:
    """The facets review.yaml names (site.related.facets), else every multi facet."""
    names = site.related.facets if site is not None else None
    return list(names) if names is not None else [f.name for f in taxonomy.facets if f.multi]


def related(studies: Sequence[Study], taxonomy: Taxonomy, limit: int = MAX_RELATED, site: Site | None = None) -> dict[str, list[tuple[Study, int]]]:
    """For each study id, up to `limit` (study, shared values) pairs, most shared first.

    Ties go to the more recent study, then the smaller id, so the choice is deterministic. Every
    pair counts, so this is a matrix product (studies x values) @ (values x studies), done in blocks
    with numpy: popular values make an inverted index quadratic in pure Python (minutes at 10,000)."""
    facets = related_facets(taxonomy, site)
    n = len(studies)
    keys = sorted({(f, v) for s in studies for f in facets for v in s.facets.get(f, ())})
    column = {k: j for j, k in enumerate(keys)}
    x = np.zeros((n, len(keys)), dtype=np.float64)  # float: BLAS matmul, exact for these small counts
    for i, s in enumerate(studies):
        for f in facets:
            for v in s.facets.get(f, ()):
                x[i, column[(f, v)]] = 1
    # rank 0 = most recent year, then smallest id: the tie-break, folded into one sortable number
    order = sorted(range(n), key=lambda i: (-studies[i].year, studies[i].id))
    rank = np.empty(n, dtype=np.float64)
    rank[order] = np.arange(n)
    out: dict[str, list[tuple[Study, int]]] = {}
    k = min(limit, n - 1)
    for start in range(0, n, BLOCK):
        score = x[start : start + BLOCK] @ x.T  # shared values; rows: this block, columns: every study
        rows = np.arange(score.shape[0])
        score[rows, rows + start] = 0  # never oneself
        unrelated = score == 0
        score *= n  # more shared first, then the tie-break: one sortable number, in place (big arrays)
        score -= rank
        score[unrelated] = -1
        np.negative(score, out=score)
        top = np.argpartition(score, k - 1, axis=1)[:, :k] if k > 0 else np.zeros((len(rows), 0), dtype=int)
        for r, cols in enumerate(top):
            best = sorted((int(c) for c in cols if score[r, c] <= 0), key=lambda c: score[r, c])
            out[studies[start + r].id] = [(studies[c], round((rank[c] - score[r, c]) / n)) for c in best]
    return out
