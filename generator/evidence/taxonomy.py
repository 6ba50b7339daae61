"""The facets of the map and their controlled vocabularies, read from data/taxonomy.yaml."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

Scalar = StrictBool | StrictStr

NOT_REPORTED = "not-reported"
"""Slug shown for a multi facet left empty: how often a facet is not reported is itself a finding."""


def slug_of(value: Scalar) -> str:
    """URL/filter slug of a vocabulary value (YAML booleans become 'true'/'false')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Scalar
    label: StrictStr
    definition: StrictStr

    @property
    def slug(self) -> str:
        return slug_of(self.value)


class Facet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: StrictStr
    description: StrictStr
    multi: StrictBool
    min_items: int = 0
    default: Scalar | None = None
    values: tuple[Value, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Facet:
        slugs = [v.slug for v in self.values]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"facet {self.name}: values must be unique")
        if self.default is not None and slug_of(self.default) not in slugs:
            raise ValueError(f"facet {self.name}: default {self.default!r} is not one of its values")
        return self

    @cached_property
    def by_slug(self) -> dict[str, Value]:
        return {v.slug: v for v in self.values}

    @property
    def slugs(self) -> list[str]:
        return [v.slug for v in self.values]

    @property
    def required(self) -> bool:
        return self.min_items > 0 if self.multi else self.default is None

    def label_of(self, slug: str) -> str:
        if slug == NOT_REPORTED:
            return "Not reported"
        return self.by_slug[slug].label


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    facets: tuple[Facet, ...]

    @model_validator(mode="after")
    def _unique(self) -> Taxonomy:
        names = [f.name for f in self.facets]
        if len(set(names)) != len(names):
            raise ValueError("facet names must be unique")
        return self

    @cached_property
    def by_name(self) -> dict[str, Facet]:
        return {f.name: f for f in self.facets}

    def __getitem__(self, name: str) -> Facet:
        return self.by_name[name]


def parse_taxonomy(data: Any) -> Taxonomy:
    return Taxonomy.model_validate(data)
