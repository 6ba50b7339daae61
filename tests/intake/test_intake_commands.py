"""evidence-map import / include / exclude / screen, end to end on a temporary data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import make_data, record

from generator.cli import main
from generator.evidence.dataset import load
from generator.intake.searchfile import set_decision

FIX = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def searches(data: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((data / "searches").glob("*.yaml"))}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data(tmp_path, [record()])  # doe2020transfer, DOI 10.1016/j.neuroimage.2020.000001


def test_import_bibtex_reports_and_writes_one_search(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", str(FIX / "scholar.bib"), "--source", "google-scholar", "--run", "2026-01-02", "--data", str(data))
    assert code == 0
    assert "4 entries read" in out and "1 duplicates of map records" in out and "3 new candidates (pending)" in out
    (s,) = searches(data).values()
    assert s["id"] == "2026-01-02-google-scholar" and s["kind"] == "file" and s["file"] == "scholar.bib"
    doe = s["candidates"][0]
    assert doe["decision"] == "include" and doe["record"] == "doe2020transfer" and doe["duplicate_of"] == "doe2020transfer"
    assert doe["authors_truncated"] is True and doe["confidence"] == 0.95
    assert [c["decision"] for c in s["candidates"][1:]] == ["pending"] * 3
    assert load(data).searches[0].candidates[1].title.startswith("Über-networks")


def test_reimport_adds_nothing_and_writes_nothing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(FIX / "scholar.bib"), "--source", "google-scholar", "--run", "2026-01-02", "--data", str(data))
    before = {p.name: p.read_bytes() for p in (data / "searches").iterdir()}
    study = (data / "studies" / "doe2020transfer.yaml").read_bytes()
    code, out, _ = run(capsys, "import", str(FIX / "scholar.bib"), "--source", "google-scholar", "--run", "2026-01-03", "--data", str(data))
    assert code == 0 and "4 duplicates of earlier candidates" in out and "0 new candidates" in out and "not written" in out
    assert {p.name: p.read_bytes() for p in (data / "searches").iterdir()} == before
    assert (data / "studies" / "doe2020transfer.yaml").read_bytes() == study
    code, out, _ = run(capsys, "import", str(FIX / "scholar.bib"), "--source", "google-scholar", "--run", "2026-01-03", "--keep",
                       "--data", str(data))
    again = searches(data)["2026-01-03-google-scholar"]["candidates"]
    assert {c["decision"] for c in again} == {"exclude"} and {c["reason"] for c in again} == {"duplicate"}
    assert again[0]["duplicate_of"] == "2026-01-02-google-scholar:doe2020transfer"
    assert load(data).searches  # still valid


def test_every_format_finds_the_same_study_by_doi(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, source in (("scopus.ris", "scopus"), ("pubmed.nbib", "pubmed"), ("openalex.csv", "openalex")):
        code, _, err = run(capsys, "import", str(FIX / name), "--source", source, "--run", "2026-01-02", "--data", str(data))
        assert code == 0, err
    s = searches(data)
    assert s["2026-01-02-scopus"]["candidates"][0]["record"] == "doe2020transfer"
    # the same study in a later import is a duplicate of the candidate that claimed the record
    first_pubmed = s["2026-01-02-pubmed"]["candidates"][0]
    assert first_pubmed["decision"] == "exclude" and first_pubmed["reason"] == "duplicate"
    assert first_pubmed["duplicate_of"] == "2026-01-02-scopus:scopus1" and first_pubmed["confidence"] == 1.0
    rows = s["2026-01-02-openalex"]["candidates"]
    assert rows[0]["duplicate_of"] == "2026-01-02-scopus:scopus1"
    # two CSV rows differing only in punctuation: a duplicate within the file
    assert rows[2]["decision"] == "exclude" and rows[2]["duplicate_of"] == "2026-01-02-openalex:row3"
    load(data)


@pytest.mark.parametrize("name,text", [("bad.bib", "@article{a,\n title={x\n"), ("bad.ris", "TY  - JOUR\nTI  - x\n"),
                                        ("bad.nbib", "TI  - x\n"), ("bad.csv", "title\n\"unclosed\n")])
def test_malformed_file_writes_nothing(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", str(path), "--source", "x", "--data", str(data))
    assert code == 1 and f"{path}:" in err and "nothing written" in err
    assert not (data / "searches").exists()


def test_never_overwrites_a_search(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(FIX / "scopus.ris"), "--source", "scopus", "--id", "s1", "--data", str(data))
    code, _, err = run(capsys, "import", str(FIX / "pubmed.nbib"), "--source", "pubmed", "--id", "s1", "--data", str(data))
    assert code == 2 and "already exists" in err


def test_include_writes_a_prefilled_record_and_edits_only_the_decision(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(FIX / "scholar.bib"), "--source", "google-scholar", "--id", "gs", "--data", str(data))
    path = data / "searches" / "gs.yaml"
    before = path.read_text(encoding="utf-8")
    code, _, err = run(capsys, "include", "muller2019uber", "--data", str(data))
    assert code == 0, err
    new = yaml.safe_load((data / "studies" / "muller2019uber.yaml").read_text(encoding="utf-8"))
    assert new["title"].startswith("Über-networks") and new["authors"] == ["Müller, Jörg", "García, Ana"]
    assert new["year"] == 2019 and new["venue"] == "Proceedings of MIDL" and new["task"] == []
    assert new["source_review"] == "added-since"  # not an entry of the source review's list
    after = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("    decision: pending", "    decision: include"), ("    record: null", "    record: muller2019uber")]
    # the new record is being coded: validation reports its empty fields, not the search
    code, _, err = run(capsys, "validate", "--data", str(data))
    assert code == 1 and "searches" not in err


def test_include_links_an_existing_record(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FIX / "scholar.bib", data.parent / "s.bib")
    run(capsys, "import", str(data.parent / "s.bib"), "--source", "gs", "--id", "gs", "--data", str(data))
    code, _, err = run(capsys, "include", "nodate", "--record", "doe2020transfer", "--data", str(data))
    assert code == 2 and "already claimed by candidate gs:doe2020transfer" in err


def test_exclude_with_reason_and_did_you_mean(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(FIX / "scholar.bib"), "--source", "gs", "--id", "gs", "--data", str(data))
    code, _, err = run(capsys, "exclude", "nodate", "--reason", "not-brain", "--data", str(data))
    assert code == 2 and "did you mean 'not-brain-mri'?" in err
    code, _, err = run(capsys, "exclude", "nodat", "--reason", "not-brain-mri", "--data", str(data))
    assert code == 2 and "did you mean 'nodate'?" in err
    code, _, _ = run(capsys, "exclude", "nodate", "--reason", "not-brain-mri", "--note", "a CT study", "--data", str(data))
    assert code == 0
    c = load(data).searches[0].candidates[2]
    assert (c.decision, c.reason, c.note) == ("exclude", "not-brain-mri", "a CT study")
    code, _, err = run(capsys, "exclude", "nodate", "--reason", "out-of-scope", "--data", str(data))
    assert code == 2 and "already decided" in err


def test_screen_lists_pending_by_score_then_search_and_key(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(FIX / "scholar.bib"), "--source", "gs", "--id", "gs", "--data", str(data))
    set_decision(data / "searches" / "gs.yaml", "zotero2021doi", {"score": 0.9})
    code, out, err = run(capsys, "screen", "--data", str(data))
    assert code == 0 and "3 pending candidates" in err
    assert [line.split()[1 if line.startswith("[") else 0] for line in out.splitlines()] == ["gs:zotero2021doi", "gs:muller2019uber", "gs:nodate"]


def test_include_from_the_source_reviews_list_prefills_membership(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An entry of the search review.yaml names as the source review's included list becomes a record
    that says so (source_review: probable); the import's sure match must be marked first."""
    listed = "2026-11-30-review-2021-included"
    run(capsys, "import", str(FIX / "scholar.bib"), "--source", "review-2021-included", "--id", listed, "--run", "2026-11-30", "--data", str(data))
    code, _, err = run(capsys, "include", "muller2019uber", "--data", str(data))
    assert code == 1 and "doe2020transfer.yaml:1:1: error: source_review: candidate 'doe2020transfer'" in err
    with (data / "studies" / "doe2020transfer.yaml").open("a", encoding="utf-8") as fh:
        fh.write("source_review: probable\n")
    code, _, err = run(capsys, "include", "muller2019uber", "--data", str(data))
    assert code == 0, err
    assert "\nsource_review: probable\n" in (data / "studies" / "muller2019uber.yaml").read_text(encoding="utf-8")


def test_import_of_a_manual_search_names_no_file_and_says_what_was_searched(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", str(FIX / "scholar.bib"), "--source", "topics", "--kind", "manual", "--data", str(data))
    assert code == 2 and "--kind manual needs --query or --description" in err
    code, _, err = run(capsys, "import", str(FIX / "scholar.bib"), "--source", "topics", "--kind", "manual", "--id", "topics",
                       "--query", "brain MRI transfer learning, public pages", "--data", str(data))
    assert code == 0, err
    (s,) = [s for s in load(data).searches if s.id == "topics"]
    assert (s.kind, s.file, s.query) == ("manual", None, "brain MRI transfer learning, public pages")
