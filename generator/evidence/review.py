"""The map's identity and its source review, read from data/review.yaml."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .site import Site


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MapInfo(_Strict):
    title: str
    short_title: str
    description: str
    license: str
    maintainers: tuple[str, ...] = ()
    """Who to credit when the map is cited ("Family, Given" or an organisation); default: '<short_title> contributors'."""


class Prisma(_Strict):
    screened: int = Field(ge=0)
    included: int = Field(ge=0)


class SourceReview(_Strict):
    authors: tuple[str, ...]
    title: str
    journal: str
    year: int
    volume: int
    issue: int
    article: int
    doi: str
    arxiv: str
    prisma: Prisma
    scope: str

    @property
    def citation(self) -> str:
        names = [a.split(",")[0] for a in self.authors]
        who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
        return f"{who} ({self.year}). {self.title}. {self.journal}, {self.volume}({self.issue}), {self.article}."


class GapMap(_Strict):
    rows: str
    columns: str
    colour: str


class ExclusionReason(_Strict):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str
    definition: str


class Screening(_Strict):
    """The controlled list of reasons a search candidate may be excluded for (data/searches/)."""

    exclusion_reasons: tuple[ExclusionReason, ...] = Field(min_length=1)

    @property
    def reasons(self) -> list[str]:
        return [r.value for r in self.exclusion_reasons]

    def label_of(self, value: str) -> str:
        return next((r.label for r in self.exclusion_reasons if r.value == value), value)


DEFAULT_SCREENING = Screening(exclusion_reasons=(
    ExclusionReason(value="duplicate", label="Duplicate", definition="The same study as a map record or an earlier candidate."),
    ExclusionReason(value="out-of-scope", label="Out of scope", definition="Outside the map's scope for another reason."),
))
"""Used when review.yaml has no screening section, so older data folders keep loading."""


CALVER = re.compile(r"^(20[0-9]{2})\.(0[1-9]|1[0-2])(\.[1-9][0-9]?)?$")
"""A release's calendar version: YEAR.MONTH (2026.11), with .N for a further release in the same month."""
DOI_PATTERN = r"^10\.[0-9]{4,9}/[!#-;=?-_a-~]+$"


class Living(_Strict):
    """Whether the map is still updated, and how often its searches are rerun."""

    status: Literal["living", "paused", "archived"] = "living"
    cadence: Literal["weekly", "monthly", "quarterly", "twice-yearly", "yearly", "none"] = "monthly"
    """How often the searches are rerun and a release is cut; 'none' for a paused or archived map."""
    note: str | None = Field(None, min_length=1, max_length=500)
    """A sentence shown with the status, e.g. why the map is paused or where it continues."""

    @model_validator(mode="after")
    def _consistent(self) -> Living:
        if self.status == "living" and self.cadence == "none":
            raise PydanticCustomError("cadence", "a living map has an update cadence; set cadence, or status: paused or archived")
        if self.status == "archived" and self.cadence != "none":
            raise PydanticCustomError("cadence", "an archived map is no longer updated; set cadence: none")
        return self


class Releases(_Strict):
    """DOIs minted for the releases under releases/ (Zenodo mints them after the GitHub release)."""

    concept_doi: str | None = Field(None, pattern=DOI_PATTERN)
    """The DOI of every version together (Zenodo's concept DOI)."""
    dois: dict[str, str] = Field(default_factory=dict)
    """Version -> the DOI of that version."""

    @field_validator("dois")
    @classmethod
    def _versions(cls, value: dict[str, str]) -> dict[str, str]:
        for version, doi in value.items():
            if not CALVER.match(version):
                raise PydanticCustomError("version", "{version} is not a calendar version such as 2026.11", {"version": repr(version)})
            if not isinstance(doi, str) or not re.match(DOI_PATTERN, doi):
                raise PydanticCustomError("doi", "{version}: {doi} is not a bare DOI such as 10.5281/zenodo.1234567",
                                          {"version": version, "doi": repr(doi)})
        return value


class Review(_Strict):
    map: MapInfo
    source_review: SourceReview
    site: Site = Site()
    """Which facets the pages feature (generator/evidence/site.py)."""
    gap_map: GapMap
    screening: Screening = DEFAULT_SCREENING
    living: Living = Living()
    """The map's status and update cadence (shown on every page when archived)."""
    releases: Releases = Releases()


def parse_review(data: Any) -> Review:
    return Review.model_validate(data)
