"""BibTeX entries for studies (the Data download and each study page), escaped for BibTeX and LaTeX."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from ..evidence.records import Study
from ..evidence.site import Roles
from .render import one_line

ENTRY_TYPES = {"journal-article": "article", "conference-paper": "inproceedings", "book-chapter": "incollection"}
"""Publication type -> entry type; anything else (preprints) is @misc."""

VENUE_FIELDS = {"article": "journal", "inproceedings": "booktitle", "incollection": "booktitle", "misc": "howpublished"}

_SPECIAL = {
    "\\": r"{\textbackslash}", "^": r"{\textasciicircum}", "~": r"{\textasciitilde}",
    "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_",
}


def _unmatched_braces(text: str) -> set[int]:
    """Positions of braces without a partner: BibTeX counts braces even after a backslash, so only
    matched pairs may appear as \\{ \\}; a lone one would swallow the rest of the entry."""
    stack: list[int] = []
    lone: set[int] = set()
    for i, ch in enumerate(text):
        if ch == "{":
            stack.append(i)
        elif ch == "}":
            if stack:
                stack.pop()
            else:
                lone.add(i)
    return lone | set(stack)


def escape(text: str) -> str:
    """Text as a BibTeX field value: LaTeX specials escaped, braces always balanced, one line."""
    text = one_line(text)
    lone = _unmatched_braces(text)
    out = []
    for i, ch in enumerate(text):
        if ch in "{}":
            out.append(({"{": r"{\textbraceleft}", "}": r"{\textbraceright}"} if i in lone else {"{": r"\{", "}": r"\}"})[ch])
        else:
            out.append(_SPECIAL.get(ch, ch))
    return "".join(out)


def verbatim(text: str) -> str:
    """DOIs and URLs are read verbatim by biblatex: no LaTeX escapes, but braces, backslashes and
    spaces percent-encoded (URL-equivalent) so the value cannot end the field."""
    return "".join(quote(ch) if ch in "{}\\" or ch.isspace() else ch for ch in one_line(text))


def _name(author: str) -> str:
    # A literal " and " inside one name would split it into two authors: protect the name.
    text = escape(author)
    return "{" + text + "}" if re.search(r"\sand\s", text, re.IGNORECASE) else text


def entry(study: Study, publication_type: str = "") -> str:
    """The study's entry; publication_type is its citation kind (review.yaml site.roles), if any."""
    kind = ENTRY_TYPES.get(publication_type, "misc")
    fields = [
        ("author", " and ".join(_name(a) for a in study.authors) + (" and others" if study.authors_truncated else "")),
        ("title", escape(study.title)),
        (VENUE_FIELDS[kind], escape(study.venue)),
        ("year", str(study.year)),
    ]
    if study.doi:
        fields.append(("doi", verbatim(study.doi)))
    if study.url:
        fields.append(("url", verbatim(study.url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{study.id},\n{body}\n}}\n"


def bibliography(studies: Sequence[Study], roles: Roles | None = None) -> str:
    roles = roles or Roles()
    return "\n".join(entry(s, roles.citation_kind(s.facets)) for s in sorted(studies, key=lambda s: s.id))
