"""The map's identity and its source review, read from data/review.yaml."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .site import Site


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MapInfo(_Strict):
    title: str
    short_title: str
    description: str
    license: str


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


class Review(_Strict):
    map: MapInfo
    source_review: SourceReview
    site: Site = Site()
    """Which facets the pages feature (generator/evidence/site.py)."""
    gap_map: GapMap
    screening: Screening = DEFAULT_SCREENING


def parse_review(data: Any) -> Review:
    return Review.model_validate(data)
