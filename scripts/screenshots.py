"""Screenshots of the built site for the README, taken with the headless system Chromium.

    .venv/bin/python scripts/screenshots.py   (after `make site`)
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402

SHOTS = {"home.png": "", "study-page.png": "studies/hon2017towards/"}


def main() -> None:
    site, out = ROOT / "site", ROOT / ".github" / "screenshots"
    if not (site / "index.html").is_file():
        sys.exit("build the site first: make site")
    out.mkdir(parents=True, exist_ok=True)
    server = serve(site)
    base = next(server)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name, path in SHOTS.items():
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_timeout(800)  # charts draw after the bundle loads
                page.screenshot(path=str(out / name))
                print(out / name)
            browser.close()
    finally:
        server.close()


if __name__ == "__main__":
    main()
