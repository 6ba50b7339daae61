"""The living update, computed from data/searches/: the PRISMA 2020 flow per search source, and when
the map was last searched (every number here is counted from the search records)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup

from ..evidence.dataset import Dataset
from ..evidence.membership import Coverage, coverage
from ..evidence.review import DUPLICATE
from ..evidence.searches import Candidate, Search
from .urls import doi_url, facet_file, href

SCREENING = "screening.md"
SCREENING_URL = "screening/"


def anchor(source: str, part: str | None = None) -> str:
    """Anchor on the Screening page of a source's list (pending, included, duplicates, excluded-<reason>)."""
    return f"src-{source}" + (f"-{part}" if part else "")


@dataclass
class Flow:
    """One search source's PRISMA 2020 boxes for the living update."""

    source: str
    searches: list[Search]
    identified: int = 0
    duplicates: int = 0
    excluded: Counter[str] = field(default_factory=Counter)
    included: int = 0
    pending: int = 0

    @property
    def screened(self) -> int:
        return self.identified - self.duplicates

    @property
    def excluded_total(self) -> int:
        return sum(self.excluded.values())

    @property
    def last_run(self) -> dt.date:
        return max(s.run for s in self.searches)

    @property
    def manual(self) -> bool:
        """Every run of this source is a manual search (other sources in PRISMA 2020's terms): it records
        the studies a person kept, not every candidate seen, so there is no count of records screened."""
        return all(s.kind == "manual" for s in self.searches)


def flows(ds: Dataset) -> list[Flow]:
    """Per source, in order of first run: identified, duplicates removed, screened, excluded by reason,
    included, pending. A duplicate is a candidate excluded with reason 'duplicate' (removed before screening)."""
    out: dict[str, Flow] = {}
    for s in sorted(ds.searches, key=lambda s: (s.run, s.id)):
        f = out.setdefault(s.source, Flow(s.source, []))
        f.searches.append(s)
        for c in s.candidates:
            f.identified += 1
            if c.decision == "exclude" and c.reason == DUPLICATE:
                f.duplicates += 1
            elif c.decision == "exclude":
                f.excluded[c.reason or ""] += 1
            elif c.decision == "include":
                f.included += 1
            else:
                f.pending += 1
    # Databases and imported lists first, then other sources (manual searches), as PRISMA 2020 draws them.
    return sorted(out.values(), key=lambda f: f.manual)


@dataclass(frozen=True)
class Currency:
    last_searched: dt.date
    sources: list[tuple[str, dt.date]]
    """Each source with the day it was last searched, most recent first."""
    pending: int
    candidates: int


def currency(ds: Dataset) -> Currency | None:
    """When the map was last searched, with which sources, how many candidates await screening."""
    if not ds.searches:
        return None
    last: dict[str, dt.date] = {}
    for s in ds.searches:
        last[s.source] = max(last.get(s.source, s.run), s.run)
    pending = sum(1 for s in ds.searches for c in s.candidates if c.decision == "pending")
    total = sum(len(s.candidates) for s in ds.searches)
    return Currency(max(last.values()), sorted(last.items(), key=lambda kv: (-kv[1].toordinal(), kv[0])), pending, total)




@dataclass(frozen=True)
class ReviewCoverage:
    """How much of the source review's included list the map holds, and where each part is listed
    (Screening page anchors, the membership facet value's page), for Methods and Home."""

    counts: Coverage
    anchors: dict[str, Markup]
    """included, pending, excluded -> anchor on the Screening page."""
    facet_label: str
    value_label: str
    value_file: str
    """The facet value page (docs-relative file) listing the records in the source review."""


def review_coverage(ds: Dataset) -> ReviewCoverage | None:
    """Counted from the search record review.yaml's source_review.included_list names; none without one."""
    cov = coverage(ds.review, ds.searches)
    spec = ds.review.source_review.included_list
    if cov is None or spec is None:
        return None
    facet = ds.taxonomy[spec.facet]
    anchors = {part: Markup(anchor(cov.search.source, part)) for part in ("included", "pending", "excluded")}
    return ReviewCoverage(cov, anchors, facet.label, facet.label_of(spec.value), facet_file(spec.facet, spec.value))


def candidate_link(c: Candidate) -> str | None:
    """Where a reader can see the candidate: its DOI, else its URL, else its arXiv page."""
    if c.doi:
        return doi_url(c.doi)
    if c.url:
        return href(c.url)
    if c.arxiv:
        return href("https://arxiv.org/abs/" + c.arxiv)
    return None


CADENCE = {"weekly": "every week", "monthly": "every month", "quarterly": "every three months",
           "twice-yearly": "twice a year", "yearly": "every year"}
STATUS_LABELS = {"living": "Living", "paused": "Paused", "archived": "Archived"}


@dataclass(frozen=True)
class Status:
    """review.yaml's living status as pages and the theme say it."""

    status: str
    label: str
    sentence: str
    last_searched: dt.date | None


def status(ds: Dataset) -> Status:
    living = ds.review.living
    cur = currency(ds)
    if living.status == "living":
        sentence = f"Updated {CADENCE[living.cadence]}: the searches are rerun, new studies coded and a release cut."
    elif living.status == "paused":
        sentence = "Updates are paused for now; the map stays as its last release left it."
    else:
        sentence = "This map is no longer updated; its data and releases stay available as they are."
    if living.note:
        sentence += " " + living.note
    return Status(living.status, STATUS_LABELS[living.status], sentence, cur.last_searched if cur else None)
