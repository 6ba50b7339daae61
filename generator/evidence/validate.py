"""Validation of study records: every problem in every file, each with file:line:col."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import multiprocessing
import os
import re
import stat
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from rapidfuzz import fuzz

from .normalise import INVISIBLE, doi_key, title_key
from .records import LINK_FORBIDDEN, MIN_YEAR, Study, iso_date, record_model, to_study
from .taxonomy import Taxonomy
from .yamlsafe import MAX_INT_DIGITS, Document, Mark, YamlProblem, decode, parse, shorten

TITLE_SIMILARITY = 0.9
"""Titles at least this similar are likely duplicates. Distinct studies in the corpus reach 0.79
(a conference paper and its journal extension), so the bar sits well above them."""


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def github(self) -> str:
        """GitHub Actions workflow command, so the problem shows inline in a pull request's diff."""
        def esc(s: str, prop: bool = False) -> str:
            s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return s.replace(":", "%3A").replace(",", "%2C") if prop else s
        return f"::{self.severity} file={esc(self.path, True)},line={self.line},col={self.col}::{esc(self.message)}"


def display_path(path: Path, cwd: Path | None = None) -> str:
    """Path relative to the working directory when inside it, so editors and CI can open it."""
    cwd = cwd or Path.cwd().resolve()
    path = path if path.is_absolute() else cwd / path
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def max_year(today: dt.date | None = None) -> int:
    return (today or dt.date.today()).year + 1


# --- messages -------------------------------------------------------------------------------------

def suggest(value: Any, allowed: Sequence[str]) -> str | None:
    """The closest allowed value, if any is close enough to be a likely typo."""
    if not isinstance(value, str):
        value = str(value).lower()
    low = value.lower()
    prefixed = [a for a in allowed if a.startswith(low) or low.startswith(a)] if low else []
    if len(prefixed) == 1:
        return prefixed[0]
    close = difflib.get_close_matches(low, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def _yaml_repr(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if isinstance(value, str):
        return shorten(repr(value))
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    return f"{type(value).__name__} {value!r}".replace("int ", "the number ").replace("float ", "the number ")


def _allowed(taxonomy: Taxonomy, field: str) -> list[str]:
    facet = taxonomy.by_name.get(field)
    return facet.slugs if facet else []


_ID_HELP = "use lowercase ascii letters, digits and hyphens, e.g. hon2017towards"
_DOI_HELP = "expected a bare DOI such as 10.3390/jimaging7040066 (no https://doi.org/ prefix, no spaces)"
_PATTERN_HELP = {"id": _ID_HELP, "distinct_from": _ID_HELP, "doi": _DOI_HELP}
_LINK_FIELDS = ("url", "code_url")

_TYPE_HELP = {
    "string_type": "expected text",
    "int_type": "expected a whole number written in decimal digits, e.g. 2019",
    "bool_type": "expected true or false",
    "list_type": "expected a list (one '- item' per line, or [] for none)",
    "date_type": "expected a date written YYYY-MM-DD",
}



def _link_message(where: str, value: Any) -> str:
    return (f"{where}: {_yaml_repr(value)} is not a well-formed http(s) link; write an absolute http:// or https:// address "
            f"with a valid host and no spaces; the characters {LINK_FORBIDDEN} must be percent-encoded")


def _doi_message(where: str, value: Any) -> str:
    odd = next((c for c in str(value) if not c.isascii() or not c.isprintable()), None)
    if odd is not None:
        kind = "an invisible character" if odd in INVISIBLE or not odd.isprintable() else "a non-ASCII character"
        return f"{where}: {_yaml_repr(value)} contains {kind} (U+{ord(odd):04X}); retype the DOI in plain ASCII, e.g. 10.3390/jimaging7040066"
    return f"{where}: {_yaml_repr(value)} is not valid; {_DOI_HELP}"


def field_message(err: Mapping[str, Any], where: str, field: str) -> str | None:
    """The message for the kinds of error every record file can have (study or search record):
    long numbers, dates, links, DOIs, lengths; None for the others."""
    kind, value = err["type"], err.get("input")
    if kind == "int_type" and isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value) and len(value) > MAX_INT_DIGITS:
        return f"{where}: a number of {len(value)} digits is too long; {_TYPE_HELP[kind]}"
    if kind == "date_text":
        return f"{where}: {_yaml_repr(value)} is not a valid date; expected YYYY-MM-DD"
    if kind == "link" or (kind == "string_pattern_mismatch" and field in _LINK_FIELDS):
        return _link_message(where, value)
    if kind == "string_pattern_mismatch" and field == "doi":
        return _doi_message(where, value)
    if kind == "string_too_long":
        return f"{where}: is {len(value)} characters long; at most {err['ctx']['max_length']} allowed"
    return None


def _message(err: dict[str, Any], taxonomy: Taxonomy, fields: Iterable[str], today: dt.date) -> str:
    loc = err["loc"]
    field = shorten(str(loc[0])) if loc else ""
    where = field + "".join(f" item {i + 1}" for i in loc[1:] if isinstance(i, int))
    kind, value = err["type"], err.get("input")
    allowed = _allowed(taxonomy, field)
    allowed_note = f" (allowed: {', '.join(allowed)})" if allowed else ""
    if kind == "missing":
        return f"{field}: required field is missing{allowed_note}"
    if kind == "extra_forbidden":
        hint = suggest(field, list(fields)) if len(field) < 40 else None  # a long key is no typo
        return f"{field}: unknown field" + (f"; did you mean '{hint}'?" if hint else "") + f" (allowed fields: {', '.join(fields)})"
    if kind == "vocabulary" and value is None:
        return f"{field}: is empty; expected one of: {', '.join(allowed)}"
    if kind == "vocabulary":
        shown = _yaml_repr(value)
        hint = suggest(value, allowed)
        if isinstance(value, str) and hint in ("true", "false"):  # a quoted boolean is text, not a boolean
            return f"{field}: {shown} is text; write {hint} without quotes" + allowed_note
        return f"{field}: {shown} is not an allowed value" + (f"; did you mean '{hint}'?" if hint else "") + allowed_note
    shared = field_message(err, where, field)
    if shared is not None:
        return shared
    if kind == "too_long":
        keep = "; keep the first ones and set authors_truncated: true" if field == "authors" else ""
        return f"{where}: has {err['ctx']['actual_length']:,} items; at most {err['ctx']['max_length']:,} allowed{keep}"
    if value is None and kind in _TYPE_HELP:
        return f"{where}: is empty; {_TYPE_HELP.get(kind, 'a value is required')}{allowed_note}"
    if kind in _TYPE_HELP:
        return f"{where}: {_TYPE_HELP[kind]}, got {_yaml_repr(value)}{allowed_note}"
    if kind == "string_pattern_mismatch":
        return f"{where}: {_yaml_repr(value)} is not valid; {_PATTERN_HELP.get(field, err['msg'])}"
    if kind == "string_too_short":
        return f"{where}: must not be empty"
    if kind == "too_short":
        n = err["ctx"]["min_length"]
        return f"{where}: needs at least {n} value{'s' if n > 1 else ''}{allowed_note}"
    if kind in ("greater_than_equal", "less_than_equal") and field == "year":
        return f"year: {value} is not a plausible publication year; expected {MIN_YEAR} to {max_year(today)}"
    return f"{where}: {err['msg']}"


# --- one file -------------------------------------------------------------------------------------

CROSS_FIELDS = ("id", "doi", "title")


@dataclass(frozen=True)
class FileResult:
    study: Study | None
    problems: list[Problem]
    declared_id: str | None = None
    marks: Mapping[str, Mark] = field(default_factory=dict)
    """Where CROSS_FIELDS start, for checks across files. The YAML node tree is not kept: holding
    10,000 of them made the garbage collector's passes, and validation, several times slower."""


MAX_FILE_BYTES = 1_000_000
"""A record is a few kilobytes; a larger file is refused before it is parsed."""

MAX_PROBLEMS_PER_FILE = 50
"""Beyond this, one line counts the rest: a broken file must not bury the others' problems."""


class Unreadable(Exception):
    """A file that is not read: not a regular file, or too large."""


def read_bounded(path: Path, what: str = "data file", regular_only: bool = False) -> bytes:
    """The file's bytes, refusing non-regular files and files of MAX_FILE_BYTES or more.

    regular_only refuses symbolic links too (records: a link could point at any file on the
    machine and echo it in messages). O_NONBLOCK keeps a fifo from blocking the open."""
    if regular_only and path.is_symlink():
        raise Unreadable("file is a symbolic link; records must be regular files (it was not read)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | (getattr(os, "O_NOFOLLOW", 0) if regular_only else 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(f"file is not a regular file; {what}s must be regular files (it was not read)")
        size = info.st_size
        raw = b"" if size >= MAX_FILE_BYTES else fh.read(MAX_FILE_BYTES)  # at most the limit, even if it grew
        size = max(size, len(raw))
    if size >= MAX_FILE_BYTES:
        raise Unreadable(f"file is {size:,} bytes; a {what} must be under {MAX_FILE_BYTES // 1_000_000} MB")
    return raw


def read_yaml(path: Path, shown: str, what: str = "data file", regular_only: bool = False,
              raw: bytes | None = None) -> tuple[Document | None, list[Problem]]:
    """Parse a YAML file strictly (or its bytes `raw`, already read with read_bounded); problems instead of exceptions."""
    try:
        doc = parse(decode(read_bounded(path, what, regular_only) if raw is None else raw))
    except YamlProblem as p:
        return None, [Problem(shown, p.mark.line, p.mark.col, p.message)]
    except Unreadable as e:
        return None, [Problem(shown, 1, 1, str(e))]
    except OSError as e:
        return None, [Problem(shown, 1, 1, f"cannot read file: {e.strerror or e}")]
    problems = [Problem(shown, p.mark.line, p.mark.col, p.message) for p in doc.duplicates]
    return doc, problems


def check_file(path: Path, taxonomy: Taxonomy, record_path: str, today: dt.date, model: type[BaseModel] | None = None,
               shown: str | None = None, raw: bytes | None = None) -> FileResult:
    """Validate one record file (or its bytes `raw`, read from it with read_bounded); record_path is
    how pages refer to it (e.g. data/studies/x.yaml)."""
    shown = shown or display_path(path)
    doc, problems = read_yaml(path, shown, "record", regular_only=True, raw=raw)
    if doc is None:
        return FileResult(None, problems)
    if doc.data is None:
        return FileResult(None, [Problem(shown, 1, 1, "file is empty; expected a study record (field: value lines)")])
    if not isinstance(doc.data, dict):
        return FileResult(None, [Problem(shown, 1, 1, f"expected a mapping of fields at the top level, got {_yaml_repr(doc.data)}")])
    model = model or record_model(taxonomy)
    fields = list(model.model_fields)
    validated: BaseModel | None = None
    unshown = 0
    try:
        validated = model.model_validate(doc.data)
    except ValidationError as e:
        problems, unshown = _model_problems(e, doc, shown, taxonomy, fields, today, problems)
    data = doc.data
    stem = path.name.removesuffix(".yaml")
    if isinstance(data.get("id"), str) and data["id"] != stem:
        m = doc.where(("id",))
        problems.append(Problem(shown, m.line, m.col, f"id: {_yaml_repr(data['id'])} does not match the file name {shorten(repr(path.name))}; the id must equal the file name without .yaml"))
    if isinstance(data.get("year"), int) and not isinstance(data["year"], bool) and data["year"] > max_year(today):
        m = doc.where(("year",))
        problems.append(Problem(shown, m.line, m.col, f"year: {data['year']} is not a plausible publication year; expected {MIN_YEAR} to {max_year(today)}"))
    added = iso_date(data.get("added")) or data.get("added")
    if isinstance(added, dt.date) and not isinstance(added, dt.datetime) and added > today:
        m = doc.where(("added",))
        problems.append(Problem(shown, m.line, m.col, f"added: {added.isoformat()} is in the future; use the day the record entered the map (today is {today.isoformat()})"))
    authors = data.get("authors")
    if isinstance(authors, list) and len(authors) > 1:
        # [Doe, Jane, Roe, Richard] in YAML is four names: flag lists where most lack "Family, Given"
        # (a few single names, e.g. Indonesian mononyms, are real and stay allowed).
        bare = [i for i, a in enumerate(authors) if isinstance(a, str) and "," not in a]
        if len(bare) * 2 > len(authors):
            m = doc.where(("authors", bare[0]))
            problems.append(Problem(shown, m.line, m.col, (
                f"authors: most names are not written 'Family, Given' (e.g. {_yaml_repr(authors[bare[0]])}); write one '- Family, Given' "
                "per line, or quote each name in a [bracketed] list: a comma outside quotes starts a new name")))
    problems += _repeated_items(data, doc, shown)
    declared = data["id"] if isinstance(data.get("id"), str) else None
    marks = {k: doc.where((k,)) for k in CROSS_FIELDS}
    if problems or validated is None:
        return FileResult(None, cap_problems(problems, unshown), declared, marks)
    return FileResult(to_study(validated, taxonomy, record_path), [], declared, marks)


def _model_problems(e: ValidationError, doc: Document, shown: str, taxonomy: Taxonomy, fields: list[str], today: dt.date,
                    problems: list[Problem]) -> tuple[list[Problem], int]:
    """Problems for the model's errors, in file order; only the first ones that can be shown are
    worded (a file with 20,000 unknown keys is reported in linear time). Returns (problems, unworded)."""
    located = []
    for err in e.errors(include_url=False):
        loc = tuple(err["loc"])
        mark = doc.key_mark(loc) if err["type"] == "extra_forbidden" else None
        mark = mark or (Mark(1, 1) if err["type"] == "missing" else doc.where(loc))
        located.append((mark.line, mark.col, err))
    located.sort(key=lambda t: (t[0], t[1]))
    shown_now = located[: MAX_PROBLEMS_PER_FILE + 1]
    out = problems + [Problem(shown, line, col, _message(err, taxonomy, fields, today)) for line, col, err in shown_now]
    return out, len(located) - len(shown_now)


def _repeated_items(data: Mapping[str, Any], doc: Document, shown: str) -> list[Problem]:
    """A value listed twice in a list field, reported once at its second occurrence (type-aware, so
    true and 1 differ)."""
    out = []
    for key, value in data.items():
        if not isinstance(value, list):
            continue
        seen: set[tuple[type, Any]] = set()
        reported: set[tuple[type, Any]] = set()
        for i, v in enumerate(value):
            if not isinstance(v, (str, bool, int)):
                continue
            item = (type(v), v)
            if item in seen and item not in reported:
                reported.add(item)
                m = doc.where((key, i))
                out.append(Problem(shown, m.line, m.col, f"{shorten(str(key))}: {_yaml_repr(v)} is listed more than once"))
            seen.add(item)
    return out


def cap_problems(problems: list[Problem], unshown: int = 0) -> list[Problem]:
    """The first MAX_PROBLEMS_PER_FILE problems in file order, then one line counting the rest."""
    problems = sorted(problems)
    hidden = len(problems) - MAX_PROBLEMS_PER_FILE + unshown
    if hidden <= 0:
        return problems
    first = problems[min(MAX_PROBLEMS_PER_FILE, len(problems) - 1)]
    more = f"... and {hidden:,} more problem{'s' if hidden != 1 else ''} in this file"
    return [*problems[:MAX_PROBLEMS_PER_FILE], Problem(first.path, first.line, first.col, more)]


# --- across files ---------------------------------------------------------------------------------

WINDOW = 8


def similar_titles(titles: dict[str, str], threshold: float = TITLE_SIMILARITY) -> list[tuple[str, str, float]]:
    """Pairs of ids whose normalised titles are near-identical (indel similarity >= threshold, as
    difflib's ratio but computed exactly and in C by rapidfuzz).

    Comparing every pair is quadratic (50 million pairs at 10,000 studies), so each title is compared
    with its WINDOW neighbours in three orders: by title, by reversed title and by sorted words.
    Near-identical titles agree at the start, at the end or in their words, and so sit next to each
    other in at least one order unless many other titles share that same prefix, suffix and words."""
    norm = {k: n for k, t in titles.items() if (n := title_key(t))}  # an empty title resembles nothing
    keys = (lambda k: norm[k], lambda k: norm[k][::-1], lambda k: " ".join(sorted(norm[k].split())))
    seen: set[tuple[str, str]] = set()
    out = []
    for key in keys:
        order = sorted(norm, key=lambda k: (key(k), k))
        for i, a in enumerate(order):
            for b in order[i + 1 : i + 1 + WINDOW]:
                pair = (a, b) if a < b else (b, a)
                if pair in seen:
                    continue
                seen.add(pair)
                score = fuzz.ratio(norm[pair[0]], norm[pair[1]], score_cutoff=threshold * 100)
                if score:
                    out.append((pair[0], pair[1], round(score / 100, 2)))
    return sorted(out)


def cross_checks(results: dict[str, tuple[Study, Mapping[str, Mark], str]]) -> list[Problem]:
    """Checks that need every record: unique ids, unique DOIs, likely duplicate titles.

    results maps each study id to its Study, positions of CROSS_FIELDS and shown path; the later file of a
    clashing pair (by path) gets the problem, naming the earlier one."""
    problems: list[Problem] = []
    by_doi: dict[str, str] = {}
    for sid in sorted(results, key=lambda s: results[s][2]):
        study, marks, shown = results[sid]
        if study.doi:
            key = doi_key(study.doi)
            if key in by_doi:
                other = by_doi[key]
                m = marks["doi"]
                problems.append(Problem(shown, m.line, m.col, f"doi: '{study.doi}' is also the DOI of '{other}' ({results[other][2]}); each study needs exactly one record"))
            else:
                by_doi[key] = sid
    for a, b, ratio in similar_titles({s: r[0].title for s, r in results.items()}):
        first, second = sorted((a, b), key=lambda s: results[s][2])
        study, marks, shown = results[second]
        if first in study.distinct_from or second in results[first][0].distinct_from:
            continue
        m = marks["title"]
        problems.append(Problem(
            shown, m.line, m.col,
            f"title: nearly identical to the title of '{first}' ({results[first][2]}, similarity {ratio:.2f}); "
            f"likely a duplicate record. If the studies are distinct, add 'distinct_from: [{first}]'",
        ))
    return problems


PARALLEL_FROM = 1000
"""Below this many files a process pool costs more than it saves."""

Job = tuple[Path, str, str, bytes | None]
"""A record file to check: its path, record path, path as shown, and its bytes (None: read it there)."""


def _check_guarded(job: Job, taxonomy: Taxonomy, today: dt.date, model: type[BaseModel]) -> FileResult:
    """check_file, with an unforeseen failure reported against its file: one file never stops the others."""
    path, record_path, shown, raw = job
    try:
        return check_file(path, taxonomy, record_path, today, model, shown, raw)
    except Exception as e:  # a bug here must not hide every other file's problems
        return FileResult(None, [Problem(shown, 1, 1, f"could not be checked ({type(e).__name__}: {shorten(str(e))}); please report this")])


def _check_chunk(jobs: Sequence[Job], taxonomy: Taxonomy, today: dt.date) -> list[FileResult]:
    model = record_model(taxonomy)
    return [_check_guarded(job, taxonomy, today, model) for job in jobs]


def _check_all(jobs: Sequence[Job], taxonomy: Taxonomy, today: dt.date) -> list[FileResult]:
    """Check files, on every core for large maps: parsing YAML is most of validation's time."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return _check_chunk(jobs, taxonomy, today)
    size = -(-len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    # fork is fastest, but forking a threaded process (mkdocs serve) can deadlock on a held lock
    method = "fork" if threading.active_count() == 1 else "forkserver"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        return [res for part in pool.map(_check_chunk, chunks, [taxonomy] * len(chunks), [today] * len(chunks)) for res in part]


@dataclass
class _Checked:
    """The results of the last validation, by file and content: `mkdocs serve` validates on every
    save, and a save changes one file (parsing the others again was 0.15 s of each rebuild at 276
    studies). A result is reused only for the very same bytes, under an equal taxonomy and day."""

    basis: tuple[Taxonomy, dt.date] | None = None
    results: dict[tuple[Path, str, str], tuple[str, FileResult]] = field(default_factory=dict)


_checked = _Checked()


def _check_unchanged(jobs: Sequence[tuple[Path, str, str]], taxonomy: Taxonomy, today: dt.date) -> list[FileResult]:
    """_check_all, reusing the last results of files whose bytes are unchanged."""
    if _checked.basis != (taxonomy, today):
        _checked.basis, _checked.results = (taxonomy, today), {}
    digests: list[str | None] = []
    out: list[FileResult | None] = []
    todo: list[Job] = []
    for path, record_path, shown in jobs:
        try:
            raw: bytes | None = read_bounded(path, "record", regular_only=True)
        except (Unreadable, OSError):
            raw = None  # check_file reads it again and says why it cannot
        digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
        hit = _checked.results.get((path, record_path, shown))
        digests.append(digest)
        if digest is not None and hit is not None and hit[0] == digest:
            out.append(hit[1])
        else:
            out.append(None)
            todo.append((path, record_path, shown, raw))
    fresh = iter(_check_all(todo, taxonomy, today))
    results = [res if res is not None else next(fresh) for res in out]
    _checked.results = {job: (digest, res) for job, digest, res in zip(jobs, digests, results, strict=True) if digest is not None}
    return results


def validate_studies(files: Sequence[Path], taxonomy: Taxonomy, root: Path, today: dt.date | None = None) -> tuple[list[Study], list[Problem]]:
    """Validate every record file; returns the valid studies (sorted by id) and all problems sorted."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    ok: dict[str, tuple[Study, Mapping[str, Mark], str]] = {}
    declared: dict[str, list[tuple[Path, Mark]]] = defaultdict(list)  # id -> files declaring it, valid or not
    cwd = Path.cwd().resolve()
    jobs = [(path, path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix(), display_path(path, cwd))
            for path in sorted(files)]
    for (path, _, shown), res in zip(jobs, _check_unchanged(jobs, taxonomy, today), strict=True):
        problems += res.problems
        if res.declared_id is not None:
            declared[res.declared_id].append((path, res.marks["id"]))
        if res.study:
            ok[res.study.id] = (res.study, res.marks, shown)
    for sid, where in declared.items():
        if len(where) > 1:
            names = ", ".join(display_path(p, cwd) for p, _ in where)
            for path, m in where:
                problems.append(Problem(display_path(path, cwd), m.line, m.col, f"id: '{sid}' is used by {len(where)} files ({names}); ids must be unique"))
                ok.pop(sid, None)
    problems += cross_checks(ok)
    return sorted((s for s, _, _ in ok.values()), key=lambda s: s.id), sorted(problems)
