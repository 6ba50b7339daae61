"""`evidence-map discover`: run the saved searches of review.yaml (discovery:) through the sources'
maintained clients (pyalex for OpenAlex, arxiv for arXiv) and write one search record per source run
with only the works that are new: duplicates of map records, of earlier candidates (excluded ones
too) and preprint/published pairs are reported, not proposed again. New candidates are scored by
the map's ranking model (ranking.py).

Requests go through one requests session per run: a timeout on every request, retries with
exponential backoff on connection errors, timeouts and 429/5xx answers (a 429's Retry-After is
obeyed), and the contact address from EVIDENCE_MAP_MAILTO (OpenAlex's polite pool: pyalex's
config.email; arXiv: in the User-Agent). When a source still fails, nothing is written for it and
the command says why. Both clients can be pointed elsewhere (tests use a local server):
pyalex.config.openalex_url and arxiv.Client.query_url_format."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from ..evidence.dataset import Dataset
from ..evidence.normalise import arxiv_id, bare_doi, clean_text, split_name
from ..evidence.review import ArxivQuery, Discovery, OpenAlexQuery
from .dedupe import Match, item
from .importers import Found, clean_link

MAILTO_ENV = "EVIDENCE_MAP_MAILTO"
USER_AGENT = "evidence-map-discover/0.1 (+https://github.com/)"
SOURCES = ("openalex", "arxiv")
DROP_AT = 0.8
"""A match at least this sure (same DOI/arXiv id/title, a preprint and its published version) is
reported and left out of the new search record; weaker ones are proposed with duplicate_of."""


class DiscoverError(Exception):
    """A source could not be searched (network, HTTP or API error): nothing is written for it."""


@dataclass
class Settings:
    timeout: float = 30.0
    """Seconds to wait for a server to answer (connect and each read)."""
    retries: int = 5
    backoff: float = 2.0
    """Seconds before the first retry, doubled after each (urllib3's backoff_factor)."""
    arxiv_delay: float = 3.0
    """Seconds between arXiv requests (its API's terms ask for 3)."""
    page_size: int = 200


SETTINGS = Settings()


@dataclass
class Work(Found):
    """One result of a source, mapped to a candidate's fields (the abstract is used for scoring only)."""

    abstract: str | None = None


class _TimeoutSession(requests.Session):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self._timeout)
        return super().request(method, url, *args, **kwargs)


def session(settings: Settings | None = None) -> requests.Session:
    """A session with a timeout and retries (backoff, Retry-After) for http and https alike."""
    settings = settings or SETTINGS
    s = _TimeoutSession(settings.timeout)
    retry = Retry(total=settings.retries, connect=settings.retries, read=settings.retries, status=settings.retries,
                  backoff_factor=settings.backoff, status_forcelist=(429, 500, 502, 503, 504), allowed_methods={"GET"},
                  respect_retry_after_header=True, raise_on_status=False)
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("https://", adapter)
    s.mount("http://", adapter)
    mailto = contact()
    s.headers["User-Agent"] = USER_AGENT + (f" mailto:{mailto}" if mailto else "")
    return s


def contact() -> str | None:
    value = os.environ.get(MAILTO_ENV, "").strip()
    return value or None


def _why(e: BaseException) -> str:
    if isinstance(e, requests.HTTPError) and e.response is not None:
        return f"HTTP {e.response.status_code} from {_host(e.response.url)} after retries"
    reason = getattr(e.args[0], "reason", None) if e.args else None
    if isinstance(e, requests.Timeout) or isinstance(reason, TimeoutError) or "timed out" in str(e):
        return f"no answer within {SETTINGS.timeout:g} s (timeout), {SETTINGS.retries} retries"
    if isinstance(e, requests.ConnectionError):
        return f"cannot connect ({type(reason or e).__name__}: {str(reason or e)[:160]}), {SETTINGS.retries} retries"
    return f"{type(e).__name__}: {str(e)[:200]}"


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


# --- OpenAlex -------------------------------------------------------------------------------------

def _openalex_works_class() -> type:
    import pyalex

    class Works(pyalex.Works):  # the class name is the endpoint: /works
        """pyalex's Works, at pyalex.config.openalex_url (its URLs name api.openalex.org)."""

        @property
        def url(self) -> str:
            base = pyalex.config.openalex_url.rstrip("/")
            return re.sub(r"^https://api\.openalex\.org", base, super().url)

    return Works


def openalex_query(q: OpenAlexQuery, since: dt.date, until: dt.date) -> Any:
    Works = _openalex_works_class()
    filters = {**q.filter, "from_publication_date": since.isoformat(), "to_publication_date": until.isoformat()}
    return Works().search(q.search).filter(**filters)


def query_as_run(url: str) -> str:
    """The request as a reader can repeat it: the endpoint path and query, decoded, without paging."""
    parts = urlsplit(url)
    params = [p for p in parts.query.split("&") if p and not p.startswith(("cursor=", "per-page=", "page=", "mailto="))]
    return unquote_plus(parts.path.lstrip("/") + "?" + "&".join(params))


def openalex_works(q: OpenAlexQuery, since: dt.date, until: dt.date, limit: int, settings: Settings | None = None) -> tuple[str, list[Work]]:
    import pyalex

    settings = settings or SETTINGS

    pyalex.config.email = contact()
    pyalex.config.user_agent = USER_AGENT
    query = openalex_query(q, since, until)
    run_as = query_as_run(query.url)
    pager = query.paginate(method="cursor", per_page=min(settings.page_size, 200), n_max=limit)
    pager._session = session(settings)  # our timeout and retries (pyalex's retry only mounts https)
    out: list[Work] = []
    try:
        for page in pager:
            out += [openalex_work(w) for w in page]
            if len(out) >= limit:
                break
    except (requests.RequestException, pyalex.api.QueryError, ValueError, KeyError) as e:
        raise DiscoverError(f"OpenAlex: {_why(e)}; nothing written for openalex") from e
    return run_as, [w for w in out[:limit] if w.title]


_TAG = re.compile(r"<[^>]+>")


def openalex_work(w: Any) -> Work:
    """An OpenAlex work (its documented JSON) as a candidate."""
    key = str(w.get("id") or "").rsplit("/", 1)[-1]
    title = clean_text(_TAG.sub("", w.get("title") or w.get("display_name") or ""))
    authors = []
    for a in w.get("authorships") or []:
        name = ((a.get("author") or {}).get("display_name") or a.get("raw_author_name") or "").strip()
        if name:
            authors.append(split_name(clean_text(name)))
    loc = w.get("primary_location") or {}
    venue = ((loc.get("source") or {}).get("display_name") or None)
    doi = bare_doi(w.get("doi"))
    ids = w.get("ids") or {}
    landing = loc.get("landing_page_url")
    arx = arxiv_id(doi) if doi and doi.lower().startswith("10.48550/") else None
    if arx is None and landing and "arxiv.org" in landing:
        arx = arxiv_id(landing)
    url = clean_link(landing) or (f"https://doi.org/{doi}" if doi else None) or clean_link(ids.get("openalex") or w.get("id"))
    try:
        abstract = w["abstract"] if w.get("abstract_inverted_index") else None
    except (KeyError, TypeError, AttributeError):
        abstract = None
    year = w.get("publication_year")
    return Work(key=key, title=title, authors=authors, authors_truncated=bool(w.get("is_authors_truncated")),
                year=year if isinstance(year, int) else None, venue=clean_text(venue) if venue else None,
                doi=doi, arxiv=arx, url=url, abstract=abstract)


# --- arXiv ----------------------------------------------------------------------------------------

def arxiv_search(q: ArxivQuery, since: dt.date, until: dt.date, limit: int) -> Any:
    import arxiv

    dates = f"submittedDate:[{since:%Y%m%d}0000 TO {until:%Y%m%d}2359]"
    return arxiv.Search(query=f"{q.full} AND {dates}", max_results=limit,
                        sort_by=arxiv.SortCriterion.SubmittedDate, sort_order=arxiv.SortOrder.Descending)


def arxiv_works(q: ArxivQuery, since: dt.date, until: dt.date, limit: int, settings: Settings | None = None) -> tuple[str, list[Work]]:
    import arxiv

    settings = settings or SETTINGS

    search = arxiv_search(q, since, until, limit)
    client = arxiv.Client(page_size=min(settings.page_size, 2000), delay_seconds=settings.arxiv_delay, num_retries=0)
    client._session = session(settings)  # retries and backoff live in the session (see module docstring)
    out: list[Work] = []
    try:
        for r in client.results(search):
            out.append(arxiv_work(r))
    except (requests.RequestException, arxiv.ArxivError) as e:
        why = f"HTTP {e.status} from {_host(e.url)} after retries" if isinstance(e, arxiv.HTTPError) else _why(e)
        raise DiscoverError(f"arXiv: {why}; nothing written for arxiv") from e
    return f"search_query={search.query}", out


def arxiv_work(r: Any) -> Work:
    """An arXiv API result (arxiv.Result) as a candidate: the key is the id without version."""
    short = arxiv_id(r.entry_id) or r.get_short_id()
    journal = clean_text(r.journal_ref or "") or None
    return Work(key=short, title=clean_text(r.title or ""), authors=[split_name(clean_text(a.name)) for a in r.authors],
                year=r.published.year if r.published else None, venue=journal or "arXiv", doi=bare_doi(r.doi),
                arxiv=short, url=f"https://arxiv.org/abs/{short}", abstract=clean_text(r.summary or "") or None)


# --- one run --------------------------------------------------------------------------------------

def since_for(ds: Dataset, source: str, discovery: Discovery) -> dt.date:
    """The previous run of this source minus the overlap, or the day the living search started."""
    runs = [s.run for s in ds.searches if s.source == source and s.kind == "api"]
    if not runs:
        return discovery.started
    return max(discovery.started, max(runs) - dt.timedelta(days=discovery.overlap_days))


def fetch(source: str, discovery: Discovery, since: dt.date, until: dt.date, settings: Settings | None = None) -> tuple[str, list[Work]]:
    if source == "openalex" and discovery.openalex is not None:
        return openalex_works(discovery.openalex, since, until, discovery.max_results, settings)
    if source == "arxiv" and discovery.arxiv is not None:
        return arxiv_works(discovery.arxiv, since, until, discovery.max_results, settings)
    raise DiscoverError(f"no saved search for '{source}' in review.yaml discovery:")


@dataclass
class RunSummary:
    source: str
    returned: int = 0
    known: list[tuple[str, Match]] = field(default_factory=list)
    repeated: int = 0
    new: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.returned} works returned",
               f"{len(self.known)} already known (not proposed again):"]
        out += [f"  {key} = {m.ref} ({m.how}, {m.confidence:.2f})" for key, m in self.known[:50]]
        if len(self.known) > 50:
            out.append(f"  ... and {len(self.known) - 50} more")
        if self.repeated:
            out.append(f"{self.repeated} repeated within the results")
        out.append(f"{len(self.new)} new candidates")
        return out


def fit(w: Work) -> Work:
    """The work trimmed to what a search record accepts (an API's odd value never makes the data invalid):
    long texts shortened, a DOI or arXiv id that is not one dropped."""
    from ..evidence.records import DOI, MAX_SHORT_TEXT, MAX_TITLE_LENGTH
    from ..evidence.searches import ARXIV

    def cut(text: str | None, n: int) -> str | None:
        return text if text is None or len(text) <= n else text[: n - 1].rstrip() + "…"

    w.key = w.key[:MAX_SHORT_TEXT]
    w.title = cut(w.title, MAX_TITLE_LENGTH) or ""
    w.venue = cut(w.venue, MAX_SHORT_TEXT) or None
    w.authors = [cut(a, MAX_SHORT_TEXT) or a for a in w.authors if a.strip()]
    if w.doi and (not re.fullmatch(DOI[1:-1], w.doi) or len(w.doi) > MAX_SHORT_TEXT):
        w.doi = None
    if w.arxiv and not re.fullmatch(ARXIV[1:-1], w.arxiv):
        w.arxiv = None
    if w.url and len(w.url) > 2000:
        w.url = None
    return w


def new_candidates(index: Any, search_id: str, works: list[Work], summary: RunSummary) -> Iterator[tuple[dict[str, Any], Work]]:
    """Candidates for the works that are new; known ones go to summary.known (index grows as it goes)."""
    seen: set[str] = set()
    for w in map(fit, works):
        if not w.key or w.key in seen:
            summary.repeated += 1
            continue
        seen.add(w.key)
        it = item(f"{search_id}:{w.key}", "candidate", w.title, w.year, w.authors, w.venue, w.doi, w.arxiv, w.url)
        m = index.match(it)
        if m is not None and m.confidence >= DROP_AT:
            summary.known.append((w.key, m))
            continue
        cand: dict[str, Any] = {
            "key": w.key, "title": w.title, "authors": w.authors, "authors_truncated": w.authors_truncated or None,
            "year": w.year, "venue": w.venue, "doi": w.doi, "arxiv": w.arxiv, "url": w.url,
            "decision": "pending", "record": None, "reason": None,
        }
        if m is not None:
            cand.update(duplicate_of=m.ref, confidence=m.confidence, note=m.note or f"possible duplicate: {m.how}")
        index.add(it)
        yield cand, w


def search_id_for(searches_dir: Any, run: dt.date, source: str) -> str:
    base = f"{run.isoformat()}-{source}"
    n, sid = 1, base
    while (searches_dir / f"{sid}.yaml").exists():
        n += 1
        sid = f"{base}-{n}"
    return sid


# --- the pull request's body ----------------------------------------------------------------------

PR_ROWS = 50
PR_LIMIT = 60000
"""GitHub refuses a pull request body over 65,536 characters; stay well below."""


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").strip()


def pr_body(searches: list[Any], today: dt.date, rows: int = PR_ROWS, limit: int = PR_LIMIT) -> tuple[str, str]:
    """(title, body) of the discovery pull request: the pending candidates of these search records,
    highest score first, as a Markdown table of at most `rows` rows, under `limit` characters."""
    cands = [(s, c) for s in searches for c in s.candidates if c.decision == "pending"]
    cands.sort(key=lambda sc: (sc[1].score is None, -(sc[1].score or 0), sc[0].id, sc[1].key))
    n = len(cands)
    title = f"Discovery: {n} new candidate{'s' if n != 1 else ''} to screen ({today.isoformat()})"
    head = [
        f"{n} new candidate{'s' if n != 1 else ''} from the saved searches "
        f"({', '.join(f'`{s.id}`' for s in searches)}), highest relevance score first. "
        "Duplicates of map records and of earlier candidates were left out.",
        "",
        "Screen them on this branch: `evidence-map screen`, then `evidence-map include KEY --search ID` "
        "(a record to code) or `evidence-map exclude KEY --reason REASON`; merge when done "
        "(undecided candidates stay pending on the Screening page).",
        "",
        "| # | Score | Title | Year | Venue | Link |",
        "| ---: | ---: | --- | ---: | --- | --- |",
    ]
    body = "\n".join(head)
    shown = 0
    for i, (_, c) in enumerate(cands[:rows], start=1):
        link = c.url or (f"https://doi.org/{c.doi}" if c.doi else "")
        dup = f" (possibly {c.duplicate_of})" if c.duplicate_of else ""
        row = (f"\n| {i} | {'' if c.score is None else f'{c.score:.2f}'} | {_cell(c.title)[:300]}{_cell(dup)} | {c.year or ''} | "
               f"{_cell(c.venue or '')[:80]} | {f'[{_cell(c.key)}]({link})' if link else _cell(c.key)} |")
        if len(body) + len(row) > limit - 400:
            break
        body += row
        shown += 1
    if shown < n:
        body += f"\n\n{n - shown} more in the search records (`evidence-map screen` lists them all)."
    return title, body + "\n"
