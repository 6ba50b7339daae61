"""`evidence-map release`: the snapshot, its checks, CITATION.cff and .zenodo.json; and the site built
from two releases that differ by added, removed and re-categorised studies (Changes page, study
history, footer, citation). Expected values are computed here from the fixture records."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest
import yaml
from conftest import DATA, ROOT, built, make_project, record, write_record

from generator.cli import main
from generator.evidence.dataset import InvalidData, load

CFF_SCHEMA = ROOT / "tests" / "fixtures" / "cff" / "schema-1.2.0.json"
TAXONOMY = yaml.safe_load((DATA / "taxonomy.yaml").read_text(encoding="utf-8"))
GAP = yaml.safe_load((DATA / "review.yaml").read_text(encoding="utf-8"))["gap_map"]


def label(facet: str, slug: str) -> str:
    f = next(f for f in TAXONOMY["facets"] if f["name"] == facet)
    if slug == "not-reported":
        return "Not reported"
    return next(v["label"] for v in f["values"] if str(v["value"]).lower() == slug)


def first_records() -> list[dict[str, Any]]:
    return [
        record(id="ash2019tumour", title="Fine-tuning for tumour segmentation", doi=None, application=["brain-tumor"],
               tl_approach=["fine-tuning-all"], added=dt.date(2026, 9, 1)),
        record(id="birch2020stroke", title="Feature extraction for stroke lesions", doi=None, application=["stroke"],
               tl_approach=["feature-extraction"], added=dt.date(2026, 9, 2)),
        record(id="cedar2021ageing", title="Pretrained encoders for brain age", doi=None, application=["brain-age"],
               tl_approach=["fine-tuning-all", "feature-extraction"], added=dt.date(2026, 9, 3)),
    ]


def second_records() -> list[dict[str, Any]]:
    """birch2020stroke removed, dogwood2022epilepsy added, cedar2021ageing re-categorised."""
    ash, _, cedar = first_records()
    cedar = dict(cedar, application=["brain-age", "epilepsy"], tl_approach=["domain-adaptation-adversarial"])
    dogwood = record(id="dogwood2022epilepsy", title="Adversarial adaptation for epilepsy lesions", doi=None,
                     application=["epilepsy"], tl_approach=["fine-tuning-all"], added=dt.date(2026, 10, 20))
    return [ash, cedar, dogwood]


def release(project: Path, version: str, date: str = "2026-10-01") -> int:
    return main(["release", version, "--date", date, "--data", str(project / "data"), "-f", str(project / "mkdocs.yml")])


def set_records(project: Path, records: list[dict[str, Any]]) -> None:
    for f in (project / "data" / "studies").glob("*.yaml"):
        f.unlink()
    for r in records:
        write_record(project / "data", r)


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("releases"), first_records())
    assert release(project, "2026.10", "2026-10-01") == 0
    set_records(project, second_records())
    assert release(project, "2026.11", "2026-11-30") == 0
    return project


@pytest.fixture(scope="module")
def site(two_releases: Path) -> Path:
    return built(two_releases)


def html(site: Path, path: str) -> Any:
    return lxml.html.parse(str(site / path)).getroot()


def text(el: Any) -> str:
    return " ".join(el.text_content().split())


# --- the snapshot -------------------------------------------------------------------------------


def test_snapshot_files_manifest_checksums_and_licence(two_releases):
    folder = two_releases / "releases" / "2026.10"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "2026.10" and manifest["date"] == "2026-10-01"
    assert manifest["license"] == "CC BY 4.0" and manifest["counts"]["studies"] == 3
    assert manifest["gap_map"] == GAP
    assert set(manifest["files"]) == {p.name for p in folder.iterdir()} - {"manifest.json"}
    for name, entry in manifest["files"].items():
        data = (folder / name).read_bytes()
        assert entry == {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}, name
    records = json.loads((folder / "studies.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ["ash2019tumour", "birch2020stroke", "cedar2021ageing"]
    assert (folder / "taxonomy.yaml").read_bytes() == (DATA / "taxonomy.yaml").read_bytes()
    assert "licensed under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)" in (folder / "README.md").read_text(encoding="utf-8")
    assert (folder / "studies.csv").read_bytes().count(b"\r\n") == 4


def test_the_same_data_gives_the_same_bytes(tmp_path):
    a = make_project(tmp_path / "a", first_records())
    b = make_project(tmp_path / "b", first_records())
    assert release(a, "2026.10") == 0 and release(b, "2026.10") == 0
    for f in (a / "releases" / "2026.10").iterdir():
        assert f.read_bytes() == (b / "releases" / "2026.10" / f.name).read_bytes(), f.name


@pytest.mark.parametrize(("version", "message"), [
    ("2026.13", "'2026.13' is not a calendar version: YEAR.MONTH such as 2026.11, or YEAR.MONTH.N for a further release in a month"),
    ("v2026.11", "'v2026.11' is not a calendar version: YEAR.MONTH such as 2026.11, or YEAR.MONTH.N for a further release in a month"),
    ("2026.1", "'2026.1' is not a calendar version: YEAR.MONTH such as 2026.11, or YEAR.MONTH.N for a further release in a month"),
    ("2026.10", "release 2026.10 exists already (releases/2026.10); a release is never rewritten: choose a new version"),
    ("2026.09", "2026.09 is older than the newest release 2026.10"),
])
def test_refuses_bad_existing_and_older_versions(tmp_path, capsys, version, message):
    project = make_project(tmp_path, first_records())
    assert release(project, "2026.10") == 0
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    capsys.readouterr()
    assert release(project, version) == 2
    assert capsys.readouterr().err == f"evidence-map: error: {message}\n"
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_a_later_release_in_the_same_month(tmp_path):
    project = make_project(tmp_path, first_records())
    assert release(project, "2026.10") == 0
    assert release(project, "2026.10.2") == 0
    assert [r.version for r in load(project / "data").releases] == ["2026.10", "2026.10.2"]


def test_a_changed_snapshot_stops_validation(two_releases, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(two_releases, project, ignore=shutil.ignore_patterns("site", "docs"))
    path = project / "releases" / "2026.10" / "studies.json"
    path.write_text(path.read_text(encoding="utf-8").replace("tumour", "tumor"), encoding="utf-8")
    (project / "releases" / "2026.11" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InvalidData) as e:
        load(project / "data")
    messages = sorted(p.message for p in e.value.problems)
    assert len(messages) == 2
    assert messages[0].startswith("does not match its checksum in the manifest (sha256 ")
    assert messages[0].endswith("a release snapshot is never rewritten; restore it from git or make a new release")
    assert messages[1] == "is not listed in the manifest; a release is never changed after it is made"
    assert {p.path.rsplit("/", 2)[-2] + "/" + p.path.rsplit("/", 1)[-1] for p in e.value.problems} == {
        "2026.10/studies.json", "2026.11/notes.txt"}


def test_a_folder_that_is_not_a_version_or_has_no_manifest(tmp_path):
    project = make_project(tmp_path, first_records())
    (project / "releases" / "latest").mkdir(parents=True)
    (project / "releases" / "2026.12").mkdir()
    with pytest.raises(InvalidData) as e:
        load(project / "data")
    assert sorted(p.message for p in e.value.problems) == [
        "'latest' is not a calendar version such as 2026.11; release folders are named by their version",
        "file is missing; a release folder is written by `evidence-map release` with its manifest",
    ]


# --- CITATION.cff and .zenodo.json ----------------------------------------------------------------


def test_citation_cff_is_valid_cff_1_2_0_and_names_the_release(two_releases):
    """Validated against the CFF 1.2.0 JSON Schema shipped in tests/fixtures/cff (copied from the
    cffconvert 2.0.0 wheel; cffconvert itself pins jsonschema<4, which the test extras cannot hold)."""
    cff = yaml.safe_load((two_releases / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(cff)] == []
    assert cff["version"] == "2026.11" and cff["date-released"] == "2026-11-30"
    assert cff["license"] == "CC-BY-4.0" and cff["type"] == "dataset"
    assert cff["repository-code"] == yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["repo_url"]
    assert cff["authors"] == [{"name": "TL brain-MRI evidence map contributors"}]
    assert "Release 2026.11: 3 studies." in cff["abstract"]


def test_citation_cff_keeps_what_maintainers_wrote(tmp_path):
    project = make_project(tmp_path, first_records())
    (project / "CITATION.cff").write_text(
        "cff-version: 1.2.0\nmessage: Cite us.\ntitle: Old\nauthors:\n  - family-names: Doe\n    given-names: Jane\n"
        "keywords: [mri]\n", encoding="utf-8")
    assert release(project, "2026.10") == 0
    cff = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["authors"] == [{"family-names": "Doe", "given-names": "Jane"}] and cff["message"] == "Cite us."
    assert cff["keywords"] == ["mri"] and cff["version"] == "2026.10" and cff["title"] != "Old"
    zenodo = json.loads((project / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo["creators"] == [{"name": "Doe, Jane"}] and zenodo["version"] == "2026.10"
    assert zenodo["license"] == "cc-by-4.0" and zenodo["upload_type"] == "dataset"
    assert zenodo["related_identifiers"][0] == {"identifier": "10.3390/jimaging7040066", "relation": "isSupplementTo", "scheme": "doi"}


# --- the site built from the two releases ----------------------------------------------------------


def expected_cells(records: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    """The gap map's cells counted from the records (rows x columns of review.yaml), by label."""
    out: Counter[tuple[str, str]] = Counter()
    for r in records:
        for a in r[GAP["rows"]] or ["not-reported"]:
            for b in r[GAP["columns"]] or ["not-reported"]:
                out[(label(GAP["rows"], a), label(GAP["columns"], b))] += 1
    return out


def section_items(doc: Any, heading: str) -> list[str]:
    h = doc.xpath(f"//h3[starts-with(normalize-space(.), '{heading}')]")[0]
    ul = h.xpath("following-sibling::*[1]")[0]
    return [text(li) for li in ul.xpath("./li")] if ul.tag == "ul" else []


def test_changes_page_lists_added_removed_recategorised_and_gap_map_deltas(site):
    doc = html(site, "changes/2026.11/index.html")
    assert text(doc.xpath("//article//h1")[0]).startswith("Changes in release 2026.11")
    old = {r["id"]: r for r in first_records()}
    new = {r["id"]: r for r in second_records()}
    added = [new[i]["title"] for i in sorted(new.keys() - old.keys())]
    removed = [old[i]["title"] for i in sorted(old.keys() - new.keys())]
    assert [i.split(",")[0] for i in section_items(doc, "Studies added")] == added
    assert [i.split(",")[0] for i in section_items(doc, "Studies removed")] == removed
    recat = section_items(doc, "Studies re-categorised")
    assert len(recat) == 1 and recat[0].startswith(new["cedar2021ageing"]["title"])
    assert "Application: Brain age → Brain age, Epilepsy" in recat[0]
    assert "TL approach: Fine-tuning (all layers), Feature extraction → Adversarial domain adaptation" in recat[0]
    # the gap map's cells, counted independently from the fixture records
    was, now = expected_cells(first_records()), expected_cells(second_records())
    expected = {k: (was[k], now[k]) for k in was.keys() | now.keys() if was[k] != now[k]}
    table = doc.xpath("//h3[starts-with(normalize-space(.), 'Evidence-gap map')]/following-sibling::table[1]")[0]
    shown = {}
    for tr in table.xpath("./tbody/tr"):
        cells = [text(td) for td in tr.xpath("./td")]
        row, column = cells[0].split(" × ")
        shown[(row, column)] = (int(cells[1]), int(cells[2]))
        assert (cells[3] == "first study in this cell") == (int(cells[1]) == 0 and int(cells[2]) > 0)
    assert shown == expected
    firsts = [k for k, (a, b) in expected.items() if a == 0 and b > 0]
    intro = text(table.xpath("preceding-sibling::p[1]")[0])
    assert f"{len(firsts)} gaps got their first study" in intro


def test_first_release_page_and_index(site):
    first = html(site, "changes/2026.10/index.html")
    assert len(section_items(first, "Studies added")) == 3
    index = html(site, "changes/index.html")
    rows = [[text(td) for td in tr.xpath("./td")] for tr in index.xpath("//article//table[1]/tbody/tr")]
    assert [r[:7] for r in rows] == [["2026.11", "2026-11-30", "3", "1", "1", "1", "0"], ["2026.10", "2026-10-01", "3", "3", "0", "0", "0"]]
    assert all(r[7] == "DOI to be minted" for r in rows)


def test_study_pages_show_their_history(site):
    cedar = html(site, "studies/cedar2021ageing/index.html")
    items = [text(li) for li in cedar.xpath("//h2[@id='history']/following-sibling::ul[1]/li")]
    assert items[0] == "Release 2026.10: added to the map"
    assert items[1].startswith("Release 2026.11: re-categorised: Application (Brain age → Brain age, Epilepsy)")
    dogwood = html(site, "studies/dogwood2022epilepsy/index.html")
    assert [text(li) for li in dogwood.xpath("//h2[@id='history']/following-sibling::ul[1]/li")] == ["Release 2026.11: added to the map"]


@pytest.mark.parametrize("path", ["index.html", "data/index.html", "methods/index.html"])
def test_home_data_and_methods_cite_the_current_release(site, path):
    body = text(html(site, path).xpath("//article")[0])
    assert "This page shows release 2026.11 of 2026-11-30 (3 studies)" in body
    assert "Placeholder: DOI to be minted" in body
    assert "@misc{evidencemap2026_11," in body and "version = {2026.11}" in body
    assert "TY - DATA" in body and "ET - 2026.11" in body


def test_every_page_footer_names_the_version(site):
    for path in ("index.html", "studies/ash2019tumour/index.html", "facets/application/epilepsy/index.html"):
        footer = text(html(site, path).xpath("//*[contains(@class, 'em-version')]")[0])
        assert footer.startswith("Map version 2026.11, released 2026-11-30"), path
        assert "Status: Living" in footer and "Data licence: CC BY 4.0" in footer


def test_a_doi_in_review_yaml_replaces_the_placeholder(two_releases, tmp_path):
    project = tmp_path / "p"
    shutil.copytree(two_releases, project, ignore=shutil.ignore_patterns("site", "docs"))
    (project / "docs").mkdir()
    review = project / "data" / "review.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace("  dois: {}", "  dois: {'2026.11': 10.5281/zenodo.1234567}"), encoding="utf-8")
    out = built(project)
    body = text(html(out, "index.html").xpath("//article")[0])
    assert "Its DOI is 10.5281/zenodo.1234567" in body and "DOI to be minted" not in body
    assert "doi = {10.5281/zenodo.1234567}" in body


# --- the map's own release ---------------------------------------------------------------------------


def test_the_committed_release_is_valid_and_the_real_site_cites_it(real_site):
    releases = load(DATA).releases
    first, last = releases[0], releases[-1]
    assert (first.version, first.date, first.manifest.counts.studies) == ("2026.11", dt.date(2026, 11, 30), 152)
    body = text(html(real_site, "index.html").xpath("//article")[0])
    assert f"This page shows release {last.version} of {last.date.isoformat()} ({last.manifest.counts.studies} studies)" in body
    assert len(section_items(html(real_site, "changes/2026.11/index.html"), "Studies added")) == 152
    for before, after in itertools.pairwise(releases):  # each later release lists what it added
        ids = [{r["id"] for r in json.loads((ROOT / "releases" / rel.version / "studies.json").read_text(encoding="utf-8"))}
               for rel in (before, after)]
        page = html(real_site, f"changes/{after.version}/index.html")
        assert len(section_items(page, "Studies added")) == len(ids[1] - ids[0])
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(json.loads(CFF_SCHEMA.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(cff)] == []
    assert cff["version"] == load(DATA).releases[-1].version
