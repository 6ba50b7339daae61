"""How to cite the map itself: the version a reader sees (the newest release under releases/), its
DOI or a marked placeholder, and BibTeX and RIS for it. Used by Home, Data, Methods, the footer and
the release command (the snapshot's README)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from ..evidence.dataset import Dataset
from ..evidence.releases import Release
from . import bibtex
from .downloads import to_json
from .ris import _line

DOI_PLACEHOLDER = "DOI to be minted"
"""Shown where a version's DOI goes until review.yaml's releases.dois has it (Zenodo mints it after
the GitHub release): clearly not a DOI, so nobody cites a made-up one."""

LICENSE_URLS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}
SPDX = {"CC BY 4.0": "CC-BY-4.0", "CC BY-SA 4.0": "CC-BY-SA-4.0", "CC0 1.0": "CC0-1.0"}


def spdx(license: str) -> str:
    """review.yaml's licence as an SPDX identifier (CC BY 4.0 -> CC-BY-4.0)."""
    return SPDX.get(license, license.replace(" ", "-"))


def authors(ds: Dataset) -> tuple[str, ...]:
    """The map's maintainers as review.yaml names them, else one entity: '<short title> contributors'."""
    return ds.review.map.maintainers or (f"{ds.review.map.short_title} contributors",)


@dataclass(frozen=True)
class Version:
    """The version of the map a page belongs to."""

    version: str | None
    """The newest release, or None before the first one."""
    date: dt.date | None
    doi: str | None
    studies: int
    """Studies in that release (or in the data, before the first release)."""
    unreleased: bool
    """The data differ from the newest release (records changed since it was cut)."""

    @property
    def label(self) -> str:
        if self.version is None:
            return "unreleased"
        return self.version + (" (with changes since)" if self.unreleased else "")

    @property
    def doi_text(self) -> str:
        return f"doi:{self.doi}" if self.doi else DOI_PLACEHOLDER


def doi_of(ds: Dataset, release: Release) -> str | None:
    return ds.review.releases.dois.get(release.version) or release.manifest.doi


def data_sha256(ds: Dataset) -> str:
    """The checksum the release command records for studies.json: equal when nothing changed since."""
    return hashlib.sha256(to_json(ds).encode("utf-8")).hexdigest()


def current(ds: Dataset) -> Version:
    if not ds.releases:
        return Version(None, None, None, len(ds.studies), bool(ds.studies))
    r = ds.releases[-1]
    return Version(r.version, r.date, doi_of(ds, r), r.manifest.counts.studies, r.studies_sha256 != data_sha256(ds))


def citation_text(ds: Dataset, v: Version, site_url: str | None) -> str:
    """One line of plain text: who, year, title, version, studies, DOI or placeholder, address."""
    who = "; ".join(authors(ds))
    year = v.date.year if v.date else "n.d."
    as_of = ds.last_added.isoformat() if ds.last_added else "no record yet"
    version = f"Version {v.version}" if v.version else f"Unreleased version of {as_of}"
    parts = [f"{who} ({year}). {ds.review.map.title}. {version} [Data set], {v.studies} studies.", v.doi_text + "."]
    if v.doi:
        parts[-1] = f"https://doi.org/{v.doi}"
    if site_url:
        parts.append(site_url)
    return " ".join(parts)


def bibtex_entry(ds: Dataset, v: Version, site_url: str | None) -> str:
    key = "evidencemap" + (v.version.replace(".", "_") if v.version else "")
    lines = [
        f"  author = {{{' and '.join('{' + bibtex.escape(a) + '}' if ',' not in a else bibtex.escape(a) for a in authors(ds))}}}",
        f"  title = {{{bibtex.escape(ds.review.map.title)}}}",
        f"  year = {{{v.date.year if v.date else 'n.d.'}}}",
        f"  version = {{{v.version or 'unreleased'}}}",
        f"  note = {{{v.studies} studies{'' if v.doi else '; ' + DOI_PLACEHOLDER}}}",
    ]
    if v.doi:
        lines.append(f"  doi = {{{bibtex.verbatim(v.doi)}}}")
    if site_url:
        lines.append(f"  url = {{{bibtex.verbatim(site_url)}}}")
    return f"@misc{{{key},\n" + ",\n".join(lines) + "\n}\n"


def ris_record(ds: Dataset, v: Version, site_url: str | None) -> str:
    lines = [_line("TY", "DATA")] + [_line("AU", a) for a in authors(ds)]
    lines += [_line("TI", ds.review.map.title), _line("PY", v.date.year if v.date else ""), _line("ET", v.version or "unreleased")]
    if v.date:
        lines.append(_line("DA", v.date.strftime("%Y/%m/%d")))
    lines.append(_line("DO", v.doi) if v.doi else _line("N1", DOI_PLACEHOLDER))
    if site_url:
        lines.append(_line("UR", site_url))
    lines.append(_line("N1", f"{v.studies} studies. Licence: {ds.review.map.license}"))
    lines.append("ER  - \n")
    return "".join(lines)


def view(ds: Dataset, site_url: str | None, this: str) -> dict[str, object]:
    """What the 'Cite this map' block (templates/cite_map.md.j2) prints on Home, Data and Methods."""
    from markupsafe import Markup

    from .render import fence

    v = current(ds)
    return {
        "version": v, "text": citation_text(ds, v, site_url), "placeholder": DOI_PLACEHOLDER,
        "bibtex": fence(bibtex_entry(ds, v, site_url), "bibtex"), "ris": fence(ris_record(ds, v, site_url), "ris"),
        "license": ds.review.map.license, "license_url": Markup(LICENSE_URLS.get(ds.review.map.license, "")),
        "concept_doi": ds.review.releases.concept_doi, "changes": "changes/index.md",
        "release_file": f"changes/{v.version}.md" if v.version else None, "this": this,
    }
