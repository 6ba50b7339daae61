"""What's new: the studies by the day they entered the map (a page grouped by month) and an Atom feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup

from ...evidence.dataset import Dataset
from ...evidence.records import Study
from ..context import Files, SiteContext
from ..feeds import absolute, atom, newest
from ..render import link, render
from ..urls import FEED, WHATS_NEW, relative, study_file, study_url

PAGE = WHATS_NEW
PAGE_URL = "whats-new/"
"""At the site root: Material fetches `sitemap.xml` beside every <link rel="alternate"> (it takes them
for language versions), and only the root has one; a feed in a folder made every page log a 404.
Also named in overrides/partials/feed-link.html, which links the feed from every page's head."""
FEED_ENTRIES = 50
"""The feed carries the most recently added studies only; the page lists them all."""

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


def newest_first(studies: Sequence[Study]) -> list[Study]:
    """By `added`, newest first; studies added the same day by id, so the order never depends on file order."""
    return newest(studies, len(studies))


def day_label(day: dt.date) -> str:
    """'25 November 2026': spelt out, independent of the build machine's locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Entry:
    title: str
    link: Markup
    who: str
    venue: str


@dataclass(frozen=True)
class Day:
    label: str
    entries: list[Entry]


@dataclass(frozen=True)
class Month:
    label: str
    anchor: Markup
    days: list[Day]

    @property
    def count(self) -> int:
        return sum(len(d.entries) for d in self.days)


def months(studies: Sequence[Study]) -> list[Month]:
    """Raw record values: the Markdown template escapes every printed value (render.py)."""
    out = []
    for (year, month), in_month in groupby(newest_first(studies), key=lambda s: (s.added.year, s.added.month)):
        days = [
            Day(day_label(day), [Entry(s.title, link(PAGE, study_file(s.id)), f"{s.short_authors} ({s.year})", s.venue) for s in group])
            for day, group in groupby(in_month, key=lambda s: s.added)
        ]
        out.append(Month(f"{MONTHS[month - 1]} {year}", Markup(f"{year}-{month:02d}"), days))
    return out


def render_page(ds: Dataset, ctx: SiteContext) -> str:
    latest = ds.last_added
    return render(
        "whats_new.md.j2", months=months(ds.studies), count=len(ds.studies), latest=day_label(latest) if latest else None,
        feed=Markup(relative(PAGE_URL, FEED)), feed_entries=min(FEED_ENTRIES, len(ds.studies)),
    )


def render_feed(ds: Dataset, ctx: SiteContext) -> bytes:
    """Atom 1.0 of the newest studies. Links are absolute when site_url is set (feed readers need them);
    without it they are relative to the feed and ids are URNs, so the feed is still valid."""
    return atom(
        ctx, ds.studies, FEED, PAGE_URL, f"{ctx.site_name}: recently added studies", ds.review.map.description.strip(),
        entries=FEED_ENTRIES, feed_id=absolute(ctx, FEED) or "urn:evidence-map:feed",
        entry_id=lambda s: absolute(ctx, study_url(s.id)) or f"urn:evidence-map:study:{s.id}",
    )


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {PAGE: render_page(ds, ctx), FEED: render_feed(ds, ctx)}
