"""The intake commands: import, include, exclude, screen (registered on the evidence-map command line)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..console import EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_schema, report
from ..evidence.dataset import Dataset, InvalidData, UsageError, load
from ..evidence.normalise import fold, surname_key
from ..evidence.records import SLUG, short_authors
from ..evidence.review import DUPLICATE, parse_review
from ..evidence.searches import Candidate, Search, json_schema
from ..evidence.validate import suggest
from .dedupe import Index, Match, item
from .importers import FORMATS, MalformedFile, format_of, read
from .searchfile import render_search, set_decision, write_new


def _err(message: str) -> int:
    print(f"evidence-map: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _load(data: Path) -> Dataset | int:
    try:
        return load(data)
    except UsageError as e:
        return _err(str(e))
    except InvalidData as e:
        report(e.problems)
        print("evidence-map: fix these problems first: intake commands work on valid data only", file=sys.stderr)
        return EXIT_INVALID


# --- import ---------------------------------------------------------------------------------------

@dataclass
class ImportSummary:
    read: int = 0
    of_records: int = 0
    of_candidates: int = 0
    within: int = 0
    possible: list[tuple[str, Match]] = field(default_factory=list)
    new: int = 0

    def lines(self) -> list[str]:
        out = [
            f"{self.read} entries read",
            f"{self.of_records} duplicates of map records (decision include, linked to the record)",
            f"{self.of_candidates} duplicates of earlier candidates (excluded as duplicate)",
            f"{self.within} duplicates within the file (excluded as duplicate)",
            f"{self.new} new candidates (pending)" + (f", of which {len(self.possible)} possible duplicates to check:" if self.possible else ""),
        ]
        out += [f"  {key} ~ {m.ref} (confidence {m.confidence:.2f}: {m.how})" for key, m in self.possible]
        return out


def build_index(ds: Dataset) -> tuple[Index, dict[str, str]]:
    """Earlier candidates and map records, and which record each include claims (record -> candidate).

    Candidates already excluded as duplicates are left out: a new entry should point at the candidate
    or record that stands for the study, not at another copy of it."""
    index = Index()
    claimed: dict[str, str] = {}
    for s in ds.searches:
        for c in s.candidates:
            if c.reason == DUPLICATE:
                continue
            index.add(item(s.ref(c.key), "candidate", c.title, c.year, c.authors, c.venue, c.doi, c.arxiv, c.url))
            if c.record:
                claimed[c.record] = s.ref(c.key)
    for st in ds.studies:
        index.add(item(st.id, "record", st.title, st.year, st.authors, st.venue, st.doi, None, st.url, st.publication_type or None))
    return index, claimed


def screen_entries(ds: Dataset, search_id: str, entries: list[Any]) -> tuple[list[dict[str, Any]], ImportSummary]:
    """Candidates for the entries of one import, deduplicated and (where sure) decided."""
    index, claimed = build_index(ds)
    summary = ImportSummary(read=len(entries))
    out = []
    for e in entries:
        ref = f"{search_id}:{e.key}"
        it = item(ref, "within", e.title, e.year, e.authors, e.venue, e.doi, e.arxiv, e.url)
        m = index.match(it)
        cand: dict[str, Any] = {
            "key": e.key, "title": e.title, "authors": e.authors, "authors_truncated": e.authors_truncated or None,
            "year": e.year, "venue": e.venue, "doi": e.doi, "arxiv": e.arxiv, "url": e.url,
            "decision": "pending", "record": None, "reason": None,
        }
        if m is not None:
            cand.update(duplicate_of=m.ref, confidence=m.confidence, note=m.note)
        if m is None or not m.auto:
            summary.new += 1
            if m is not None:
                summary.possible.append((e.key, m))
        elif m.kind == "record" and m.ref not in claimed:
            cand.update(decision="include", record=m.ref)
            claimed[m.ref] = ref
            summary.of_records += 1
        else:
            cand.update(decision="exclude", reason=DUPLICATE)
            if m.kind == "record":
                cand["note"] = f"record {m.ref} is already claimed by candidate {claimed[m.ref]}"
                summary.of_records += 1
            elif m.kind == "candidate":
                summary.of_candidates += 1
            else:
                summary.within += 1
        index.add(it)
        out.append(cand)
    return out, summary


def cmd_import(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():
        return _err(f"no such file: {path}")
    if not re.fullmatch(SLUG[1:-1], args.source):
        return _err(f"--source '{args.source}' is not a slug; use lowercase ascii letters, digits and hyphens, e.g. pubmed")
    try:
        fmt = format_of(path, args.format)
    except ValueError as e:
        return _err(str(e))
    run = args.run or dt.date.today()
    if run > dt.date.today():
        return _err(f"--run {run.isoformat()} is in the future; give the day the search was run")
    if args.kind == "manual" and not (args.query or args.description):
        return _err("--kind manual needs --query or --description: say what was searched, where and how")
    search_id = args.id or f"{run.isoformat()}-{args.source}"
    if not re.fullmatch(SLUG[1:-1], search_id):
        return _err(f"--id '{search_id}' is not a slug; use lowercase ascii letters, digits and hyphens")
    target = args.data / "searches" / f"{search_id}.yaml"
    if target.exists():
        return _err(f"{target} already exists; a search run is never overwritten: give another --id")
    try:
        entries = read(path, fmt)
    except MalformedFile as e:
        print(f"{path}:{e.line}: error: {e.message}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return EXIT_INVALID
    ds = _load(args.data)
    if isinstance(ds, int):
        return ds
    candidates, summary = screen_entries(ds, search_id, entries)
    method = score_pending(ds, candidates)
    print(f"{path.name} ({fmt}):")
    for line in summary.lines():
        print("  " + line)
    if summary.read and summary.of_candidates == summary.read and not args.keep:
        print(f"nothing new: every entry is already a candidate of an earlier search; {target} not written "
              "(give --keep to record the run anyway)")
        return EXIT_OK
    # A manual search (topic searches of public pages, citation chasing) lists what a person kept: the
    # file is their working list, not an export, so it is not named.
    meta = {"id": search_id, "source": args.source, "kind": args.kind, "description": args.description,
            "query": args.query, "file": path.name if args.kind == "file" else None, "run": run}
    write_new(target, render_search(meta, candidates))
    print(f"wrote {target}" + (f" (pending candidates scored by {method})" if method else ""))
    return EXIT_OK


def score_pending(ds: Dataset, candidates: list[dict[str, Any]], texts: list[str] | None = None) -> str | None:
    """Give each pending candidate of a new search record a relevance score (ranking.py); the
    ranking method's description, or None when nothing was scored."""
    from .ranking import Ranker

    rows = [(i, c) for i, c in enumerate(candidates) if c.get("decision") == "pending"]
    if not rows:
        return None
    ranker = Ranker.from_dataset(ds)
    scores = ranker.scores([texts[i] if texts else c["title"] for i, c in rows])
    for (_, c), score in zip(rows, scores, strict=True):
        c["score"] = score
    return ranker.method


# --- include / exclude / screen -------------------------------------------------------------------

def find_candidate(ds: Dataset, key: str, search_id: str | None) -> tuple[Search, Candidate] | str:
    hits = [(s, c) for s in ds.searches if search_id in (None, s.id) for c in s.candidates if c.key == key]
    if search_id is not None and not any(s.id == search_id for s in ds.searches):
        hint = suggest(search_id, [s.id for s in ds.searches])
        return f"no search '{search_id}'" + (f"; did you mean '{hint}'?" if hint else "")
    if not hits:
        keys = [c.key for s in ds.searches if search_id in (None, s.id) for c in s.candidates]
        hint = suggest(key, keys)
        return f"no candidate with key '{key}'" + (f"; did you mean '{hint}'?" if hint else "")
    if len(hits) > 1:
        return f"key '{key}' is a candidate of {len(hits)} searches ({', '.join(s.id for s, _ in hits)}); give --search"
    return hits[0]


STOPWORDS = {"a", "an", "the", "on", "of", "for", "in", "with", "to", "and", "using", "via", "by", "from", "towards", "is", "are"}


def suggested_id(c: Candidate) -> str:
    words = [w for w in fold(c.title).split() if w not in STOPWORDS]
    surname = surname_key(c.authors[0]) if c.authors else "anon"
    return f"{surname or 'anon'}{c.year or ''}{words[0] if words else ''}"


def _search_path(ds: Dataset, s: Search) -> Path:
    return ds.root / s.path


def cmd_include(args: argparse.Namespace) -> int:
    from ..evidence.template import render_template

    ds = _load(args.data)
    if isinstance(ds, int):
        return ds
    found = find_candidate(ds, args.key, args.search)
    if isinstance(found, str):
        return _err(found)
    search, cand = found
    if cand.decision != "pending":
        return _err(f"candidate '{cand.key}' of {search.id} is already decided ({cand.decision}); edit {search.path} by hand to change it")
    claimed = {c.record: s.ref(c.key) for s in ds.searches for c in s.candidates if c.record}
    ids = {st.id for st in ds.studies}
    if args.record:
        if args.record not in ids:
            hint = suggest(args.record, sorted(ids))
            return _err(f"no record '{args.record}'" + (f"; did you mean '{hint}'?" if hint else ""))
        if args.record in claimed:
            return _err(f"record '{args.record}' is already claimed by candidate {claimed[args.record]}; exclude this one with --reason duplicate")
        set_decision(_search_path(ds, search), cand.key, {"decision": "include", "record": args.record, "reason": None})
        print(f"{search.path}: {cand.key} -> include, record {args.record}")
        return EXIT_OK
    if cand.duplicate_of and cand.confidence is not None:
        print(f"note: deduplication found this candidate may be {cand.duplicate_of} (confidence {cand.confidence:.2f}"
              f"{': ' + cand.note if cand.note else ''}); if it is, link it instead: evidence-map include {cand.key} --record ID",
              file=sys.stderr)
    study_id = args.id or suggested_id(cand)
    if not re.fullmatch(SLUG[1:-1], study_id):
        return _err(f"'{study_id}' is not a valid id; use lowercase ascii letters, digits and hyphens, e.g. hon2017towards")
    target = args.data / "studies" / f"{study_id}.yaml"
    if target.exists():
        return _err(f"{target} already exists; if the candidate is that study run with --record {study_id}, else give another --id")
    listed = ds.review.source_review.included_list  # an entry of the source review's list: say so in the record
    preset = {listed.facet: listed.value} if listed is not None and listed.search == search.id else None
    text = render_template(
        study_id, ds.taxonomy, dt.date.today(), cand.title, cand.doi, facet_values=preset, authors=list(cand.authors),
        authors_truncated=cand.authors_truncated, year=cand.year, venue=cand.venue, url=cand.url,
    )
    with target.open("x", encoding="utf-8") as fh:
        fh.write(text)
    set_decision(_search_path(ds, search), cand.key, {"decision": "include", "record": study_id, "reason": None})
    print(f"wrote {target} (bibliographic fields from {search.id}:{cand.key}); code its categories, then run: evidence-map validate")
    print(f"{search.path}: {cand.key} -> include, record {study_id}")
    return EXIT_OK


def cmd_exclude(args: argparse.Namespace) -> int:
    ds = _load(args.data)
    if isinstance(ds, int):
        return ds
    reasons = ds.review.screening.reasons
    if args.reason not in reasons:
        hint = suggest(args.reason, reasons)
        return _err(f"reason '{args.reason}' is not an allowed value" + (f"; did you mean '{hint}'?" if hint else "") + f" (allowed: {', '.join(reasons)})")
    found = find_candidate(ds, args.key, args.search)
    if isinstance(found, str):
        return _err(found)
    search, cand = found
    if cand.decision != "pending":
        return _err(f"candidate '{cand.key}' of {search.id} is already decided ({cand.decision}); edit {search.path} by hand to change it")
    if args.reason == DUPLICATE and cand.duplicate_of is None:
        return _err("a duplicate needs duplicate_of: this candidate has none; use another reason or edit the file")
    values: dict[str, Any] = {"decision": "exclude", "record": None, "reason": args.reason}
    if args.note:
        values["note"] = args.note
    set_decision(_search_path(ds, search), cand.key, values)
    print(f"{search.path}: {cand.key} -> exclude ({args.reason})")
    return EXIT_OK


def pending(ds: Dataset) -> list[tuple[Search, Candidate]]:
    """Pending candidates: highest score first where a score exists, then by search and key."""
    rows = [(s, c) for s in ds.searches for c in s.candidates if c.decision == "pending"]
    return sorted(rows, key=lambda sc: (sc[1].score is None, -(sc[1].score or 0), sc[0].id, sc[1].key))


def cmd_screen(args: argparse.Namespace) -> int:
    ds = _load(args.data)
    if isinstance(ds, int):
        return ds
    rows = pending(ds)
    for s, c in rows:
        who = short_authors(c.authors, c.authors_truncated) or "(no authors)"
        score = f"[{c.score:.2f}] " if c.score is not None else ""
        dup = f"  (possible duplicate of {c.duplicate_of}, {c.confidence:.2f})" if c.duplicate_of else ""
        print(f"{score}{s.id}:{c.key}  {who} {c.year or 'n.d.'}. {c.title}{dup}")
    print(f"{len(rows)} pending candidate{'s' if len(rows) != 1 else ''}; code one with: evidence-map include KEY --search SEARCH",
          file=sys.stderr)
    return EXIT_OK


def cmd_search_schema(args: argparse.Namespace) -> int:
    return print_schema(args.data / "review.yaml", parse_review, lambda review: json_schema(review.screening))


# --- discover -------------------------------------------------------------------------------------

def cmd_discover(args: argparse.Namespace) -> int:
    from . import discover as d

    if args.pr_body is not None:
        return _pr_body(args)
    ds = _load(args.data)
    if isinstance(ds, int):
        return ds
    disc = ds.review.discovery
    if disc is None:
        return _err(f"{args.data / 'review.yaml'} has no discovery: section (saved searches); see README, 'Automated discovery'")
    sources = [args.source] if args.source else disc.sources
    for name in sources:
        if name == "pubmed":
            return _err("discover does not run the PubMed search: run it on pubmed.gov, export MEDLINE and use: evidence-map import FILE --source pubmed")
        if name not in disc.sources:
            return _err(f"no saved search for '{name}' in review.yaml discovery: (saved: {', '.join(disc.sources) or 'none'})")
    today = dt.date.today()
    if args.since is not None and args.since > today:
        return _err(f"--since {args.since.isoformat()} is in the future")
    if d.contact() is None:
        print(f"note: {d.MAILTO_ENV} is not set: OpenAlex asks for a contact address (its polite pool); set it to an email address",
              file=sys.stderr)
    index, _ = build_index(ds)
    failed = 0
    for name in sources:
        since = args.since or d.since_for(ds, name, disc)
        print(f"{name}: works from {since.isoformat()} to {today.isoformat()} ...", flush=True)
        try:
            run_as, works = d.fetch(name, disc, since, today)
        except d.DiscoverError as e:
            print(f"evidence-map: error: {e}", file=sys.stderr)
            failed += 1
            continue
        search_id = d.search_id_for(args.data / "searches", today, name)
        summary = d.RunSummary(name, returned=len(works))
        pairs = list(d.new_candidates(index, search_id, works, summary))
        candidates = [c for c, _ in pairs]
        method = score_pending(ds, candidates, [f"{w.title} {w.abstract or ''}" for _, w in pairs])
        candidates.sort(key=lambda c: -(c.get("score") or 0))
        for line in summary.lines():
            print("  " + line)
        if not candidates and not args.keep:
            print(f"  nothing new: no search record written for {name} (give --keep to record the run anyway)")
            continue
        meta = {"id": search_id, "source": name, "kind": "api",
                "description": (f"Saved search (review.yaml discovery) run by evidence-map discover: works from {since.isoformat()} "
                                f"to {today.isoformat()}; {summary.returned} returned, {len(summary.known)} already known and "
                                f"{summary.repeated} repeated left out, {len(candidates)} new."),
                "query": run_as, "run": today}
        target = args.data / "searches" / f"{search_id}.yaml"
        write_new(target, render_search(meta, candidates))
        print(f"  wrote {target}" + (f" (scored by {method})" if method else ""))
    if failed:
        print(f"{failed} of {len(sources)} source{'s' if len(sources) != 1 else ''} failed; nothing was written for "
              f"{'it' if failed == 1 else 'them'}: run again later", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def _pr_body(args: argparse.Namespace) -> int:
    from .discover import pr_body

    ds = _load(args.data)
    if isinstance(ds, int):
        return ds
    wanted = [p.stem for p in args.searches]
    by_id = {s.id: s for s in ds.searches}
    missing = [w for w in wanted if w not in by_id]
    if missing:
        return _err(f"no search record {', '.join(missing)} in {args.data / 'searches'}")
    chosen = [by_id[w] for w in wanted] if wanted else [s for s in ds.searches if s.kind == "api"]
    title, body = pr_body(chosen, dt.date.today())
    args.pr_body.write_text(title + "\n\n" + body, encoding="utf-8")
    print(f"wrote {args.pr_body}: {title}")
    return EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def add_commands(sub: Any, data_opt: Callable[[argparse.ArgumentParser], None]) -> None:
    sp = sub.add_parser("import", help="import an exported search result file as a new search record",
                        description="Read a BibTeX, RIS, PubMed MEDLINE (.nbib) or CSV export, deduplicate it against the map's "
                                    "records and earlier candidates, and write data/searches/ID.yaml. Never overwrites; never "
                                    "changes a study record or an earlier decision.")
    sp.add_argument("file", type=Path, metavar="FILE")
    sp.add_argument("--source", required=True, help="where the file came from, as a slug (pubmed, scopus, google-scholar, ...)")
    sp.add_argument("--id", help="the search id (default: RUN-SOURCE, e.g. 2026-11-30-pubmed)")
    sp.add_argument("--format", choices=FORMATS, help="the file's format (default: from its extension)")
    sp.add_argument("--run", type=_date, help="the day the search was run (default: today)")
    sp.add_argument("--query", help="the query as run, when the file is a search export")
    sp.add_argument("--description", help="what was searched, in a sentence")
    sp.add_argument("--kind", choices=("file", "manual"), default="file",
                    help="file: an export of a database search (default); manual: studies a person found by hand "
                         "(topic searches of public pages, citation chasing), listed in FILE")
    sp.add_argument("--keep", action="store_true", help="write the search record even when every entry is an earlier candidate")
    data_opt(sp)
    sp.set_defaults(func=cmd_import)

    sp = sub.add_parser("include", help="turn a pending candidate into a study record",
                        description="Write data/studies/ID.yaml prefilled with the candidate's bibliographic fields (the categories "
                                    "left to code) and mark the candidate include; or, with --record, link it to an existing record.")
    sp.add_argument("key", metavar="KEY", help="the candidate's key")
    sp.add_argument("--search", help="the search id, when the key is in several searches")
    sp.add_argument("--id", help="the new record's id (default: surname + year + first title word)")
    sp.add_argument("--record", help="link to this existing record instead of writing a new one")
    data_opt(sp)
    sp.set_defaults(func=cmd_include)

    sp = sub.add_parser("exclude", help="exclude a pending candidate with a reason",
                        description="Mark a pending candidate exclude with a reason from review.yaml screening.exclusion_reasons.")
    sp.add_argument("key", metavar="KEY")
    sp.add_argument("--reason", required=True)
    sp.add_argument("--note", help="a short note on the decision")
    sp.add_argument("--search", help="the search id, when the key is in several searches")
    data_opt(sp)
    sp.set_defaults(func=cmd_exclude)

    sp = sub.add_parser("search-schema", help="print the JSON Schema of a search record",
                        description="Print the JSON Schema of a search record (data/searches/<id>.yaml), for editors.")
    data_opt(sp)
    sp.set_defaults(func=cmd_search_schema)

    sp = sub.add_parser("discover", help="run the saved searches (OpenAlex, arXiv) and record new candidates",
                        description="Run review.yaml's saved searches for works new since each source's last run, and write one "
                                    "search record per source (kind api) with only the new candidates, scored for relevance. "
                                    "Nothing is written for a source that fails. With --pr-body, write the discovery pull "
                                    "request's title (first line) and body instead of searching.")
    sp.add_argument("--source", choices=("openalex", "arxiv", "pubmed"), help="run only this source's search")
    sp.add_argument("--since", type=_date, help="look for works from this day on (default: the source's last run minus overlap_days)")
    sp.add_argument("--keep", action="store_true", help="write a search record even when nothing is new (dates the search)")
    sp.add_argument("--pr-body", type=Path, metavar="FILE", help="write the pull request's title and body to FILE; no search is run")
    sp.add_argument("searches", nargs="*", type=Path, metavar="SEARCH_FILE",
                    help="with --pr-body: the search records of the pull request (default: every api search record)")
    data_opt(sp)
    sp.set_defaults(func=cmd_discover)

    sp = sub.add_parser("screen", help="list the pending candidates", description="List pending candidates, highest score first.")
    data_opt(sp)
    sp.set_defaults(func=cmd_screen)
