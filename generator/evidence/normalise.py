"""Normal forms of bibliographic fields, in one place: for cleaning imported entries, for the
validator's duplicate checks across records and for deduplicating candidates against them."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
"""Soft hyphen and zero-width characters: invisible in an editor, yet they change a DOI or a title."""
ZERO_WIDTH = re.compile(f"[{''.join(sorted(INVISIBLE))}]")
_SPACE = re.compile(r"\s+")


@cache
def _latex() -> object:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def clean_text(text: str) -> str:
    """LaTeX ({\\"u}, \\'e, {Braces}, --) decoded to Unicode, zero-width characters dropped, one line."""
    text = ZERO_WIDTH.sub("", text or "")
    if "\\" in text or "{" in text or "--" in text:
        try:
            text = _latex().latex_to_text(text)  # type: ignore[attr-defined]
        except Exception:  # pylatexenc is lenient; anything it still rejects keeps its text minus braces
            text = text.replace("{", "").replace("}", "")
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def split_name(name: str) -> str:
    """A person's name as 'Family, Given': 'Family, Given' stays, 'Given Family' is turned round;
    a single word (a mononym or a consortium) stays as it is."""
    name = _SPACE.sub(" ", name).strip().strip(",")
    if "," in name:
        family, _, given = name.partition(",")
        return f"{family.strip()}, {given.strip()}" if given.strip() else family.strip()
    parts = name.split(" ")
    if len(parts) == 1 or any(w.lower() in ("initiative", "consortium", "group", "network", "study") for w in parts):
        return name
    # 'Doe J' / 'Doe JA' (PubMed AU): family first, initials after
    if re.fullmatch(r"[A-Z]{1,3}", parts[-1]):
        return f"{' '.join(parts[:-1])}, {parts[-1]}"
    particles = {"van", "von", "de", "der", "den", "da", "di", "del", "la", "le", "du", "dos", "ten", "ter"}
    i = len(parts) - 1
    while i > 1 and parts[i - 1].lower() in particles:
        i -= 1
    return f"{' '.join(parts[i:])}, {' '.join(parts[:i])}"


def fold(text: str) -> str:
    """Lowercase ascii letters and digits only: accents stripped, punctuation and dashes as spaces."""
    text = unicodedata.normalize("NFKD", clean_text(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("ß", "ss").replace("ø", "o").replace("æ", "ae").replace("ł", "l").replace("đ", "d")
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


# Letters that look like Latin ones (a subset of Unicode's confusables.txt: the Cyrillic and Greek
# letters a pasted or spoofed title is likely to carry), so "Вrain" and "Brain" compare equal.
_LOOKALIKES = str.maketrans(
    "АВЕЗІЈКМНОРСТХУЅԁԛԝаеіјорсхуѕһ"  # Cyrillic
    "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧαιονρτυχκ",  # Greek
    "ABE3IJKMHOPCTXYSdqwaeijopcxysh"
    "ABEZHIKMNOPTYXaiovptuxk",
)
_DROP = dict.fromkeys(map(ord, INVISIBLE))


def fold_text(text: str) -> str:
    """Text as a reader sees it: NFKC (full-width digits), no invisible characters, look-alike
    letters as Latin, no accents, case-folded."""
    text = unicodedata.normalize("NFKC", text).translate(_DROP).translate(_LOOKALIKES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.casefold()


def title_key(title: str) -> str:
    """Words of the folded title (LaTeX decoded): letters and digits of any script, so titles in
    Chinese or Russian keep their words (and two unrelated ones do not both fold to nothing)."""
    return " ".join(re.findall(r"[^\W_]+", fold_text(clean_text(title))))


def surname_key(author: str | None) -> str:
    """First author's family name folded and without spaces ('Van Opbroek, A' -> 'vanopbroek')."""
    if not author:
        return ""
    family = author.split(",")[0] if "," in author else split_name(author).split(",")[0]
    return fold(family).replace(" ", "")


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|https?://\S*?/doi/(?:abs/|full/|pdf/)?)", re.I)


def bare_doi(doi: str | None) -> str | None:
    """10.xxxx/... as written: URL and doi: prefixes, zero-width characters, spaces and NFKC variants removed.
    DOIs are case-insensitive: compare them lower-cased (dedupe does)."""
    if not doi:
        return None
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", doi)).strip()
    text = _DOI_PREFIX.sub("", text).strip().rstrip(".")
    m = re.search(r"10\.\d{4,9}/\S+", text)
    return m.group(0) if m else None


_ARXIV_NEW = re.compile(r"(?:arxiv[:/ ]\s*|abs/|pdf/|10\.48550/arxiv\.)(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
_ARXIV_OLD = re.compile(r"(?:arxiv[:/ ]\s*|abs/|pdf/)([a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_ARXIV_BARE = re.compile(r"^\s*(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\s*$")


def doi_key(doi: str) -> str:
    """The DOI as resolvers compare it: bare (no resolver prefix, trailing dot or invisible
    characters), NFKC and case-folded."""
    return (bare_doi(doi) or fold_text(doi).strip()).casefold()


def arxiv_id(text: str | None) -> str | None:
    """A bare arXiv id without version from an id, an arXiv URL, 'arXiv:...' text or an arXiv DOI."""
    if not text:
        return None
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    for pattern in (_ARXIV_BARE, _ARXIV_NEW, _ARXIV_OLD):
        m = pattern.search(text)
        if m:
            return m.group(1)
    return None
