"""The Contribute page: how to add or correct a study, and a field reference generated from the record
model and data/taxonomy.yaml (the validator's own source), so the page cannot drift from the checks."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from markupsafe import Markup

from .build import Files, SiteContext
from .dataset import Dataset
from .records import FIELD_ORDER, json_schema
from .render import one_line, render
from .taxonomy import Facet
from .template import EDITOR_SCHEMA
from .whatsnew import FEED
from .whatsnew import PAGE as WHATS_NEW

PAGE = "contribute.md"
ISSUE_FORM = "suggest-study.yml"
"""The issue form in .github/ISSUE_TEMPLATE/ for people who do not use git."""


def code(text: Any) -> Markup:
    """An inline code span that no backtick in text can close (code spans show text literally)."""
    text = one_line(text)
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{ticks}{pad}{text}{pad}{ticks}")


def yaml_value(value: Any) -> str:
    """How a value is written in a record file (YAML booleans and null spelt as YAML spells them)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[]" if not value else json.dumps(value)
    return str(value)


def describe(prop: dict[str, Any]) -> Markup:
    """A JSON Schema property in words, e.g. 'list of text, at least 1'."""
    if "anyOf" in prop:
        kinds = [describe(p) for p in prop["anyOf"] if p.get("type") != "null"]
        nullable = any(p.get("type") == "null" for p in prop["anyOf"])
        return Markup(" or ").join(kinds) + (Markup(" or ") + code("null") if nullable else "")
    if "enum" in prop:
        return Markup("one value from its vocabulary below")
    kind = prop.get("type")
    if kind == "array":
        items = prop.get("items", {})
        if "enum" in items:
            what = Markup("list of values from its vocabulary below")
        elif items.get("type") == "string" and not items.get("pattern"):
            what = Markup("list of texts")
        else:
            what = Markup("list of ") + describe(items)
        n = prop.get("minItems")
        return what + (Markup(f", at least {int(n)}") if n else "")
    if kind == "string":
        if prop.get("format") == "date":
            return Markup("date written ") + code("YYYY-MM-DD")
        if "pattern" in prop:
            return Markup("text matching ") + code(prop["pattern"])
        return Markup("text, not empty") if prop.get("minLength") else Markup("text")
    if kind == "integer":
        return Markup("whole number") + (Markup(f" from {int(prop['minimum'])}") if "minimum" in prop else "")
    if kind == "boolean":
        return code("true") + Markup(" or ") + code("false")
    return Markup("any value")


@dataclass(frozen=True)
class Field:
    name: Markup
    required: bool
    default: Markup | None
    kind: Markup
    description: str


@dataclass(frozen=True)
class Vocabulary:
    name: Markup
    anchor: Markup
    label: str
    description: str
    rule: str
    values: list[tuple[Markup, str, str]]


def field_order(properties: dict[str, Any]) -> list[str]:
    """The canonical record order, then any field the model has that the order does not know."""
    return [n for n in FIELD_ORDER if n in properties] + sorted(n for n in properties if n not in FIELD_ORDER)


def fields(ds: Dataset) -> list[Field]:
    schema = json_schema(ds.taxonomy)
    props, required = schema["properties"], set(schema.get("required", []))
    out = []
    for name in field_order(props):
        prop = props[name]
        facet = ds.taxonomy.by_name.get(name)
        default = None
        if name not in required:
            default = code(yaml_value(prop["default"] if "default" in prop else [] if prop.get("type") == "array" else None))
        out.append(Field(
            name=code(name), required=name in required, default=default,
            kind=describe(prop), description=f"{facet.label}: {facet.description}" if facet else prop.get("description", ""),
        ))
    return out


def rule(facet: Facet) -> str:
    if facet.multi:
        if facet.required:
            return f"A list: at least {facet.min_items} of these values."
        return "A list of any of these values; leave it empty ([]) when the source does not say (the site shows it as 'Not reported')."
    if facet.default is not None:
        return f"Exactly one of these values; may be left out, which means {yaml_value(facet.default)}."
    return "Exactly one of these values."


def vocabularies(ds: Dataset) -> list[Vocabulary]:
    return [
        Vocabulary(
            name=code(f.name), anchor=Markup(f"vocabulary-{f.name.replace('_', '-')}"), label=f.label, description=f.description,
            rule=rule(f), values=[(code(yaml_value(v.value)), v.label, v.definition) for v in f.values],
        )
        for f in ds.taxonomy.facets
    ]


def render_page(ds: Dataset, ctx: SiteContext) -> str:
    repo = ctx.repo_url.rstrip("/") if ctx.repo_url else None
    serve_path = urlparse(ctx.site_url).path if ctx.site_url else "/"
    return render(
        "contribute.md.j2",
        repo=Markup(repo) if repo else None,
        issue_form=Markup(f"{repo}/issues/new?template={ISSUE_FORM}") if repo else None,
        contributing=Markup(f"{repo}/blob/main/CONTRIBUTING.md") if repo else None,
        preview=Markup(f"http://127.0.0.1:8000{serve_path}"),
        schema_file=code(EDITOR_SCHEMA), schema_comment=code(f"# yaml-language-server: $schema=../../{EDITOR_SCHEMA}"),
        vscode=Markup(json.dumps({"yaml.schemas": {f"./{EDITOR_SCHEMA}": "data/studies/*.yaml"}}, indent=2)),
        whats_new=Markup(WHATS_NEW), feed=Markup(FEED),
        fields=fields(ds), vocabularies=vocabularies(ds),
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {PAGE: render_page(ds, ctx)}
