"""Which facets the pages feature (data/review.yaml's `site` section): Home's key charts, Trends,
Explore's columns, related studies, facets with a role, and the record lists the map uses.

The generator names no facet of its own: every such choice is made here, from the data, and every
facet named is checked against the taxonomy (review.facet_references, dataset.check_review_facets) with file:line:col."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    before_after: tuple[str, ...] = ()
    """Facets drawn as each value's share of the studies published in the source review's period and
    of those published after it, sorted by the change (which values rose since the review)."""


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


CitationKind = Literal["journal-article", "conference-paper", "book-chapter", "preprint", "other"]
"""What BibTeX, RIS, Highwire tags and schema.org know of a publication's kind."""


class Roles(_Strict):
    """Facets the generator reads with a meaning of their own; leave one out if the map has none."""

    publication_type: str | None = None
    """Single facet of the publication's kind: its values journal-article, conference-paper,
    book-chapter and preprint choose the BibTeX/RIS type and citation tags (others: generic)."""
    citation_kinds: dict[str, CitationKind] = Field(default_factory=dict)
    """Values of the publication_type facet named otherwise -> the citation kind they are."""
    extracted_from: str | None = None
    """Facet saying what the categories were read from (counted on Methods, named on Contribute)."""

    def publication_type_of(self, facets: Mapping[str, tuple[str, ...]]) -> str:
        """A study's value of the publication-type facet ('' when the map has no such facet)."""
        values = facets.get(self.publication_type, ()) if self.publication_type else ()
        return values[0] if values else ""

    def citation_kind(self, facets: Mapping[str, tuple[str, ...]]) -> str:
        """A study's citation kind (journal-article, conference-paper ...; '' or other: generic)."""
        value = self.publication_type_of(facets)
        return self.citation_kinds.get(value, value)


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
