"""Scale benchmark: the whole build against plain MkDocs on the same pages, at N synthetic studies.

    .venv/bin/python benchmarks/scale.py --n 2000 --n 10000 --repeat 3

For each N it writes N synthetic, valid records (benchmarks/synthetic.py) into a temporary project
with this repository's mkdocs.yml, then, per repetition:
  * validate: load + validate every record, and
  * generate: every page and asset, written into an empty docs/, both in a new process (one process
    keeps the last build's results for `mkdocs serve`, so a second repetition in it would time reuse);
  * whole build: `mkdocs build` from an empty docs/ (the plugin validates and generates again);
  * baseline: `mkdocs build` of the very pages the generator wrote, pre-written, with the same theme,
    template overrides and plugins but no generator: what MkDocs alone costs for this site.
It prints one JSON object per N (medians over repetitions): seconds, ratio whole/baseline, site
size, largest page, search index size, how many files one changed record rewrites, and Explore's
weight: explore/index.html, and its whole transfer gzip-compressed (the HTML, the studies.json it
filters and every JS/CSS file it loads: those its <script>/<link> reference and the DataTables
bundle explore.js imports), each file's gzip size summed.
Then it measures the live preview at the shipped size (benchmarks/live_preview.py: seconds from
saving a record to the open page showing it, under `mkdocs serve`) and prints it as one more JSON
object. With --table it prints the README's performance table, made from these results.
Absolute times on a shared machine are noisy; compare the ratios, measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import synthetic_records  # noqa: E402

from generator.evidence.dataset import load  # noqa: E402
from generator.evidence.taxonomy import parse_taxonomy  # noqa: E402
from generator.publish.build import generate  # noqa: E402
from generator.publish.context import SiteContext  # noqa: E402
from generator.publish.writer import write_tree  # noqa: E402

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def mkdocs_build(project: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(project / "mkdocs.yml")],
                   check=True, env=ENV, cwd=project)
    return time.perf_counter() - start


def make_project(base: Path, n: int, seed: int) -> Path:
    project = base / f"n{n}"
    (project / "data" / "studies").mkdir(parents=True)
    (project / "docs").mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("taxonomy.yaml", "review.yaml"):
        shutil.copy(ROOT / "data" / name, project / "data" / name)
    taxonomy = parse_taxonomy(yaml.safe_load((ROOT / "data" / "taxonomy.yaml").read_text()))
    for rec in synthetic_records(n, taxonomy, seed):
        (project / "data" / "studies" / f"{rec['id']}.yaml").write_text(
            yaml.safe_dump(rec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project


def make_baseline(project: Path) -> Path:
    """The generated pages as hand-written ones: same config, theme overrides and plugins, no generator."""
    base = project.parent / (project.name + "-baseline")
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(project / "docs", base / "docs")
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "evidence-map" in p) and p != "evidence-map"]
    config["theme"]["custom_dir"] = str(ROOT / "generator" / "overrides")
    (base / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return base


def clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


VENDOR_LOADED = ("assets/vendor/datatables/dt_bundle.js", "assets/vendor/datatables/dt_bundle.css")
"""Loaded by explore.js itself (import() and a <link> it adds), not referenced by the HTML."""


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9, mtime=0))


def explore_weight(site: Path) -> dict[str, object]:
    """Explore's HTML size and its whole transfer gzip: HTML + studies.json + the JS/CSS it loads."""
    page = site / "explore" / "index.html"
    html = page.read_text(encoding="utf-8")
    refs = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html) + re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html)
    files = [page, site / "explore" / "studies.json"]
    for ref in refs:
        if "//" in ref:
            continue  # another origin (the site makes no such request; counted as nothing)
        target = (page.parent / ref.split("?")[0].split("#")[0]).resolve()
        if target.is_file() and target not in files:
            files.append(target)
    files += [site / p for p in VENDOR_LOADED if (site / p).is_file()]
    parts = {f.resolve().relative_to(site.resolve()).as_posix(): gzip_size(f) for f in files}
    return {
        "explore_html_bytes": page.stat().st_size,
        "explore_transfer_gzip_bytes": sum(parts.values()),
        "explore_transfer_gzip_files": parts,
        "explore_studies_json_bytes": (site / "explore" / "studies.json").stat().st_size,
        "explore_plain_pages": 1 + len(list((site / "explore" / "page").glob("*/index.html"))),
    }


def one_record_change(project: Path, ctx: SiteContext) -> dict[str, object]:
    """Change one study's summary; count the files the build step rewrites."""
    docs = project / "docs"
    ds = load(project / "data")
    write_tree(generate(ds, ctx), docs)
    path = sorted((project / "data" / "studies").glob("*.yaml"))[len(ds.studies) // 2]
    original = path.read_text(encoding="utf-8")
    rec = yaml.safe_load(original)
    rec["summary"] = rec["summary"] + " (revised)"
    path.write_text(yaml.safe_dump(rec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    try:
        changes = write_tree(generate(load(project / "data"), ctx), docs)
    finally:
        path.write_text(original, encoding="utf-8")
    return {"files_rewritten": len(changes.written), "rewritten": changes.written[:40]}


def site_context(project: Path) -> SiteContext:
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    return SiteContext(site_name=config["site_name"], site_url=config.get("site_url"), repo_url=config.get("repo_url"),
                       edit_uri=config.get("edit_uri"))


def time_generation(project: Path) -> dict[str, float]:
    """Seconds to validate the records, and to generate and write the docs, in this process."""
    t0 = time.perf_counter()
    ds = load(project / "data")
    t1 = time.perf_counter()
    write_tree(generate(ds, site_context(project)), project / "docs")
    return {"validate": t1 - t0, "generate": time.perf_counter() - t1}


def cold_generation(project: Path) -> dict[str, float]:
    """time_generation in a new process, as `mkdocs build` runs it: this one keeps the last build's
    results (for `mkdocs serve`), so a second repetition here would time reuse, not work."""
    out = subprocess.run([sys.executable, __file__, "--time-generation", str(project)], check=True, env=ENV,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(n: int, repeat: int, seed: int, base: Path) -> dict[str, object]:
    project = make_project(base, n, seed)
    ctx = site_context(project)
    rows: dict[str, list[float]] = {k: [] for k in ("validate", "generate", "whole", "baseline")}
    for _ in range(repeat):
        clear(project / "docs")
        cold = cold_generation(project)
        rows["validate"].append(cold["validate"])
        rows["generate"].append(cold["generate"])
        baseline = make_baseline(project)
        rows["baseline"].append(mkdocs_build(baseline))
        clear(project / "docs")
        rows["whole"].append(mkdocs_build(project))
    med = {k: statistics.median(v) for k, v in rows.items()}
    site = project / "site"
    pages = [p for p in site.rglob("*.html")]
    largest = max(pages, key=lambda p: p.stat().st_size)
    study_pages = [p for p in (site / "studies").rglob("index.html")]
    search = site / "search" / "search_index.json"
    out = {
        "n": n,
        "repetitions": repeat,
        "validate_s": round(med["validate"], 3),
        "generate_s": round(med["generate"], 3),
        "mkdocs_s": round(med["whole"] - med["validate"] - med["generate"], 3),
        "whole_build_s": round(med["whole"], 3),
        "baseline_s": round(med["baseline"], 3),
        "ratio": round(med["whole"] / med["baseline"], 3),
        "runs": {k: [round(x, 3) for x in v] for k, v in rows.items()},
        "pages": len(pages),
        "site_bytes": tree_size(site),
        "largest_page": {"path": largest.relative_to(site).as_posix(), "bytes": largest.stat().st_size},
        "largest_study_page_bytes": max(p.stat().st_size for p in study_pages),
        "search_index_bytes": search.stat().st_size if search.exists() else None,
        **explore_weight(site),
        **one_record_change(project, ctx),
    }
    shutil.rmtree(project.parent / (project.name + "-baseline"), ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, action="append", help="number of studies (repeatable; default 2000 and 10000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--live-preview", type=int, default=5, metavar="SAVES", help="saves timed under mkdocs serve (0: skip)")
    ap.add_argument("--table", action="store_true", help="also print the README's performance table (Markdown)")
    ap.add_argument("--time-generation", type=Path, metavar="PROJECT", help=argparse.SUPPRESS)  # one cold run, for cold_generation
    args = ap.parse_args()
    if args.time_generation:
        print(json.dumps(time_generation(args.time_generation)))
        return
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        for n in args.n or [2000, 10000]:
            results.append({**run(n, args.repeat, args.seed, base), "machine": machine})
            print(json.dumps(results[-1]), flush=True)
    preview = None
    if args.live_preview:
        from live_preview import measure

        preview = measure(args.live_preview)
        print(json.dumps({"live_preview": preview}), flush=True)
    if args.table:
        print(table(results, preview, machine))


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} KB"


def table(results: list[dict[str, object]], preview: dict[str, object] | None, machine: dict[str, object]) -> str:
    """The README's performance table, from this run's results (medians over its repetitions)."""
    head = ("| N studies | repetitions | validate | generate | whole build | baseline (plain MkDocs, same pages) | ratio "
            "| Explore HTML | Explore transfer (gzip) | search index | largest page |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
    rows = "".join(
        f"| {r['n']:,} | {r['repetitions']} | {r['validate_s']:.1f} s | {r['generate_s']:.1f} s | {r['whole_build_s']:.0f} s "
        f"| {r['baseline_s']:.0f} s | {r['ratio']:.2f} | {_mb(r['explore_html_bytes'])} | {_mb(r['explore_transfer_gzip_bytes'])} "  # type: ignore[arg-type]
        f"| {_mb(r['search_index_bytes'])} | {_mb(r['largest_page']['bytes'])} ({r['largest_page']['path']}) |\n"  # type: ignore[index, arg-type]
        for r in results
    )
    live = ""
    if preview:
        live = (f"\nLive preview at the shipped size ({preview['studies']} studies): a saved record shows in the open page after "
                f"a median of {preview['median_s']} s ({preview['min_s']}-{preview['max_s']} s, {preview['saves']} saves; "
                + ", ".join(f"{k} edits {v} s" for k, v in preview["median_s_by_edit"].items())  # type: ignore[attr-defined]
                + f"), builds per save {preview['builds_per_save']}.\n")
    return head + rows + live + f"\nMachine: {machine['platform']}, {machine['cpus']} cores, Python {machine['python']}.\n"


if __name__ == "__main__":
    main()
