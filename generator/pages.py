"""Placeholder until its issue lands."""

from __future__ import annotations

from .build import Files, SiteContext
from .dataset import Dataset


def produce(ds: Dataset, ctx: SiteContext) -> Files:
    return {}
