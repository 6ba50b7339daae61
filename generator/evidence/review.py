"""The map's identity and its source review, read from data/review.yaml."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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


class TrendsSite(_Strict):
    """The charts of the Trends page, beyond one bar chart per multi facet."""

    per_year_by: str | None = None
    """Facet that stacks the studies-per-year bars; none: one bar per year."""
    over_time: tuple[str, ...] = ()
    """Facets drawn as value x year heat maps."""
    share_per_year: tuple[str, ...] = ()
    """Facets drawn as each value's share of the year's studies."""
    single_facets: tuple[str, ...] = ()
    """Single facets that get a bar chart too (every multi facet has one)."""


class HomeSite(_Strict):
    """The key charts on Home, in this order."""

    per_year: bool = True
    """Studies per year (stacked by trends.per_year_by)."""
    facets: tuple[str, ...] = ()
    """Facets whose studies-per-value bar chart Home shows."""
    gap_map: bool = True
    """The evidence-gap map on its default axes."""


class ExploreSite(_Strict):
    columns: tuple[str, ...] | None = None
    """Facet columns of the Explore table; none given: the first five multi facets."""


class RelatedSite(_Strict):
    facets: tuple[str, ...] | None = None
    """Facets whose shared values make studies related; none given: every multi facet."""


class Roles(_Strict):
    """Facets the generator reads with a meaning of their own; leave one out if the map has none."""

    publication_type: str | None = None
    """Single facet of the publication's kind: its values journal-article, conference-paper,
    book-chapter and preprint choose the BibTeX/RIS type and citation tags (others: generic)."""
    extracted_from: str | None = None
    """Facet saying what the categories were read from (counted on Methods, named on Contribute)."""

    def publication_type_of(self, facets: Mapping[str, tuple[str, ...]]) -> str:
        """A study's publication-type slug ('' when the map has no such facet)."""
        values = facets.get(self.publication_type, ()) if self.publication_type else ()
        return values[0] if values else ""


RecordList = Literal["datasets", "architectures"]


class Site(_Strict):
    """Which facets the pages feature. Every facet named here must exist in taxonomy.yaml."""

    home: HomeSite = HomeSite()
    trends: TrendsSite = TrendsSite()
    explore: ExploreSite = ExploreSite()
    related: RelatedSite = RelatedSite()
    roles: Roles = Roles()
    lists: tuple[RecordList, ...] = ("datasets", "architectures")
    """The record's list fields this map uses: charted on Trends and shown on study pages."""

    @property
    def lists_heading(self) -> str:
        """'Datasets and architectures': the heading over the list fields on Trends and study pages."""
        return " and ".join(self.lists).capitalize()


Loc = tuple[str | int, ...]


class Review(_Strict):
    map: MapInfo
    source_review: SourceReview
    gap_map: GapMap
    site: Site = Site()

    def facet_references(self) -> Iterator[tuple[Loc, str]]:
        """Every facet name review.yaml gives, with where it is (a YAML path) for error messages."""
        for axis in ("rows", "columns", "colour"):
            yield ("gap_map", axis), getattr(self.gap_map, axis)
        s = self.site
        named: list[tuple[Loc, str | tuple[str, ...] | None]] = [
            (("site", "home", "facets"), s.home.facets),
            (("site", "trends", "per_year_by"), s.trends.per_year_by),
            (("site", "trends", "over_time"), s.trends.over_time),
            (("site", "trends", "share_per_year"), s.trends.share_per_year),
            (("site", "trends", "single_facets"), s.trends.single_facets),
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


def parse_review(data: Any) -> Review:
    return Review.model_validate(data)
