"""Browse by facet: an index of facets, an index per facet, and a page per facet value listing its
studies (title, first author, year; newest first). Empty multi facets get a 'not reported' page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ...evidence.dataset import Dataset
from ...evidence.records import Study
from ...evidence.stats import facet_counts
from ...evidence.taxonomy import NOT_REPORTED, Facet
from ..context import Files, SiteContext
from ..feeds import FACET_FEED_ENTRIES, atom, facet_feed_file
from ..frontmatter import front_matter
from ..render import render
from ..reuse import Reuse
from ..urls import explore_url, facet_file, facet_url, study_file

INDEX = "facets/index.md"


def by_value(studies: Sequence[Study], facet: Facet) -> dict[str, list[Study]]:
    """Studies of each value of a facet, sorted by year (newest first), then title."""
    out: dict[str, list[Study]] = defaultdict(list)
    for s in studies:
        for v in s.values(facet.name):
            out[v].append(s)
    return {v: sorted(ss, key=lambda s: (-s.year, s.title, s.id)) for v, ss in out.items()}


def definition(facet: Facet, slug: str) -> str:
    if slug == NOT_REPORTED:
        return f"Studies whose record gives no value for {facet.label} (the source does not report it)."
    return facet.by_slug[slug].definition


def explore_file(facet: Facet, slug: str) -> str:
    """Explore filtered to one value, as a docs file link with the filter query."""
    return "explore/index.md" + explore_url({facet.name: [slug]}).removeprefix("explore/")


def feed_title(ctx: SiteContext, facet: Facet, slug: str) -> str:
    return f"{ctx.site_name}: new studies, {facet.label}: {facet.label_of(slug)}"


def value_page(facet: Facet, slug: str, studies: list[Study], total: int, ctx: SiteContext | None = None) -> str:
    this = facet_file(facet.name, slug)
    feed = facet_feed_file(facet.name, slug)
    # The feed's autodiscovery <link> goes in the page's head (overrides/partials/feed-link.html).
    head = front_matter({"topic_feed": feed, "topic_feed_title": feed_title(ctx or SiteContext(), facet, slug)})
    return head + render(
        "facet_value.md.j2", facet=facet, label=facet.label_of(slug), definition=definition(facet, slug),
        count=len(studies), total=total, this=this, facet_index=facet_file(facet.name), facets_index=INDEX,
        explore=explore_file(facet, slug), feed=feed, feed_entries=FACET_FEED_ENTRIES,
        studies=[{"study": s, "file": study_file(s.id)} for s in studies],
    )


def facet_index(facet: Facet, ds: Dataset) -> str:
    this = facet_file(facet.name)
    rows = [
        {"label": facet.label_of(slug), "slug": slug, "file": facet_file(facet.name, slug), "count": n,
         "definition": definition(facet, slug)}
        for slug, n in facet_counts(ds.studies, facet)
    ]
    return render("facet.md.j2", facet=facet, rows=rows, this=this, facets_index=INDEX, total=len(ds.studies))


def facets_index(ds: Dataset) -> str:
    facets = [
        {"facet": f, "file": facet_file(f.name),
         "values": [{"label": f.label_of(slug), "file": facet_file(f.name, slug), "count": n} for slug, n in facet_counts(ds.studies, f)]}
        for f in ds.taxonomy.facets
    ]
    return render("facets.md.j2", facets=facets, this=INDEX, total=len(ds.studies))


def value_files(ctx: SiteContext, facet: Facet, slug: str, studies: list[Study], total: int) -> tuple[str, bytes]:
    """A facet value's page and its Atom feed."""
    feed = atom(ctx, studies, facet_feed_file(facet.name, slug), facet_url(facet.name, slug), feed_title(ctx, facet, slug),
                f"The newest studies of the map with {facet.label}: {facet.label_of(slug)}.")
    return value_page(facet, slug, studies, total, ctx), feed


VALUES: Reuse[tuple[str, bytes]] = Reuse()
"""Value pages and feeds of the last build: a save changes the pages of the values its study has."""


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    files: Files = {INDEX: facets_index(ds)}
    with VALUES.round((ctx,)) as reuse:
        for facet in ds.taxonomy.facets:
            files[facet_file(facet.name)] = facet_index(facet, ds)
            groups = by_value(ds.studies, facet)
            for slug, _ in facet_counts(ds.studies, facet):
                page, feed = reuse((facet.name, slug), (facet, slug, groups.get(slug, []), len(ds.studies)), value_files)
                files[facet_file(facet.name, slug)] = page
                files[facet_feed_file(facet.name, slug)] = feed
    return files
