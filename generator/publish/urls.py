"""Site URLs, relative to the site root, in one place: pages, facets and Explore's filter format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

WHATS_NEW = "whats-new/index.md"
FEED = "feed.xml"
"""The site-wide Atom feed, at the root so Material's feed link and readers find it."""


def study_url(study_id: str) -> str:
    return f"studies/{study_id}/"


def study_file(study_id: str) -> str:
    return f"studies/{study_id}.md"


def facet_url(facet: str, slug: str | None = None) -> str:
    return f"facets/{facet}/" + (f"{slug}/" if slug else "")


def facet_file(facet: str, slug: str | None = None) -> str:
    return f"facets/{facet}/" + (f"{slug}.md" if slug else "index.md")


def explore_url(filters: Mapping[str, Sequence[str] | str] | None = None) -> str:
    """Explore filtered as given: ?application=brain-tumor,stroke&tl_approach=fine-tuning-all&q=unet&year=2015-2020.

    Parameter names are record field names, values vocabulary slugs joined by commas."""
    parts = []
    for name, values in (filters or {}).items():
        joined = values if isinstance(values, str) else ",".join(values)
        if joined:
            parts.append(f"{quote(name)}={quote(joined, safe=',-')}")
    return "explore/" + ("?" + "&".join(parts) if parts else "")


def relative(from_page_url: str, target: str) -> str:
    """A link from the page at from_page_url (site-root-relative directory URL) to target.

    Relative links keep the site working under any base path (GitHub Pages project sites, file://)."""
    depth = from_page_url.count("/") if from_page_url else 0
    return "../" * depth + target


def file_link(from_file: str, to_file: str) -> str:
    """Relative link between two docs files (MkDocs checks it and turns it into the page URL).

    to_file may carry a query (explore/index.md?application=stroke)."""
    path, sep, query = to_file.partition("?")
    # posixpath.relpath, without its two getcwd() calls: a third of the time of 10,000 study pages
    src, dst = from_file.split("/")[:-1], path.split("/")
    common = 0
    while common < len(src) and common < len(dst) - 1 and src[common] == dst[common]:
        common += 1
    return "/".join([".."] * (len(src) - common) + dst[common:]) + sep + query
