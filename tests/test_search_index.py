"""The search index holds what readers search for (titles, authors, summaries) and grows only with
the study pages, not with pages that list or chart every study."""

from __future__ import annotations

import html
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
        # What a reader types must be found in this study's own entries: its title, every author's
        # family name, its whole summary, and the datasets and categories it names.
        own = " ".join(html.unescape(d["title"] + " " + d["text"]) for d in docs if d["location"].split("#")[0] == f"studies/{rec['id']}/")
        own = " ".join(own.split())
        assert " ".join(rec["title"].split()) in own, rec["id"]
        assert " ".join(rec["summary"].split()) in own, rec["id"]
        for author in rec["authors"]:
            assert author.split(",")[0].strip() in own, (rec["id"], author)
        for name in rec.get("source_datasets", []) + rec.get("target_datasets", []):
            assert name in own, (rec["id"], name)
    assert "@article{" not in text and "TY  -" not in text  # citation blocks are left out
    per_study = len(json.dumps(index)) / len(records)
    assert per_study < 4000, per_study
