"""Release snapshots under releases/<version>/: read and checked like any other evidence.

A snapshot is written once by `evidence-map release` (generator/release.py) and never rewritten. Its
manifest lists every other file of the folder with its size and sha256; loading checks them, so a
snapshot edited by hand (or truncated by a bad merge) stops the build with a message rather than
quietly changing what a cited version said."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .review import CALVER, GapMap
from .taxonomy import Taxonomy, parse_taxonomy
from .validate import Problem, display_path

MANIFEST = "manifest.json"
RECORDS = "studies.json"
TAXONOMY = "taxonomy.yaml"
SEARCHES = "searches.json"
FORMAT = 1
"""The snapshot layout's version: a later layout bumps it, and this reader names what it reads."""


def version_key(version: str) -> tuple[int, ...]:
    """2026.11 < 2026.11.2 < 2026.12: calendar versions ordered as numbers."""
    return tuple(int(p) for p in version.split("."))


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Counts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    studies: int = Field(ge=0)
    searches: int = Field(ge=0)
    candidates: int = Field(ge=0)


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    format: int
    version: str = Field(pattern=CALVER.pattern)
    date: dt.date
    title: str
    license: str
    doi: str | None = None
    """Filled only when a DOI was reserved before the release; usually review.yaml's releases.dois has it."""
    gap_map: GapMap
    counts: Counts
    files: dict[str, FileEntry]


@dataclass(frozen=True)
class Release:
    """A validated snapshot: the records as JSON data, the taxonomy they were coded with, the searches' summary."""

    version: str
    manifest: Manifest = field(repr=False)
    records: tuple[dict[str, Any], ...] = field(repr=False)
    taxonomy: Taxonomy = field(repr=False)
    searches: tuple[dict[str, Any], ...] = field(repr=False)
    path: str
    """The folder, relative to the repository (releases/2026.11)."""

    @property
    def date(self) -> dt.date:
        return self.manifest.date

    @property
    def studies_sha256(self) -> str:
        return self.manifest.files[RECORDS].sha256

    def by_id(self) -> dict[str, dict[str, Any]]:
        return {r["id"]: r for r in self.records}


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: a snapshot's taxonomy read in 2 ms instead of 23 ms on every build."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_release(folder: Path, root: Path) -> tuple[Release | None, list[Problem]]:
    shown_dir = display_path(folder)

    def problem(name: str, message: str) -> list[Problem]:
        return [Problem(f"{shown_dir}/{name}" if name else shown_dir, 1, 1, message)]

    if not CALVER.match(folder.name):
        return None, problem("", f"'{folder.name}' is not a calendar version such as 2026.11; release folders are named by their version")
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file() or manifest_path.is_symlink():
        return None, problem(MANIFEST, "file is missing; a release folder is written by `evidence-map release` with its manifest")
    try:
        manifest = Manifest.model_validate_json(manifest_path.read_bytes())
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        where = ".".join(map(str, err["loc"])) or "file"
        return None, problem(MANIFEST, f"{where}: {err['msg']}")
    out: list[Problem] = []
    if manifest.format != FORMAT:
        out += problem(MANIFEST, f"format {manifest.format} is not one this generator reads (format {FORMAT})")
    if manifest.version != folder.name:
        out += problem(MANIFEST, f"version {manifest.version} differs from its folder's name {folder.name}")
    present = {p.name for p in folder.iterdir()} - {MANIFEST}
    for name in sorted(present - manifest.files.keys()):
        out += problem(name, "is not listed in the manifest; a release is never changed after it is made")
    contents: dict[str, bytes] = {}
    for name, entry in sorted(manifest.files.items()):
        path = folder / name
        if "/" in name or name.startswith(".") or not path.is_file() or path.is_symlink():
            out += problem(name, "is listed in the manifest but missing (or not a regular file)")
            continue
        data = path.read_bytes()
        if len(data) != entry.bytes or sha256(data) != entry.sha256:
            out += problem(name, f"does not match its checksum in the manifest (sha256 {entry.sha256[:12]}..., {entry.bytes} bytes): "
                                 "a release snapshot is never rewritten; restore it from git or make a new release")
            continue
        contents[name] = data
    for needed in (RECORDS, TAXONOMY, SEARCHES):
        if needed not in manifest.files:
            out += problem(MANIFEST, f"files: {needed} is not listed; every release has it")
    if out:
        return None, out
    try:
        records = json.loads(contents[RECORDS])
        searches = json.loads(contents[SEARCHES])
        taxonomy = parse_taxonomy(yaml.load(contents[TAXONOMY], Loader=SAFE_LOADER))
    except (ValueError, ValidationError, yaml.YAMLError) as e:
        return None, problem("", f"cannot read the snapshot: {str(e).splitlines()[0]}")
    if not isinstance(records, list) or not all(isinstance(r, dict) and isinstance(r.get("id"), str) for r in records):
        return None, problem(RECORDS, "is not an array of records with ids")
    if len(records) != manifest.counts.studies:
        return None, problem(RECORDS, f"holds {len(records)} records; the manifest counts {manifest.counts.studies}")
    if not isinstance(searches, list) or not all(isinstance(s, dict) and isinstance(s.get("id"), str) for s in searches):
        return None, problem(SEARCHES, "is not an array of search summaries with ids")
    shown = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else shown_dir
    return Release(manifest.version, manifest, tuple(records), taxonomy, tuple(searches), shown), []


def load_releases(releases_dir: Path, root: Path) -> tuple[tuple[Release, ...], list[Problem]]:
    """Every snapshot under releases/, oldest version first, with the problems of those that fail."""
    if not releases_dir.is_dir():
        return (), []
    out, problems = [], []
    for folder in sorted(releases_dir.iterdir(), key=lambda p: p.name):
        if not folder.is_dir() or folder.is_symlink():
            continue  # a README or .gitkeep beside the versions
        release, found = _read_release(folder, root)
        problems += found
        if release is not None:
            out.append(release)
    return tuple(sorted(out, key=lambda r: version_key(r.version))), problems
