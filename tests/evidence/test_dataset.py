"""The records folder: only regular .yaml files are read; anything else is a message, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import generator.evidence.dataset as dataset
from generator.cli import main
from tests.conftest import make_data, record, write_record


def validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--data", "data"])
    return code, capsys.readouterr().err


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_data(tmp_path, [record()])


def test_a_symbolic_link_to_a_file_elsewhere_is_refused_and_never_read(data, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET-CONTENT\n")
    (data / "studies" / "evil.yaml").symlink_to(secret)
    (data / "studies" / "passwd").symlink_to("/etc/passwd")
    code, err = validate(tmp_path, capsys)
    assert code == 1
    assert err.splitlines()[:2] == [
        "data/studies/evil.yaml:1:1: error: file is a symbolic link; records must be regular files (it was not read)",
        "data/studies/passwd:1:1: error: file is a symbolic link; records must be regular files (it was not read)",
    ]
    assert "SECRET" not in err and "root:" not in err


def test_a_symbolic_link_to_a_folder_is_refused(data, tmp_path, capsys):
    (data / "studies" / "more").symlink_to(tmp_path)
    code, err = validate(tmp_path, capsys)
    assert (code, err.splitlines()[0]) == (1, "data/studies/more:1:1: error: file is a symbolic link; records must be regular files (it was not read)")


def test_symbolic_links_are_not_followed_even_when_passed_directly(data, tmp_path):
    import datetime as dt

    import yaml

    from generator.evidence.taxonomy import parse_taxonomy
    from generator.evidence.validate import check_file
    from tests.conftest import DATA

    link = data / "studies" / "x.yaml"
    link.symlink_to(data / "studies" / "doe2020transfer.yaml")
    taxonomy = parse_taxonomy(yaml.safe_load((DATA / "taxonomy.yaml").read_text()))
    res = check_file(link, taxonomy, "data/studies/x.yaml", dt.date(2026, 6, 1))
    assert [p.message for p in res.problems] == ["file is a symbolic link; records must be regular files (it was not read)"]


def test_fifo_and_folder_named_like_records_are_refused_without_blocking(data, tmp_path, capsys):
    os.mkfifo(data / "studies" / "pipe.yaml")  # opening it for reading would wait for a writer forever
    (data / "studies" / "folder.yaml").mkdir()
    code, err = validate(tmp_path, capsys)
    assert code == 1
    assert err.splitlines()[:2] == [
        "data/studies/folder.yaml:1:1: error: is a folder; records must be regular files (it was not read)",
        "data/studies/pipe.yaml:1:1: error: is not a regular file; records must be regular files (it was not read)",
    ]


def test_an_unlistable_studies_folder_is_a_message(data, tmp_path, capsys, monkeypatch):
    """Tests run as root, which may list any folder: the refusal is simulated."""
    def refuse(path: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(dataset.os, "scandir", refuse)
    code, err = validate(tmp_path, capsys)
    assert code == 1
    assert err.splitlines()[0] == "data/studies:1:1: error: cannot list the folder: Permission denied; records must be readable files in it"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may list any folder")
def test_an_unreadable_studies_folder_is_a_message(data, tmp_path, capsys):
    (data / "studies").chmod(0)
    try:
        code, err = validate(tmp_path, capsys)
    finally:
        (data / "studies").chmod(0o755)
    assert code == 1
    assert "data/studies:1:1: error: cannot list the folder: Permission denied" in err


def test_studies_as_a_file_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    data = make_data(tmp_path, [])
    (data / "studies").rmdir()
    (data / "studies").write_text("not a folder\n")
    code, err = validate(tmp_path, capsys)
    assert (code, err.strip()) == (2, "evidence-map: error: data/studies is not a folder; records go in a studies/ folder")


def test_an_unreadable_record_is_a_message(data, tmp_path, capsys, monkeypatch):
    import generator.evidence.validate as validate_module

    real_open = os.open

    def refuse(path, flags, *args):
        if str(path).endswith("doe2020transfer.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(validate_module.os, "open", refuse)
    code, err = validate(tmp_path, capsys)
    assert (code, err.splitlines()[0]) == (1, "data/studies/doe2020transfer.yaml:1:1: error: cannot read file: Permission denied")


def test_an_oversized_taxonomy_is_refused(data, tmp_path, capsys):
    with (data / "taxonomy.yaml").open("ab") as fh:
        fh.write(b"#" * 1_000_000)
    code, err = validate(tmp_path, capsys)
    assert code == 1
    assert err.splitlines()[0].startswith("data/taxonomy.yaml:1:1: error: file is 1,")
    assert err.splitlines()[0].endswith(" bytes; a data file must be under 1 MB")


def test_a_new_record_with_a_long_id_is_refused(data, tmp_path, capsys):
    code = main(["new", "a" * 260, "--data", "data"])
    assert (code, capsys.readouterr().err.strip()) == (2, "evidence-map: error: the id is 260 characters long; at most 80 allowed")


def test_other_records_are_still_validated(data, tmp_path, capsys):
    (data / "studies" / "evil.yaml").symlink_to("/etc/passwd")
    write_record(data, record(id="zz", doi=None, title="Other study", year=1800))
    code, err = validate(tmp_path, capsys)
    assert code == 1
    assert [line.split(":")[0] for line in err.splitlines()[:2]] == ["data/studies/evil.yaml", "data/studies/zz.yaml"]


def test_a_file_name_with_a_newline_cannot_forge_output_lines(data, tmp_path, capsys):
    (data / "studies" / "x\ndata\\studies\\y.yaml:1:1: error: forged.yaml").write_text("id: x\n")
    code, err = validate(tmp_path, capsys)
    assert code == 1
    assert err.splitlines()[0] == ("data/studies/x\\ndata\\\\studies\\\\y.yaml:1:1: error: forged.yaml:1:1: error: file name contains "
                                   "the control character U+000A; rename the file to its id")
    assert len(err.splitlines()) == 2  # the problem and the count


def test_an_unforeseen_failure_in_one_file_is_reported_against_it(data, tmp_path, capsys, monkeypatch):
    import generator.evidence.validate as validate_module

    real = validate_module.check_file

    def flaky(path, *args, **kwargs):
        if path.name == "doe2020transfer.yaml":
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(validate_module, "check_file", flaky)
    write_record(data, record(id="zz", doi=None, title="Other study", year=1800))
    code, err = validate(tmp_path, capsys)
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "data/studies/doe2020transfer.yaml:1:1: error: could not be checked (RuntimeError: boom); please report this"
    assert lines[1].startswith("data/studies/zz.yaml:")
