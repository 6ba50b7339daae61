"""The search index holds what readers search for (titles, authors, summaries) and grows only with
the study pages, not with pages that list or chart every study."""

from __future__ import annotations

import json

import yaml

from tests.conftest import DATA


def test_search_index_indexes_studies_not_listings(real_site):
    index = json.loads((real_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    locations = {d["location"].split("#")[0] for d in docs}
    for prefix in ("facets/", "explore/", "whats-new/", "trends/", "map/", "data/"):
        assert not [loc for loc in locations if loc.startswith(prefix)], prefix
    records = [yaml.safe_load(p.read_text()) for p in sorted((DATA / "studies").glob("*.yaml"))]
    text = " ".join(d["title"] + " " + d["text"] for d in docs)
    for rec in records:
        assert f"studies/{rec['id']}/" in locations
        assert rec["summary"].split()[0] in text
    assert "@article{" not in text and "TY  -" not in text  # citation blocks are left out
    per_study = len(json.dumps(index)) / len(records)
    assert per_study < 4000, per_study
