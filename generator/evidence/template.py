"""The commented record template that `evidence-map new` writes."""

from __future__ import annotations

import datetime as dt
import textwrap

from .records import field_names, record_model
from .taxonomy import Taxonomy, slug_of
from .yamlsafe import dump_scalar

EDITOR_SCHEMA = "schema/study.schema.json"
"""The record's JSON Schema, committed so editors can read it offline and before the site is published;
tests and CI fail when it differs from `evidence-map schema` (regenerate it with `make schema`)."""

# The first line makes editors with the YAML language server (VS Code's YAML extension and others)
# complete field names and vocabulary values and flag mistakes while typing; the path is relative to
# data/studies/<id>.yaml.
HEADER = f"""\
# yaml-language-server: $schema=../../{EDITOR_SCHEMA}
# Study record for the evidence map: one file per study, file name = id.
# Fill in every field that is empty (null or []), then check it with:  evidence-map validate
# Leave a facet empty ([]) or 'unspecified'/'unknown' when the source does not say: never guess.
"""


def _comment(text: str, indent: str = "# ") -> list[str]:
    return textwrap.wrap(text, 96, initial_indent=indent, subsequent_indent=indent)


def render_template(study_id: str, taxonomy: Taxonomy, today: dt.date, title: str | None = None, doi: str | None = None,
                    facet_values: dict[str, str] | None = None, **bibliographic: object) -> str:
    """The commented template; bibliographic may prefill authors, authors_truncated, year, venue, url
    and verified (e.g. from a search candidate), the categories stay for a person to code. facet_values
    presets single facets known from where the study came from (e.g. membership of the source review)."""
    model = record_model(taxonomy)
    filled: dict[str, object] = {
        "id": study_id, "title": title, "doi": doi, "added": today.isoformat(),
        "authors": [], "authors_truncated": False, "architectures": [], "source_datasets": [],
        "target_datasets": [],
    }
    filled.update({k: v for k, v in bibliographic.items() if v is not None})
    names = [n for n in field_names(taxonomy) if n != "distinct_from"]
    lines = [HEADER]
    for name in names:
        facet = taxonomy.by_name.get(name)
        if facet:
            how = "one or more of" if facet.required and facet.multi else "any of" if facet.multi else "one of"
            lines += _comment(f"{name} ({facet.label}): {facet.description} {how}:")
            for v in facet.values:
                lines += _comment(f"{v.slug}: {v.definition}", "#   ")
            value: object = [] if facet.multi else (slug_of(facet.default) if facet.default is not None else None)
            if not facet.multi and facet_values and name in facet_values:
                value = facet_values[name]
            if isinstance(value, list):
                lines.append(f"{name}: []")
            else:
                lines.append(f"{name}: {value if value is not None else 'null'}")
        else:
            desc = model.model_fields[name].description or ""
            lines += _comment(f"{name}: {desc}")
            value = filled.get(name)
            if name in ("added", "id"):
                lines.append(f"{name}: {value}")
            elif isinstance(value, list) and value:
                lines.append(f"{name}:")
                lines += [f"  - {dump_scalar(v)}" for v in value]
            elif isinstance(value, list):
                lines.append(f"{name}: []")
            else:
                lines.append(f"{name}: {dump_scalar(value)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
