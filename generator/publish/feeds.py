"""Atom feeds that follow one topic: the newest studies with one facet value (feedgen).

Each feed lives at the site root, like the site feed (urls.FEED): Material fetches `sitemap.xml` from
the folder of every <link rel="alternate"> a page has, and only the root has one. Ids are URNs made
from the study id (a UUID 5 of the map's address and the id), so an entry keeps its id whatever feed
it is in and wherever the site moves; every date comes from the records' `added`, none from the clock."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence

from feedgen.feed import FeedGenerator

from ..evidence.records import Study
from .context import SiteContext
from .urls import relative, study_url

FACET_FEED_ENTRIES = 20
"""The newest studies only: a reader following a topic wants what is new, not the whole list."""


def facet_feed_file(facet: str, slug: str) -> str:
    """At the root (see the module's docstring); a facet name has no hyphen, so the name is unambiguous."""
    return f"feed-{facet}-{slug}.xml"


def urn(ctx: SiteContext, path: str) -> str:
    """A stable id for something of this map: the same map and path always give the same URN."""
    base = ctx.site_url or ctx.repo_url or ctx.site_name
    return uuid.uuid5(uuid.NAMESPACE_URL, base.rstrip("/") + "/" + path).urn


def study_urn(ctx: SiteContext, study_id: str) -> str:
    return urn(ctx, study_url(study_id))


def _midnight(day: dt.date) -> dt.datetime:
    """A record's day as an Atom timestamp: the data has dates only, and the build time must not leak in."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def absolute(ctx: SiteContext, path: str) -> str | None:
    return ctx.site_url.rstrip("/") + "/" + path if ctx.site_url else None


def newest(studies: Sequence[Study], n: int) -> list[Study]:
    """By `added`, newest first; ties by id, so the order never depends on file order."""
    return sorted(sorted(studies, key=lambda s: s.id), key=lambda s: s.added, reverse=True)[:n]


def atom(ctx: SiteContext, studies: Sequence[Study], feed_file: str, page_url: str, title: str, subtitle: str,
         entries: int = FACET_FEED_ENTRIES, feed_id: str | None = None, entry_id: Callable[[Study], str] | None = None) -> bytes:
    """An Atom 1.0 feed of the newest `entries` studies, linking to the page it follows (page_url).

    Ids default to URNs of the map (see urn); the site feed passes the ids it has always had, so
    readers that follow it see no old entry as new."""
    fg = FeedGenerator()
    fg.id(feed_id or urn(ctx, feed_file))
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": ctx.site_name})
    fg.language("en")
    fg.link(href=absolute(ctx, feed_file) or feed_file, rel="self", type="application/atom+xml")
    fg.link(href=absolute(ctx, page_url) or page_url, rel="alternate", type="text/html")
    recent = newest(studies, entries)
    fg.updated(_midnight(recent[0].added) if recent else dt.datetime(1970, 1, 1, tzinfo=dt.UTC))
    for s in recent:
        fe = fg.add_entry(order="append")
        fe.id(entry_id(s) if entry_id else study_urn(ctx, s.id))
        fe.title(s.title)
        fe.link(href=absolute(ctx, study_url(s.id)) or relative("", study_url(s.id)), rel="alternate", type="text/html")
        fe.published(_midnight(s.added))
        fe.updated(_midnight(s.added))
        for name in s.authors:
            fe.author({"name": name})
        fe.summary(f"{s.short_authors} ({s.year}), {s.venue}. {s.summary}", type="text")
    return fg.atom_str(pretty=True)
