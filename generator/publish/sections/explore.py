"""Explore: every study in one faceted, filterable table.

The build writes the page (intro, the filter mount point and, as plain HTML for readers without
JavaScript, the first PAGE_SIZE studies with links to further pages explore/page/N/ that list the
rest, so the page's size does not grow with the map), the data the glue script filters (studies.json, every study), the
RIS text of every study (fetched only when a reader downloads RIS) and the DataTables bundle that
the `itables` package ships. assets/explore.js (with the filter logic in assets/explore-core.js)
turns the plain table into the filterable one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from ...evidence.dataset import Dataset
from ...evidence.records import Study
from ...evidence.site import Site
from ...evidence.taxonomy import NOT_REPORTED, Facet, Taxonomy
from .. import render, ris, table, urls
from ..context import Files, SiteContext

PAGE = "explore/index.md"
PAGE_URL = "explore/"
PAGE_SIZE = 100
"""Studies per page of the plain (no-JavaScript) list; the filterable table loads them all."""
DATA = "explore/studies.json"
ROWS = "explore/studies-rows.json"
RIS = "explore/studies-ris.json"
VENDOR = "assets/vendor/datatables/"

SEARCHED = ("title", "authors", "summary", "source_datasets", "target_datasets", "architectures")
"""table.py columns the free-text search looks in."""

SHOWN = ("title", "year", "venue", "code_url")
"""table.py columns studies.json holds in each row: what the table shows and the year filter needs.
The others (null there) are in studies-rows.json, fetched when a reader first uses the text search
or downloads CSV, so the page's first load does not grow by every summary of the map."""


def _itables_dir() -> Path:
    """The folder of the DataTables bundle inside the installed itables package."""
    import itables

    return Path(itables.__file__).resolve().parent / "html"


# --- data -----------------------------------------------------------------------------------------

DEFAULT_COLUMNS = 5


def table_facets(taxonomy: Taxonomy, site: Site | None = None) -> list[Facet]:
    """Facet columns of the table: review.yaml's site.explore.columns, else the first five multi facets."""
    names = site.explore.columns if site is not None else None
    if names is None:
        return [f for f in taxonomy.facets if f.multi][:DEFAULT_COLUMNS]
    return [taxonomy[name] for name in names]


def filter_values(facet: Facet) -> list[str]:
    """The slugs a reader can filter a facet by: its vocabulary, plus 'not reported' for multi facets."""
    return facet.slugs + ([NOT_REPORTED] if facet.multi else [])


def ordered_studies(studies: Sequence[Study]) -> list[Study]:
    """Newest first, then by first author and title: the order of the plain table and of the data."""
    return sorted(studies, key=lambda s: (-s.year, s.first_author.casefold(), s.title.casefold(), s.id))


def study_link(study: Study, from_url: str = PAGE_URL) -> str:
    return urls.relative(from_url, urls.study_url(study.id))


def page_url(number: int) -> str:
    """The URL of page `number` (from 1) of the plain list: page 1 is Explore itself."""
    return PAGE_URL if number == 1 else f"{PAGE_URL}page/{number}/"


def page_file(number: int) -> str:
    return PAGE if number == 1 else f"{PAGE_URL}page/{number}/index.md"


def page_count(n_studies: int) -> int:
    return max(1, -(-n_studies // PAGE_SIZE))


def explore_data(ds: Dataset) -> dict[str, Any]:
    """What explore-core.js filters: facet vocabularies once, then per study its facet value indices
    (into those vocabularies, so a filter is a bit test), its dataset and architecture indices (into
    the name lists) and its table.py row with only the SHOWN columns (rows_data has them all). A
    study's page is study_base + id + "/"."""
    tax = ds.taxonomy
    facets = []
    index: dict[str, dict[str, int]] = {}
    for f in tax.facets:
        slugs = filter_values(f)
        index[f.name] = {s: i for i, s in enumerate(slugs)}
        facets.append({"name": f.name, "label": f.label, "multi": f.multi, "values": [[s, f.label_of(s)] for s in slugs]})
    ordered = ordered_studies(ds.studies)
    datasets = _names(n for s in ordered for n in (*s.source_datasets, *s.target_datasets))
    architectures = _names(n for s in ordered for n in s.architectures)
    studies = [
        {
            "id": s.id,
            "authors": s.short_authors,
            "f": [[index[f.name][v] for v in s.values(f.name)] for f in tax.facets],
            # Exact names for the dataset=/architecture= filters, as indices into the lists below:
            # the row's '; '-joined text could not be split back when a name holds '; '.
            "d": sorted({datasets[n] for n in (*s.source_datasets, *s.target_datasets)}),
            "a": sorted({architectures[n] for n in s.architectures}),
            "row": [v if c in SHOWN else None for c, v in table.row(s, tax).items()],
        }
        for s in ordered
    ]
    return {
        "columns": table.columns(tax),
        "study_base": urls.relative(PAGE_URL, "studies/"),
        "rows": Path(ROWS).name,
        "search": list(SEARCHED),
        "display": [f.name for f in table_facets(tax, ds.review.site)],
        "facets": facets,
        "datasets": list(datasets),
        "architectures": list(architectures),
        "studies": studies,
    }


def _names(names: Iterable[str]) -> dict[str, int]:
    """Distinct names (compared exactly, as the filter does) in a stable order -> their index."""
    return {n: i for i, n in enumerate(sorted(set(names), key=lambda n: (n.casefold(), n)))}


def rows_data(ds: Dataset) -> list[list[Any]]:
    """Every table.py row (the CSV download, the text search), in the order of studies.json."""
    return [list(table.row(s, ds.taxonomy).values()) for s in ordered_studies(ds.studies)]


def ris_data(ds: Dataset) -> list[str]:
    """RIS records (as the Data page's RIS has them) in the order of studies.json, so the page
    picks the filtered ones by index."""
    roles = ds.review.site.roles
    return [ris.record(s, ds.taxonomy, roles.citation_kind(s.facets)) for s in ordered_studies(ds.studies)]


# --- page -----------------------------------------------------------------------------------------

def table_rows(ds: Dataset, studies: Sequence[Study], from_url: str = PAGE_URL) -> list[dict[str, Any]]:
    """Cells of the plain table, as text: the template escapes them."""
    facets = table_facets(ds.taxonomy, ds.review.site)
    return [
        {
            "url": study_link(s, from_url), "title": s.title, "authors": s.short_authors, "year": s.year, "venue": s.venue,
            "facets": [", ".join(f.label_of(v) for v in s.values(f.name)) for f in facets], "code_url": s.code_url,
        }
        for s in studies
    ]


def pager(number: int, count: int) -> dict[str, Any]:
    """Links from page `number` to the others (relative URLs: raw HTML, which MkDocs does not rewrite)."""
    here = page_url(number)

    def link(n: int) -> str | None:
        return urls.relative(here, page_url(n)) if 1 <= n <= count else None

    return {"number": number, "count": count, "previous": link(number - 1), "next": link(number + 1),
            "pages": [(n, link(n)) for n in range(1, count + 1)]}


def page(ds: Dataset, number: int = 1) -> str:
    """Page `number` of the plain list as Markdown; page 1 is Explore (with the filters' mount point).
    The table is raw HTML (every value through render.html: escaped, one line, so no value can end
    the HTML block or start Markdown)."""
    ordered = ordered_studies(ds.studies)
    count = page_count(len(ordered))
    start = (number - 1) * PAGE_SIZE
    shown = ordered[start:start + PAGE_SIZE]
    common = {
        "total": len(ds.studies), "table_facets": table_facets(ds.taxonomy, ds.review.site),
        "rows": table_rows(ds, shown, page_url(number)), "pager": pager(number, count),
        "first": start + 1 if shown else 0, "last": start + len(shown),
    }
    if number == 1:
        return render.render("explore.md.j2", page=PAGE, data=Path(DATA).name, ris=Path(RIS).name, **common)
    return render.render("explore_page.md.j2", page=page_file(number), **common)


def pages(ds: Dataset) -> dict[str, str]:
    """Every page of the plain list, by docs path."""
    return {page_file(n): page(ds, n) for n in range(1, page_count(len(ds.studies)) + 1)}


# --- vendor bundle --------------------------------------------------------------------------------

def vendor_files() -> Files:
    """DataTables (with jQuery) exactly as the installed itables package ships it; licences are in
    the bundle's own header comments. Copied at build time: never committed, never from a CDN."""
    src = _itables_dir()
    notice = (
        f"dt_bundle.js and dt_bundle.css are copied unchanged from the Python package itables "
        f"{metadata.version('itables')} (itables/html/). They bundle jQuery and DataTables with its "
        f"extensions; their licences (MIT) are in the header comments of dt_bundle.js.\n"
    )
    return {
        VENDOR + "dt_bundle.js": (src / "dt_bundle.js").read_bytes(),
        VENDOR + "dt_bundle.css": (src / "dt_bundle.css").read_bytes(),
        VENDOR + "NOTICE.txt": notice,
    }


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {**pages(ds), DATA: _json(explore_data(ds)), ROWS: _json(rows_data(ds)), RIS: _json(ris_data(ds)), **vendor_files()}
