"""releasediff: two snapshots compared; the counts checked against a brute-force count of the records."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.evidence.dataset import load
from generator.evidence.review import GapMap
from generator.publish.releasediff import Snapshot, diff, histories
from tests.conftest import DATA

TAX = load(DATA).taxonomy
APPS = list(TAX["application"].slugs)
APPROACHES = list(TAX["tl_approach"].slugs)
GAP = GapMap(rows="application", columns="tl_approach", colour="compared_with_no_transfer")

ids = st.sampled_from([f"s{i}" for i in range(8)])
recs = st.dictionaries(ids, st.tuples(st.lists(st.sampled_from(APPS[:4]), min_size=1, max_size=2, unique=True),
                                      st.lists(st.sampled_from(APPROACHES[:3]), max_size=2, unique=True)), max_size=8)


def snap(version: str | None, records: dict[str, tuple[list[str], list[str]]]) -> Snapshot:
    out = {i: {"id": i, "title": f"Study {i}", "application": a, "tl_approach": t} for i, (a, t) in records.items()}
    return Snapshot(version, dt.date(2026, 11, 1), out, TAX, (), GAP)


def brute(records: dict[str, tuple[list[str], list[str]]]) -> Counter[tuple[str, str]]:
    c: Counter[tuple[str, str]] = Counter()
    for a, t in records.values():
        for x in a:
            for y in t or ["not-reported"]:
                c[(TAX["application"].label_of(x), TAX["tl_approach"].label_of(y))] += 1
    return c


@settings(max_examples=60, deadline=None)
@given(recs, recs)
def test_diff_matches_a_brute_force_count(old, new):
    d = diff(snap("2026.10", old), snap("2026.11", new))
    assert [r["id"] for r in d.added] == sorted(new.keys() - old.keys())
    assert [r["id"] for r in d.removed] == sorted(old.keys() - new.keys())
    changed = {i for i in old.keys() & new.keys() if (sorted(old[i][0]), sorted(old[i][1])) != (sorted(new[i][0]), sorted(new[i][1]))}
    assert {c.id for c in d.recategorised} == changed
    was, now = brute(old), brute(new)
    assert {(c.row, c.column): (c.before, c.after) for c in d.cells} == {k: (was[k], now[k]) for k in was.keys() | now.keys() if was[k] != now[k]}
    assert all(c.first == (c.before == 0) for c in d.cells if c.after)


def test_a_first_release_adds_everything_and_histories_follow_each_study():
    one = {"a": (["stroke"], ["fine-tuning-all"]), "b": (["stroke"], [])}
    two = {"a": (["stroke", "epilepsy"], ["fine-tuning-all"]), "c": (["epilepsy"], [])}
    first = diff(None, snap("2026.10", one))
    assert [r["id"] for r in first.added] == ["a", "b"] and not first.removed and not first.changed
    assert all(c.first for c in first.cells)
    h = histories([snap("2026.10", one), snap("2026.11", two)])
    assert [(e.version, e.kind) for e in h["a"]] == [("2026.10", "added"), ("2026.11", "re-categorised")]
    assert [f.label for f in h["a"][1].change.recategorised] == ["Application"]
    assert [(e.version, e.kind) for e in h["b"]] == [("2026.10", "added"), ("2026.11", "removed")]
    assert [(e.version, e.kind) for e in h["c"]] == [("2026.11", "added")]


def test_a_facet_feed_of_the_real_map_carries_its_20_newest_studies():
    import feedparser

    from generator.publish.context import SiteContext
    from generator.publish.sections.facets import produce

    ds = load(DATA)
    files = produce(ds, SiteContext(site_name="Map", site_url="https://example.org/map/"))
    mine = [s for s in ds.studies if "alzheimers-disease" in s.values("application")]
    assert len(mine) > 20
    feed = feedparser.parse(files["feed-application-alzheimers-disease.xml"])
    assert not feed.bozo and len(feed.entries) == 20
    newest = sorted(sorted(mine, key=lambda s: s.id), key=lambda s: s.added, reverse=True)[:20]
    assert [e.link for e in feed.entries] == [f"https://example.org/map/studies/{s.id}/" for s in newest]


def test_a_facet_new_to_the_taxonomy_is_a_taxonomy_change_not_a_recategorisation():
    import yaml

    from generator.evidence.taxonomy import parse_taxonomy

    raw = yaml.safe_load((DATA / "taxonomy.yaml").read_text(encoding="utf-8"))
    raw["facets"].append({"name": "funding", "label": "Funding", "description": "Who paid for it.", "multi": False,
                          "default": "none", "values": [{"value": "none", "label": "None", "definition": "None."},
                                                        {"value": "public", "label": "Public", "definition": "A public funder."}]})
    wider = parse_taxonomy(raw)
    old = snap("2026.10", {"a": (["stroke"], [])})
    new = Snapshot("2026.11", dt.date(2026, 11, 1), {"a": {"id": "a", "title": "Study a", "application": ["stroke"], "tl_approach": [],
                                                           "funding": "public"}}, wider, (), GAP)
    d = diff(old, new)
    assert d.changed == () and d.facets_added == ("Funding",) and d.facets_removed == ()
    assert diff(new, old).facets_removed == ("Funding",)
