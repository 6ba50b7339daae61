"""The evidence-map command line as a user runs it: exit codes, help, new, stats, schema."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.conftest import DATA, ROOT, make_data, record


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd or ROOT)


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_validate_real_data():
    res = cli("validate")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"{len(list((DATA / 'studies').glob('*.yaml')))} records valid (data/studies)"


def test_validation_leaves_data_byte_identical(tmp_path):
    before_real = tree_digest(DATA)
    assert cli("validate").returncode == 0
    assert tree_digest(DATA) == before_real
    data = make_data(tmp_path, [record(application=["alzheimer"]), record(id="b", title="x", doi=None, year=1)])
    (data / "studies" / "c.yaml").write_bytes(b"\xff\xfe bad")
    before = tree_digest(data)
    assert cli("validate", "--data", str(data)).returncode == 1
    assert cli("stats", "--data", str(data)).returncode == 1
    assert tree_digest(data) == before


def test_bad_data_never_gives_a_traceback(tmp_path):
    data = make_data(tmp_path, [])
    for name, content in {"a.yaml": "a: [", "b.yaml": "- 1", "c.yaml": "", "d.yaml": "x: &a 1", "e.yaml": "\x00"}.items():
        (data / "studies" / name).write_text(content)
    (data / "taxonomy.yaml").write_text("facets: [{name: 1}]\n")
    res = cli("validate", "--data", str(data))
    assert res.returncode == 1
    assert "Traceback" not in res.stderr
    assert "taxonomy.yaml:1:" in res.stderr


@pytest.mark.parametrize("args", [("validate", "--data", "/nonexistent/data"), ("frobnicate",), ("validate", "--bogus"), ()])
def test_usage_errors_exit_2(args):
    res = cli(*args)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "error" in res.stderr


@pytest.mark.parametrize("command", ["validate", "new", "stats", "schema", "build"])
def test_help_on_each_command(command):
    res = cli(command, "--help")
    assert res.returncode == 0
    assert res.stdout.startswith(f"usage: evidence-map {command}")


def test_console_script_is_installed():
    exe = Path(sys.executable).parent / "evidence-map"
    res = subprocess.run([str(exe), "--help"], capture_output=True, text=True)
    assert res.returncode == 0 and "validate" in res.stdout


def test_new_writes_a_commented_template_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    make_data(tmp_path, [])
    assert main(["new", "smith2024deep", "--title", 'Deep "learning": a <b>test</b>', "--doi", "10.1000/xyz"]) == 0
    path = tmp_path / "data" / "studies" / "smith2024deep.yaml"
    text = path.read_text()
    loaded = yaml.safe_load(text)
    assert loaded["id"] == "smith2024deep"
    assert loaded["title"] == 'Deep "learning": a <b>test</b>'
    assert loaded["doi"] == "10.1000/xyz"
    assert loaded["added"] == dt.date.today()
    assert "#   alzheimers-disease: Alzheimer's disease diagnosis or prognosis." in text
    before = path.read_bytes()
    assert main(["new", "smith2024deep"]) == 2
    assert "already exists; not overwriting it" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_unfilled_template_fails_with_a_message_per_missing_field(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    make_data(tmp_path, [])
    main(["new", "smith2024deep"])
    capsys.readouterr()
    assert main(["validate", "--data", "data"]) == 1
    errors = [e for e in capsys.readouterr().err.splitlines() if ": error: " in e]
    fields = sorted(e.split(": error: ")[1].split(":")[0] for e in errors)
    assert fields == sorted(["title", "authors", "year", "venue", "publication_type", "summary", "task", "application", "extracted_from"])
    assert all(e.startswith("data/studies/smith2024deep.yaml:") for e in errors)


@pytest.mark.parametrize("bad", [("new", "Bad Id"), ("new", "ok2024", "--doi", "doi:10.1/x")])
def test_new_rejects_bad_arguments(tmp_path, bad):
    make_data(tmp_path, [])
    res = cli(*bad, "--data", str(tmp_path / "data"))
    assert res.returncode == 2
    assert list((tmp_path / "data" / "studies").iterdir()) == []


def test_stats_counts_match_the_records():
    res = cli("stats")
    assert res.returncode == 0
    records = [yaml.safe_load(p.read_text()) for p in (DATA / "studies").glob("*.yaml")]
    counts = Counter(v for r in records for v in r["application"])
    block = res.stdout.split("Application (application, multi)\n")[1].split("\n\n")[0]
    shown = {line.split()[0]: int(line.split()[1]) for line in block.splitlines()}
    assert {k: v for k, v in shown.items() if v} == dict(counts)
    not_reported = sum(1 for r in records if not r.get("tl_approach"))
    tl = res.stdout.split("(tl_approach, multi)\n")[1].split("\n\n")[0]
    assert "not-reported" in tl and tl.rstrip().endswith(str(not_reported))
    assert res.stdout.startswith(f"{len(records)} studies, ")


def test_schema_command_prints_the_generated_schema():
    res = cli("schema")
    assert res.returncode == 0
    schema = json.loads(res.stdout)
    assert schema["title"] == "Study record"
    assert "alzheimers-disease" in schema["properties"]["application"]["items"]["enum"]
