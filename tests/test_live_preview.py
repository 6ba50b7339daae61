"""Live preview: with `mkdocs serve` running, saving a new or changed record updates the served pages."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import make_project, record, write_record

TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str, str]:
    """Status, final URL (after redirects) and body; status 0 when nothing answers yet."""
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            return res.status, res.geturl(), res.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, url, e.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, url, ""


def poll(what: str, check: Callable[[], bool], server: subprocess.Popen[str], log: Path) -> float:
    """Wait until check() holds; returns the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < TIMEOUT:
        if check():
            return time.monotonic() - start
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve exited ({server.returncode}) while waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)
    pytest.fail(f"not served within {TIMEOUT:.0f} s: {what}\n{log.read_text()[-3000:]}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str], Path]]:
    """`mkdocs serve` on 127.0.0.1 in a temporary project; yields (project, base URL, process, log)."""
    project = make_project(tmp_path / "project", [record()])
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],  # as make serve
            cwd=project, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        root = f"http://127.0.0.1:{port}/"
        poll("the home page", lambda: fetch(root)[0] == 200, server, log)
        base = fetch(root)[1]  # serve mounts the site at site_url's path and redirects / there
        yield project, base, server, log
    finally:
        # the whole process group: mkdocs serve runs its builds and file watcher in threads of one process,
        # but a group kill also ends anything it may have started
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=15)


def test_saving_a_record_updates_the_served_study_page(served):
    project, base, server, log = served
    url = base + "studies/roe2021new/"
    assert fetch(url)[0] == 404

    first = record(id="roe2021new", title="A first title for live preview", doi="10.1000/live.1", added=dt.date(2026, 2, 1))
    write_record(project / "data", first)
    took_new = poll("the new study page", lambda: "A first title for live preview" in fetch(url)[2], server, log)

    write_record(project / "data", {**first, "title": "A changed title <with> & markup"})
    took_change = poll("the changed title", lambda: html.escape("A changed title <with> & markup", quote=False) in fetch(url)[2], server, log)
    assert "A first title for live preview" not in fetch(url)[2]

    # What's new follows too: the record added later is listed first
    page = fetch(base + "whats-new/")[2]
    assert page.index("studies/roe2021new/") < page.index("studies/doe2020transfer/")
    print(f"live preview: new record served after {took_new:.1f} s, change after {took_change:.1f} s")


def test_an_invalid_save_shows_its_errors_in_the_browser_and_recovers(served):
    """A half-typed record must not kill or hang the preview: the terminal and every page show the
    problem with file:line:col, and the next good save brings the pages back."""
    project, base, server, log = served
    url = base + "studies/doe2020transfer/"
    path = project / "data" / "studies" / "roe2021new.yaml"
    path.write_text("id: roe2021new\ntitle: [unclosed <b>\n", encoding="utf-8")
    expected = "data/studies/roe2021new.yaml:3:1: error: YAML syntax error"
    poll("the validation error in the log", lambda: expected in log.read_text(), server, log)
    poll("the error page", lambda: "Invalid records" in fetch(url)[2], server, log)
    status, _, body = fetch(url)
    assert status == 200 and html.escape(expected, quote=True) in body and "<b>" not in body
    assert fetch(base + "no/such/page/")[0] == 404 and "Invalid records" in fetch(base + "no/such/page/")[2]  # the 404 page too
    assert server.poll() is None
    write_record(project / "data", record(id="roe2021new", title="Recovered after a bad save", doi="10.1000/live.2"))
    poll("the page after the fix", lambda: "Recovered after a bad save" in fetch(base + "studies/roe2021new/")[2], server, log)
    assert "Invalid records" not in fetch(url)[2]


def test_one_save_makes_one_build(served):
    """The build writes into the docs folder, which the server also watches: those writes must not
    start a second build (two full builds per save made the browser wait for both)."""
    project, base, server, log = served
    before = log.read_text().count("Building documentation")
    write_record(project / "data", record(id="roe2021new", title="One build per save", doi="10.1000/live.3"))
    poll("the new page", lambda: "One build per save" in fetch(base + "studies/roe2021new/")[2], server, log)
    time.sleep(4)  # a second build would start within the watcher's poll interval (0.5 s) and its delay
    assert log.read_text().count("Building documentation") - before == 1, log.read_text()[-2000:]
    # a hand-written change in the docs folder is still seen
    (project / "docs" / "notes.md").write_text("# Notes\n\nHand-written page.\n", encoding="utf-8")
    poll("the hand-written page", lambda: "Hand-written page." in fetch(base + "notes/")[2], server, log)


def test_after_a_save_the_preview_searches_every_page_as_a_whole_build_does(served, tmp_path):
    """A dirty rebuild renders (and Material indexes) only the changed pages; the preview's search
    index must still hold every page, exactly as a whole build of the same data writes it."""
    project, base, server, log = served
    write_record(project / "data", record(id="roe2021new", title="Searchable after a save", doi="10.1000/live.4"))
    poll("the new page", lambda: "Searchable after a save" in fetch(base + "studies/roe2021new/")[2], server, log)
    served_index = json.loads(fetch(base + "search/search_index.json")[2])
    whole = tmp_path / "whole"
    shutil.copytree(project, whole, ignore=shutil.ignore_patterns("site", "*.log"))
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(whole / "mkdocs.yml"), "-d", str(tmp_path / "whole-site")],
                   cwd=whole, check=True, capture_output=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    built_index = json.loads((tmp_path / "whole-site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in served_index["docs"]]
    assert "studies/doe2020transfer/" in locations and "studies/roe2021new/" in locations  # unchanged and new
    assert served_index == built_index
