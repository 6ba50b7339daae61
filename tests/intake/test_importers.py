"""The readers of exported search results, on files with the quirks of real exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.intake.importers import MalformedFile, format_of, read

FIX = Path(__file__).parent / "fixtures"


def entries(name: str) -> list:
    path = FIX / name
    return read(path, format_of(path))


def test_google_scholar_bibtex() -> None:
    doe, muller, nodate, zotero = entries("scholar.bib")
    assert doe.key == "doe2020transfer" and doe.line == 1
    assert doe.authors == ["Doe, Jane", "Roe, Richard"] and doe.authors_truncated  # "and others"
    assert doe.venue == "NeuroImage" and doe.year == 2020 and doe.doi is None
    # LaTeX accents and braces decoded, unicode quotes and dashes kept as text
    assert muller.title == "Über-networks: transfer á la carte for MRI – a “quoted” study"
    assert muller.authors == ["Müller, Jörg", "García, Ana"] and muller.venue == "Proceedings of MIDL"
    assert nodate.year is None and nodate.arxiv == "2101.01234"  # version dropped
    assert zotero.doi == "10.1234/ABC.5678" and zotero.url == "https://example.org/lee2021"


def test_ris_with_bom_and_multiline_title() -> None:
    first, second = entries("scopus.ris")
    assert first.title == "Transfer learning for glioma segmentation in small cohorts"
    assert first.key == "scopus1" and first.doi == "10.1016/J.NEUROIMAGE.2020.000001"
    assert first.authors == ["Doe, Jane", "Roe, Richard"] and first.venue == "NeuroImage"
    assert second.key == "ris2" and second.line == 13 and second.title.endswith("‘style’ transfer")


def test_pubmed_medline() -> None:
    first, second = entries("pubmed.nbib")
    assert first.key == "31234567" and first.year == 2020 and first.doi == "10.1016/j.neuroimage.2020.000001"
    assert first.title == "Transfer learning for glioma segmentation in small cohorts"  # PubMed's full stop dropped
    assert first.authors == ["Doe, Jane", "Roe, Richard"] and first.venue == "NeuroImage"
    assert first.url == "https://pubmed.ncbi.nlm.nih.gov/31234567/"
    assert second.title == "Deep transfer learning for Parkinson's disease classification from T1-weighted MRI"
    assert second.line == 18


def test_csv_with_bom_and_header_aliases() -> None:
    a, b, c = entries("openalex.csv")
    assert a.doi == "10.1016/j.neuroimage.2020.000001" and a.authors == ["Doe, Jane", "Roe, Richard"] and a.year == 2020
    assert b.url == "https://example.org/novak" and b.venue == "Medical Image Analysis"
    assert c.key == "row4" and c.venue is None


def test_export_links_are_made_valid_or_dropped(tmp_path: Path) -> None:
    """Exports carry raw links (a Wiley DOI link holds parentheses): they are percent-encoded as the
    search record's link rule asks, and what is no http(s) link at all is left out, never written invalid."""
    path = tmp_path / "links.csv"
    path.write_text("title,url\nOne,https://onlinelibrary.wiley.com/doi/10.1002/(SICI)1097-0193[x]\nTwo,javascript:alert(1)\n"
                    'Three,"https://example.org/a""b<c>"\n', encoding="utf-8")
    one, two, three = read(path, "csv")
    assert one.url == "https://onlinelibrary.wiley.com/doi/10.1002/%28SICI%291097-0193%5Bx%5D"
    assert two.url is None
    assert three.url == "https://example.org/a%22b%3Cc%3E"


def test_format_from_extension_or_given(tmp_path: Path) -> None:
    assert format_of(Path("x.nbib")) == "medline" and format_of(Path("x.RIS")) == "ris"
    assert format_of(Path("x.dat"), "csv") == "csv"
    with pytest.raises(ValueError, match="--format"):
        format_of(Path("x.dat"))


@pytest.mark.parametrize(("name", "text", "line", "message"), [
    ("bad.bib", "@article{a,\n  title={Fine},\n  year={2020}\n}\n\n@article{b,\n  title={Unclosed,\n  year={2020}\n", 6, "BibTeX syntax error"),
    ("comma.bib", "@article{a,\n  title={One}\n  year={2020}\n}\n", 2, "a comma is probably missing"),
    ("dup.bib", "@article{a,\n  title={One}\n}\n@article{a,\n  title={Two}\n}\n", 4, "used twice"),
    ("notitle.bib", "@article{a,\n  author={Doe, Jane}\n}\n", 1, "has no title"),
    ("bad.ris", "TY  - JOUR\nTI  - One\nER  - \nTY  - JOUR\nTI  - Two\n", 4, "no ER"),
    ("junk.ris", "TY  - JOUR\nTI  - One\nER  - \nhello\n", 4, "text outside a record"),
    ("bad.nbib", "PMID- 1\nTI  - One\n\nTI  - Two\n", 4, "must start with 'PMID- '"),
    ("junk.nbib", "PMID- 1\nTI  - One\nthis is not medline\n", 3, "not a MEDLINE line"),
    ("bad.csv", "title,year\nOne,2020\nTwo,2021,extra\n", 3, "3 columns"),
    ("nohead.csv", "name,year\nOne,2020\n", 1, "no title column"),
    ("latin1.csv", b"title\nCaf\xe9\n", 2, "not valid UTF-8"),
])
def test_malformed_files_name_their_line(tmp_path: Path, name: str, text: str | bytes, line: int, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(MalformedFile) as e:
        read(path, format_of(path))
    assert e.value.line == line and message in e.value.message
