"""Shared fixtures: fixture datasets in temporary folders, site builds, a local server, Chromium."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ["EVIDENCE_MAP_OFFLINE"] = "1"  # `evidence-map new --doi` never fetches in tests (test_prefill.py turns it off)

VALID: dict[str, Any] = {
    "id": "doe2020transfer",
    "title": "Transfer learning for glioma segmentation in small cohorts",
    "authors": ["Doe, Jane", "Roe, Richard"],
    "year": 2020,
    "venue": "NeuroImage",
    "publication_type": "journal-article",
    "doi": "10.1016/j.neuroimage.2020.000001",
    "url": "https://example.org/doe2020",
    "summary": "A U-Net pretrained on BraTS was fine-tuned on a small in-house glioma cohort.",
    "key_result": "Dice 0.85",
    "task": ["segmentation"],
    "application": ["brain-tumor"],
    "mri_modality": ["t1ce", "flair"],
    "ml_method": ["cnn"],
    "dimensionality": "3d",
    "architectures": ["U-Net"],
    "tl_approach": ["fine-tuning-all"],
    "source_domain": ["brain-mri"],
    "source_datasets": ["BraTS"],
    "target_datasets": ["in-house"],
    "label_setting": "inductive",
    "issues_addressed": ["small-target-data"],
    "brain_mri_specific": False,
    "compared_with_no_transfer": True,
    "code_url": None,
    "extracted_from": "abstract",
    "added": dt.date(2026, 1, 15),
}


def record(**changes: Any) -> dict[str, Any]:
    """A valid record with some fields changed (None values are kept; use drop= to remove)."""
    out = copy.deepcopy(VALID)
    for key in changes.pop("drop", ()):
        out.pop(key, None)
    out.update(changes)
    return out


def write_record(data_dir: Path, rec: dict[str, Any], name: str | None = None) -> Path:
    path = data_dir / "studies" / f"{name or rec['id']}.yaml"
    path.write_text(yaml.safe_dump(rec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def make_data(base: Path, records: list[dict[str, Any]] | None = None) -> Path:
    """A data folder (taxonomy and review from the repository) holding the given records."""
    data = base / "data"
    (data / "studies").mkdir(parents=True)
    for name in ("taxonomy.yaml", "review.yaml"):
        shutil.copy(DATA / name, data / name)
    for rec in records if records is not None else [record()]:
        write_record(data, rec)
    return data


def make_project(base: Path, records: list[dict[str, Any]] | None = None, real_data: bool = False) -> Path:
    """A project folder with the repository's mkdocs.yml and a data folder; returns the folder."""
    base.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    (base / "docs").mkdir(exist_ok=True)  # mkdocs checks docs_dir exists before the plugin runs
    if real_data:
        shutil.copytree(DATA, base / "data")
        if (ROOT / "releases").is_dir():  # the map's release snapshots, as the real site shows them
            shutil.copytree(ROOT / "releases", base / "releases")
    else:
        make_data(base, records)
    return base


def build(project: Path, strict: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(project / "mkdocs.yml")]
    return subprocess.run(cmd + (["--strict"] if strict else []), capture_output=True, text=True, cwd=project)


def built(project: Path) -> Path:
    res = build(project)
    assert res.returncode == 0, res.stderr
    return project / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site built once from the shipped records."""
    return built(make_project(tmp_path_factory.mktemp("real"), real_data=True))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass




def serve(directory: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def real_server(real_site: Path) -> Iterator[str]:
    yield from serve(real_site)


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


def chromium_path() -> str | None:
    for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(path, os.X_OK):
            return path
    return None  # Playwright's own download, installed by scripts/ensure-browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Chromium. Missing browser is an error, not a skip: CI must run these tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageWatch:
    """A browser page that records console errors and every request that leaves the origin."""

    def __init__(self, page: Any, origin: str):
        self.page, self.origin = page, origin.rstrip("/")
        self.errors: list[str] = []
        self.offsite: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)

    def _request(self, req: Any) -> None:
        url = req.url
        if not (url.startswith(self.origin) or url.startswith(("data:", "blob:", "about:"))):
            self.offsite.append(url)


@pytest.fixture
def watched(browser: Any, real_server: str) -> Iterator[PageWatch]:
    """A fresh page on the real site; blocks and records off-origin requests."""
    context = browser.new_context()
    page = context.new_page()
    watch = PageWatch(page, real_server)
    context.route(
        lambda url: not url.startswith(real_server.rstrip("/")) and not url.startswith(("data:", "blob:")),
        lambda route: route.abort(),
    )
    yield watch
    context.close()
