"""The studies as pandas DataFrames: one row per study, and long (exploded) forms for counting."""

from __future__ import annotations

import pandas as pd

from ..evidence.dataset import Dataset

LISTS = ("architectures", "source_datasets", "target_datasets")


def studies(ds: Dataset) -> pd.DataFrame:
    """One row per study in id order; facet columns hold tuples of slugs ('not-reported' for an empty
    multi facet, so that gap is counted like any value), free lists hold tuples of names."""
    rows = []
    for s in sorted(ds.studies, key=lambda s: s.id):
        row: dict[str, object] = {"id": s.id, "title": s.title, "year": s.year}
        for f in ds.taxonomy.facets:
            row[f.name] = s.values(f.name)
        for name in LISTS:
            # A study naming a dataset twice (or as source and target) still counts once per list.
            row[name] = tuple(dict.fromkeys(getattr(s, name)))
        rows.append(row)
    columns = ["id", "title", "year", *(f.name for f in ds.taxonomy.facets), *LISTS]
    return pd.DataFrame(rows, columns=columns)


def long(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per (study, value of column); a study with two values appears twice."""
    out = frame.explode(column, ignore_index=True)
    return out[out[column].notna()].reset_index(drop=True)


def pairs(frame: pd.DataFrame, first: str, second: str) -> pd.DataFrame:
    """One row per (study, value of first, value of second): the cells of a two-facet matrix."""
    return long(long(frame, first), second)
