"""Search records: one YAML file per search run (data/searches/<id>.yaml), validated like study records.

A search record keeps what a bibliographic search (or an imported result file) returned and what
became of each candidate: `pending`, `include` (with the `record` it is in the map as) or `exclude`
(with a `reason` from review.yaml's screening.exclusion_reasons). Deduplication fills `duplicate_of`
(a record id, or `<search-id>:<key>` of an earlier candidate) with a `confidence`. Abstracts are never
stored: they are the publishers' text."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .records import DOI, MAX_NOTE_LENGTH, MAX_SHORT_TEXT, MAX_TITLE_LENGTH, SLUG, Link, ShortText
from .review import DUPLICATE, Screening
from .validate import _PATTERN_HELP, _TYPE_HELP, Problem, _yaml_repr, display_path, field_message, read_yaml, suggest
from .yamlsafe import Document, Mark

DECISIONS = ("pending", "include", "exclude")
KINDS = ("file", "api", "manual")
ARXIV = r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$"
"""A bare arXiv id without version: new style 2102.01530, old style cs/0112017 or math.GT/0309136."""
DUPLICATE_OF = r"^[a-z0-9][a-z0-9-]*(:\S+)?$"

Text = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Candidate(_Strict):
    key: str = Field(min_length=1, max_length=MAX_SHORT_TEXT, description="The source's own key: BibTeX key, PubMed id, OpenAlex/arXiv id, row number.")
    title: str = Field(min_length=1, max_length=MAX_TITLE_LENGTH, description="Title as the source gives it.")
    authors: list[ShortText] = Field(default_factory=list, description='Authors in order, each "Family, Given".')
    authors_truncated: bool = Field(False, description="True when the source listed only some authors ('and others').")
    year: int | None = Field(None, description="Publication year, when the source gives one.")
    venue: ShortText | None = Field(None, description="Journal or conference.")
    doi: str | None = Field(None, pattern=DOI, max_length=MAX_SHORT_TEXT, description="Bare DOI, 10.xxxx/...")
    arxiv: str | None = Field(None, pattern=ARXIV, description="Bare arXiv id without version.")
    url: Link | None = Field(None, description="http(s) page of the candidate (markup characters percent-encoded).")
    score: float | None = Field(None, description="Relevance score of a ranking model (higher first), when one ran.")
    decision: str = Field(description="pending, include (with record) or exclude (with reason).")
    record: str | None = Field(None, description="The map record an included candidate became (data/studies/<record>.yaml).")
    reason: str | None = Field(None, description="Why an excluded candidate was excluded (review.yaml screening.exclusion_reasons).")
    duplicate_of: str | None = Field(None, pattern=DUPLICATE_OF, description="A record id or <search-id>:<key> this candidate duplicates.")
    confidence: float | None = Field(None, ge=0, le=1, description="How sure deduplication is that duplicate_of is the same study (0-1).")
    note: str | None = Field(None, min_length=1, max_length=MAX_NOTE_LENGTH, description="Free-text note on the decision or the duplicate.")


class SearchRecord(_Strict):
    id: str = Field(pattern=SLUG, description="Equals the file name: run date + source, e.g. 2026-11-30-pubmed.")
    source: str = Field(pattern=SLUG, description="The database, API or file searched, as a slug (pubmed, scopus, openalex, ...).")
    kind: str = Field(description="file (an exported result file), api (a query run by a program) or manual.")
    description: str | None = Field(None, min_length=1, description="What was searched and why, in a sentence.")
    query: str | None = Field(None, min_length=1, description="The query as run.")
    file: str | None = Field(None, min_length=1, description="The imported file's name.")
    run: dt.date = Field(description="The day the search was run (YYYY-MM-DD).")
    candidates: list[Candidate] = Field(default_factory=list)


FIELDS = list(SearchRecord.model_fields)
CANDIDATE_FIELDS = list(Candidate.model_fields)


@dataclass(frozen=True)
class Search:
    """A validated search record."""

    id: str
    source: str
    kind: str
    description: str | None
    query: str | None
    file: str | None
    run: dt.date
    candidates: tuple[Candidate, ...]
    path: str

    def ref(self, key: str) -> str:
        return f"{self.id}:{key}"


# --- messages -------------------------------------------------------------------------------------

def _where(loc: Sequence[Any], data: Any) -> str:
    """'decision' or "candidate 'key': decision" for a pydantic location."""
    if len(loc) >= 2 and loc[0] == "candidates" and isinstance(loc[1], int):
        key = None
        cands = data.get("candidates") if isinstance(data, dict) else None
        if isinstance(cands, list) and loc[1] < len(cands) and isinstance(cands[loc[1]], dict):
            key = cands[loc[1]].get("key")
        who = f"candidate {key!r}" if isinstance(key, str) else f"candidate {loc[1] + 1}"
        rest = ".".join(str(x) for x in loc[2:])
        return f"{who}: {rest}" if rest else who
    return ".".join(str(x) for x in loc)


def _message(err: Mapping[str, Any], data: Any) -> str:
    loc = tuple(err["loc"])
    where = _where(loc, data)
    field = str(loc[-1]) if loc else ""
    kind, value = err["type"], err.get("input")
    nested = len(loc) > 2 and loc[0] == "candidates"
    fields = CANDIDATE_FIELDS if nested else FIELDS
    if kind == "missing":
        return f"{where}: required field is missing"
    if kind == "extra_forbidden":
        hint = suggest(field, fields)
        return f"{where}: unknown field" + (f"; did you mean '{hint}'?" if hint else "") + f" (allowed fields: {', '.join(fields)})"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{where}: expected a mapping of fields (key:, title:, decision: ...), got {_yaml_repr(value)}"
    if kind == "float_type":
        return f"{where}: expected a number, got {_yaml_repr(value)}"
    if value is None and kind in _TYPE_HELP:
        return f"{where}: is empty; {_TYPE_HELP[kind]}"
    if kind in _TYPE_HELP:
        return f"{where}: {_TYPE_HELP[kind]}, got {_yaml_repr(value)}"
    shared = field_message(err, where, field)
    if shared is not None:
        return shared
    if kind == "string_pattern_mismatch":
        help_ = {
            "arxiv": "expected a bare arXiv id such as 2102.01530 or cs/0112017 (no version, no prefix)",
            "duplicate_of": "expected a record id or <search-id>:<key>",
            "id": _PATTERN_HELP["id"], "source": "use lowercase ascii letters, digits and hyphens, e.g. pubmed",
        }.get(field) or _PATTERN_HELP.get(field, str(err["msg"]))
        return f"{where}: {_yaml_repr(value)} is not valid; {help_}"
    if kind == "string_too_short":
        return f"{where}: must not be empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{where}: {_yaml_repr(value)} is out of range; expected a number from 0 to 1"
    return f"{where}: {err['msg']}"


def _vocabulary(where: str, field: str, value: Any, allowed: Sequence[str]) -> str:
    hint = suggest(value, list(allowed))
    return f"{where}{field}: {_yaml_repr(value)} is not an allowed value" + (f"; did you mean '{hint}'?" if hint else "") + f" (allowed: {', '.join(allowed)})"


# --- one file -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchResult:
    search: Search | None
    problems: list[Problem]
    doc: Document | None = None


def check_search_file(path: Path, screening: Screening, record_path: str, today: dt.date, shown: str | None = None) -> SearchResult:
    """Validate one search file on its own (checks needing the records or other searches come later)."""
    shown = shown or display_path(path)
    doc, problems = read_yaml(path, shown)
    if doc is None:
        return SearchResult(None, problems)
    data = doc.data
    if data is None:
        return SearchResult(None, [Problem(shown, 1, 1, "file is empty; expected a search record (id, source, kind, run, candidates)")])
    if not isinstance(data, dict):
        return SearchResult(None, [Problem(shown, 1, 1, f"expected a mapping of fields at the top level, got {_yaml_repr(data)}")])

    def at(loc: tuple[Any, ...], message: str, key: bool = False) -> None:
        m = (doc.key_mark(loc) if key else None) or doc.where(loc)
        problems.append(Problem(shown, m.line, m.col, message))

    validated: SearchRecord | None = None
    try:
        validated = SearchRecord.model_validate(data)
    except ValidationError as e:
        for err in e.errors():
            loc = tuple(err["loc"])
            if err["type"] == "missing":
                m = doc.where(loc[:-1]) if len(loc) > 1 else Mark(1, 1)
                problems.append(Problem(shown, m.line, m.col, _message(err, data)))
            else:
                at(loc, _message(err, data), key=err["type"] == "extra_forbidden")
    stem = path.name.removesuffix(".yaml")
    if isinstance(data.get("id"), str) and data["id"] != stem:
        at(("id",), f"id: '{data['id']}' does not match the file name '{path.name}'; the id must equal the file name without .yaml")
    if isinstance(data.get("kind"), str) and data["kind"] not in KINDS:
        at(("kind",), _vocabulary("", "kind", data["kind"], KINDS))
    if data.get("kind") == "file" and data.get("file") is None and "file" not in data:
        at(("kind",), "file: required when kind is file; give the imported file's name")
    if data.get("kind") == "api" and data.get("query") is None:
        at(("kind",), "query: required when kind is api; give the query as run")
    run = data.get("run")
    if isinstance(run, dt.date) and not isinstance(run, dt.datetime) and run > today:
        at(("run",), f"run: {run.isoformat()} is in the future; use the day the search was run (today is {today.isoformat()})")
    cands = data.get("candidates")
    if isinstance(cands, list):
        first: dict[str, int] = {}
        for i, c in enumerate(cands):
            if not isinstance(c, dict):
                continue
            key = c.get("key")
            who = f"candidate {key!r}: " if isinstance(key, str) else f"candidate {i + 1}: "
            if isinstance(key, str):
                if key in first:
                    at(("candidates", i, "key"), f"{who}key: also used by candidate {first[key] + 1}; keys must be unique within a search file")
                else:
                    first[key] = i
            decision = c.get("decision")
            if isinstance(decision, str) and decision not in DECISIONS:
                at(("candidates", i, "decision"), _vocabulary(who, "decision", decision, DECISIONS))
            reason = c.get("reason")
            if isinstance(reason, str) and reason not in screening.reasons:
                at(("candidates", i, "reason"), _vocabulary(who, "reason", reason, screening.reasons))
            if decision not in DECISIONS:
                continue
            if decision == "include" and c.get("record") is None:
                at(("candidates", i, "decision"), f"{who}record: an included candidate needs 'record: <id>' naming the map record it became")
            if decision != "include" and c.get("record") is not None:
                at(("candidates", i, "record"), f"{who}record: only an included candidate names a record; set 'decision: include' or remove the record")
            if decision == "exclude" and c.get("reason") is None:
                at(("candidates", i, "decision"), f"{who}reason: an excluded candidate needs a reason (allowed: {', '.join(screening.reasons)})")
            if decision != "exclude" and c.get("reason") is not None:
                at(("candidates", i, "reason"), f"{who}reason: only an excluded candidate has a reason; set 'decision: exclude' or remove the reason")
            if reason == DUPLICATE and c.get("duplicate_of") is None:
                at(("candidates", i, "reason"), f"{who}duplicate_of: a candidate excluded as a duplicate needs 'duplicate_of: <record id or search-id:key>'")
            if (c.get("duplicate_of") is None) != (c.get("confidence") is None):
                missing = "confidence" if c.get("confidence") is None else "duplicate_of"
                at(("candidates", i), f"{who}{missing}: duplicate_of and confidence go together; give both or neither")
    if problems or validated is None:
        return SearchResult(None, problems, doc)
    search = Search(validated.id, validated.source, validated.kind, validated.description, validated.query, validated.file,
                    validated.run, tuple(validated.candidates), record_path)
    return SearchResult(search, [], doc)


# --- across files ---------------------------------------------------------------------------------

def search_files(searches_dir: Path) -> tuple[list[Path], list[Problem]]:
    if not searches_dir.is_dir():
        return [], []
    files = sorted(p for p in searches_dir.iterdir() if p.is_file() and p.suffix == ".yaml")
    strays = sorted(p for p in searches_dir.iterdir() if p.is_file() and p.suffix.lower() in (".yml", ".yaml") and p.suffix != ".yaml")
    return files, [Problem(display_path(p), 1, 1, "search files must end in .yaml; rename it so it is not skipped") for p in strays]


def validate_searches(files: Iterable[Path], screening: Screening, record_ids: Iterable[str], root: Path,
                      today: dt.date | None = None) -> tuple[list[Search], list[Problem]]:
    """Validate every search file, then: includes name existing records, a record is claimed by one
    candidate at most, duplicate_of names an existing record or candidate."""
    today = today or dt.date.today()
    ids = set(record_ids)
    problems: list[Problem] = []
    results: list[tuple[SearchResult, str]] = []
    for path in sorted(files):
        shown = display_path(path)
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        res = check_search_file(path, screening, rel, today, shown)
        problems += res.problems
        results.append((res, shown))
    ok = [(r.search, r.doc, shown) for r, shown in results if r.search is not None and r.doc is not None]
    refs = {s.ref(c.key) for s, _, _ in ok for c in s.candidates}
    claims: dict[str, list[tuple[str, str]]] = defaultdict(list)
    bad: set[str] = set()
    for search, doc, shown in ok:
        for i, c in enumerate(search.candidates):
            who = f"candidate {c.key!r}: "
            if c.record is not None:
                if c.record not in ids:
                    m = doc.where(("candidates", i, "record"))
                    problems.append(Problem(shown, m.line, m.col, f"{who}record: '{c.record}' is not a record of the map (no data/studies/{c.record}.yaml)"))
                    bad.add(search.id)
                claims[c.record].append((search.ref(c.key), shown))
            if c.duplicate_of is not None and c.duplicate_of not in ids and c.duplicate_of not in refs:
                m = doc.where(("candidates", i, "duplicate_of"))
                what = "candidate" if ":" in c.duplicate_of else "record"
                problems.append(Problem(shown, m.line, m.col, f"{who}duplicate_of: '{c.duplicate_of}' is not a {what} of the map"
                                        + ("; write <search-id>:<key>" if what == "candidate" else " (a record id, or <search-id>:<key> of a candidate)")))
                bad.add(search.id)
            if c.duplicate_of == search.ref(c.key):
                m = doc.where(("candidates", i, "duplicate_of"))
                problems.append(Problem(shown, m.line, m.col, f"{who}duplicate_of: names the candidate itself"))
                bad.add(search.id)
    for record, who in claims.items():
        if len(who) > 1:
            names = ", ".join(ref for ref, _ in who)
            for ref, shown in who[1:]:
                search_id, _, key = ref.partition(":")
                s, doc, _ = next(x for x in ok if x[0].id == search_id)
                i = next(j for j, c in enumerate(s.candidates) if c.key == key)
                m = doc.where(("candidates", i, "record"))
                problems.append(Problem(shown, m.line, m.col, (
                    f"candidate {key!r}: record: '{record}' is claimed by {len(who)} candidates ({names}); a record is claimed by one "
                    f"candidate at most: exclude the others with 'reason: duplicate' and 'duplicate_of: {who[0][0]}'")))
                bad.add(search_id)
    searches = [s for s, _, _ in ok if s.id not in bad]
    return sorted(searches, key=lambda s: (s.run, s.id)), sorted(problems)


def counts(searches: Iterable[Search]) -> Counter[str]:
    """Candidates per decision across searches."""
    return Counter(c.decision for s in searches for c in s.candidates)


SEARCH_SCHEMA = "schema/search.schema.json"
"""The search record's JSON Schema for editors (committed; a test fails when it is stale: `make schema`)."""


def json_schema(screening: Screening) -> dict[str, Any]:
    """JSON Schema of one search file, from the model plus the vocabularies checked after it."""
    schema = SearchRecord.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Search record"
    schema["description"] = "One search run and its candidates' screening decisions: data/searches/<id>.yaml"
    schema["properties"]["kind"]["enum"] = list(KINDS)
    cand = schema["$defs"]["Candidate"]["properties"]
    cand["decision"]["enum"] = list(DECISIONS)
    cand["reason"] = {"anyOf": [{"enum": screening.reasons}, {"type": "null"}], "default": None, "description": cand["reason"].get("description", "")}
    return schema
