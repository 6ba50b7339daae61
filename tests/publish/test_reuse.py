"""Outputs reused from the last build: exactly what computing them again gives, and only then."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from conftest import DATA

import generator.publish
from generator.evidence.dataset import Dataset, load
from generator.publish import charts, downloads
from generator.publish.build import generate
from generator.publish.context import SiteContext
from generator.publish.reuse import Reuse
from generator.publish.sections import facets, studies

CTX = SiteContext(site_name="Map", site_url="https://example.org/map/", repo_url="https://github.com/o/r", edit_uri="edit/main/")


def test_a_result_is_reused_only_for_equal_arguments_and_basis():
    calls: list[tuple[Any, ...]] = []

    def fn(*args: Any) -> str:
        calls.append(args)
        return "|".join(map(str, args))

    memo: Reuse[str] = Reuse()
    with memo.round(("b",)) as get:
        assert get("k", (1, [2]), fn) == "b|1|[2]"
        assert get("j", (3,), fn) == "b|3"
    with memo.round(("b",)) as get:
        assert get("k", (1, [2]), fn) == "b|1|[2]"  # equal (not identical) arguments: reused
        assert get("j", (4,), fn) == "b|4"  # changed: computed
    assert calls == [("b", 1, [2]), ("b", 3), ("b", 4)]
    with memo.round(("c",)) as get:  # another basis: nothing is reused
        assert get("k", (1, [2]), fn) == "c|1|[2]"
    assert calls[-1] == ("c", 1, [2])


def test_keys_a_round_did_not_ask_for_are_dropped_and_a_failed_round_keeps_the_last():
    calls: list[Any] = []

    def fn(*args: Any) -> Any:
        calls.append(args)
        return args

    memo: Reuse[Any] = Reuse()
    with memo.round(()) as get:
        get("a", (1,), fn)
        get("b", (2,), fn)
    with memo.round(()) as get:
        get("a", (1,), fn)
    with pytest.raises(RuntimeError), memo.round(()) as get:
        get("a", (9,), fn)
        raise RuntimeError("a producer failed")
    with memo.round(()) as get:
        get("a", (1,), fn)  # still the last finished round's result
        get("b", (2,), fn)  # dropped two rounds ago: computed again
    assert calls == [(1,), (2,), (9,), (2,)]


def forget_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: no result of an earlier build."""
    monkeypatch.setattr(studies, "PAGES", Reuse())
    monkeypatch.setattr(facets, "VALUES", Reuse())
    monkeypatch.setattr(charts, "GROUPS", Reuse())
    monkeypatch.setattr(downloads, "_last_json", {})


def test_forget_everything_knows_every_kept_result():
    """A new Reuse (or module-level cache of outputs) must be forgotten by the test above too."""
    found = set()
    for info in pkgutil.walk_packages(generator.publish.__path__, "generator.publish."):
        module = importlib.import_module(info.name)
        found |= {f"{info.name}.{name}" for name, value in vars(module).items() if isinstance(value, Reuse)}
    assert found == {"generator.publish.sections.studies.PAGES", "generator.publish.sections.facets.VALUES", "generator.publish.charts.GROUPS"}


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load(DATA, today=dt.date(2026, 11, 30))


def retitled(ds: Dataset) -> Dataset:
    s = ds.studies[7]
    return dataclasses.replace(ds, studies=(*ds.studies[:7], dataclasses.replace(s, title=s.title + " (corrected)"), *ds.studies[8:]))


def recategorised(ds: Dataset) -> Dataset:
    s = ds.studies[3]
    tasks = ("regression",) if s.facets["task"] != ("regression",) else ("classification",)
    return dataclasses.replace(ds, studies=(*ds.studies[:3], dataclasses.replace(s, facets={**s.facets, "task": tasks}), *ds.studies[4:]))


def added(ds: Dataset) -> Dataset:
    s = ds.studies[0]
    return dataclasses.replace(ds, studies=(*ds.studies, dataclasses.replace(s, id="zz2026added", title="An added study", doi=None)))


def removed(ds: Dataset) -> Dataset:
    return dataclasses.replace(ds, studies=ds.studies[1:])


def relabelled(ds: Dataset) -> Dataset:
    facet = ds.taxonomy.facets[0]
    taxonomy = ds.taxonomy.model_copy(update={"facets": (facet.model_copy(update={"label": facet.label + " (renamed)"}), *ds.taxonomy.facets[1:])})
    return dataclasses.replace(ds, taxonomy=taxonomy)


@pytest.mark.parametrize("change", [retitled, recategorised, added, removed, relabelled], ids=lambda f: f.__name__)
def test_a_rebuild_after_a_change_gives_what_a_fresh_build_gives(shipped, change: Callable[[Dataset], Dataset], monkeypatch):
    generate(shipped, CTX)  # the build before the save
    changed = change(shipped)
    incremental = generate(changed, CTX)
    forget_everything(monkeypatch)
    fresh = generate(changed, CTX)
    assert incremental.keys() == fresh.keys()
    assert [f for f in fresh if incremental[f] != fresh[f]] == []
    assert incremental != generate(shipped, CTX)  # the change shows


def test_a_rebuild_in_another_site_context_gives_what_a_fresh_build_gives(shipped, monkeypatch):
    generate(shipped, CTX)
    other = dataclasses.replace(CTX, site_name="Another map", edit_uri="edit/dev/")
    incremental = generate(shipped, other)
    forget_everything(monkeypatch)
    assert incremental == generate(shipped, other)
