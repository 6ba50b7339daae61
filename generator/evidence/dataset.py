"""Load and validate a data folder (studies/, taxonomy.yaml, review.yaml) in one pass."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from . import site
from .records import Study
from .review import Review, parse_review
from .taxonomy import Taxonomy, parse_taxonomy
from .validate import Problem, display_path, read_yaml, validate_studies
from .yamlsafe import Document

T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    taxonomy: Taxonomy
    review: Review
    studies: tuple[Study, ...]
    root: Path
    """The folder that holds data/ (the repository): record paths are relative to it."""

    @property
    def last_added(self) -> dt.date | None:
        return max((s.added for s in self.studies), default=None)


class InvalidData(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class UsageError(Exception):
    """The data folder itself is missing or not a data folder."""


def _load_config(path: Path, parse: Callable[[Any], T]) -> tuple[T | None, list[Problem]]:
    parsed, problems, _ = _read_config(path, parse)
    return parsed, problems


def _read_config(path: Path, parse: Callable[[Any], T]) -> tuple[T | None, list[Problem], Document | None]:
    """A config file parsed by `parse`, its problems (file:line:col), and its YAML document."""
    shown = display_path(path)
    if not path.is_file():
        return None, [Problem(shown, 1, 1, "file is missing")], None
    doc, problems = read_yaml(path, shown)
    if doc is None or problems:
        return None, problems, doc
    try:
        return parse(doc.data), [], doc
    except ValidationError as e:
        out = []
        for err in e.errors():
            loc = tuple(err["loc"])
            m = doc.where(loc)
            out.append(Problem(shown, m.line, m.col, f"{'.'.join(map(str, loc)) or 'file'}: {err['msg']}"))
        return None, out, doc


def check_review_facets(review: Review, taxonomy: Taxonomy, doc: Document, shown: str) -> list[Problem]:
    """Every facet review.yaml names (gap map, site) must be a facet of the taxonomy; the
    publication-type role and share-per-year charts need single facets. Reported where the name is written."""
    out = []
    names = list(taxonomy.by_name)
    for loc, name in site.facet_references(review):
        m = doc.where(loc)
        where = ".".join(map(str, loc))
        if name not in taxonomy.by_name:
            hint = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            out.append(Problem(shown, m.line, m.col, f"{where}: '{name}' is not a facet of taxonomy.yaml"
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
    """Record files, plus a problem for files that look like records but would be skipped."""
    files = sorted(p for p in studies_dir.iterdir() if p.is_file() and p.suffix == ".yaml")
    strays = sorted(p for p in studies_dir.iterdir() if p.is_file() and p.suffix.lower() in (".yml", ".yaml") and p.suffix != ".yaml")
    return files, [Problem(display_path(p), 1, 1, "record files must end in .yaml; rename it so it is not skipped") for p in strays]


def load(data_dir: Path, today: dt.date | None = None) -> Dataset:
    """Validate everything under data_dir; raise InvalidData with every problem, sorted."""
    if not data_dir.is_dir():
        raise UsageError(f"data folder not found: {data_dir}")
    studies_dir = data_dir / "studies"
    if not studies_dir.is_dir():
        raise UsageError(f"{data_dir} is not a data folder: it has no studies/ folder")
    taxonomy, problems = _load_config(data_dir / "taxonomy.yaml", parse_taxonomy)
    review, review_problems, review_doc = _read_config(data_dir / "review.yaml", parse_review)
    problems += review_problems
    if taxonomy is None or review is None or review_doc is None:
        raise InvalidData(sorted(problems))
    problems += check_review_facets(review, taxonomy, review_doc, display_path(data_dir / "review.yaml"))
    files, stray = study_files(studies_dir.resolve())
    root = data_dir.resolve().parent
    studies, study_problems = validate_studies(files, taxonomy, root, today)
    problems = sorted(problems + stray + study_problems)
    if problems:
        raise InvalidData(problems)
    return Dataset(taxonomy, review, tuple(studies), root)
