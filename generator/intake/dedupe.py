"""Deduplication of imported entries against the map's records, earlier candidates and each other.

Rules, strongest first (confidence in brackets):
* same DOI (1.0) or same arXiv id (1.0), after normalisation (case, URL and doi: prefixes, NFKC,
  zero-width characters; arXiv versions and URL forms);
* same normalised title, same first-author surname and year within one (0.95; 0.9 when a year is
  missing): titles folded to ascii words, so LaTeX, accents, quotes and dashes do not matter;
* near-identical title (similarity >= TITLE_THRESHOLD) with the same surname and year within one (0.85);
* one side a preprint and the other not, titles near-identical, same surname, years 0-2 apart (0.8,
  with a note; 0.7 when only the title's words agree, in another order): a preprint and its published
  version are linked, never silently merged.
Two entries with different DOIs, neither a preprint, are different publications and never matched by
title. Similar titles alone never match: the corpus has distinct studies at 0.71-0.79 (a conference
paper and its journal extension), so the bar sits at 0.9 and surname and year must agree as well.

Matches at AUTO or above are decided by the import (a duplicate of a map record becomes `include` with
that record; a duplicate of a candidate becomes `exclude`, reason `duplicate`); weaker ones are only
reported (duplicate_of + confidence) and left pending for a person to confirm."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from ..evidence.normalise import arxiv_id, bare_doi, surname_key, title_key

TITLE_THRESHOLD = 0.9
AUTO = 0.9
"""Matches at least this confident are decided by the import; weaker ones are left for a person."""

Kind = Literal["record", "candidate", "within"]
_PREPRINT_VENUE = re.compile(r"\b(arxiv|biorxiv|medrxiv|preprint|ssrn|research square|techrxiv)\b", re.I)


@dataclass(frozen=True)
class Item:
    """Something an entry can duplicate: a record (ref = its id) or a candidate (ref = search-id:key)."""

    ref: str
    kind: Kind
    title: str
    year: int | None
    first_author: str | None
    doi: str | None = None
    arxiv: str | None = None
    preprint: bool = False

    @property
    def tkey(self) -> str:
        return title_key(self.title)


@dataclass(frozen=True)
class Match:
    ref: str
    kind: Kind
    confidence: float
    how: str
    note: str | None = None

    @property
    def auto(self) -> bool:
        return self.confidence >= AUTO


def is_preprint(venue: str | None, arxiv: str | None, doi: str | None, publication_type: str | None = None) -> bool:
    if publication_type is not None:
        return publication_type == "preprint"
    if doi and (doi.startswith("10.48550/") or doi.startswith("10.1101/")):
        return True
    return bool(_PREPRINT_VENUE.search(venue or "")) or (arxiv is not None and not doi)


def item(ref: str, kind: Kind, title: str, year: int | None, authors: list[str] | tuple[str, ...], venue: str | None,
         doi: str | None, arxiv: str | None = None, url: str | None = None, publication_type: str | None = None) -> Item:
    doi = (bare_doi(doi) or "").lower() or None
    arxiv = arxiv or arxiv_id(url) or arxiv_id(doi)
    return Item(ref, kind, title, year, authors[0] if authors else None, doi, arxiv,
                is_preprint(venue, arxiv, doi, publication_type))


def _years_close(a: int | None, b: int | None, span: int = 1) -> bool | None:
    return None if a is None or b is None else abs(a - b) <= span


def _same_author(a: str | None, b: str | None) -> bool | None:
    ka, kb = surname_key(a), surname_key(b)
    if not ka or not kb:
        return None
    return ka == kb or ka.endswith(kb) or kb.endswith(ka)


class Index:
    """Everything seen so far, searchable by DOI, arXiv id and title; add() entries as they are read."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self.by_doi: dict[str, Item] = {}
        self.by_arxiv: dict[str, Item] = {}
        self.by_title: dict[str, list[Item]] = {}
        self._titles: list[str] = []  # the keys of by_title, kept as a list for rapidfuzz
        self._sorted: list[str] = []  # the same with their words sorted (token_sort_ratio = ratio of these)

    def add(self, it: Item) -> None:
        self.items.append(it)
        if it.doi:
            self.by_doi.setdefault(it.doi, it)
        if it.arxiv:
            self.by_arxiv.setdefault(it.arxiv, it)
        if it.tkey not in self.by_title:
            self._titles.append(it.tkey)
            self._sorted.append(" ".join(sorted(it.tkey.split())))
        self.by_title.setdefault(it.tkey, []).append(it)

    def match(self, it: Item, prefer: tuple[Kind, ...] = ("candidate", "within", "record")) -> Match | None:
        """The best match of it among the items, or None. Among equally confident matches, kinds in
        `prefer` order win (an earlier candidate before a record: re-importing a file finds its own
        earlier candidates)."""
        found: list[Match] = []
        if it.doi and it.doi in self.by_doi:
            found.append(self._m(self.by_doi[it.doi], 1.0, "same DOI"))
        if it.arxiv and it.arxiv in self.by_arxiv:
            found.append(self._m(self.by_arxiv[it.arxiv], 1.0, "same arXiv id"))
        # a title of no latin letters or digits (e.g. only CJK) folds to nothing: never compared
        for other in self.by_title.get(it.tkey, []) if it.tkey else []:
            m = self._title_match(it, other, 1.0)
            if m:
                found.append(m)
        if it.tkey:
            choices = self._titles
            for key, score, _ in process.extract(it.tkey, choices, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD * 100, limit=10):
                if key == it.tkey:
                    continue
                for other in self.by_title[key]:
                    m = self._title_match(it, other, score / 100)
                    if m:
                        found.append(m)
            # a preprint and its published version sometimes reorder the title's words
            words = " ".join(sorted(it.tkey.split()))
            for _, score, i in process.extract(words, self._sorted, scorer=fuzz.ratio, score_cutoff=TITLE_THRESHOLD * 100, limit=5):
                for other in self.by_title[self._titles[i]]:
                    if other.preprint != it.preprint and not any(m.ref == other.ref for m in found):
                        m = self._title_match(it, other, score / 100)
                        if m:
                            found.append(Match(m.ref, m.kind, 0.7, "same title words in another order, preprint and published version",
                                               "preprint and published version with the title's words reordered: check before linking"))
        if not found:
            return None
        # all matches per kind: prefer the strongest, then by kind
        return max(found, key=lambda m: (m.confidence, -prefer.index(m.kind)))  # first found (earliest) on a tie

    @staticmethod
    def _m(other: Item, confidence: float, how: str, note: str | None = None) -> Match:
        return Match(other.ref, other.kind, confidence, how, note)

    def _title_match(self, it: Item, other: Item, similarity: float) -> Match | None:
        author = _same_author(it.first_author, other.first_author)
        if author is False or (author is None and similarity < 1):
            return None
        if it.doi and other.doi and it.doi != other.doi and not (it.preprint or other.preprint):
            return None  # two DOIs, two publications (e.g. a conference paper and its journal extension)
        if it.preprint != other.preprint:
            close = _years_close(it.year, other.year, 2)
            if close is False:
                return None
            return self._m(other, 0.8, "preprint and published version",
                           "preprint and published version of the same study (title, first author and year agree): linked, not merged")
        close = _years_close(it.year, other.year)
        if close is False:
            return None
        if similarity >= 1:
            sure = 0.95 if close and author else 0.9
            return self._m(other, sure, "same title, first author and year" if sure == 0.95 else "same title")
        return self._m(other, 0.85, f"title similarity {similarity:.2f}, same first author and year",
                       f"titles differ slightly (similarity {similarity:.2f}); check before treating as the same study")
