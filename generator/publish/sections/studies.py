"""One page per study at /studies/<id>/: citation, categories, data, BibTeX/RIS, related studies,
and the metadata reference managers and search engines read (Highwire tags, schema.org JSON-LD)."""

from __future__ import annotations

from typing import Any

from ...evidence.dataset import Dataset
from ...evidence.membership import included_list, members
from ...evidence.records import Study
from ...evidence.site import Site
from ...evidence.taxonomy import Taxonomy
from .. import bibtex, ris
from ..context import Files, SiteContext
from ..frontmatter import front_matter
from ..living import anchor
from ..related import related, related_facets
from ..releasediff import Event, histories, of_data, of_release
from ..render import render
from ..reuse import Reuse
from ..urls import doi_url, facet_file, href, study_file


def venue_tag(publication_type: str) -> str:
    """Highwire tag for the venue: Zotero and Google Scholar read the item type from it."""
    return {
        "conference-paper": "citation_conference_title", "book-chapter": "citation_inbook_title",
    }.get(publication_type, "citation_journal_title")


def citation_meta(study: Study, publication_type: str = "") -> list[list[str]]:
    """Highwire Press <meta name content> pairs, in the order Google Scholar documents them."""
    tags = [["citation_title", study.title]]
    tags += [["citation_author", a] for a in study.authors]
    tags += [["citation_publication_date", str(study.year)], [venue_tag(publication_type), study.venue]]
    if study.doi:
        tags.append(["citation_doi", study.doi])
    if study.url:
        tags.append(["citation_abstract_html_url", href(study.url) or ""])
    return tags


def json_ld(study: Study, taxonomy: Taxonomy, publication_type: str = "") -> dict[str, Any]:
    """schema.org ScholarlyArticle; text values are the record's strings, unchanged."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": study.title,
        "headline": study.title,
        "author": [{"@type": "Person", "name": a} for a in study.authors],
        "datePublished": str(study.year),
        "isPartOf": {"@type": "Periodical" if publication_type in ("journal-article", "preprint") else "CreativeWork", "name": study.venue},
        "description": study.summary,
        "keywords": [f.label_of(v) for f in taxonomy.facets if f.multi for v in study.facets[f.name]],
    }
    same_as = [u for u in (doi_url(study.doi) if study.doi else None, href(study.url)) if u]
    if study.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": study.doi}
    if same_as:
        data["url"] = same_as[0]
        data["sameAs"] = same_as
    return data


def source_entries(ds: Dataset) -> dict[str, dict[str, Any]]:
    """Record id -> the entry of the source review's included list that links it (key, search, where it is listed)."""
    found = included_list(ds.review, ds.searches)
    if found is None:
        return {}
    _, search = found
    where = "screening.md#" + anchor(search.source, "included")
    return {rid: {"key": c.key, "search": search.id, "file": where} for rid, c in members(search).items()}


def history_view(events: list[Event] | None, released: bool) -> list[dict[str, Any]] | None:
    """A study's history across releases for its page; None when the map has no release yet."""
    if not released:
        return None
    return [
        {"version": e.version, "file": f"changes/{e.version}.md" if e.version else "changes/index.md", "kind": e.kind,
         "fields": (e.change.recategorised or e.change.corrected) if e.change else ()}
        for e in events or []
    ]


def page(tax: Taxonomy, site: Site, ctx: SiteContext, study: Study, related_studies: list[tuple[Study, int]],
         source_entry: dict[str, Any] | None = None, history: list[dict[str, Any]] | None = None) -> str:
    kind = site.roles.citation_kind(study.facets)
    this = study_file(study.id)
    meta = {
        "edit_path": study.path,
        "citation_meta": citation_meta(study, kind),
        "json_ld": json_ld(study, tax, kind),
    }
    facets = [
        {"label": f.label, "values": [{"label": f.label_of(v), "file": facet_file(f.name, v)} for v in study.values(f.name)]}
        for f in tax.facets
    ]
    body = render(
        "study.md.j2", study=study, this=this, facets=facets,
        publication_type=tax[site.roles.publication_type].label_of(site.roles.publication_type_of(study.facets)) if site.roles.publication_type else None,
        doi_url=doi_url(study.doi) if study.doi else None, edit_url=ctx.edit_url(study.path),
        bibtex=bibtex.entry(study, kind), ris=ris.record(study, tax, kind), lists=site.lists, lists_heading=site.lists_heading,
        related_labels=", ".join(tax[f].label for f in related_facets(tax, site)),
        related=[{"study": s, "file": study_file(s.id), "shared": n} for s, n in related_studies],
        source_entry=source_entry,
        history=history,
    )
    return front_matter(meta) + body


PAGES: Reuse[str] = Reuse()
"""Study pages of the last build: a save changes one record, and a page changes only with its own
study, its related studies (their titles are listed), its history or the site's settings."""


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    rel = related(ds.studies, ds.taxonomy, site=ds.review.site)
    entries = source_entries(ds)
    events = histories([*map(of_release, ds.releases), of_data(ds)]) if ds.releases else {}
    with PAGES.round((ds.taxonomy, ds.review.site, ctx)) as reuse:
        return {
            study_file(s.id): reuse(s.id, (s, rel[s.id], entries.get(s.id), history_view(events.get(s.id), bool(ds.releases))), page)
            for s in sorted(ds.studies, key=lambda s: s.id)
        }
