"""The search index's study entries, compacted: one entry per study page instead of one per section.

Material's search plugin writes an entry for every section of every page, each repeating its
location and a heading, with the categories as "Facet label: value" lines. At 10,000 studies that
made a 17 MB index that every reader's browser downloads. After Material has written
search/search_index.json, the plugin replaces a study page's entries with one entry holding what
readers search for: title, authors, venue and year, the whole summary and key result, the labels of
its categories and its datasets and architectures (the sections the page leaves out of search,
citations, history and related studies, stay out). Other pages' entries are left as they are.

Under `mkdocs serve --dirty` a rebuild renders, and Material indexes, only the pages that changed;
`complete` puts back the other pages' entries from the builds that rendered them, so the preview's
search finds what a whole build's does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from html import escape
from typing import Any

from ..evidence.dataset import Dataset
from ..evidence.records import Study
from . import urls


def _one_line(text: str) -> str:
    return " ".join(text.split())


def study_text(study: Study, ds: Dataset) -> str:
    """The entry's text, as HTML (Material shows it in the results; every value is escaped): the
    authors' family names, the whole summary and key result, then the dataset and architecture
    names that the summary does not already hold (the index is searched by word: a repeated name
    finds nothing new and only costs bytes in every reader's download). Categories are found
    through their own pages (facets/<facet>/<value>/), which the index holds once each."""
    family = ", ".join(dict.fromkeys(a.split(",")[0].strip() for a in study.authors))
    family += " et al." if study.authors_truncated else ""
    said = _one_line(f"{study.title} {family} {study.summary} {study.key_result or ''}")
    names: list[str] = []
    lists = ds.review.site.lists
    if "datasets" in lists:
        names += [*study.source_datasets, *study.target_datasets]
    if "architectures" in lists:
        names += list(study.architectures)
    keep = [n for n in dict.fromkeys(_one_line(x) for x in names) if not re.search(rf"(?<!\w){re.escape(n)}(?!\w)", said)]
    parts = [family + ".", _one_line(study.summary)]
    if study.key_result:
        parts.append(_one_line(study.key_result))
    if keep:
        parts.append(", ".join(keep) + ".")
    return "<p>" + escape(" ".join(parts), quote=False) + "</p>"


def compact(index: dict[str, Any], ds: Dataset) -> dict[str, Any]:
    """The index with each study page's entries replaced by one (in the place of its first)."""
    studies = {urls.study_url(s.id): s for s in ds.studies}
    docs: list[dict[str, Any]] = []
    done: set[str] = set()
    for entry in index.get("docs", []):
        page = entry.get("location", "").split("#")[0]
        study = studies.get(page)
        if study is None:
            docs.append(entry)
        elif page not in done:
            done.add(page)
            docs.append({**{k: v for k, v in entry.items() if k not in ("location", "title", "text")},
                         "location": page, "title": escape(" ".join(study.title.split()), quote=False),
                         "text": study_text(study, ds)})
    return {**index, "docs": docs}


def dump(index: Mapping[str, Any]) -> str:
    """search_index.json's text, as Material writes it (compact separators, ASCII)."""
    return json.dumps(index, separators=(",", ":"), ensure_ascii=True)


def location(page_url: str) -> str:
    """A page's URL as its search entries give it: the home page's './' is ''."""
    return "" if page_url in ("./", ".") else page_url


Entries = dict[str, list[dict[str, Any]]]
"""A search index's entries by the URL of their page ('' for the home page)."""


def by_page(index: Mapping[str, Any]) -> Entries:
    out: Entries = {}
    for entry in index.get("docs", []):
        out.setdefault(entry.get("location", "").split("#")[0], []).append(entry)
    return out


def complete(index: dict[str, Any], rendered: Collection[str], pages: Sequence[str], kept: Entries) -> tuple[dict[str, Any], Entries]:
    """The index a build wrote, holding only the pages it rendered (`mkdocs serve --dirty` renders
    only changed pages), completed with the `kept` entries of the other `pages`, in page order as a
    whole build writes them. Returns it and the entries to keep for the next build."""
    fresh = by_page(index)
    entries = {page: fresh.get(page, []) if page in rendered else kept.get(page, []) for page in pages}
    entries |= {page: docs for page, docs in fresh.items() if page not in entries}
    return {**index, "docs": [e for docs in entries.values() for e in docs]}, entries
