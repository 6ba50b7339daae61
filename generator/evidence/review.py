"""The map's identity and its source review, read from data/review.yaml."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
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


class IncludedList(_Strict):
    """Where the map keeps the source review's list of included studies, and how records say so."""

    search: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """Id of the search record (data/searches/<search>.yaml) holding the review's included studies."""
    facet: str
    """Single facet of the taxonomy saying whether the review included a record."""
    value: str
    """The facet's value for records an include of that search links (e.g. probable)."""


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
    included_list: IncludedList | None = None
    """The review's included studies as a search record; none: the map does not track membership."""

    @property
    def short(self) -> str:
        """'Valverde et al. (2021)': the review as cited in running text."""
        names = [a.split(",")[0].strip() for a in self.authors]
        who = f"{names[0]} et al." if len(names) > 2 else " and ".join(names)
        return f"{who} ({self.year})"

    @property
    def citation(self) -> str:
        return f"{self.short}. {self.title}. {self.journal}, {self.volume}({self.issue}), {self.article}."


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


DUPLICATE = "duplicate"
"""The exclusion reason the intake itself gives (a candidate that repeats an earlier one): every
screening list has it."""

DEFAULT_SCREENING = Screening(exclusion_reasons=(
    ExclusionReason(value=DUPLICATE, label="Duplicate", definition="The same study as a map record or an earlier candidate."),
    ExclusionReason(value="out-of-scope", label="Out of scope", definition="Outside the map's scope for another reason."),
))
"""Used when review.yaml has no screening section, so older data folders keep loading."""


class OpenAlexQuery(_Strict):
    """An OpenAlex works search: `search` as OpenAlex reads it (phrases in quotes, AND/OR/NOT) and
    extra `filter`s by their OpenAlex names (e.g. type: article|preprint); discover adds the date."""

    search: str = Field(min_length=3)
    filter: dict[str, str] = Field(default_factory=dict)


class ArxivQuery(_Strict):
    """An arXiv API query (`abs:"transfer learning" AND abs:brain`), limited to `categories` when given."""

    query: str = Field(min_length=3)
    categories: tuple[str, ...] = ()

    @property
    def full(self) -> str:
        if not self.categories:
            return self.query
        cats = " OR ".join(f"cat:{c}" for c in self.categories)
        return f"({self.query}) AND ({cats})"


class PubMedQuery(_Strict):
    """A PubMed query, kept with the others; `discover` does not run it (export and `import` instead)."""

    term: str = Field(min_length=3)


class Discovery(_Strict):
    """The saved searches `evidence-map discover` runs (one search record per source run)."""

    started: dt.date
    """The day the living search started: a source's first run looks for works from this day on."""
    cadence: Literal["daily", "weekly", "monthly"] = "weekly"
    """How often the scheduled workflow runs the searches (.github/workflows/discover.yml)."""
    overlap_days: int = Field(30, ge=0, le=365)
    """Each run looks back this many days before the previous run: late-indexed works are not missed
    (what was already seen is removed by deduplication)."""
    max_results: int = Field(1000, ge=1, le=10000)
    """At most this many works per source run (a safety limit; paging stops there)."""
    openalex: OpenAlexQuery | None = None
    arxiv: ArxivQuery | None = None
    pubmed: PubMedQuery | None = None

    @property
    def sources(self) -> list[str]:
        return [name for name in ("openalex", "arxiv") if getattr(self, name) is not None]
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
    discovery: Discovery | None = None
    """Saved searches for `evidence-map discover`; None when the map has none."""
    living: Living = Living()
    """The map's status and update cadence (shown on every page when archived)."""
    releases: Releases = Releases()


def parse_review(data: Any) -> Review:
    return Review.model_validate(data)


Loc = tuple[str | int, ...]
"""Where a value is in review.yaml, as a YAML path."""


def facet_references(review: Review) -> Iterator[tuple[Loc, str]]:
    """Every facet name review.yaml gives (gap map and site), with where it is (a YAML path)."""
    for axis in ("rows", "columns", "colour"):
        yield ("gap_map", axis), getattr(review.gap_map, axis)
    if review.source_review.included_list is not None:
        yield ("source_review", "included_list", "facet"), review.source_review.included_list.facet
    s = review.site
    named: list[tuple[Loc, str | tuple[str, ...] | None]] = [
        (("site", "home", "facets"), s.home.facets),
        (("site", "trends", "per_year_by"), s.trends.per_year_by),
        (("site", "trends", "over_time"), s.trends.over_time),
        (("site", "trends", "share_per_year"), s.trends.share_per_year),
        (("site", "trends", "single_facets"), s.trends.single_facets),
        (("site", "trends", "before_after"), s.trends.before_after),
        (("site", "explore", "columns"), s.explore.columns),
        (("site", "related", "facets"), s.related.facets),
        (("site", "roles", "publication_type"), s.roles.publication_type),
        (("site", "roles", "extracted_from"), s.roles.extracted_from),
    ]
    for loc, value in named:
        if isinstance(value, str):
            yield loc, value
        elif value is not None:
            for i, name in enumerate(value):
                yield (*loc, i), name
