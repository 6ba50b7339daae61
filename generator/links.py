"""Site URLs, relative to the site root, in one place: pages, facets and Explore's filter format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote


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
