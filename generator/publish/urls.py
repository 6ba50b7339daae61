"""Site URLs, relative to the site root, in one place: pages, facets and Explore's filter format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote, urlsplit

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
    """Explore filtered as given: ?application=brain-tumor,stroke&dataset=ADNI,BraTS%202018&q=unet&year=2015-2020.

    Parameter names are record field names (and dataset, architecture), a list value is the
    vocabulary slugs or exact names, each percent-encoded as encodeURIComponent does (a comma inside
    a name becomes %2C) and joined by commas; a string value (q, year) is one value."""
    parts = []
    for name, values in (filters or {}).items():
        joined = quote(values, safe=",-") if isinstance(values, str) else ",".join(encode_name(v) for v in values)
        if joined:
            parts.append(f"{quote(name)}={joined}")
    return "explore/" + ("?" + "&".join(parts) if parts else "")


def encode_name(value: str) -> str:
    """One item of a list parameter, as explore-core.js splits and decodes it: every reserved
    character encoded (also the ',' that separates items; '!'()*' too, which encodeURIComponent
    leaves alone, and decodeURIComponent reads either way)."""
    return quote(value, safe="")


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


# Characters kept as they are in a link taken from a record: RFC 3986's unreserved and reserved ones,
# minus those Markdown or HTML give meaning to ([ ] ( ) ' and, never safe, " < > ` \ { } | ^ and spaces).
# Python-Markdown runs its link pattern before it stashes raw HTML, so "[x](y)" inside an href
# attribute would become a second, attribute-breaking tag: percent-encoded, it is inert.
_HREF_SAFE = ":/?#@!$&+,;=%~-._*"


def href(url: str | None) -> str | None:
    """A record's link as a URL that cannot carry markup, or None unless it is absolute http(s)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=_HREF_SAFE)


def doi_url(doi: str) -> str:
    """The resolver link of a DOI; every character a DOI may hold but a URL may not is percent-encoded."""
    return "https://doi.org/" + quote(doi, safe="/:;._-")
