"""The source review's included list (a real Google Scholar-style BibTeX export of 131 entries, copied
from the corpus) imported against the map's records, as data/searches/2026-11-30-review-2021-included.yaml
was made; and that committed search record with its decisions."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import DATA

from generator.cli import main
from generator.evidence.dataset import InvalidData, load

BIB = Path(__file__).parent / "fixtures" / "review-2021-included.bib"
SEARCH = "2026-11-30-review-2021-included"
LINKED = {  # preprint <-> published version: linked with a lower confidence, confirmed by hand
    "mahmood2020whole": "mahmood2020whole", "kollia2019predicting": "kollia2019predicting", "thomas2019deep": "thomas2019deep",
    "li2020multi": "li2020multi", "orbes2019multi": "orbesarteaga2019multidomain", "mahapatra2020training": "mahapatra2019generative",
}


def test_import_matches_the_maps_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("searches"))
    # The map as it was when the list was imported: the first 152 records, none yet marked as members.
    for path in (data / "studies").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "\nadded: 2026-11-30\n" in text:
            path.unlink()
        else:
            path.write_text(text.replace("\nsource_review: probable\n", "\n"), encoding="utf-8")
    assert len(list((data / "studies").glob("*.yaml"))) == 152
    assert main(["import", str(BIB), "--source", "review-2021-included", "--id", SEARCH, "--run", "2026-11-30", "--data", str(data)]) == 0
    out = capsys.readouterr().out
    assert "131 entries read" in out and "33 duplicates of map records" in out
    assert "98 new candidates (pending), of which 6 possible duplicates to check" in out
    # The records the import linked must now say they are in the source review: validation names each.
    with pytest.raises(InvalidData) as e:
        load(data)
    to_mark = [p for p in e.value.problems if p.message.endswith("set 'source_review: probable'")]
    assert len(to_mark) == len(e.value.problems) == 33
    for p in to_mark:
        path = Path(p.path)
        path.write_text(path.read_text(encoding="utf-8") + "source_review: probable\n", encoding="utf-8")
    (s,) = load(data).searches
    assert Counter(c.decision for c in s.candidates) == {"include": 33, "pending": 98}
    flagged = {c.key: c.duplicate_of for c in s.candidates if c.decision == "pending" and c.duplicate_of}
    assert flagged == LINKED
    # van2014transfer is dated by its conference year: matched across one year
    assert next(c for c in s.candidates if c.key == "van2014transfer").record == "vanopbroek2015transfer"
    # distinct studies with similar titles are not taken for duplicates
    assert all(c.duplicate_of is None for c in s.candidates if c.key in ("cheng2015multimodal", "van2015feature", "ebrahimi2019transfer"))


def test_committed_search_record_and_decisions() -> None:
    (s,) = [x for x in load(DATA).searches if x.id == SEARCH]
    assert s.source == "review-2021-included" and s.kind == "file" and s.file == "review-2021-included.bib"
    assert len(s.candidates) == 131
    assert Counter(c.decision for c in s.candidates) == {"include": 102, "pending": 27, "exclude": 2}
    by_key = {c.key: c for c in s.candidates}
    assert {k: by_key[k].record for k in LINKED} == LINKED
    assert (by_key["arnaud2018fully"].reason, by_key["wang2019task"].reason) == ("no-transfer-learning", "not-brain-mri")


def test_every_entry_of_the_corpus_list_is_included_and_linked() -> None:
    """The 63 verified studies of the reconstructed list (corpus review-2021.yaml) are map records,
    each linked by an include of the list's search record and marked as in the source review."""
    ds = load(DATA)
    (s,) = [x for x in ds.searches if x.id == SEARCH]
    linked = {c.record: c.key for c in s.candidates if c.decision == "include"}
    members = {st.id for st in ds.studies if st.facets["source_review"] == ("probable",)}
    assert members == set(linked) and len(members) == 102
    new = {st.id for st in ds.studies if st.id in linked and st.added.isoformat() == "2026-11-30"}
    assert len(new) == 63
    assert linked["vantulder2017representation"] == "van2016representation"
    pending = {c.key: c for c in s.candidates if c.decision == "pending"}
    assert len(pending) == 27 and "van2018transfer" in pending and pending["van2018transfer"].note
