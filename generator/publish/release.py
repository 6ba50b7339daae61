"""`evidence-map release VERSION`: a snapshot of the map's data under releases/<version>/, and the
citation metadata (CITATION.cff, .zenodo.json) that makes a GitHub release of the tag archivable with
a DOI. The snapshot's bytes depend only on the data, the version and the date: the same inputs give
the same files, so a release can be remade and compared."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ..console import EXIT_OK, EXIT_USAGE, load_or_report
from ..evidence.dataset import Dataset
from ..evidence.releases import FORMAT, MANIFEST, RECORDS, SEARCHES, TAXONOMY, sha256, version_key
from ..evidence.review import CALVER
from . import mapcite
from .downloads import to_csv, to_json

CSV = "studies.csv"
README = "README.md"
CITATION = "CITATION.cff"
ZENODO = ".zenodo.json"


class ReleaseError(Exception):
    """The version is malformed, exists already, or is older than the newest release."""


def check_version(ds: Dataset, version: str) -> None:
    if not CALVER.match(version):
        raise ReleaseError(f"'{version}' is not a calendar version: YEAR.MONTH such as 2026.11, or YEAR.MONTH.N for a further release in a month")
    if any(r.version == version for r in ds.releases):
        raise ReleaseError(f"release {version} exists already (releases/{version}); a release is never rewritten: choose a new version")
    if (ds.root / "releases" / version).exists():
        raise ReleaseError(f"releases/{version} exists already; a release is never rewritten: choose a new version")
    if ds.releases and version_key(version) < version_key(ds.releases[-1].version):
        raise ReleaseError(f"{version} is older than the newest release {ds.releases[-1].version}")


def searches_summary(ds: Dataset) -> list[dict[str, Any]]:
    """Each search run with its candidates counted per decision (and excluded per reason), no candidate text."""
    out = []
    for s in sorted(ds.searches, key=lambda s: (s.run, s.id)):
        decisions = Counter(c.decision for c in s.candidates)
        reasons = Counter(c.reason for c in s.candidates if c.decision == "exclude" and c.reason)
        out.append({
            "id": s.id, "source": s.source, "kind": s.kind, "run": s.run.isoformat(), "candidates": len(s.candidates),
            "decisions": {d: decisions.get(d, 0) for d in ("include", "exclude", "pending")},
            "excluded_by_reason": dict(sorted(reasons.items())),
        })
    return out


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def readme(ds: Dataset, version: str, date: dt.date, site_url: str | None) -> str:
    m = ds.review.map
    v = mapcite.Version(version, date, None, len(ds.studies), False)
    licence_url = mapcite.LICENSE_URLS.get(m.license, "")
    return "\n".join([
        f"# {m.title}: release {version}", "",
        f"Released {date.isoformat()}: {len(ds.studies)} studies, {len(ds.searches)} search runs.", "",
        "## Licence", "",
        f"The data in this folder are licensed under {m.license}{f' ({licence_url})' if licence_url else ''}: "
        "share and adapt them for any purpose, crediting the map as cited below.", "",
        "## Files", "",
        f"- `{RECORDS}`: every study record, exactly as its YAML file (the map's JSON Schema describes one).",
        f"- `{CSV}`: one row per study; lists joined with \"; \"; facets as value codes.",
        f"- `{TAXONOMY}`: the facets and their values the records were coded with.",
        f"- `{SEARCHES}`: each search run with its candidates counted per decision.",
        f"- `{MANIFEST}`: version, date, counts and the sha256 of every file here (the build checks them).", "",
        "## Cite", "",
        mapcite.citation_text(ds, v, site_url), "",
        "The DOI of this version is listed in the repository's data/review.yaml (releases.dois) once minted.", "",
    ])


def snapshot(ds: Dataset, version: str, date: dt.date, taxonomy: Path, site_url: str | None) -> dict[str, bytes]:
    """The files of releases/<version>/ (manifest last: it lists the others' sizes and checksums)."""
    files: dict[str, bytes] = {
        RECORDS: to_json(ds).encode("utf-8"),
        CSV: to_csv(ds).encode("utf-8"),
        TAXONOMY: taxonomy.read_bytes(),  # as written, comments and all
        SEARCHES: _json(searches_summary(ds)),
        README: readme(ds, version, date, site_url).encode("utf-8"),
    }
    manifest = {
        "format": FORMAT, "version": version, "date": date.isoformat(), "title": ds.review.map.title,
        "license": ds.review.map.license, "doi": None,
        "gap_map": ds.review.gap_map.model_dump(),
        "counts": {"studies": len(ds.studies), "searches": len(ds.searches), "candidates": sum(len(s.candidates) for s in ds.searches)},
        "files": {name: {"bytes": len(data), "sha256": sha256(data)} for name, data in sorted(files.items())},
    }
    files[MANIFEST] = _json(manifest)
    return files


def _person(name: str) -> dict[str, str]:
    family, sep, given = name.partition(",")
    return {"family-names": family.strip(), "given-names": given.strip()} if sep else {"name": name}


def citation_cff(ds: Dataset, version: str, date: dt.date, repo_url: str | None, site_url: str | None, existing: dict[str, Any] | None) -> str:
    """CITATION.cff (CFF 1.2.0) for the version: kept fields of an existing file (authors, keywords
    written by hand), this version's fields replaced."""
    m = ds.review.map
    data: dict[str, Any] = dict(existing or {})
    data.setdefault("cff-version", "1.2.0")
    data.setdefault("message", "If you use this evidence map or its data, please cite the version you used as below.")
    data.setdefault("type", "dataset")
    data["title"] = m.title
    data.setdefault("authors", [_person(a) for a in mapcite.authors(ds)])
    data["version"] = version
    data["date-released"] = date.isoformat()
    data["abstract"] = f"{m.description.strip()} Release {version}: {len(ds.studies)} studies."
    data["license"] = mapcite.spdx(m.license)
    if repo_url:
        data["repository-code"] = repo_url
    if site_url:
        data["url"] = site_url
    doi = ds.review.releases.concept_doi
    if doi:
        data["doi"] = doi
    data.setdefault("keywords", ["evidence map", "living review", "systematic review"])
    src = ds.review.source_review
    data.setdefault("references", [{
        "type": "article", "title": src.title, "authors": [_person(a) for a in src.authors],
        "journal": src.journal, "year": src.year, "volume": src.volume, "issue": src.issue, "doi": src.doi,
    }])
    order = ["cff-version", "message", "type", "title", "version", "date-released", "doi", "abstract", "authors", "license",
             "repository-code", "url", "keywords", "references"]
    data = {k: data[k] for k in order if k in data} | {k: v for k, v in data.items() if k not in order}
    return "# Updated by `evidence-map release`: version, date-released and abstract change with each release.\n" + \
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def zenodo_json(ds: Dataset, version: str, date: dt.date, cff: dict[str, Any], site_url: str | None) -> str:
    """Zenodo's deposit metadata: GitHub's Zenodo integration reads it when the tag's release is published."""
    m = ds.review.map
    creators = []
    for a in cff.get("authors", []):
        name = a.get("name") or ", ".join(x for x in (a.get("family-names"), a.get("given-names")) if x)
        creators.append({"name": name} | ({"orcid": a["orcid"].rsplit("/", 1)[-1]} if a.get("orcid") else {}))
    related = [{"identifier": ds.review.source_review.doi, "relation": "isSupplementTo", "scheme": "doi"}]
    if site_url:
        related.append({"identifier": site_url, "relation": "isDocumentedBy", "scheme": "url"})
    data = {
        "title": f"{m.title} (release {version})", "upload_type": "dataset", "version": version,
        "publication_date": date.isoformat(),
        "description": f"{m.description.strip()} Release {version}: {len(ds.studies)} studies. The data are in releases/{version}/.",
        "creators": creators, "license": mapcite.spdx(m.license).lower(), "access_right": "open",
        "keywords": cff.get("keywords", []), "related_identifiers": related,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def make_release(ds: Dataset, version: str, date: dt.date, taxonomy: Path, repo_url: str | None, site_url: str | None) -> list[Path]:
    """Write releases/<version>/ (exclusively: never over an existing file), CITATION.cff and .zenodo.json."""
    check_version(ds, version)
    files = snapshot(ds, version, date, taxonomy, site_url)
    folder = ds.root / "releases" / version
    folder.mkdir(parents=True)
    written = []
    for name, data in files.items():
        with (folder / name).open("xb") as fh:
            fh.write(data)
        written.append(folder / name)
    cff_path = ds.root / CITATION
    existing = yaml.safe_load(cff_path.read_text(encoding="utf-8")) if cff_path.is_file() else None
    cff_text = citation_cff(ds, version, date, repo_url, site_url, existing if isinstance(existing, dict) else None)
    cff_path.write_text(cff_text, encoding="utf-8")
    (ds.root / ZENODO).write_text(zenodo_json(ds, version, date, yaml.safe_load(cff_text), site_url), encoding="utf-8")
    return [*written, cff_path, ds.root / ZENODO]


def site_config(config: Path) -> tuple[str | None, str | None]:
    """repo_url and site_url of an mkdocs.yml (None for each it lacks, or when there is no file)."""
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None, None
    data = data if isinstance(data, dict) else {}
    repo, site = data.get("repo_url"), data.get("site_url")
    return (repo if isinstance(repo, str) else None), (site if isinstance(site, str) else None)


def cmd_release(args: argparse.Namespace) -> int:
    ds = load_or_report(args.data)
    if isinstance(ds, int):
        return ds
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        print(f"evidence-map: error: --date {args.date!r} is not a date written YYYY-MM-DD", file=sys.stderr)
        return EXIT_USAGE
    repo_url, site_url = site_config(args.config)
    try:
        written = make_release(ds, args.version, date, args.data / "taxonomy.yaml", repo_url, site_url)
    except ReleaseError as e:
        print(f"evidence-map: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    for path in written:
        print(f"wrote {path}")
    print(f"release {args.version}: {len(ds.studies)} studies. Commit releases/{args.version}, CITATION.cff and .zenodo.json, "
          f"then tag: git tag v{args.version} && git push origin v{args.version}")
    return EXIT_OK


def add_command(sub: Any, data_opt: Callable[[argparse.ArgumentParser], None]) -> None:
    sp = sub.add_parser("release", help="snapshot the map's data as a citable release (releases/VERSION/)",
                        description="Write releases/VERSION/ (records as JSON and CSV, taxonomy, search summary, manifest with "
                                    "sha256 checksums) and update CITATION.cff and .zenodo.json. Never rewrites a release.")
    sp.add_argument("version", metavar="VERSION", help="calendar version YEAR.MONTH, e.g. 2026.11 (YEAR.MONTH.N for a further one)")
    sp.add_argument("--date", help="release date YYYY-MM-DD (default: today)")
    sp.add_argument("-f", "--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration with repo_url and site_url (default: ./mkdocs.yml)")
    data_opt(sp)
    sp.set_defaults(func=cmd_release)
