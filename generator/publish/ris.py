"""RIS records for studies (the Data download and each study page): one tag per line."""

from __future__ import annotations

from collections.abc import Sequence

from ..evidence.records import Study
from ..evidence.site import Roles
from ..evidence.taxonomy import Taxonomy
from .render import one_line

TYPES = {"journal-article": "JOUR", "conference-paper": "CONF", "book-chapter": "CHAP", "preprint": "UNPB"}
"""Publication type -> RIS reference type; anything else is GEN."""


def _line(tag: str, value: object) -> str:
    # A line break inside a value would start a forged tag (e.g. "ER  -"): values are one line.
    return f"{tag}  - {one_line(value)}".rstrip() + "\n"


def record(study: Study, taxonomy: Taxonomy | None = None, publication_type: str = "") -> str:
    """The study's record; publication_type is its citation kind (review.yaml site.roles), if any."""
    lines = [_line("TY", TYPES.get(publication_type, "GEN")), _line("ID", study.id), _line("TI", study.title)]
    lines += [_line("AU", a) for a in study.authors]
    lines += [_line("PY", study.year), _line("T2", study.venue)]
    if study.doi:
        lines.append(_line("DO", study.doi))
    if study.url:
        lines.append(_line("UR", study.url))
    lines.append(_line("N1", study.summary))
    if taxonomy is not None:
        for facet in taxonomy.facets:
            if facet.multi:
                lines += [_line("KW", facet.label_of(v)) for v in study.facets.get(facet.name, ())]
    lines.append("ER  - \n")
    return "".join(lines)


def records(studies: Sequence[Study], taxonomy: Taxonomy | None = None, roles: Roles | None = None) -> str:
    roles = roles or Roles()
    return "\n".join(record(s, taxonomy, roles.citation_kind(s.facets)) for s in sorted(studies, key=lambda s: s.id))
