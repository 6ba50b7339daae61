"""Recorded-style API answers for the discovery tests, in each API's documented format: OpenAlex's
works list (meta.next_cursor paging), arXiv's Atom feed (opensearch:totalResults) and Crossref's
works message. A local HTTP server (pytest-httpserver) replays them to the real clients."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

import pytest
from werkzeug import Request, Response

LOCAL = ("127.0.0.1", "::1", "localhost")


@pytest.fixture
def no_internet(monkeypatch):
    """Any connection to a host other than this machine fails the test."""
    real = socket.socket.connect

    def guarded(self, address, *args):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in LOCAL and not host.startswith("127."):
            raise AssertionError(f"a test tried to reach {address}: tests must stay offline")
        return real(self, address, *args)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    real_cc = socket.create_connection

    def guarded_cc(address, *args, **kwargs):
        if address[0] not in LOCAL and not str(address[0]).startswith("127."):
            raise AssertionError(f"a test tried to reach {address}: tests must stay offline")
        return real_cc(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded_cc)


def inverted(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, w in enumerate(text.split()):
        out.setdefault(w, []).append(i)
    return out


def openalex_work(wid: str, title: str, authors: list[str], year: int, venue: str | None = None, doi: str | None = None,
                  abstract: str | None = None, landing: str | None = None) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/{wid}",
        "doi": f"https://doi.org/{doi}" if doi else None,
        "title": title, "display_name": title,
        "publication_year": year, "publication_date": f"{year}-03-01",
        "ids": {"openalex": f"https://openalex.org/{wid}", **({"doi": f"https://doi.org/{doi}"} if doi else {})},
        "primary_location": {
            "is_oa": False, "landing_page_url": landing or (f"https://doi.org/{doi}" if doi else None),
            "source": {"id": "https://openalex.org/S1", "display_name": venue, "type": "journal"} if venue else None,
        },
        "type": "article",
        "authorships": [{"author_position": "first" if i == 0 else "middle", "author": {"id": f"https://openalex.org/A{i}", "display_name": a},
                         "raw_author_name": a} for i, a in enumerate(authors)],
        "abstract_inverted_index": inverted(abstract) if abstract else None,
    }


def openalex_pages(works: list[dict[str, Any]], per_page: int) -> Callable[[Request], Response]:
    """A /works handler paging `works` by cursor, as OpenAlex does (next_cursor null on the last page)."""
    pages = [works[i:i + per_page] for i in range(0, len(works), per_page)] or [[]]

    def handler(request: Request) -> Response:
        cursor = request.args.get("cursor", "*")
        i = 0 if cursor == "*" else int(cursor.removeprefix("page"))
        nxt = f"page{i + 1}" if i + 1 < len(pages) else None
        body = {"meta": {"count": len(works), "db_response_time_ms": 12, "page": None, "per_page": per_page, "next_cursor": nxt,
                         "groups_count": None}, "results": pages[i] if i < len(pages) else [], "group_by": []}
        return Response(json.dumps(body), content_type="application/json")

    return handler


def arxiv_entry(aid: str, title: str, authors: list[str], published: str, summary: str = "", doi: str | None = None,
                journal_ref: str | None = None) -> str:
    extra = ""
    if doi:
        extra += f"<arxiv:doi>{escape(doi)}</arxiv:doi>"
    if journal_ref:
        extra += f"<arxiv:journal_ref>{escape(journal_ref)}</arxiv:journal_ref>"
    names = "".join(f"<author><name>{escape(a)}</name></author>" for a in authors)
    return (f"<entry><id>http://arxiv.org/abs/{aid}</id><updated>{published}T10:00:00Z</updated>"
            f"<published>{published}T10:00:00Z</published><title>{escape(title)}</title><summary>{escape(summary)}</summary>"
            f"{names}{extra}<link href=\"http://arxiv.org/abs/{aid}\" rel=\"alternate\" type=\"text/html\"/>"
            f"<link title=\"pdf\" href=\"http://arxiv.org/pdf/{aid}\" rel=\"related\" type=\"application/pdf\"/>"
            f"<arxiv:primary_category term=\"eess.IV\"/><category term=\"eess.IV\" scheme=\"http://arxiv.org/schemas/atom\"/></entry>")


def arxiv_feed(entries: list[str], total: int, start: int) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">'
            '<id>https://arxiv.org/api/query</id><title>arXiv Query</title><updated>2026-11-30T00:00:00Z</updated>'
            f'<opensearch:totalResults>{total}</opensearch:totalResults><opensearch:startIndex>{start}</opensearch:startIndex>'
            f'<opensearch:itemsPerPage>{len(entries)}</opensearch:itemsPerPage>' + "".join(entries) + "</feed>")


def arxiv_pages(entries: list[str]) -> Callable[[Request], Response]:
    """A /api/query handler paging by start and max_results, as arXiv's API does."""

    def handler(request: Request) -> Response:
        start, size = int(request.args.get("start", 0)), int(request.args.get("max_results", 10))
        return Response(arxiv_feed(entries[start:start + size], len(entries), start), content_type="application/atom+xml")

    return handler


def crossref_work(doi: str, title: str, authors: list[tuple[str, str]], year: int, venue: str) -> dict[str, Any]:
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": {
        "DOI": doi, "title": [title], "container-title": [venue], "type": "journal-article",
        "author": [{"given": g, "family": f, "sequence": "first" if i == 0 else "additional"} for i, (f, g) in enumerate(authors)],
        "issued": {"date-parts": [[year, 4, 1]]}, "published": {"date-parts": [[year, 4, 1]]},
        "URL": f"https://doi.org/{doi}", "publisher": "Example Press",
    }}
