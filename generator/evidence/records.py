"""The study record: its pydantic model (built from the taxonomy) and the validated Study."""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, create_model
from pydantic_core import PydanticCustomError

from .taxonomy import NOT_REPORTED, Facet, Taxonomy, slug_of

SLUG = r"^[a-z0-9][a-z0-9-]*$"
# Printable ASCII except space and " < > ` (which would break out of a link or markup): a DOI with
# a zero-width space, a soft hyphen or full-width digits looks right and resolves nowhere.
DOI = r"^10\.[0-9]{4,9}/[!#-;=?-_a-~]+$"
# Links: a host of ASCII labels (an internationalised name in its xn-- form), an optional port,
# then no whitespace, control or invisible characters, and none that carry Markdown/HTML markup.
# Written once for the validator (Rust regex), the JSON Schema (ECMA) and its tests (Python re).
LINK_FORBIDDEN = "[ ] ( ) < > \" ' ` \\"
"""Shown in messages: characters a link must percent-encode."""
_NOT_IN_LINK = (r"\x00-\x20\x7f-\xa0\xad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff"
                r"""\[\]()<>"'`\\""")
_LABEL = r"[A-Za-z0-9]+(-+[A-Za-z0-9]+)*"
_PORT = r"([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
HTTP_URL = rf"^https?://{_LABEL}(\.{_LABEL})*\.?(:{_PORT})?([/?#][^{_NOT_IN_LINK}]*)?$"
MIN_YEAR = 1950

# Lengths well above any real record (the longest summary is under 600 characters), so that a
# pasted abstract or a runaway value is caught, and pages and messages stay bounded.
MAX_ID_LENGTH = 80
MAX_TITLE_LENGTH = 500
MAX_SUMMARY_LENGTH = 2000
MAX_SHORT_TEXT = 300
"""venue, key_result, and each author, architecture and dataset name."""
MAX_NOTE_LENGTH = 1000
"""verified: a sentence or two of provenance."""
MAX_LINK_LENGTH = 2000
MAX_AUTHORS = 1000
"""Consortium papers list hundreds of authors; beyond this, keep the first and set authors_truncated."""
MAX_LIST_ITEMS = 50

Text = Annotated[str, Field(min_length=1)]
UNIQUE = {"uniqueItems": True}
"""The validator reports a value listed twice; the schema says so too, for editors."""
ShortText = Annotated[str, Field(min_length=1, max_length=MAX_SHORT_TEXT)]


def iso_date(value: Any) -> dt.date | None:
    """The date written as YYYY-MM-DD text (as JSON and quoting YAML writers emit it), else None."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _date_from_text(value: Any) -> Any:
    if isinstance(value, str):
        parsed = iso_date(value)
        if parsed is None:
            raise PydanticCustomError("date_text", "not a valid date")
        return parsed
    return value


def _check_link(value: str) -> str:
    """The pattern has checked the form; this parses it as browsers will, as a second guard."""
    try:
        parts = urllib.parse.urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise PydanticCustomError("link", "not a well-formed link") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("link", "not a well-formed link")
    return value


Link = Annotated[str, Field(pattern=HTTP_URL, max_length=MAX_LINK_LENGTH), AfterValidator(_check_link)]
_HTTP_URL = re.compile(HTTP_URL)


def is_link(value: str) -> bool:
    """True when a record would accept value as a link (url, code_url, a candidate's url)."""
    if len(value) > MAX_LINK_LENGTH or not _HTTP_URL.match(value):
        return False
    try:
        _check_link(value)
    except PydanticCustomError:
        return False
    return True
IsoDate = Annotated[dt.date, BeforeValidator(_date_from_text)]


class Bibliographic(BaseModel):
    """Fields every record has, whatever the taxonomy."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(pattern=SLUG, max_length=MAX_ID_LENGTH,
                    description="Slug: first author's surname + year + first significant title word; equals the file name.")
    title: Text = Field(max_length=MAX_TITLE_LENGTH, description="Exact title of the publication.")
    authors: list[ShortText] = Field(min_length=1, max_length=MAX_AUTHORS, json_schema_extra=UNIQUE, description='Authors in order, each "Family, Given".')
    authors_truncated: bool = Field(False, description="True when the source listed only some authors.")
    year: int = Field(ge=MIN_YEAR, description="Publication year.")
    venue: ShortText = Field(description="Journal or conference.")
    doi: str | None = Field(None, pattern=DOI, max_length=MAX_SHORT_TEXT, description="Bare DOI, 10.xxxx/...")
    url: Link | None = Field(None, description="http(s) page of the study.")
    summary: Text = Field(max_length=MAX_SUMMARY_LENGTH, description="One or two sentences written for this map (never a copied abstract).")
    key_result: ShortText | None = Field(None, description="Short headline figure.")
    architectures: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST_ITEMS, json_schema_extra=UNIQUE, description="Network architectures used (normalised spelling).")
    source_datasets: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST_ITEMS, json_schema_extra=UNIQUE, description="Datasets knowledge is transferred from.")
    target_datasets: list[ShortText] = Field(default_factory=list, max_length=MAX_LIST_ITEMS, json_schema_extra=UNIQUE, description="Datasets the model is applied to.")
    code_url: Link | None = Field(None, description="http(s) link to code.")
    added: IsoDate = Field(description="The day the record entered the map (YYYY-MM-DD).")
    verified: Text | None = Field(None, max_length=MAX_NOTE_LENGTH, description="How the record's existence was checked (curation provenance).")
    distinct_from: list[Annotated[str, Field(pattern=SLUG, max_length=MAX_ID_LENGTH)]] = Field(
        default_factory=list, max_length=MAX_LIST_ITEMS, json_schema_extra=UNIQUE,
        description="Ids of studies with a similar title that are nevertheless distinct (silences the likely-duplicate check).",
    )


def _vocabulary_check(facet: Facet) -> BeforeValidator:
    """Compare with type, so YAML 1 does not pass for true; pydantic's Literal alone would accept it."""
    allowed = [v.value for v in facet.values]

    def check(value: Any) -> Any:
        if not any(value == a and type(value) is type(a) for a in allowed):
            raise PydanticCustomError("vocabulary", "not an allowed value", {"facet": facet.name})
        return value

    return BeforeValidator(check)


def _facet_field(facet: Facet) -> tuple[Any, Any]:
    value_type = Annotated[Literal[tuple(v.value for v in facet.values)], _vocabulary_check(facet)]  # type: ignore[misc]
    doc = f"{facet.label}: {facet.description}"
    if facet.multi:
        if facet.required:
            return list[value_type], Field(min_length=facet.min_items, json_schema_extra=UNIQUE, description=doc)  # type: ignore[valid-type]
        return list[value_type], Field(default_factory=list, json_schema_extra=UNIQUE, description=doc)  # type: ignore[valid-type]
    if facet.required:
        return value_type, Field(description=doc)
    return value_type, Field(default=facet.default, description=doc)


@lru_cache(maxsize=8)
def record_model(taxonomy: Taxonomy) -> type[BaseModel]:
    """The record model: bibliographic fields plus one field per facet of the taxonomy."""
    fields = {f.name: _facet_field(f) for f in taxonomy.facets}
    return create_model("StudyRecord", __base__=Bibliographic, **fields)  # type: ignore[call-overload]


def json_schema(taxonomy: Taxonomy) -> dict[str, Any]:
    """JSON Schema of one record file, generated from the model (never written by hand)."""
    schema = record_model(taxonomy).model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Study record"
    schema["description"] = "One study of the evidence map: data/studies/<id>.yaml"
    return schema


BIBLIOGRAPHIC = tuple(Bibliographic.model_fields)
"""The fields every record has, in the model's order."""
FACETS_AFTER = "key_result"
"""Where a record's facets sit among them: after what the study is and found, before what it used."""


def field_names(taxonomy: Taxonomy) -> list[str]:
    """Every field of a record in canonical order, derived from the model: the bibliographic fields as
    declared, with the taxonomy's facets (in its order) after FACETS_AFTER. Files, exports, the
    template and the data dictionary all follow it."""
    names = list(BIBLIOGRAPHIC)
    cut = names.index(FACETS_AFTER) + 1
    return names[:cut] + [f.name for f in taxonomy.facets] + names[cut:]


def ordered(record: Mapping[str, Any], taxonomy: Taxonomy) -> dict[str, Any]:
    """Record keys in canonical order (keys the record lacks are skipped)."""
    return {k: record[k] for k in field_names(taxonomy) if k in record}


def short_authors(authors: Sequence[str], truncated: bool = False) -> str:
    """'Doe et al.': the first author's family name, and 'et al.' when there are others."""
    if not authors:
        return ""
    return authors[0].split(",")[0].strip() + (" et al." if len(authors) > 1 or truncated else "")


@dataclass(frozen=True)
class Study:
    """A validated study; facet values are slugs (tuples even for single facets)."""

    id: str
    title: str
    authors: tuple[str, ...]
    authors_truncated: bool
    year: int
    venue: str
    doi: str | None
    url: str | None
    summary: str
    key_result: str | None
    architectures: tuple[str, ...]
    source_datasets: tuple[str, ...]
    target_datasets: tuple[str, ...]
    code_url: str | None
    added: dt.date
    verified: str | None
    distinct_from: tuple[str, ...]
    facets: Mapping[str, tuple[str, ...]]
    path: str
    """Record file path relative to the data folder's parent (e.g. data/studies/x.yaml)."""

    def values(self, facet: str) -> tuple[str, ...]:
        """Slugs of a facet, with an empty multi facet shown as 'not reported'."""
        return self.facets.get(facet) or (NOT_REPORTED,)

    @property
    def first_author(self) -> str:
        return self.authors[0].split(",")[0].strip()

    @property
    def short_authors(self) -> str:
        return short_authors(self.authors, self.authors_truncated)

    @property
    def publication_type(self) -> str:
        return self.facets.get("publication_type", ("",))[0]

    def record(self, taxonomy: Taxonomy) -> dict[str, Any]:
        """The record as JSON-ready data in canonical order (booleans kept as booleans)."""
        out: dict[str, Any] = {name: _json_ready(getattr(self, name)) for name in BIBLIOGRAPHIC}
        if not self.distinct_from:
            del out["distinct_from"]  # written only where a record needs it
        for f in taxonomy.facets:
            native = [f.by_slug[s].value for s in self.facets[f.name]]
            out[f.name] = native if f.multi else native[0]
        return ordered(out, taxonomy)


def _json_ready(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def to_study(model: BaseModel, taxonomy: Taxonomy, path: str) -> Study:
    d = model.model_dump()
    facets = {
        f.name: tuple(slug_of(v) for v in (d[f.name] if f.multi else [d[f.name]])) for f in taxonomy.facets
    }
    fields = {name: tuple(d[name]) if isinstance(d[name], list) else d[name] for name in BIBLIOGRAPHIC}
    return Study(**fields, facets=facets, path=path)
