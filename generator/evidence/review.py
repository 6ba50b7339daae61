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


class Review(_Strict):
    map: MapInfo
    source_review: SourceReview
    site: Site = Site()
    """Which facets the pages feature (generator/evidence/site.py)."""
    gap_map: GapMap


def parse_review(data: Any) -> Review:
    return Review.model_validate(data)
