"""The facets of the map and their controlled vocabularies, read from data/taxonomy.yaml."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .yamlsafe import shorten

Scalar = StrictBool | StrictStr

NOT_REPORTED = "not-reported"
"""Slug shown for a multi facet left empty: how often a facet is not reported is itself a finding."""


RECORD_FIELDS = frozenset({
    "id", "title", "authors", "authors_truncated", "year", "venue", "doi", "url", "summary", "key_result", "architectures",
    "source_datasets", "target_datasets", "code_url", "added", "verified", "distinct_from",
})
"""The bibliographic fields of every record (records.Bibliographic; a test keeps the two in step).
A facet cannot take their names: it would replace the field in the record model."""

MODEL_NAMES = frozenset(n for n in dir(BaseModel) if not n.startswith("_"))
"""Attributes of pydantic models (model_config, schema, json ...): a facet named so breaks the model."""

FACET_NAME = re.compile(r"[a-z][a-z0-9_]*")
VALUE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*")
"""A dot only between slug characters (2.5d): never "..", a leading dot or a slash."""
MAX_NAME_LENGTH = 60
RESERVED_SLUGS = frozenset({"index", NOT_REPORTED})
"""A facet's index page, and the value shown for a facet left empty."""


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

    @field_validator("value")
    @classmethod
    def _slug(cls, value: Scalar) -> Scalar:
        """Values become URL path segments and filter keys: plain slugs only (YAML booleans are
        allowed, for yes/no facets)."""
        if isinstance(value, bool):
            return value
        if len(value) > MAX_NAME_LENGTH or not VALUE_SLUG.fullmatch(value):
            raise PydanticCustomError("value_slug", "{value} is not a slug; use lowercase ascii letters, digits and hyphens, a dot only between "
                                      "them (at most {n} characters), e.g. brain-tumor or 2.5d, or true/false", {"value": repr(shorten(value)), "n": MAX_NAME_LENGTH})
        if value in RESERVED_SLUGS:
            raise PydanticCustomError("value_reserved", "{value} is reserved (a facet's index page, or the value shown for a facet "
                                      "left empty); choose another value", {"value": repr(value)})
        return value

    @property
    def slug(self) -> str:
        return slug_of(self.value)


class Facet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: StrictStr
    label: StrictStr
    description: StrictStr
    multi: StrictBool
    min_items: int = 0
    default: Scalar | None = None
    values: tuple[Value, ...] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        if len(name) > MAX_NAME_LENGTH or not FACET_NAME.fullmatch(name):
            raise PydanticCustomError("facet_name", "{name} is not a facet name; use lowercase ascii letters, digits and underscores, "
                                      "starting with a letter (at most {n} characters)", {"name": repr(shorten(name)), "n": MAX_NAME_LENGTH})
        if name in RECORD_FIELDS:
            raise PydanticCustomError("facet_reserved", "{name} is a record field; choose another name", {"name": repr(name)})
        if name in MODEL_NAMES or name.startswith("model_"):
            raise PydanticCustomError("facet_reserved", "{name} is a reserved name (used by the record model); choose another name",
                                      {"name": repr(name)})
        return name

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
