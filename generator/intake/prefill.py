"""Bibliographic fields for `evidence-map new ID --doi D` / `--arxiv A`: title, authors ("Family,
Given"), year, venue and url, from Crossref (a DOI) or arXiv (an arXiv id; its DOI too when it has one).

Crossref is one GET of api.crossref.org/works/<doi>, made through discover's requests session (its
timeout, retries with backoff and Retry-After, and the contact address in the User-Agent, as Crossref's
etiquette asks); habanero, Crossref's Python client, brings a second HTTP stack for this one call and
no retries. arXiv goes through the `arxiv` client like discover. CROSSREF_URL can point elsewhere
(tests use a local server). Categories are never prefilled: a person codes them from the abstract."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

import requests

from ..evidence.normalise import bare_doi, clean_text
from .discover import DiscoverError, Work, _why, arxiv_work, session

CROSSREF_URL = os.environ.get("EVIDENCE_MAP_CROSSREF_URL", "https://api.crossref.org")


def from_doi(doi: str) -> Work:
    url = f"{CROSSREF_URL.rstrip('/')}/works/{quote(doi, safe='/')}"
    s = session()
    try:
        r = s.get(url, headers={"Accept": "application/json"})
    except requests.RequestException as e:
        raise DiscoverError(f"Crossref: {_why(e)}") from e
    if r.status_code == 404:
        raise DiscoverError(f"Crossref has no record of DOI {doi} (HTTP 404); check the DOI")
    if r.status_code != 200:
        raise DiscoverError(f"Crossref: HTTP {r.status_code} after retries")
    try:
        msg = r.json()["message"]
    except (ValueError, KeyError, TypeError) as e:
        raise DiscoverError("Crossref: the answer is not a works message (JSON with 'message')") from e
    return crossref_work(msg, doi)


def crossref_work(msg: dict[str, Any], doi: str) -> Work:
    """A Crossref works message (its documented JSON) as bibliographic fields."""
    def first(v: Any) -> str | None:
        return clean_text(v[0]) if isinstance(v, list) and v and isinstance(v[0], str) else None

    authors = []
    for a in msg.get("author") or []:
        family, given = (a.get("family") or "").strip(), (a.get("given") or "").strip()
        if family:
            authors.append(clean_text(f"{family}, {given}" if given else family))
        elif a.get("name"):
            authors.append(clean_text(a["name"]))
    year = None
    for field in ("published-print", "published-online", "issued", "published"):
        parts = ((msg.get(field) or {}).get("date-parts") or [[None]])[0]
        if parts and isinstance(parts[0], int):
            year = parts[0]
            break
    real = bare_doi(msg.get("DOI")) or doi
    return Work(key=real, title=first(msg.get("title")) or "", authors=authors, year=year,
                venue=first(msg.get("container-title")) or first(msg.get("short-container-title")),
                doi=real, url=f"https://doi.org/{real}")


def from_arxiv(aid: str) -> Work:
    import arxiv

    from .discover import SETTINGS

    client = arxiv.Client(page_size=1, delay_seconds=0, num_retries=0)
    client._session = session(SETTINGS)
    try:
        results = list(client.results(arxiv.Search(id_list=[aid], max_results=1)))
    except (requests.RequestException, arxiv.ArxivError) as e:
        why = f"HTTP {e.status} after retries" if isinstance(e, arxiv.HTTPError) else _why(e)
        raise DiscoverError(f"arXiv: {why}") from e
    if not results:
        raise DiscoverError(f"arXiv has no paper {aid}; check the id")
    return arxiv_work(results[0])


def bibliographic(doi: str | None, arxiv_id: str | None) -> tuple[dict[str, Any], str | None, str | None]:
    """(fields for render_template, the DOI to write, a problem or None): Crossref for a DOI, else arXiv.
    On failure the fields are empty and the problem says why (the template is still written)."""
    try:
        w = from_doi(doi) if doi else from_arxiv(arxiv_id or "")
    except DiscoverError as e:
        return {}, doi, str(e)
    fields = {"title": w.title or None, "authors": w.authors or None, "year": w.year, "venue": w.venue,
              "url": w.url, "authors_truncated": w.authors_truncated or None}
    return {k: v for k, v in fields.items() if v is not None}, doi or w.doi, None
