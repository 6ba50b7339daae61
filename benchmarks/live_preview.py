"""Live-preview benchmark: from saving a record to seeing it in the browser, under `mkdocs serve`.

    .venv/bin/python benchmarks/live_preview.py --saves 5

Copies this repository's mkdocs.yml and data/ (the shipped map) into a temporary project, starts
`mkdocs serve` there, opens one study page in headless Chromium (the page MkDocs' reload script
keeps polling), then saves the record several times, alternately with a new title (text: the most
common correction) and with another dimensionality (a category: the charts, gap map and facet pages
change too). For each save it measures the seconds from the write until the open page shows the
change (the reload script reloads it once the rebuild is done), and counts the builds each save
started (it should be one). Prints one JSON object: the median, minimum and maximum seconds over all
saves, the median of each kind of edit, builds per save, and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
RECORD = "hon2017towards"
SERVE_FLAGS = ["--dirty"]
"""As `make serve` runs it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 180) -> str:
    """The URL the server answers on (serve redirects / to site_url's path)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=5) as res:
                return res.geturl()
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"mkdocs serve did not answer on {url} within {timeout:.0f} s")


def edit(text: str, i: int) -> tuple[str, str, str, str]:
    """The i-th save of the record's text: (kind, its new text, a JavaScript test that the open page shows it, its argument)."""
    if i % 2 == 0:
        title = f"Live preview check {i}"
        return ("title", re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M),
                "t => document.querySelector('h1') && document.querySelector('h1').textContent.includes(t)", title)
    value = "3d" if (i // 2) % 2 == 0 else "2.5d"
    return ("category", re.sub(r"^dimensionality: .*$", f"dimensionality: {value}", text, count=1, flags=re.M),
            "v => document.querySelector(`a[href$='facets/dimensionality/${v}/']`) !== null", value)


def measure(saves: int) -> dict[str, object]:
    """Save the record `saves` times under `mkdocs serve` and time each until the browser shows it."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="live-preview-") as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(ROOT / "data", project / "data")
        (project / "docs").mkdir()
        record = project / "data" / "studies" / f"{RECORD}.yaml"
        original = record.read_text(encoding="utf-8")
        port = free_port()
        log = project / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", "serve", *SERVE_FLAGS, "--dev-addr", f"127.0.0.1:{port}", "-f", str(project / "mkdocs.yml")],
                cwd=project, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            )
        try:
            base = wait_for(f"http://127.0.0.1:{port}/")
            seconds: list[float] = []
            builds: list[int] = []
            kinds: list[str] = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                page.goto(base + f"studies/{RECORD}/")
                page.wait_for_selector("h1")
                text = original
                for i in range(saves):
                    kind, text, shown, arg = edit(text, i)  # each save changes one thing of the record as it stands
                    time.sleep(2)  # let the watcher settle between saves, as a person typing would
                    before = log.read_text().count("Building documentation")
                    start = time.monotonic()
                    record.write_text(text, encoding="utf-8")
                    page.wait_for_function(shown, arg=arg, timeout=120_000, polling=50)
                    seconds.append(time.monotonic() - start)
                    kinds.append(kind)
                    time.sleep(3)  # time for a second build to show up if one were started
                    builds.append(log.read_text().count("Building documentation") - before)
                browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return {
        "saves": saves, "median_s": round(statistics.median(seconds), 2), "min_s": round(min(seconds), 2),
        "max_s": round(max(seconds), 2),
        "median_s_by_edit": {k: round(statistics.median(t for t, kk in zip(seconds, kinds, strict=True) if kk == k), 2) for k in dict.fromkeys(kinds)},
        "builds_per_save": builds, "studies": len(list((ROOT / "data" / "studies").glob("*.yaml"))),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=5)
    print(json.dumps(measure(parser.parse_args().saves)))


if __name__ == "__main__":
    main()
