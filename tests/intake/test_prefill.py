"""evidence-map new ID --doi / --arxiv: bibliographic fields from Crossref / arXiv (a local server
replaying their documented answers), and a plain message with the template still written when offline."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import arxiv
import pytest
import yaml
from apis import arxiv_entry, arxiv_pages, crossref_work, no_internet
from conftest import make_data
from pytest_httpserver import HTTPServer

from generator.cli import main
from generator.intake import discover as d
from generator.intake import prefill

__all__ = ["no_internet"]

DOI = "10.3390/jimaging7040066"


@pytest.fixture
def online(monkeypatch, httpserver: HTTPServer, no_internet) -> HTTPServer:
    monkeypatch.delenv("EVIDENCE_MAP_OFFLINE", raising=False)
    monkeypatch.setattr(d, "SETTINGS", d.Settings(timeout=1.0, retries=1, backoff=0.0, arxiv_delay=0.0, page_size=2))
    monkeypatch.setattr(prefill, "CROSSREF_URL", httpserver.url_for("/"))
    monkeypatch.setattr(arxiv.Client, "query_url_format", httpserver.url_for("/api/query") + "?{}")
    return httpserver


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return make_data(tmp_path, [])


def new_record(data: Path, capsys, *argv: str) -> tuple[int, dict | None, str]:
    code = main(["new", *argv, "--data", str(data)])
    _, err = capsys.readouterr()
    path = data / "studies" / f"{argv[0]}.yaml"
    return code, (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None), err


def test_doi_fills_the_bibliographic_fields_from_crossref(online, data, capsys):
    msg = crossref_work(DOI, "Transfer Learning in Magnetic Resonance Brain Imaging: A Systematic Review",
                        [("Valverde", "Juan Miguel"), ("Imani", "Vandad"), ("Tohka", "Jussi")], 2021, "Journal of Imaging")
    online.expect_request(f"/works/{DOI}").respond_with_json(msg)
    code, rec, err = new_record(data, capsys, "valverde2021transfer", "--doi", DOI)
    assert code == 0 and "bibliographic fields from Crossref" in err
    assert rec["title"] == "Transfer Learning in Magnetic Resonance Brain Imaging: A Systematic Review"
    assert rec["authors"] == ["Valverde, Juan Miguel", "Imani, Vandad", "Tohka, Jussi"]
    assert rec["year"] == 2021 and rec["venue"] == "Journal of Imaging" and rec["doi"] == DOI
    assert rec["url"] == f"https://doi.org/{DOI}"
    assert rec["task"] == [] and rec["application"] == []  # the categories stay for a person


def test_arxiv_fills_the_fields_from_arxiv(online, data, capsys):
    online.expect_request("/api/query").respond_with_handler(arxiv_pages([
        arxiv_entry("2102.01530v3", "Transfer Learning in Magnetic Resonance Brain Imaging: a Systematic Review",
                    ["Juan Miguel Valverde", "Jussi Tohka"], "2021-02-02", "A review.", doi=DOI, journal_ref="J. Imaging 7(4), 66 (2021)")]))
    code, rec, err = new_record(data, capsys, "valverde2021transfer", "--arxiv", "arXiv:2102.01530v3")
    assert code == 0, err
    assert rec["authors"] == ["Valverde, Juan Miguel", "Tohka, Jussi"] and rec["year"] == 2021
    assert rec["url"] == "https://arxiv.org/abs/2102.01530" and rec["doi"] == DOI and rec["venue"] == "J. Imaging 7(4), 66 (2021)"


def test_an_unknown_doi_or_a_dead_network_still_writes_the_template_and_says_so(online, data, capsys, monkeypatch):
    online.expect_request(f"/works/{DOI}").respond_with_data(json.dumps({"status": "error", "message": "Resource not found."}), status=404)
    code, rec, err = new_record(data, capsys, "a2021x", "--doi", DOI, "--title", "My own title")
    assert code == 0 and "Crossref has no record of DOI" in err and "fill them in by hand" in err
    assert rec["doi"] == DOI and rec["title"] == "My own title" and rec["authors"] == []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setattr(prefill, "CROSSREF_URL", f"http://127.0.0.1:{port}")
    code, rec, err = new_record(data, capsys, "b2021x", "--doi", DOI)
    assert code == 0 and "could not fetch the bibliographic fields from Crossref (Crossref: cannot connect" in err
    assert rec["doi"] == DOI and rec["title"] is None


def test_a_server_error_is_retried(online, data, capsys):
    calls = {"n": 0}
    msg = crossref_work(DOI, "A title", [("Doe", "Jane")], 2021, "Journal")

    def flaky(request):
        from werkzeug import Response

        calls["n"] += 1
        return Response("busy", status=503) if calls["n"] == 1 else Response(json.dumps(msg), content_type="application/json")

    online.expect_request(f"/works/{DOI}").respond_with_handler(flaky)
    code, rec, _ = new_record(data, capsys, "doe2021a", "--doi", DOI)
    assert code == 0 and rec["title"] == "A title" and calls["n"] == 2


def test_offline_flag_and_bad_arxiv_id(data, capsys, no_internet):
    code, rec, err = new_record(data, capsys, "c2021x", "--doi", DOI, "--offline")
    assert code == 0 and rec["doi"] == DOI and "Crossref" not in err
    assert main(["new", "d2021x", "--arxiv", "not-an-id", "--data", str(data)]) == 2
