"""Load and validate a data folder (studies/, taxonomy.yaml, review.yaml) in one pass."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from .records import Study
from .review import Review, parse_review
from .taxonomy import Taxonomy, parse_taxonomy
from .validate import Problem, cap_problems, display_path, read_yaml, validate_studies
from .yamlsafe import Mark, shorten

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
    shown = display_path(path)
    if not path.exists() and not path.is_symlink():
        return None, [Problem(shown, 1, 1, "file is missing")]
    doc, problems = read_yaml(path, shown)
    if doc is None or problems:
        return None, cap_problems(problems)
    try:
        return parse(doc.data), []
    except ValidationError as e:
        out = []
        for err in e.errors(include_url=False):
            loc = tuple(err["loc"])
            m = doc.where(loc)
            out.append(Problem(shown, m.line, m.col, f"{shorten('.'.join(map(str, loc))) or 'file'}: {err['msg']}"))
        return None, cap_problems(out)


def _gap_map_problems(path: Path, review: Review, taxonomy: Taxonomy) -> list[Problem]:
    """Each gap-map axis must name a facet (so it is a slug and no record field or reserved name)."""
    bad = [axis for axis in ("rows", "columns", "colour") if getattr(review.gap_map, axis) not in taxonomy.by_name]
    if not bad:
        return []
    doc, _ = read_yaml(path, display_path(path))  # read again only to find the lines
    out = []
    for axis in bad:
        m = doc.where(("gap_map", axis)) if doc else Mark(1, 1)
        name = shorten(repr(getattr(review.gap_map, axis)))
        out.append(Problem(display_path(path), m.line, m.col,
                           f"gap_map.{axis}: {name} is not a facet of taxonomy.yaml; expected one of: {', '.join(taxonomy.by_name)}"))
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
    taxonomy, problems = _load_config(data_dir / "taxonomy.yaml", parse_taxonomy)
    review, review_problems = _load_config(data_dir / "review.yaml", parse_review)
    problems += review_problems
    if taxonomy is None or review is None:
        raise InvalidData(sorted(problems))
    problems += _gap_map_problems(data_dir / "review.yaml", review, taxonomy)
    files, stray = study_files(studies_dir.resolve())
    root = data_dir.resolve().parent
    studies, study_problems = validate_studies(files, taxonomy, root, today)
    problems = sorted(problems + stray + study_problems)
    if problems:
        raise InvalidData(problems)
    return Dataset(taxonomy, review, tuple(studies), root)
