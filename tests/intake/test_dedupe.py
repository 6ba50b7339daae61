"""Deduplication: each kind of duplicate, and distinct studies with similar titles kept apart."""

from __future__ import annotations

import pytest

from generator.evidence.normalise import arxiv_id, bare_doi, fold
from generator.intake.dedupe import AUTO, Index, item


def index(*items) -> Index:
    ix = Index()
    for it in items:
        ix.add(it)
    return ix


RECORD = item("doe2020transfer", "record", "Transfer learning for glioma segmentation", 2020, ["Doe, Jane"], "NeuroImage",
              "10.1016/j.x.2020.1", publication_type="journal-article")


@pytest.mark.parametrize("doi", [
    "10.1016/J.X.2020.1", "https://doi.org/10.1016/j.x.2020.1", "doi:10.1016/j.x.2020.1", "DOI: 10.1016/j.x.2020.1",
    "http://dx.doi.org/10.1016/j.x.2020.1", "10.1016/j.x.2020.1\u200b", "\uff11\uff10.1016/j.x.2020.1",
])
def test_doi_forms(doi: str) -> None:
    m = index(RECORD).match(item("s:1", "within", "Anything else entirely", 2001, ["Other, A"], None, doi))
    assert m is not None and m.ref == "doe2020transfer" and m.confidence == 1.0 and m.how == "same DOI"


@pytest.mark.parametrize("given", ["2101.01234", "2101.01234v3", "arXiv:2101.01234v1", "https://arxiv.org/abs/2101.01234v2",
                                   "https://arxiv.org/pdf/2101.01234", "10.48550/arXiv.2101.01234"])
def test_arxiv_forms(given: str) -> None:
    assert arxiv_id(given) == "2101.01234"


def test_old_style_arxiv_ids() -> None:
    assert arxiv_id("arXiv:cs/0112017v1") == "cs/0112017"
    assert arxiv_id("math.GT/0309136") == "math.GT/0309136"
    pre = item("p", "record", "A title", 2002, ["Doe, J"], "arXiv", None, arxiv="cs/0112017")
    m = index(pre).match(item("s:1", "within", "Another title", 2002, [], None, None, url="https://arxiv.org/abs/cs/0112017v2"))
    assert m is not None and m.how == "same arXiv id"


def test_doi_normal_form() -> None:
    assert bare_doi("https://doi.org/10.1000/ABC") == "10.1000/ABC"
    assert bare_doi("not a doi") is None


def test_title_year_author_with_latex_accents_and_dashes() -> None:
    rec = item("muller2019uber", "record", "Über-networks: transfer à la carte — a “quoted” study", 2019, ["Müller, Jörg"], "MIDL", None)
    entry = item("s:k", "within", 'Uber networks: Transfer {\\`a} la carte - a "quoted" study', 2020, ["M{\\\"u}ller, J"], None, None)
    m = index(rec).match(entry)
    assert m is not None and m.ref == "muller2019uber" and m.confidence == 0.95 and m.confidence >= AUTO


def test_year_or_author_disagreement_is_no_match() -> None:
    ix = index(RECORD)
    assert ix.match(item("s:1", "within", RECORD.title, 2015, ["Doe, Jane"], None, None)) is None
    assert ix.match(item("s:2", "within", RECORD.title, 2020, ["Smith, Jane"], None, None)) is None


def test_conference_paper_and_journal_extension_stay_distinct() -> None:
    """The corpus pair at similarity 0.78 (hosseiniasl2016alzheimers vs hosseiniasl2018alzheimers)."""
    conf = item("hosseiniasl2016alzheimers", "record", "Alzheimer's disease diagnostics by adaptation of 3D convolutional network",
                2016, ["Hosseini-Asl, Ehsan"], "ICIP", None)
    journal = item("s:h", "within", "Alzheimer's disease diagnostics by a 3D deeply supervised adaptable convolutional network",
                   2018, ["Hosseini-Asl, Ehsan"], "Frontiers in Bioscience", None)
    assert index(conf).match(journal) is None
    same_year = item("s:h2", "within", journal.title, 2017, ["Hosseini-Asl, Ehsan"], None, None)
    assert index(conf).match(same_year) is None  # the title alone keeps them apart, whatever the years


def test_near_identical_title_is_reported_not_decided() -> None:
    m = index(RECORD).match(item("s:1", "within", "Transfer learning for glioma segmentations", 2020, ["Doe, J"], None, None))
    assert m is not None and 0.8 < m.confidence < AUTO and m.note


def test_preprint_and_published_version_are_linked_with_lower_confidence() -> None:
    pre = item("s:pre", "within", "Transfer learning for glioma segmentation", 2019, ["Doe, Jane"], "arXiv preprint arXiv:1901.00001", None)
    m = index(RECORD).match(pre)
    assert m is not None and m.ref == "doe2020transfer" and m.confidence == 0.8 and not m.auto
    assert "preprint and published version" in m.note


def test_different_dois_are_different_publications() -> None:
    other = item("s:1", "within", RECORD.title, 2020, ["Doe, Jane"], "MICCAI", "10.1007/other")
    assert index(RECORD).match(other) is None


def test_earlier_candidate_preferred_over_record_on_a_tie() -> None:
    cand = item("old:doe", "candidate", RECORD.title, 2020, ["Doe, Jane"], "NeuroImage", None)
    rec = item("doe2020transfer", "record", RECORD.title, 2020, ["Doe, Jane"], "NeuroImage", None)
    m = index(rec, cand).match(item("new:doe", "within", RECORD.title, 2020, ["Doe, Jane"], None, None))
    assert m is not None and m.kind == "candidate" and m.ref == "old:doe"


def test_fold() -> None:
    assert fold("Deep {L}earning – “MRI” für Ärzte") == "deep learning mri fur arzte"


def test_titles_that_fold_to_nothing_are_not_compared() -> None:
    a = item("r", "record", "脑磁共振迁移学习", 2020, ["Wang, Li"], None, None)
    b = item("s:1", "within", "另一项研究", 2020, ["Wang, Li"], None, None)
    assert index(a).match(b) is None
