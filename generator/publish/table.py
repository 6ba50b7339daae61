"""One flat row per study: the columns of the CSV download (Data page and Explore's filtered CSV)."""

from __future__ import annotations

from collections.abc import Sequence

from ..evidence.records import Study
from ..evidence.taxonomy import Taxonomy

MULTI_SEP = "; "


def columns(taxonomy: Taxonomy) -> list[str]:
    return [
        "id", "title", "authors", "authors_truncated", "year", "venue", "doi", "url", "summary", "key_result",
        *[f.name for f in taxonomy.facets],
        "architectures", "source_datasets", "target_datasets", "code_url", "added",
    ]


def row(study: Study, taxonomy: Taxonomy) -> dict[str, str | int]:
    """Multi-valued fields joined with '; '; empty values as ''; facets as vocabulary slugs."""
    out: dict[str, str | int] = {
        "id": study.id, "title": study.title, "authors": MULTI_SEP.join(study.authors),
        "authors_truncated": "true" if study.authors_truncated else "false", "year": study.year,
        "venue": study.venue, "doi": study.doi or "", "url": study.url or "", "summary": study.summary,
        "key_result": study.key_result or "", "architectures": MULTI_SEP.join(study.architectures),
        "source_datasets": MULTI_SEP.join(study.source_datasets), "target_datasets": MULTI_SEP.join(study.target_datasets),
        "code_url": study.code_url or "", "added": study.added.isoformat(),
    }
    for f in taxonomy.facets:
        out[f.name] = MULTI_SEP.join(study.facets[f.name])
    return {c: out[c] for c in columns(taxonomy)}


def rows(studies: Sequence[Study], taxonomy: Taxonomy) -> list[dict[str, str | int]]:
    return [row(s, taxonomy) for s in studies]
