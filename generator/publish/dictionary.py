"""The data dictionary: every field of a record with its type, whether it is required and its allowed
values, generated from the record's JSON Schema (the validator's own model) and the taxonomy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..evidence.records import json_schema, ordered
from ..evidence.taxonomy import Facet, Taxonomy, slug_of


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    required: bool
    description: str
    allowed: str
    """Constraint in words ('not empty', 'from 1950', 'default unspecified'), or ''."""
    pattern: str | None
    """Regular expression a text value must match."""
    facet: Facet | None
    """The vocabulary, for facet fields."""
    default: Any = None
    """The value an optional field takes when left out."""


def describe(prop: dict[str, Any]) -> tuple[str, str, str | None]:
    """(type, constraint, pattern) of a JSON Schema property, in words."""
    options = prop.get("anyOf")
    if options:
        parts = [describe(o) for o in options if o.get("type") != "null"]
        nullable = len(parts) < len(options)
        kind = " or ".join(p[0] for p in parts) + (" or null" if nullable else "")
        return kind, "; ".join(p[1] for p in parts if p[1]), next((p[2] for p in parts if p[2]), None)
    kind = prop.get("type")
    if kind == "array":
        inner, allowed, pattern = describe(prop.get("items", {}))
        at_least = f", at least {prop['minItems']}" if prop.get("minItems") else ""
        return f"list of {inner}s{at_least}", allowed, pattern
    if kind == "string":
        if prop.get("format") == "date":
            return "date", "YYYY-MM-DD", None
        if "pattern" in prop:
            return "text", "", prop["pattern"]
        return "text", "not empty" if prop.get("minLength") else "", None
    if kind == "integer":
        return "whole number", f"from {prop['minimum']}" if "minimum" in prop else "", None
    if kind == "boolean":
        return "true or false", "", None
    return str(kind or "value"), "", None


def _default(prop: dict[str, Any]) -> Any:
    return prop["default"] if "default" in prop else [] if prop.get("type") == "array" else None


def fields(taxonomy: Taxonomy) -> list[Field]:
    schema = json_schema(taxonomy)
    required = set(schema.get("required", []))
    props = schema["properties"]
    out = []
    for name, prop in {**ordered(props, taxonomy), **props}.items():  # canonical order, then any others
        facet = taxonomy.by_name.get(name)
        if facet is not None:
            kind = "list of codes" + (f", at least {facet.min_items}" if facet.min_items else "") if facet.multi else "code"
            allowed = "" if facet.default is None else f"default {slug_of(facet.default)}"
            out.append(Field(name, kind, name in required, f"{facet.label}: {facet.description}", allowed, None, facet, _default(prop)))
        else:
            kind, allowed, pattern = describe(prop)
            out.append(Field(name, kind, name in required, prop.get("description", ""), allowed, pattern, None, _default(prop)))
    return out
