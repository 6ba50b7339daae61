"""Explore at scale: time from a filter click to the updated count, and what the page transfers.

    .venv/bin/python benchmarks/explore_filter.py [--n 10000] [--seed 1] [--quick] [--keep DIR]

1. Writes N synthetic, valid records (benchmarks/synthetic.py) into a temporary project with this
   repository's mkdocs.yml and builds the site (`mkdocs build`; with --quick only the Explore page and
   the assets are generated, which gives the same Explore page in a fraction of the time).
2. Serves it on 127.0.0.1 and opens /explore/ in headless Chromium. Every facet is opened, then
   facet values are ticked one by one (OR within a facet, AND across facets) and unticked again. For
   each click the page measures with performance.now() the time until the click handler has run and
   the count element shows the new number (the filter runs synchronously in the handler), and the
   time until the next frame is painted. Each count is checked against the same filter computed here.
   The clicks run twice: as soon as the table is ready (the theme is then still loading the site
   search index in the background) and again once the page has settled.
3. Reports the transfer size of /explore/ (every response the page loads: HTML, studies.json, our
   JS/CSS, the DataTables bundle, the theme) for the shipped records and for the N synthetic ones,
   as served (no compression) and gzip-compressed, as a static host would send them.

Prints one JSON object. Absolute times on a shared machine are noisy: run it twice.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import write_data  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
GOAL_MS = 100
READY = "[data-em-explore][data-em-ready]"
QUICK_BUILD = (
    "import sys, generator.publish.build as b\n"
    "from generator.publish.sections import assets, explore\n"
    "b.PRODUCERS = (explore.produce, assets.produce)\n"
    "from mkdocs.__main__ import cli\n"
    "cli(['build', '--clean', '-q', '-f', sys.argv[1]])\n"
)


def project_with(data: Path, base: Path) -> Path:
    (base / "docs").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    if data != base / "data":
        shutil.copytree(data, base / "data")
    return base


def build(project: Path, quick: bool) -> float:
    start = time.perf_counter()
    config = str(project / "mkdocs.yml")
    cmd = [sys.executable, "-c", QUICK_BUILD, config] if quick else [sys.executable, "-m", "mkdocs", "build", "--clean", "-q", "-f", config]
    subprocess.run(cmd, check=True, env=ENV, cwd=project, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium() -> str | None:
    return next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.access(p, os.X_OK)), None)


# --- the same filter, computed here -----------------------------------------------------------------

def slug(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def slugs(rec: dict[str, Any], facet: dict[str, Any]) -> set[str]:
    value = rec.get(facet["name"], facet.get("default"))
    return {slug(v) for v in (value if facet["multi"] else [value])} or {"not-reported"}


def expected_count(index: list[dict[str, set[str]]], selected: dict[str, set[str]]) -> int:
    return sum(all(not want or want & rec[name] for name, want in selected.items()) for rec in index)


def click_plan(taxonomy: dict[str, Any], per_facet: int = 2, facets: int = 6) -> list[tuple[str, str]]:
    """Tick two values in each of six facets, round robin (so OR and AND both happen), then untick."""
    chosen = [f for f in taxonomy["facets"] if len(f["values"]) > per_facet][:facets]
    ticks = [(f["name"], slug(f["values"][i]["value"])) for i in range(per_facet) for f in chosen]
    return ticks + ticks[::-1]


# --- measurements -----------------------------------------------------------------------------------

MEASURE_CLICK = """async ([name, value]) => {
  const box = document.querySelector(`.em-explore__filters input[name="${name}"][value="${value}"]`);
  const count = document.querySelector('[data-result-count]');
  const t0 = performance.now();
  box.click();                      // the change handler filters, updates counts and redraws
  const t1 = performance.now();
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const t2 = performance.now();
  return {handler: t1 - t0, frame: t2 - t0, count: Number(count.textContent)};
}"""


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1), "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 1),
        "min": round(ordered[0], 1), "max": round(ordered[-1], 1),
    }


def measure_clicks(browser: Any, base: str, data: Path) -> dict[str, Any]:
    taxonomy = yaml.safe_load((data / "taxonomy.yaml").read_text(encoding="utf-8"))
    records = [yaml.load(p.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
               for p in sorted((data / "studies").glob("*.yaml"))]
    index = [{f["name"]: slugs(r, f) for f in taxonomy["facets"]} for r in records]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    start = time.perf_counter()
    page.goto(base + "explore/")
    page.wait_for_selector(READY, timeout=120_000)
    ready = time.perf_counter() - start
    assert int(page.text_content("[data-result-count]")) == len(records)
    page.eval_on_selector_all("details.em-facet", "ds => ds.forEach((d) => { d.open = true; })")

    def clicks() -> dict[str, Any]:
        selected: dict[str, set[str]] = {}
        handler, frame = [], []
        for name, value in click_plan(taxonomy):
            r = page.evaluate(MEASURE_CLICK, [name, value])
            selected.setdefault(name, set()).symmetric_difference_update({value})
            assert r["count"] == expected_count(index, selected), (name, value, r["count"])
            handler.append(r["handler"])
            frame.append(r["frame"])
        return {"clicks": len(handler), "click_to_count_ms": summary(handler), "click_to_next_frame_ms": summary(frame)}

    # Right after the table is ready the theme is still loading the site-search index in the
    # background (large at this scale), competing for the CPU; then again once the page has settled.
    cold = clicks()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(3000)
    settled = clicks()
    page.close()
    return {"page_ready_s": round(ready, 2), "while_search_index_loads": cold, "settled": settled}


def transfer(browser: Any, base: str) -> dict[str, Any]:
    """Every response /explore/ loads until the table is ready, by kind; raw and gzip -6."""
    page = browser.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    page.goto(base + "explore/")
    page.wait_for_selector(READY, timeout=120_000)
    page.wait_for_load_state("networkidle")
    kinds: dict[str, dict[str, int]] = {}
    for resp in responses:
        path = urlsplit(resp.url).path
        body = resp.body()
        kind = ("html" if path.endswith("/") else "explore data" if path.startswith("/explore/") else
                "DataTables bundle" if "/vendor/datatables/" in path else "map JS/CSS" if "/assets/map/" in path else
                "theme JS/CSS" if path.startswith(("/assets/javascripts/bundle", "/assets/stylesheets/")) else
                "other (search index, sitemap, icons)")
        k = kinds.setdefault(kind, {"bytes": 0, "gzip": 0, "files": 0})
        k["bytes"] += len(body)
        k["gzip"] += len(gzip.compress(body, 6))
        k["files"] += 1
    page.close()
    explore = [k for k in kinds if not k.startswith("other")]
    return {
        "by_kind": kinds,
        "explore_page_bytes": sum(kinds[k]["bytes"] for k in explore),
        "explore_page_gzip": sum(kinds[k]["gzip"] for k in explore),
        "all_bytes": sum(k["bytes"] for k in kinds.values()),
        "all_gzip": sum(k["gzip"] for k in kinds.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="synthetic records (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="generate only the Explore page and assets")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--reuse", action="store_true", help="with --keep: measure the sites built there before")
    args = parser.parse_args(argv)
    if args.reuse and not args.keep:
        parser.error("--reuse needs --keep DIR")
    from playwright.sync_api import sync_playwright

    base_dir = args.keep or Path(tempfile.mkdtemp(prefix="explore-bench-"))
    try:
        shipped, synthetic = base_dir / "shipped", base_dir / f"n{args.n}"
        build_s = None
        if not (args.reuse and (shipped / "site").is_dir() and (synthetic / "site").is_dir()):
            shutil.rmtree(shipped, ignore_errors=True)
            shutil.rmtree(synthetic, ignore_errors=True)
            project_with(ROOT / "data", shipped)
            project_with(write_data(synthetic / "data", args.n, args.seed), synthetic)
            print(f"building {args.n} synthetic records ({'quick' if args.quick else 'whole site'}) ...", file=sys.stderr)
            build_s = round(build(synthetic, args.quick), 1)
            build(shipped, args.quick)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
            with serve(synthetic / "site") as base:
                clicks = measure_clicks(browser, base, synthetic / "data")
                big = transfer(browser, base)
            with serve(shipped / "site") as base:
                small = transfer(browser, base)
            version = browser.version
            browser.close()
        records = len(list((ROOT / "data" / "studies").glob("*.yaml")))
        print(json.dumps({
            "synthetic_records": args.n, "build": "explore only" if args.quick else "whole site", "build_s": build_s,
            **clicks, "goal_ms": GOAL_MS,
            "meets_goal": all(clicks[k]["click_to_count_ms"]["median"] < GOAL_MS for k in ("while_search_index_loads", "settled")),
            "transfer_shipped": {"records": records, **small}, "transfer_synthetic": {"records": args.n, **big},
            "chromium": version, "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        }, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(base_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
