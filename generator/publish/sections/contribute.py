"""The Contribute page: how to add or correct a study, and a field reference generated from the record
model and data/taxonomy.yaml (the validator's own source), so the page cannot drift from the checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlparse

from markupsafe import Markup

from ...evidence.dataset import Dataset
from ...evidence.taxonomy import Facet
from ...evidence.template import EDITOR_SCHEMA
from ...evidence.yamlsafe import dump_scalar
from ..context import Files, SiteContext
from ..dictionary import fields
from ..render import code, render
from ..urls import FEED, WHATS_NEW

PAGE = "contribute.md"
ISSUE_FORM = "suggest-study.yml"
"""The issue form in .github/ISSUE_TEMPLATE/ for people who do not use git."""


@dataclass(frozen=True)
class Vocabulary:
    name: Markup
    anchor: Markup
    label: str
    description: str
    rule: str
    values: list[tuple[Markup, str, str]]


def rule(facet: Facet) -> str:
    if facet.multi:
        if facet.required:
            return f"A list: at least {facet.min_items} of these values."
        return "A list of any of these values; leave it empty ([]) when the source does not say (the site shows it as 'Not reported')."
    if facet.default is not None:
        return f"Exactly one of these values; may be left out, which means {dump_scalar(facet.default)}."
    return "Exactly one of these values."


def vocabularies(ds: Dataset) -> list[Vocabulary]:
    return [
        Vocabulary(
            name=code(f.name), anchor=Markup(f"vocabulary-{f.name.replace('_', '-')}"), label=f.label, description=f.description,
            rule=rule(f), values=[(code(dump_scalar(v.value)), v.label, v.definition) for v in f.values],
        )
        for f in ds.taxonomy.facets
    ]


def extracted_from(ds: Dataset) -> dict[str, Markup] | None:
    """The facet that says what the categories were read from (review.yaml site.roles), if any."""
    name = ds.review.site.roles.extracted_from
    if not name:
        return None
    facet = ds.taxonomy[name]
    return {"name": code(name), "values": Markup(" or ").join(code(dump_scalar(v.value)) for v in facet.values)}


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
        fields=fields(ds.taxonomy), vocabularies=vocabularies(ds), extracted=extracted_from(ds),
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {PAGE: render_page(ds, ctx)}
