"""Placeholder until its issue lands."""

from __future__ import annotations

from .build import Files, SiteContext
from .dataset import Dataset

NAV_PAGES = {
    "index.md": "Home", "explore/index.md": "Explore", "map/index.md": "Evidence-gap map",
    "trends/index.md": "Trends", "facets/index.md": "Browse by facet", "data/index.md": "Data",
    "methods.md": "Methods", "contribute.md": "Contribute", "whats-new/index.md": "What's new",
}


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {path: f"# {title}\n\n{len(ds.studies)} studies.\n" for path, title in NAV_PAGES.items()}
