"""Related studies against a brute-force reference: every pair compared, as the definition says."""

from __future__ import annotations

import random

import pytest

from generator.publish.related import related, related_facets
from tests.evidence.test_validate_properties import TAXONOMY as TAX


def brute_force(studies, taxonomy, limit=5):
    facets = related_facets(taxonomy)
    keys = {s.id: {(f, v) for f in facets for v in s.facets.get(f, ())} for s in studies}
    out = {}
    for s in studies:
        scored = [(len(keys[s.id] & keys[o.id]), o) for o in studies if o.id != s.id]
        scored = [(n, o) for n, o in scored if n > 0]
        scored.sort(key=lambda t: (-t[0], -t[1].year, t[1].id))
        out[s.id] = [(o.id, n) for n, o in scored[:limit]]
    return out


def random_studies(n, seed):
    import datetime as dt

    from generator.evidence.records import Study

    rng = random.Random(seed)
    studies = []
    for i in range(n):
        facets = {}
        for f in TAX.facets:
            if f.multi:
                facets[f.name] = tuple(sorted(rng.sample(f.slugs, rng.choice([0, 1, 1, 2, 3]))))
            else:
                facets[f.name] = (rng.choice(f.slugs),)
        studies.append(Study(
            id=f"s{i:04d}", title=f"t{i}", authors=("A, B",), authors_truncated=False, year=rng.randint(2010, 2025),
            venue="v", doi=None, url=None, summary="s", key_result=None, code_url=None, added=dt.date(2026, 1, 1),
            verified=None, architectures=(), source_datasets=(), target_datasets=(), distinct_from=(), facets=facets,
            path=f"data/studies/s{i:04d}.yaml"))
    return studies


@pytest.mark.parametrize(("n", "seed"), [(0, 0), (1, 0), (2, 1), (7, 2), (300, 3), (700, 4)])
def test_related_matches_brute_force(n, seed):
    studies = random_studies(n, seed)
    got = {k: [(s.id, c) for s, c in v] for k, v in related(studies, TAX).items()}
    assert got == brute_force(studies, TAX)
