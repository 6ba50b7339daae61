"""What every page producer shares: the output type, where the site lives, and headline facts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..evidence.dataset import Dataset

Files = dict[str, str | bytes]
"""Generated output: path relative to the docs folder -> content."""


@dataclass(frozen=True)
class SiteContext:
    """What pages need to know about where the site and its repository live."""

    site_name: str = "Evidence map"
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    """Relative to repo_url and pointing at the repository root, e.g. 'edit/main/'."""

    def edit_url(self, repo_path: str) -> str | None:
        """Link to edit a file of the repository (e.g. a record) on its forge."""
        if not self.repo_url or self.edit_uri is None:
            return None
        return self.repo_url.rstrip("/") + "/" + self.edit_uri.strip("/") + "/" + repo_path


Producer = Callable[[Dataset, SiteContext], Files]


@dataclass(frozen=True)
class Headline:
    studies: int
    first_year: int | None
    last_year: int | None
    last_added: str | None


def headline(ds: Dataset) -> Headline:
    years = [s.year for s in ds.studies]
    return Headline(
        len(ds.studies), min(years, default=None), max(years, default=None),
        ds.last_added.isoformat() if ds.last_added else None,
    )


def review_period_end(ds: Dataset) -> int:
    """Last publication year the source review covered: it searched up to the year before it appeared."""
    return ds.review.source_review.year - 1


def review_short(ds: Dataset) -> str:
    """'Valverde et al. (2021)': the source review as cited in running text."""
    return ds.review.source_review.short
