"""Readers of exported search results: BibTeX, RIS, PubMed MEDLINE (.nbib) and CSV, into Entries.

Every reader returns the file's entries in order, or raises MalformedFile naming the line of the first
problem: an import either reads the whole file or writes nothing."""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..evidence.normalise import arxiv_id, bare_doi, clean_text, split_name
from ..evidence.records import is_link

FORMATS = ("bibtex", "ris", "medline", "csv")
EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".nbib": "medline", ".medline": "medline",
              ".txt": "medline", ".csv": "csv"}


class MalformedFile(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class Found:
    """What a source says of one work: the bibliographic fields a candidate keeps."""

    key: str
    title: str
    authors: list[str] = field(default_factory=list)
    authors_truncated: bool = False
    year: int | None = None
    venue: str | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None


@dataclass
class Entry(Found):
    """One bibliographic entry as an export gives it, cleaned (no LaTeX, no stray whitespace)."""

    line: int = 1
    """Where the entry starts in its file, for messages."""


def format_of(path: Path, given: str | None = None) -> str:
    if given:
        return given
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot tell the format of {path.name} from its extension; give --format ({', '.join(FORMATS)})")
    return fmt


def decode(raw: bytes) -> str:
    """UTF-8 with or without a BOM (Zotero and Excel write one); a clear error otherwise."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise MalformedFile(line, f"not valid UTF-8 (byte 0x{raw[e.start]:02x}); export the file as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def year_of(text: str | None) -> int | None:
    m = _YEAR.search(text or "")
    return int(m.group(1)) if m else None


# What a link may hold as it is (as urls.href keeps): markup characters an export may carry raw,
# such as the parentheses of a Wiley DOI link, are percent-encoded so the candidate stays valid.
_URL_SAFE = ":/?#@!$&+,;=%~-._*"


def clean_link(url: str | None) -> str | None:
    """The export's link as the search record accepts it, or None when it is not an http(s) link."""
    url = (url or "").strip().split()[0] if (url or "").strip() else None
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return None
    url = quote(url, safe=_URL_SAFE)
    return url if is_link(url) else None


def _authors(names: list[str]) -> tuple[list[str], bool]:
    """'Family, Given' names; 'others' / 'et al.' mark a truncated list and are dropped."""
    out, truncated = [], False
    for raw in names:
        name = clean_text(raw)
        if not name:
            continue
        if name.lower().strip(". ") in ("others", "et al", "and others"):
            truncated = True
            continue
        out.append(split_name(name))
    return out, truncated


def _entry(key: str, line: int, title: str | None, authors: list[str], year: str | None, venue: str | None,
           doi: str | None, url: str | None, arxiv: str | None = None, extra: str = "") -> Entry:
    title = clean_text(title or "")
    if not title:
        raise MalformedFile(line, f"entry {key!r} has no title")
    names, truncated = _authors(authors)
    url = clean_link(url)
    return Entry(
        key=key, title=title, line=line, authors=names, authors_truncated=truncated, year=year_of(year),
        venue=clean_text(venue or "") or None, doi=bare_doi(doi) or (bare_doi(url) if url and "doi.org/" in url else None), url=url,
        arxiv=arxiv_id(arxiv or "") or arxiv_id(url or "") or arxiv_id(extra) or arxiv_id(doi or ""),
    )


# --- BibTeX (Google Scholar, Zotero, Mendeley) -----------------------------------------------------

def read_bibtex(text: str) -> list[Entry]:
    import bibtexparser
    from bibtexparser.model import DuplicateBlockKeyBlock

    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)  # its own warning would repeat the error reported below
    try:
        lib = bibtexparser.parse_string(text)
    finally:
        log.setLevel(level)
    for block in lib.failed_blocks:
        line = block.start_line + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            raise MalformedFile(line, f"entry key {block.key!r} is used twice; keys must be unique")
        why = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
        raise MalformedFile(line, f"BibTeX syntax error in the entry starting here: {why} (an unclosed brace or quote?)")
    # bibtexparser skips text outside @...{...} blocks as comments; an unclosed brace swallows the rest
    out = []
    for e in lib.entries:
        for fld in e.fields:
            value = str(fld.value)
            if "\n" in value and re.search(r"[}\"],?\s*\n\s*[A-Za-z_-]+\s*=", value):
                raise MalformedFile(e.start_line + fld.start_line + 1,
                                    f"field {fld.key!r} runs into the next field: a comma is probably missing at the end of this line")
        f = {k.lower(): (str(v.value) if v.value is not None else "") for k, v in e.fields_dict.items()}
        venue = f.get("journal") or f.get("booktitle") or f.get("publisher") or f.get("school")
        authors = re.split(r"\s+and\s+", f.get("author", "").strip()) if f.get("author", "").strip() else []
        eprint = f.get("eprint") if "arxiv" in (f.get("archiveprefix", "") + f.get("eprinttype", "")).lower() else None
        out.append(_entry(e.key, e.start_line + 1, f.get("title"), authors, f.get("year") or f.get("date"), venue,
                          f.get("doi"), f.get("url"), eprint, f.get("journal", "") + " " + f.get("note", "")))
    return out


# --- RIS (Scopus, Web of Science, Zotero, EndNote) -------------------------------------------------

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


def _check_ris(text: str) -> None:
    """rispy skips what it does not understand; check the structure first so a broken file is an error."""
    open_at = None
    for n, line in enumerate(text.split("\n"), 1):
        m = _RIS_TAG.match(line)
        if m and m.group(1) == "TY":
            if open_at is not None:
                raise MalformedFile(n, f"a new record starts (TY) before the record of line {open_at} ended (ER)")
            open_at = n
        elif m and m.group(1) == "ER":
            if open_at is None:
                raise MalformedFile(n, "ER (end of record) without a TY (start of record) before it")
            open_at = None
        elif m and open_at is None:
            raise MalformedFile(n, f"tag {m.group(1)} outside a record; each record starts with 'TY  - ' and ends with 'ER  - '")
        elif not m and line.strip() and open_at is None:
            raise MalformedFile(n, "text outside a record; expected 'TY  - ' to start a record")
    if open_at is not None:
        raise MalformedFile(open_at, "the record starting here has no ER (end of record) line")


def read_ris(text: str) -> list[Entry]:
    import rispy

    _check_ris(text)
    starts = [n for n, line in enumerate(text.split("\n"), 1) if line.startswith("TY  -")]
    out = []
    for i, (rec, line) in enumerate(zip(rispy.loads(text), starts, strict=True), 1):
        authors = rec.get("authors") or rec.get("first_authors") or []
        title = rec.get("primary_title") or rec.get("title")
        venue = rec.get("journal_name") or rec.get("secondary_title") or rec.get("alternate_title1") or rec.get("alternate_title3")
        urls = rec.get("urls") or []
        key = rec.get("id") or rec.get("accession_number") or f"ris{i}"
        out.append(_entry(str(key), line, title, authors, rec.get("year") or rec.get("publication_year") or rec.get("date"),
                          venue, rec.get("doi"), urls[0] if urls else None, extra=" ".join(urls)))
    return out


# --- PubMed MEDLINE (.nbib) --------------------------------------------------------------------------
# Read here rather than with a package: `nbib` (PyPI) has had no release since 2021, and rispy's
# parser assumes two-letter tags closed by an ER line, while MEDLINE has tags of up to four letters
# padded to four ("PMID- ", "AU  - "), six-space continuation lines and blank lines between records.
# The format is small and documented by the NLM (MEDLINE/PubMed Data Element Descriptions).

_MEDLINE_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,2}- (.*)$")


def _medline_records(text: str) -> list[tuple[int, dict[str, list[str]]]]:
    records: list[tuple[int, dict[str, list[str]]]] = []
    current: dict[str, list[str]] | None = None
    last: str | None = None
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            current, last = None, None
            continue
        m = _MEDLINE_TAG.match(line)
        if m:
            tag, value = m.group(1), m.group(2).strip()
            if current is None:
                if tag != "PMID":
                    raise MalformedFile(n, f"a record must start with 'PMID- ', found {tag}")
                current = {}
                records.append((n, current))
            current.setdefault(tag, []).append(value)
            last = tag
        elif line.startswith("      ") and current is not None and last is not None:
            current[last][-1] += " " + line.strip()
        else:
            raise MalformedFile(n, "not a MEDLINE line; expected 'TAG - value' (e.g. 'TI  - ...') or a six-space continuation")
    return records


def read_medline(text: str) -> list[Entry]:
    out = []
    for line, rec in _medline_records(text):
        def first(tag: str, r: dict[str, list[str]] = rec) -> str | None:
            return r[tag][0] if r.get(tag) else None

        pmid = first("PMID") or ""
        doi = next((v.split()[0] for v in rec.get("AID", []) + rec.get("LID", []) if v.endswith("[doi]")), None)
        authors = rec.get("FAU") or rec.get("AU") or []
        title = re.sub(r"(?<![.\s])\.$", "", first("TI") or first("BTI") or "")  # PubMed ends every title with a full stop
        out.append(_entry(pmid, line, title, authors, first("DP"), first("JT") or first("TA"), doi,
                          f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else None))
    return out


# --- CSV with a header row ------------------------------------------------------------------------

_CSV_COLUMNS = {
    "key": ("key", "id", "pmid", "pubmed id", "eid", "accession number", "openalex id"),
    "title": ("title", "article title", "document title"),
    "authors": ("authors", "author", "author full names", "author names"),
    "year": ("year", "publication year", "py", "date", "publication date"),
    "venue": ("venue", "journal", "source title", "source", "journal/book", "publication title"),
    "doi": ("doi",),
    "url": ("url", "link"),
    "arxiv": ("arxiv", "arxiv id"),
}


def read_csv(text: str) -> list[Entry]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise MalformedFile(1, "the file is empty; expected a header row (title, authors, year, doi, ...)") from None
    except csv.Error as e:
        raise MalformedFile(1, f"CSV error: {e}") from None
    names = [unicodedata.normalize("NFKC", h).strip().lower() for h in header]
    col = {field: next((names.index(a) for a in aliases if a in names), None) for field, aliases in _CSV_COLUMNS.items()}
    if col["title"] is None:
        raise MalformedFile(1, f"no title column in the header ({', '.join(header)}); name one column 'title'")
    out = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise MalformedFile(reader.line_num, f"CSV error: {e}") from None
        n = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise MalformedFile(n, f"row has {len(row)} columns, the header has {len(header)}")

        def get(name: str, row: list[str] = row) -> str | None:
            i = col[name]
            return row[i].strip() if i is not None and row[i].strip() else None

        authors_cell = get("authors") or ""
        authors = [a for a in re.split(r"\s*;\s*|\s+and\s+", authors_cell) if a] if ";" in authors_cell or " and " in authors_cell \
            else ([authors_cell] if authors_cell else [])
        out.append(_entry(get("key") or f"row{n}", n, get("title"), authors, get("year"), get("venue"), get("doi"), get("url"),
                          get("arxiv")))
    return out


READERS = {"bibtex": read_bibtex, "ris": read_ris, "medline": read_medline, "csv": read_csv}


def read(path: Path, fmt: str) -> list[Entry]:
    """All entries of an exported file, or MalformedFile. Keys are made unique by the caller's check."""
    entries = READERS[fmt](decode(path.read_bytes()))
    seen: dict[str, int] = {}
    for e in entries:
        if e.key in seen:
            raise MalformedFile(e.line, f"key {e.key!r} is used twice (first at line {seen[e.key]}); keys must be unique")
        seen[e.key] = e.line
    return entries
