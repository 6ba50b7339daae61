"""The live preview's pieces: compiled templates kept across rebuilds, and data/ watched often."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace

from jinja2 import DictLoader, Environment

from generator.preview import TemplateCache, watch_often


def test_a_template_is_compiled_once_across_environments_and_again_when_it_changes(monkeypatch):
    cache = TemplateCache()
    compiled: list[str] = []
    real = Environment.compile

    def counting(self, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", counting)
    sources = {"page.html": "<h1>{{ title }}</h1>"}
    for title in ("one", "two"):  # MkDocs makes a new environment for every build
        env = Environment(loader=DictLoader(sources), bytecode_cache=cache)
        assert env.get_template("page.html").render(title=title) == f"<h1>{title}</h1>"
    assert compiled == ["page.html"]
    sources["page.html"] = "<h2>{{ title }}</h2>"  # an edited template is never served stale
    assert Environment(loader=DictLoader(sources), bytecode_cache=cache).get_template("page.html").render(title="x") == "<h2>x</h2>"
    assert compiled == ["page.html", "page.html"]


def server() -> SimpleNamespace:
    """What watch_often needs of MkDocs' LiveReloadServer: its rebuild flag and condition."""
    return SimpleNamespace(_rebuild_cond=threading.Condition(), _want_rebuild=False, observer=object())


def wait_for_rebuild(srv: SimpleNamespace, seconds: float) -> bool:
    with srv._rebuild_cond:
        return srv._rebuild_cond.wait_for(lambda: srv._want_rebuild, timeout=seconds)


def test_a_saved_record_asks_for_a_rebuild_within_the_poll_interval(tmp_path: Path):
    (tmp_path / "studies").mkdir()
    record = tmp_path / "studies" / "x.yaml"
    record.write_text("id: x\n", encoding="utf-8")
    srv = server()
    observer = watch_often(srv, tmp_path, 0.05)
    assert observer is not None
    try:
        time.sleep(0.3)
        (tmp_path / "studies" / "new-folder").mkdir()  # a folder alone is not a change to build
        assert not wait_for_rebuild(srv, 0.5)
        start = time.monotonic()
        record.write_text("id: x\ntitle: saved\n", encoding="utf-8")
        assert wait_for_rebuild(srv, 5)
        print(f"rebuild asked {time.monotonic() - start:.2f} s after the save")
    finally:
        observer.stop()
        observer.join(5)


def test_without_the_servers_private_interface_the_caller_keeps_its_own_watch(tmp_path: Path):
    assert watch_often(SimpleNamespace(observer=object()), tmp_path, 0.1) is None


def test_data_is_polled_often_while_looking_is_cheap_and_less_often_for_a_large_map(tmp_path: Path):
    from generator.preview import FASTEST_POLL, SLOWEST_POLL, poll_interval

    (tmp_path / "x.yaml").write_text("id: x\n", encoding="utf-8")
    assert poll_interval(tmp_path) == FASTEST_POLL  # a look at a few files takes well under a millisecond

    def slow(seconds: float):
        return lambda folder: time.sleep(seconds)

    assert FASTEST_POLL < poll_interval(tmp_path, slow(0.01)) < SLOWEST_POLL  # looking stays a twentieth of the time
    assert poll_interval(tmp_path, slow(0.05)) == SLOWEST_POLL  # 10,000 records: no slower than MkDocs' own watch
