"""The Contribute page's field reference matches the validator, the schema editors read is the
committed one and is current, and the template points editors at it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import lxml.html
import pytest
import yaml
from conftest import DATA, ROOT, make_data, record, write_record

from generator.evidence.dataset import load
from generator.publish.build import PRODUCERS
from generator.publish.context import SiteContext
from generator.publish.sections.contribute import produce

TAXONOMY = yaml.safe_load((DATA / "taxonomy.yaml").read_text(encoding="utf-8"))["facets"]
# The contract's bibliographic fields (shared/corpus/TAXONOMY.md), written out here on purpose: the
# test must notice if the model drops or renames one.
BIBLIOGRAPHIC = {
    "id": True, "title": True, "authors": True, "authors_truncated": False, "year": True, "venue": True,
    "doi": False, "url": False, "summary": True, "key_result": False, "architectures": False,
    "source_datasets": False, "target_datasets": False, "code_url": False, "added": True, "verified": False,
    "distinct_from": False,
}


def facet_required(facet: dict) -> bool:
    return facet.get("min_items", 0) > 0 if facet["multi"] else "default" not in facet


def yaml_spelling(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd)


def test_committed_schema_is_the_generated_one():
    """The CI sync check: editors read schema/study.schema.json, so it must equal what the model says."""
    res = cli("schema")
    assert res.returncode == 0, res.stderr
    committed = (ROOT / "schema" / "study.schema.json").read_text(encoding="utf-8")
    assert committed == res.stdout, "schema/study.schema.json is out of date: run `make schema` and commit it"


def test_template_points_editors_at_the_committed_schema(tmp_path):
    make_data(tmp_path, [])
    assert cli("new", "smith2024deep", "--data", str(tmp_path / "data")).returncode == 0
    path = tmp_path / "data" / "studies" / "smith2024deep.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    relative = first.split("$schema=", 1)[1]
    # resolved the way the YAML language server does: against the record's own folder, in the repository
    assert ((ROOT / "data" / "studies") / relative).resolve() == (ROOT / "schema" / "study.schema.json").resolve()


def _json_ready(rec: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in rec.items()}


def test_the_editor_schema_agrees_with_the_validator_on_every_record():
    schema = json.loads((ROOT / "schema" / "study.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in sorted((DATA / "studies").glob("*.yaml")):
        errors = list(validator.iter_errors(_json_ready(yaml.safe_load(path.read_text(encoding="utf-8")))))
        assert not errors, (path.name, [e.message for e in errors])
    bad = _json_ready(record(application=["alzheimer"], year="2019"))
    assert {e.path[0] for e in validator.iter_errors(bad)} == {"application", "year"}


@pytest.fixture(scope="module")
def page(real_site: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((real_site / "contribute" / "index.html").read_bytes())


def _rows(table: lxml.html.HtmlElement) -> list[list[str]]:
    return [[cell.text_content().strip() for cell in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")]


def test_field_reference_lists_every_field_with_the_validators_rules(page):
    heading = page.xpath('//h2[@id="field-reference"]')[0]
    table = heading.xpath("following::table[1]")[0]
    rows = {r[0]: r for r in _rows(table)}
    expected = {**BIBLIOGRAPHIC, **{f["name"]: facet_required(f) for f in TAXONOMY}}
    assert set(rows) == set(expected)
    for name, required in expected.items():
        assert rows[name][1].startswith("required" if required else "optional"), name
    assert rows["year"][2] == "whole number (from 1950)"
    assert rows["doi"][2].startswith("text or null matching ^10")
    assert rows["added"][2] == "date (YYYY-MM-DD)"
    for f in TAXONOMY:
        assert rows[f["name"]][3] == f"{f['label']}: {f['description']}"
        if not facet_required(f):
            shown = "[]" if f["multi"] else yaml_spelling(f["default"])
            assert rows[f["name"]][1] == f"optional ({shown})", f["name"]


def test_every_vocabulary_value_is_listed_with_its_definition(page):
    for f in TAXONOMY:
        heading = page.xpath(f'//h4[@id="vocabulary-{f["name"].replace("_", "-")}"]')
        assert heading, f["name"]
        assert heading[0].text_content().startswith(f"{f['name']}: {f['label']}")
        table = heading[0].xpath("following::table[1]")[0]
        assert _rows(table) == [[yaml_spelling(v["value"]), v["label"], v["definition"]] for v in f["values"]]


def test_page_links_the_issue_form_and_the_feed(page, real_site):
    hrefs = page.xpath("//article//a/@href")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert f"{config['repo_url']}/issues/new?template=suggest-study.yml" in hrefs
    assert (ROOT / ".github" / "ISSUE_TEMPLATE" / "suggest-study.yml").is_file()
    assert "../feed.xml" in hrefs and (real_site / "feed.xml").is_file()
    text = page.xpath("//article")[0].text_content()
    assert "evidence-map new" in text and "evidence-map validate" in text and "make serve" in text


def test_a_new_vocabulary_value_reaches_the_page_and_the_validator_together(tmp_path):
    """The reference is generated, not written: add a value to the taxonomy and both follow."""
    data = make_data(tmp_path, [])
    taxonomy = yaml.safe_load((data / "taxonomy.yaml").read_text(encoding="utf-8"))
    app = next(f for f in taxonomy["facets"] if f["name"] == "application")
    app["values"].append({"value": "narcolepsy", "label": "Narcolepsy", "definition": "Narcolepsy and other sleep disorders."})
    (data / "taxonomy.yaml").write_text(yaml.safe_dump(taxonomy, sort_keys=False), encoding="utf-8")
    write_record(data, record(application=["narcolepsy"]))
    ds = load(data)
    assert ds.studies[0].facets["application"] == ("narcolepsy",)
    md = produce(ds, SiteContext())["contribute.md"]
    assert "| `narcolepsy` | Narcolepsy | Narcolepsy and other sleep disorders\\. |" in md


def test_contribute_is_one_of_the_producers():
    assert produce in PRODUCERS
