"""Load and validate a data folder (studies/, taxonomy.yaml, review.yaml) in one pass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .records import Study
from .review import Review, parse_review
from .searches import Search, search_files, validate_searches
from .taxonomy import Taxonomy, parse_taxonomy
from .validate import Problem, display_path, read_yaml, validate_studies

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
    shown = display_path(path)
    if not path.is_file():
        return None, [Problem(shown, 1, 1, "file is missing")]
    doc, problems = read_yaml(path, shown)
    if doc is None or problems:
        return None, problems
    try:
        return parse(doc.data), []
    except ValidationError as e:
        out = []
        for err in e.errors():
            loc = tuple(err["loc"])
            m = doc.where(loc)
            out.append(Problem(shown, m.line, m.col, f"{'.'.join(map(str, loc)) or 'file'}: {err['msg']}"))
        return None, out


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
    review, review_problems = _load_config(data_dir / "review.yaml", parse_review)
    problems += review_problems
    if taxonomy is None or review is None:
        raise InvalidData(sorted(problems))
    for axis in ("rows", "columns", "colour"):
        name = getattr(review.gap_map, axis)
        if name not in taxonomy.by_name:
            problems.append(Problem(display_path(data_dir / "review.yaml"), 1, 1, f"gap_map.{axis}: '{name}' is not a facet of taxonomy.yaml"))
    files, stray = study_files(studies_dir.resolve())
    root = data_dir.resolve().parent
    studies, study_problems = validate_studies(files, taxonomy, root, today)
    search_paths, search_strays = search_files((data_dir / "searches").resolve())
    searches, search_problems = validate_searches(search_paths, review.screening, [p.stem for p in files], root, today)
    problems = sorted(problems + stray + study_problems + search_strays + search_problems)
    if problems:
        raise InvalidData(problems)
    return Dataset(taxonomy, review, tuple(studies), root, tuple(searches))
