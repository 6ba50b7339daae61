"""A small fixture dataset for the site tests (with one hostile record), built once per session, and
helpers that read the built HTML. Expected values in tests come from these dicts, never from the
generator."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html
import pytest
import yaml
from conftest import DATA, built, make_project, record

HOSTILE = '<script>alert(1)</script> "quotes" {braces} **bold** </title><img src=x onerror=alert(2)> ```` & 100% $x$ #1 _u_ ^~\\ @misc{evil,'
"""Every text field of the hostile record holds this (plus a field tag): HTML, Markdown, BibTeX,
fence and RIS syntax, and an unbalanced brace."""

HOSTILE_TEXT_FIELDS = ("title", "venue", "summary", "key_result", "verified")
HOSTILE_LIST_FIELDS = ("authors", "source_datasets", "target_datasets", "architectures")


def hostile(tag: str) -> str:
    return f"{tag} {HOSTILE}"


def _records() -> list[dict[str, Any]]:
    tumour = {"application": ["brain-tumor"], "tl_approach": ["other"], "source_domain": ["synthetic"]}
    fillers = [
        ("ash2015atlas", "Atlas priors for tumour boundaries", 2015),
        ("birch2016graph", "Graph cuts meet pretrained encoders", 2016),
        ("cedar2018radiomic", "Radiomic signatures under domain shift", 2018),
        ("dogwood2018cohort", "A multi-cohort benchmark of glioma grading", 2018),
        ("elm2020synthetic", "Synthetic scans as a pretraining source", 2020),
        ("fir2017patch", "Patch-level transfer with limited annotations", 2017),
    ]
    out = [
        record(),  # doe2020transfer: brain-tumor, fine-tuning-all, brain-mri; journal article with DOI
        record(
            id="roe2019stroke", title="Feature extraction for ischaemic stroke lesions", authors=["Roe, Richard"],
            year=2019, venue="MICCAI", publication_type="conference-paper", doi=None, url=None, key_result=None,
            task=["segmentation"], application=["stroke"], mri_modality=[], tl_approach=["feature-extraction"],
            source_domain=["natural-images"], code_url="https://github.com/example/roe", brain_mri_specific=True,
            added=dt.date(2026, 2, 1),
        ),
        record(
            id="poe2021glioma", title="Grading gliomas with an ImageNet network", authors=["Poe, Edgar", "Doe, Jane"],
            year=2021, venue="arXiv", publication_type="preprint", doi=None, tl_approach=[],
            source_domain=["brain-mri"], added=dt.date(2026, 3, 3),
        ),
        record(
            id="evil2022script", authors=[hostile("Evil,"), hostile("Second,")], year=2022,
            # links and DOIs as hostile as the validator lets them be: markup characters must be
            # percent-encoded in links; a DOI may hold quotes, brackets and ampersands
            publication_type="conference-paper", doi="10.1000/evil(1)'&[2]", url="https://example.org/x?a=1&b=%22*2*%22&c={_x_}|^~",
            code_url="https://example.org/code?q=%27%22%3Cx%3E&lt;y&", added=dt.date(2026, 3, 1),
            **{f: hostile(f) for f in HOSTILE_TEXT_FIELDS},
            **{f: [hostile(f)] for f in HOSTILE_LIST_FIELDS if f != "authors"},
        ),
    ]
    out += [record(id=i, title=t, year=y, authors=[re.match(r"[a-z]+", i).group().title() + ", Ann"], doi=None, **tumour) for i, t, y in fillers]
    return out


RECORDS = _records()
BY_ID = {r["id"]: r for r in RECORDS}
TAXONOMY = yaml.safe_load((DATA / "taxonomy.yaml").read_text(encoding="utf-8"))
REVIEW = yaml.safe_load((DATA / "review.yaml").read_text(encoding="utf-8"))

_SITES: dict[str, Path] = {}


def fixture_site(factory: pytest.TempPathFactory) -> Path:
    """The fixture records built with `mkdocs build --strict`, once per test session."""
    if "fixture" not in _SITES:
        _SITES["fixture"] = built(make_project(factory.mktemp("fixture-site"), RECORDS))
    return _SITES["fixture"]


# --- reading the records the way a reader would ---------------------------------------------------

def facet_slugs(rec: dict[str, Any], facet: dict[str, Any]) -> list[str]:
    """A record's values of a facet as URL slugs: booleans as true/false, an empty list as not-reported."""
    value = rec.get(facet["name"], facet.get("default"))
    values = value if facet["multi"] else [value]
    slugs = [str(v).lower() if isinstance(v, bool) else str(v) for v in values]
    return slugs or ["not-reported"]


def real_records() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((DATA / "studies").glob("*.yaml"))]


# --- reading the built HTML ------------------------------------------------------------------------

def page(site: Path, rel: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / rel).read_bytes())


def study_page(site: Path, study_id: str) -> lxml.html.HtmlElement:
    return page(site, f"studies/{study_id}/index.html")


def meta(doc: lxml.html.HtmlElement, name: str) -> list[str]:
    return [m.get("content") for m in doc.xpath("/html/head/meta[@name=$n]", n=name)]


def json_ld(doc: lxml.html.HtmlElement) -> list[Any]:
    return [json.loads(s.text) for s in doc.xpath("/html/head/script[@type='application/ld+json']")]


def article(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return doc.xpath("//article")[0]


def text(el: lxml.html.HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content()).strip()


def heading(el: lxml.html.HtmlElement) -> str:
    """A heading's text without its permalink anchor."""
    return text(el).removesuffix("¶").strip()


def resolve(page_url: str, href: str) -> str:
    """A link on the page at page_url (site-root relative, e.g. 'studies/x/') as a site-root path."""
    return urljoin("http://site.invalid/" + page_url, href).removeprefix("http://site.invalid/")


def study_links(el: lxml.html.HtmlElement, page_url: str) -> list[str]:
    """Ids of the study pages an element links to, in document order."""
    out = []
    for a in el.xpath(".//a[@href]"):
        m = re.fullmatch(r"studies/([a-z0-9-]+)/", resolve(page_url, a.get("href")))
        if m:
            out.append(m.group(1))
    return out


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
