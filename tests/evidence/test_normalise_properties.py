"""Properties of the normal forms deduplication relies on."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.evidence.normalise import bare_doi, fold
from generator.intake.dedupe import Index, item

SUFFIX = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_;()/", min_size=1, max_size=30)
PREFIXES = ["", "doi:", "DOI: ", "https://doi.org/", "http://dx.doi.org/", "https://doi.org/\u200b"]


@given(st.integers(1000, 999999999), SUFFIX, st.sampled_from(PREFIXES), st.booleans())
def test_every_spelling_of_a_doi_has_one_normal_form(prefix_n: int, suffix: str, prefix: str, upper: bool) -> None:
    doi = f"10.{prefix_n}/{suffix.strip('.') or 'x'}"
    spelled = prefix + (doi.upper() if upper else doi)
    assert (bare_doi(spelled) or "").lower() == doi.lower().rstrip(".")


WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), min_size=3, max_size=10)


@given(WORDS, st.sampled_from([" - ", " — ", ": ", " – ", ", "]), st.booleans())
def test_title_punctuation_case_and_dashes_do_not_matter(words: list[str], sep: str, title_case: bool) -> None:
    plain = " ".join(words)
    varied = sep.join(w.title() if title_case else w for w in words)
    assert fold(plain) == fold(varied)
    rec = item("r", "record", plain, 2020, ["Doe, Jane"], None, None)
    ix = Index()
    ix.add(rec)
    m = ix.match(item("s:1", "within", varied, 2021, ["Doe, J."], None, None))
    assert m is not None and m.ref == "r" and m.auto
