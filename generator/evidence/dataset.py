"""Load and validate a data folder (studies/, taxonomy.yaml, review.yaml) in one pass."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from . import membership
from .records import Study
from .releases import Release, load_releases
from .review import Review, facet_references, parse_review
from .searches import Search, search_files, validate_searches
from .taxonomy import Taxonomy, parse_taxonomy
from .validate import Problem, cap_problems, display_path, read_yaml, validate_studies
from .yamlsafe import Document, shorten

T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    taxonomy: Taxonomy
    review: Review
    studies: tuple[Study, ...]
    root: Path
    """The folder that holds data/ (the repository): record paths are relative to it."""
    searches: tuple[Search, ...] = ()
    """Search runs of data/searches/, oldest first (none when the folder is missing)."""
    releases: tuple[Release, ...] = ()
    """Release snapshots of releases/ beside data/, oldest version first, their checksums checked."""

    @property
    def last_added(self) -> dt.date | None:
        return max((s.added for s in self.studies), default=None)


class InvalidData(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class UsageError(Exception):
    """The data folder itself is missing or not a data folder."""


def load_config(path: Path, parse: Callable[[Any], T]) -> tuple[T | None, list[Problem]]:
    parsed, problems, _ = _read_config(path, parse)
    return parsed, problems


def _read_config(path: Path, parse: Callable[[Any], T]) -> tuple[T | None, list[Problem], Document | None]:
    """A config file parsed by `parse`, its problems (file:line:col), and its YAML document."""
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        return None, [Problem(shown, 1, 1, "file is missing")], None
    doc, problems = read_yaml(path, shown)
    if doc is None or problems:
        return None, cap_problems(problems), doc
    try:
        return parse(doc.data), [], doc
    except ValidationError as e:
        out = []
        for err in e.errors(include_url=False):
            loc = tuple(err["loc"])
            m = doc.where(loc)
            out.append(Problem(shown, m.line, m.col, f"{shorten('.'.join(map(str, loc))) or 'file'}: {err['msg']}"))
        return None, cap_problems(out), doc


def check_review_facets(review: Review, taxonomy: Taxonomy, doc: Document, shown: str) -> list[Problem]:
    """Every facet review.yaml names (gap map, site) must be a facet of the taxonomy; the
    publication-type role and share-per-year charts need single facets. Reported where the name is written."""
    out = []
    names = list(taxonomy.by_name)
    for loc, name in facet_references(review):
        m = doc.where(loc)
        where = ".".join(map(str, loc))
        if name not in taxonomy.by_name:
            hint = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            out.append(Problem(shown, m.line, m.col, f"{where}: {shorten(repr(name))} is not a facet of taxonomy.yaml"
                               + (f"; did you mean '{hint[0]}'?" if hint else "") + f" (facets: {', '.join(names)})"))
        elif loc == ("site", "roles", "publication_type") and taxonomy[name].multi:
            out.append(Problem(shown, m.line, m.col, f"{where}: '{name}' is a multi facet; the publication type must be a single facet (multi: false)"))
        elif loc[:3] == ("site", "trends", "share_per_year") and taxonomy[name].multi:
            out.append(Problem(shown, m.line, m.col, f"{where}: '{name}' is a multi facet; shares of the year's studies need a single facet (multi: false)"))
    roles = review.site.roles
    facet = taxonomy.by_name.get(roles.publication_type or "")
    for value in roles.citation_kinds:
        if facet is None or value not in facet.by_slug:
            m = doc.key_mark(("site", "roles", "citation_kinds", value)) or doc.where(("site", "roles", "citation_kinds"))
            of = f"'{facet.name}' ({', '.join(facet.slugs)})" if facet else "site.roles.publication_type, which is not set"
            out.append(Problem(shown, m.line, m.col, f"site.roles.citation_kinds.{value}: not a value of the publication-type facet {of}"))
    return out


def study_files(studies_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Record files (regular *.yaml files), plus a problem for each entry that looks like a record
    but would be skipped, and for every symbolic link: a link is never followed, so one to a file
    elsewhere on the machine is not read (or echoed in messages)."""
    try:
        with os.scandir(studies_dir) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        return [], [Problem(display_path(studies_dir), 1, 1, f"cannot list the folder: {e.strerror or e}; records must be readable files in it")]
    files, problems = [], []
    for entry in entries:
        path = Path(entry.path)
        shown = display_path(path)
        looks_like_record = path.suffix.lower() in (".yml", ".yaml")
        odd = next((c for c in entry.name if not c.isprintable()), None)
        try:
            if odd is not None:  # a newline in a name would forge lines in the output
                shown = shown.encode("unicode_escape").decode("ascii")
                problems.append(Problem(shown, 1, 1, f"file name contains the control character U+{ord(odd):04X}; rename the file to its id"))
            elif entry.is_symlink():
                problems.append(Problem(shown, 1, 1, "file is a symbolic link; records must be regular files (it was not read)"))
            elif not looks_like_record:
                continue
            elif not entry.is_file(follow_symlinks=False):
                kind = "a folder" if entry.is_dir(follow_symlinks=False) else "not a regular file"
                problems.append(Problem(shown, 1, 1, f"is {kind}; records must be regular files (it was not read)"))
            elif path.suffix != ".yaml":
                problems.append(Problem(shown, 1, 1, "record files must end in .yaml; rename it so it is not skipped"))
            else:
                files.append(path)
        except OSError as e:
            problems.append(Problem(shown, 1, 1, f"cannot inspect the file: {e.strerror or e}"))
    return files, problems


def load(data_dir: Path, today: dt.date | None = None) -> Dataset:
    """Validate everything under data_dir; raise InvalidData with every problem, sorted."""
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    studies_dir = data_dir / "studies"
    if studies_dir.exists() and not studies_dir.is_dir():
        raise UsageError(f"{studies_dir} is not a folder; records go in a studies/ folder")
    if not studies_dir.is_dir():
        raise UsageError(f"{data_dir} is not a data folder: it has no studies/ folder")
    taxonomy, problems = load_config(data_dir / "taxonomy.yaml", parse_taxonomy)
    review, review_problems, review_doc = _read_config(data_dir / "review.yaml", parse_review)
    problems += review_problems
    if taxonomy is None or review is None or review_doc is None:
        raise InvalidData(sorted(problems))
    problems += check_review_facets(review, taxonomy, review_doc, display_path(data_dir / "review.yaml"))
    files, stray = study_files(studies_dir.resolve())
    root = data_dir.resolve().parent
    studies, study_problems = validate_studies(files, taxonomy, root, today)
    search_paths, search_strays = search_files((data_dir / "searches").resolve())
    searches, search_problems = validate_searches(search_paths, review.screening, [p.stem for p in files], root, today)
    review_shown = display_path(data_dir / "review.yaml")
    problems += membership.check_config(review, taxonomy, review_doc, review_shown)
    if not study_problems and not search_problems:
        search_problems = membership.check_records(review, studies, searches, root)
    releases, release_problems = load_releases(root / "releases", root)
    problems = sorted(problems + stray + study_problems + search_strays + search_problems + release_problems)
    if problems:
        raise InvalidData(problems)
    return Dataset(taxonomy, review, tuple(studies), root, tuple(searches), releases)
