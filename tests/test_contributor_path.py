"""The whole contributor path as a new contributor takes it, in a fresh copy of the repository:
`evidence-map new`, fill the template in with a real study, `evidence-map validate`, build; then the
study is on its own page, in Explore, on its facet pages, in the charts and the counts, and first on
What's new and in the feed. A template left unfilled fails with one message per missing field."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest
import yaml
from conftest import ROOT

STUDY_ID = "turrisi2025adapting"
# A real study that is not in the corpus. Checked against its DOAJ record (Elsevier, NeuroImage,
# 2025-02-01, ScienceDirect pii S1053811925000163) and Web of Science / publisher metadata (volume
# 307, article 121016, DOI below); categories read from the abstract only.
STUDY: dict[str, Any] = {
    "title": "Adapting to evolving MRI data: A transfer learning approach for Alzheimer's disease prediction",
    "authors": ["Turrisi, Rosanna", "Pati, Sarthak", "Pioggia, Giovanni", "Tartarisco, Gennaro"],
    "authors_truncated": False,
    "year": 2025,
    "venue": "NeuroImage",
    "publication_type": "journal-article",
    "doi": "10.1016/j.neuroimage.2025.121016",
    "url": "https://www.sciencedirect.com/science/article/pii/S1053811925000163",
    "summary": (
        "A 3D CNN that diagnoses Alzheimer's disease from only 80 3T scans was improved by transfer: from older "
        "1.5T scans of the same task or, when no such data exist, from ImageNet-pretrained 2D ResNets adapted to "
        "3D volumes. Features of the pretrained networks were compared with radiomic features across six "
        "classifiers, and the networks were also fine-tuned for the diagnosis."
    ),
    "key_result": "Accuracy 63% to 99% with 1.5T-to-3T transfer; up to 83% fine-tuning ImageNet ResNets",
    "task": ["classification"],
    "application": ["alzheimers-disease"],
    "mri_modality": ["unspecified"],
    "ml_method": ["cnn"],
    "dimensionality": "3d",
    "architectures": ["custom", "ResNet18", "ResNet50", "ResNet101"],
    "tl_approach": ["feature-extraction"],
    "source_domain": ["brain-mri", "natural-images"],
    "source_datasets": ["ADNI", "ImageNet"],
    "target_datasets": ["ADNI"],
    "label_setting": "inductive",
    "issues_addressed": ["scanner-protocol-shift", "small-target-data"],
    "brain_mri_specific": False,
    "compared_with_no_transfer": True,
    "code_url": None,
    "extracted_from": "abstract",
    "verified": (
        "DOAJ record and publisher metadata: title, four authors (for the Alzheimer's Disease Neuroimaging "
        "Initiative, hence ADNI as the datasets), NeuroImage 2025;307:121016 and the DOI. The abstract says the "
        "Deep approach fine-tunes the pretrained models but not which layers, so fine-tuning is not categorised."
    ),
}
# The contract's required bibliographic fields (shared/corpus/TAXONOMY.md); `new` fills id and added.
REQUIRED_BIBLIOGRAPHIC = ["title", "authors", "year", "venue", "summary"]


def fresh_copy(dest: Path) -> Path:
    """What a clone of the repository holds: tracked files plus new ones not ignored (a contributor's
    clone after this work is committed), never .venv, docs/ output or site/."""
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    for rel in filter(None, out.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


class Contributor:
    """Runs commands in the copy the way a contributor would, with the copy's own generator."""

    def __init__(self, repo: Path):
        self.repo = repo
        self.env = {**os.environ, "PYTHONPATH": str(repo), "NO_MKDOCS_2_WARNING": "1"}
        self.env.pop("GITHUB_ACTIONS", None)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=self.repo, env=self.env)

    def evidence_map(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "generator", *args)


def fill(template: str, values: dict[str, Any]) -> str:
    """Replace each field's placeholder line, as an editor would, keeping the template's comments."""
    for key, value in values.items():
        text = value.isoformat() if isinstance(value, dt.date) else json.dumps(value, ensure_ascii=False)
        template, n = re.subn(rf"^{key}: .*$", lambda _m, k=key, t=text: f"{k}: {t}", template, flags=re.M)
        assert n == 1, f"the template has no single line for {key}"
    return template


def missing_fields(stderr: str, record: str) -> Counter[str]:
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert all(line.startswith(record + ":") for line in errors), errors
    return Counter(line.split(": error: ", 1)[1].split(":", 1)[0] for line in errors)


def slug(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def article_text(page: Path) -> str:
    doc = lxml.html.fromstring(page.read_bytes())
    return " ".join(doc.xpath("//article")[0].text_content().split())


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The path, timed from the fresh copy to the built site; returns what the tests look at."""
    repo = fresh_copy(tmp_path_factory.mktemp("clone"))
    who = Contributor(repo)
    found = who.run("-c", "import generator; print(generator.__file__)").stdout.strip()
    assert Path(found).is_relative_to(repo), f"the copy's generator must run, not {found}"
    taxonomy = yaml.safe_load((repo / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))["facets"]
    existing = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((repo / "data" / "studies").glob("*.yaml"))]
    record_path = f"data/studies/{STUDY_ID}.yaml"
    started = time.monotonic()

    res = who.evidence_map("new", STUDY_ID, "--title", STUDY["title"], "--doi", STUDY["doi"])
    assert res.returncode == 0, res.stderr
    template = (repo / record_path).read_text(encoding="utf-8")
    unfilled = who.evidence_map("validate")

    # The new study must sort first on What's new. `new` wrote today's date, which may tie with records
    # added today; `added` may not lie in the future, so in this copy only, date the others a day earlier.
    added = yaml.safe_load(template)["added"]
    for path in sorted((repo / "data" / "studies").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if path.name != f"{STUDY_ID}.yaml" and f"\nadded: {added.isoformat()}\n" in text:
            path.write_text(text.replace(f"\nadded: {added.isoformat()}\n", f"\nadded: {(added - dt.timedelta(days=1)).isoformat()}\n"), encoding="utf-8")
    existing = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((repo / "data" / "studies").glob("*.yaml")) if p.stem != STUDY_ID]
    (repo / record_path).write_text(fill(template, {**STUDY, "added": added}), encoding="utf-8")
    valid = who.evidence_map("validate")
    assert valid.returncode == 0, valid.stderr
    built = who.evidence_map("build", "--strict")
    assert built.returncode == 0, built.stderr[-4000:]
    took = time.monotonic() - started
    print(f"\ncontributor path (new, validate, fill, validate, strict build): {took:.1f} s")

    records = [*existing, yaml.safe_load((repo / record_path).read_text(encoding="utf-8"))]
    return {"repo": repo, "who": who, "site": repo / "site", "template": template, "unfilled": unfilled, "valid": valid,
            "added": added, "records": records, "taxonomy": taxonomy, "record_path": record_path, "seconds": took}


def required_facets(taxonomy: list[dict]) -> list[str]:
    return [f["name"] for f in taxonomy if (f.get("min_items", 0) > 0 if f["multi"] else "default" not in f)]


def test_the_template_starts_with_the_editor_schema_and_the_given_title(journey):
    lines = journey["template"].splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../../schema/study.schema.json"
    assert (journey["repo"] / "schema" / "study.schema.json").is_file()
    loaded = yaml.safe_load(journey["template"])
    assert (loaded["id"], loaded["title"], loaded["doi"]) == (STUDY_ID, STUDY["title"], STUDY["doi"])


def test_the_unfilled_template_fails_with_one_message_per_missing_field(journey):
    res = journey["unfilled"]
    assert res.returncode == 1
    expected = [f for f in REQUIRED_BIBLIOGRAPHIC if f != "title"] + required_facets(journey["taxonomy"])
    assert missing_fields(res.stderr, journey["record_path"]) == Counter(expected)


def test_a_template_without_title_misses_the_title_too(tmp_path):
    repo = fresh_copy(tmp_path)
    who = Contributor(repo)
    assert who.evidence_map("new", "nobody2025empty").returncode == 0
    res = who.evidence_map("validate")
    assert res.returncode == 1
    taxonomy = yaml.safe_load((repo / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))["facets"]
    expected = REQUIRED_BIBLIOGRAPHIC + required_facets(taxonomy)
    assert missing_fields(res.stderr, "data/studies/nobody2025empty.yaml") == Counter(expected)
    assert res.stderr.rstrip().endswith(f"{len(expected)} problems in 1 file")


def test_validate_counts_the_new_record(journey):
    assert journey["valid"].stdout.startswith(f"{len(journey['records'])} records valid")


def test_the_study_has_its_page(journey):
    page = journey["site"] / "studies" / STUDY_ID / "index.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    assert html.escape(STUDY["title"], quote=False) in text or html.escape(STUDY["title"]) in text
    assert f"https://doi.org/{STUDY['doi']}" in text
    assert "Turrisi" in article_text(page)


def test_explore_includes_it(journey):
    data = json.loads((journey["site"] / "explore" / "studies.json").read_text(encoding="utf-8"))
    ids = [s["id"] for s in data["studies"]]
    assert STUDY_ID in ids and len(ids) == len(journey["records"])
    table = (journey["site"] / "explore" / "index.html").read_text(encoding="utf-8")
    assert f'href="../studies/{STUDY_ID}/"' in table  # the table readable without JavaScript


def test_every_facet_page_of_its_values_lists_it(journey):
    checked = 0
    for facet in journey["taxonomy"]:
        value = STUDY.get(facet["name"], facet.get("default"))
        for v in value if isinstance(value, list) else [value]:
            page = journey["site"] / "facets" / facet["name"] / slug(v) / "index.html"
            assert page.is_file(), page
            assert f"studies/{STUDY_ID}/" in page.read_text(encoding="utf-8"), page
            checked += 1
    assert checked >= len(journey["taxonomy"])


def expected_count(records: list[dict], facet: dict, value: str) -> int:
    def values(r: dict) -> list[str]:
        v = r.get(facet["name"], [] if facet["multi"] else facet.get("default"))
        vs = [slug(x) for x in (v if isinstance(v, list) else [v])]
        return vs or ["not-reported"]
    return sum(value in values(r) for r in records)


def test_the_charts_count_it(journey):
    facets = {f["name"]: f for f in journey["taxonomy"]}
    specs = sorted((journey["site"] / "charts").glob("*.vl.json"))
    assert specs
    checked: set[tuple[str, str]] = set()
    for spec in specs:
        rows = json.loads(spec.read_text(encoding="utf-8")).get("data", {}).get("values", [])
        for row in rows:
            keys = [k for k in row if k in facets]
            if len(keys) != 1 or "count" not in row or "year" in row or "period" in row:
                continue  # only the charts of one facet's counts (not per year or per period)
            name = keys[0]
            assert row["count"] == expected_count(journey["records"], facets[name], slug(row[name])), (spec.name, row)
            checked.add((name, slug(row[name])))
    for name in ("task", "application", "tl_approach", "source_domain"):
        for v in STUDY[name]:
            assert (name, v) in checked, f"no chart counts {name}={v}"


def test_the_counts_include_it(journey):
    n = len(journey["records"])
    stats = journey["who"].evidence_map("stats")
    assert stats.returncode == 0 and stats.stdout.startswith(f"{n} studies")
    block = stats.stdout.split("(application, multi)\n")[1].split("\n\n")[0]
    shown = {line.split()[0]: int(line.split()[1]) for line in block.splitlines() if line.strip()}
    assert shown["alzheimers-disease"] == sum("alzheimers-disease" in r["application"] for r in journey["records"])
    home = article_text(journey["site"] / "index.html")
    assert re.search(rf"\b{n} studies\b", home)
    assert journey["added"].isoformat() in home


def test_whats_new_and_the_feed_list_it_first(journey):
    doc = lxml.html.fromstring((journey["site"] / "whats-new" / "index.html").read_bytes())
    links = [h for h in doc.xpath("//article//li//a/@href") if "/studies/" in h]
    assert links[0] == f"../studies/{STUDY_ID}/"
    first_month = doc.xpath("//article//h2")[0].text_content()
    added: dt.date = journey["added"]
    assert first_month.startswith(added.strftime("%B %Y"))
    feed = feedparser.parse((journey["site"] / "feed.xml").read_bytes())
    assert not feed.bozo
    site_url = yaml.safe_load((journey["repo"] / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    assert feed.entries[0].link == f"{site_url}studies/{STUDY_ID}/"
    assert feed.entries[0].title == STUDY["title"]
    assert feed.feed.updated.startswith(added.isoformat())
