"""One flat row per study: the columns of the CSV download (Data page and Explore's filtered CSV)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..evidence.records import Study, field_names
from ..evidence.taxonomy import Taxonomy

MULTI_SEP = "; "


NOT_IN_TABLE = ("verified", "distinct_from")
"""Curation notes, not study data: in the JSON download, not the CSV."""


def columns(taxonomy: Taxonomy) -> list[str]:
    return [n for n in field_names(taxonomy) if n not in NOT_IN_TABLE]


def cell(value: object) -> str | int:
    """A field as one CSV cell: lists joined with '; ', booleans as true/false, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return MULTI_SEP.join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value  # type: ignore[return-value]


def row(study: Study, taxonomy: Taxonomy) -> dict[str, str | int]:
    """Multi-valued fields joined with '; '; empty values as ''; facets as vocabulary slugs."""
    facets = {f.name for f in taxonomy.facets}
    return {c: cell(study.facets[c] if c in facets else getattr(study, c)) for c in columns(taxonomy)}


def rows(studies: Sequence[Study], taxonomy: Taxonomy) -> list[dict[str, str | int]]:
    return [row(s, taxonomy) for s in studies]
