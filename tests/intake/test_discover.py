"""evidence-map discover: the real clients (pyalex, arxiv) against a local server replaying answers in
the APIs' documented formats: paging, deduplication, ranking, retries (5xx, 429 Retry-After,
timeouts), a clear error with nothing written, and the pull request's body. Nothing leaves the machine."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from pathlib import Path

import arxiv
import pyalex
import pytest
import yaml
from apis import arxiv_entry, arxiv_pages, no_internet, openalex_pages, openalex_work
from conftest import make_data, record
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from generator.cli import main
from generator.evidence.dataset import load
from generator.intake import discover as d

__all__ = ["no_internet"]

TODAY = dt.date.today()

BRAIN = ("Self-supervised pretraining transfers to brain MRI tumour segmentation",
         "We pretrain a network on unlabelled brain MRI and transfer it to glioma segmentation with few labels.")
KNEE = ("Cartilage thickness of the knee from radiographs", "Knee radiographs of osteoarthritis patients measured by hand.")


def openalex_results() -> list[dict]:
    return [
        # the map's record (same DOI, another spelling): known
        openalex_work("W1", "Transfer Learning for Glioma Segmentation in Small Cohorts", ["Jane Doe", "Richard Roe"], 2020,
                      "NeuroImage", doi="10.1016/J.NEUROIMAGE.2020.000001"),
        openalex_work("W2", BRAIN[0], ["Ann Lee", "Bo Chen"], 2025, "Medical Image Analysis", doi="10.1016/j.media.2025.000002",
                      abstract=BRAIN[1]),
        openalex_work("W3", KNEE[0], ["Carl Berg"], 2025, "Osteoarthritis and Cartilage", doi="10.1016/j.joca.2025.000003", abstract=KNEE[1]),
        openalex_work("W4", "Domain adaptation of <i>brain</i> MRI segmentation across scanners with transfer learning",
                      ["Dana Fox"], 2025, None, landing="https://example.org/w4"),
        openalex_work("W2", BRAIN[0], ["Ann Lee", "Bo Chen"], 2025, "Medical Image Analysis", doi="10.1016/j.media.2025.000002"),
    ]


def arxiv_results() -> list[str]:
    return [
        # the preprint of W2 (published version found by OpenAlex in the same run): linked, not proposed
        arxiv_entry("2501.00001v2", BRAIN[0], ["Ann Lee", "Bo Chen"], "2025-01-05", BRAIN[1]),
        arxiv_entry("2501.00002v1", "Federated transfer learning for multi-site brain MRI harmonisation", ["Eve Park"], "2025-02-01",
                    "Harmonising brain MRI across sites by transfer learning."),
        # a new version (v3) of a preprint that an earlier search already had (and excluded)
        arxiv_entry("2103.09999v3", "Quantum annealing of protein folding", ["Zed Old"], "2021-03-20", "Proteins."),
    ]


EARLIER = """\
id: 2026-01-01-arxiv
source: arxiv
kind: api
query: "search_query=old"
run: 2026-01-01
candidates:
  - key: "2103.09999"
    title: "Quantum annealing of protein folding"
    authors: ["Old, Zed"]
    year: 2021
    venue: arXiv
    arxiv: "2103.09999"
    decision: exclude
    record: null
    reason: out-of-scope
"""


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(d, "SETTINGS", d.Settings(timeout=1.0, retries=2, backoff=0.0, arxiv_delay=0.0, page_size=2))
    monkeypatch.setitem(pyalex.config, "email", None)


@pytest.fixture
def server(httpserver: HTTPServer, monkeypatch, no_internet, fast) -> HTTPServer:
    monkeypatch.setitem(pyalex.config, "openalex_url", httpserver.url_for("/").rstrip("/"))
    monkeypatch.setattr(arxiv.Client, "query_url_format", httpserver.url_for("/api/query") + "?{}")
    monkeypatch.setenv(d.MAILTO_ENV, "maps@example.org")
    return httpserver


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = make_data(tmp_path, [record()])  # doe2020transfer, DOI 10.1016/j.neuroimage.2020.000001
    (data / "searches").mkdir()
    (data / "searches" / "2026-01-01-arxiv.yaml").write_text(EARLIER, encoding="utf-8")
    return data


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def written(data: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((data / "searches").glob("*.yaml"))
            if p.stem != "2026-01-01-arxiv"}


def serve_both(server: HTTPServer) -> None:
    server.expect_request("/works").respond_with_handler(openalex_pages(openalex_results(), per_page=2))
    server.expect_request("/api/query").respond_with_handler(arxiv_pages(arxiv_results()))


def test_tests_cannot_reach_the_internet(no_internet):
    with pytest.raises(AssertionError, match="offline"):
        socket.create_connection(("example.org", 80), timeout=1)


def test_discover_writes_ranked_deduplicated_search_records(server, data, capsys):
    serve_both(server)
    code, out, err = run(capsys, "discover", "--data", str(data))
    assert code == 0, err
    files = written(data)
    oa, ax = files[f"{TODAY}-openalex"], files[f"{TODAY}-arxiv"]
    assert oa["kind"] == "api" and oa["source"] == "openalex"
    assert 'search="transfer learning" AND (MRI OR "magnetic resonance") AND brain' in oa["query"]
    assert "from_publication_date:2021-01-01" in oa["query"]  # the first run: from discovery.started
    # paging: five works on three pages; the record's duplicate and the repeated W2 are left out
    assert [c["key"] for c in oa["candidates"]] == ["W2", "W4", "W3"]  # highest score first
    assert "W1 = doe2020transfer (same DOI, 1.00)" in out and "1 repeated within the results" in out
    w2 = oa["candidates"][0]
    assert w2["authors"] == ["Lee, Ann", "Chen, Bo"] and w2["venue"] == "Medical Image Analysis" and w2["doi"] == "10.1016/j.media.2025.000002"
    assert w2["year"] == 2025 and w2["decision"] == "pending" and w2["url"] == "https://doi.org/10.1016/j.media.2025.000002"
    assert oa["candidates"][1]["title"] == "Domain adaptation of brain MRI segmentation across scanners with transfer learning"
    scores = {c["key"]: c["score"] for c in oa["candidates"]}
    assert all(0 <= s <= 1 for s in scores.values()) and scores["W3"] < scores["W2"]
    # arXiv: the preprint of W2 and the new version of an excluded preprint are reported, not proposed
    assert [c["key"] for c in ax["candidates"]] == ["2501.00002"]
    assert ax["candidates"][0]["arxiv"] == "2501.00002" and ax["candidates"][0]["url"] == "https://arxiv.org/abs/2501.00002"
    assert f"2501.00001 = {TODAY}-openalex:W2 (preprint and published version, 0.80)" in out
    assert "2103.09999 = 2026-01-01-arxiv:2103.09999 (same arXiv id" in out
    # since the last arxiv run (2026-01-01) minus 30 days of overlap
    assert "submittedDate:[202512020000 TO" in ax["query"] and "cat:eess.IV OR cat:cs.CV" in ax["query"]
    # the data stay valid, and screen lists the new candidates by score
    ds = load(data)
    assert sum(len(s.candidates) for s in ds.searches if s.run == TODAY) == 4
    code, out, _ = run(capsys, "screen", "--data", str(data))
    assert f"{TODAY}-openalex:W2" in out.splitlines()[0] and out.splitlines()[0].startswith("[")


def test_a_second_run_adds_nothing(server, data, capsys):
    serve_both(server)
    assert run(capsys, "discover", "--data", str(data))[0] == 0
    before = {p.name: p.read_bytes() for p in (data / "searches").iterdir()}
    code, out, _ = run(capsys, "discover", "--data", str(data))
    assert code == 0
    assert out.count("0 new candidates") == 2 and out.count("nothing new") == 2
    assert {p.name: p.read_bytes() for p in (data / "searches").iterdir()} == before
    # --keep dates the run with an empty record, under a new id
    assert run(capsys, "discover", "--source", "arxiv", "--keep", "--data", str(data))[0] == 0
    assert written(data)[f"{TODAY}-arxiv-2"]["candidates"] == []


def test_requests_carry_the_contact_address_and_the_date_filter(server, data, capsys):
    seen: list[Request] = []
    handler = openalex_pages(openalex_results()[:2], per_page=2)

    def spy(request: Request) -> Response:
        seen.append(request)
        return handler(request)

    server.expect_request("/works").respond_with_handler(spy)
    assert run(capsys, "discover", "--source", "openalex", "--since", "2025-06-01", "--data", str(data))[0] == 0
    (req,) = seen
    assert req.headers.get("From") == "maps@example.org"
    assert "from_publication_date:2025-06-01" in req.args["filter"] and "type:article|preprint|book-chapter" in req.args["filter"]
    assert req.args["per-page"] == "2" and req.args["cursor"] == "*"


def test_a_server_error_is_retried(server, data, capsys):
    handler = openalex_pages(openalex_results(), per_page=2)
    calls = {"n": 0}

    def flaky(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return Response("<html>502 Bad Gateway</html>", status=502)
        return handler(request)

    server.expect_request("/works").respond_with_handler(flaky)
    code, _, err = run(capsys, "discover", "--source", "openalex", "--data", str(data))
    assert code == 0, err
    assert len(written(data)[f"{TODAY}-openalex"]["candidates"]) == 3


def test_a_persistent_failure_is_a_clear_error_and_nothing_is_written(server, data, capsys):
    server.expect_request("/works").respond_with_data("Service Unavailable", status=503)
    server.expect_request("/api/query").respond_with_handler(arxiv_pages(arxiv_results()))
    code, _, err = run(capsys, "discover", "--data", str(data))
    assert code == 1
    assert "error: OpenAlex: HTTP 503" in err and "nothing written for openalex" in err
    assert "1 of 2 sources failed" in err
    assert list(written(data)) == [f"{TODAY}-arxiv"]  # the other source still ran


def test_arxiv_errors_are_retried_then_reported(server, data, capsys):
    calls = {"n": 0}
    handler = arxiv_pages(arxiv_results())

    def flaky(request: Request) -> Response:
        calls["n"] += 1
        return Response("oops", status=500) if calls["n"] == 1 else handler(request)

    server.expect_request("/api/query").respond_with_handler(flaky)
    assert run(capsys, "discover", "--source", "arxiv", "--data", str(data))[0] == 0
    server.clear()
    server.expect_request("/api/query").respond_with_data("down", status=500)
    code, _, err = run(capsys, "discover", "--source", "arxiv", "--since", "2025-01-01", "--data", str(data))
    assert code == 1 and "error: arXiv: HTTP 500" in err and "nothing written for arxiv" in err


def test_a_rate_limit_waits_for_retry_after(server, data, capsys):
    handler = openalex_pages(openalex_results(), per_page=2)
    calls = {"n": 0}

    def limited(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 2:  # on the second page
            return Response(json.dumps({"error": "rate limit"}), status=429, headers={"Retry-After": "1"}, content_type="application/json")
        return handler(request)

    server.expect_request("/works").respond_with_handler(limited)
    start = time.monotonic()
    code, _, err = run(capsys, "discover", "--source", "openalex", "--data", str(data))
    assert code == 0, err
    assert time.monotonic() - start >= 1.0
    assert calls["n"] == 4  # three pages and one refusal


def test_a_timeout_is_retried_and_a_persistent_one_reported(server, data, capsys):
    handler = arxiv_pages(arxiv_results())
    calls = {"n": 0}

    def slow_once(request: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            time.sleep(1.5)
        return handler(request)

    server.expect_request("/api/query").respond_with_handler(slow_once)
    code, _, err = run(capsys, "discover", "--source", "arxiv", "--data", str(data))
    assert code == 0, err
    server.clear()

    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return handler(request)

    server.expect_request("/api/query").respond_with_handler(slow)
    code, _, err = run(capsys, "discover", "--source", "arxiv", "--since", "2025-01-01", "--data", str(data))
    assert code == 1 and "arXiv:" in err and "timeout" in err.lower()
    assert list(written(data)) == [f"{TODAY}-arxiv"]


def test_unreachable_server_is_a_clear_error(monkeypatch, data, capsys, no_internet, fast):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(pyalex.config, "openalex_url", f"http://127.0.0.1:{port}")
    code, _, err = run(capsys, "discover", "--source", "openalex", "--data", str(data))
    assert code == 1 and "cannot connect" in err and "nothing written" in err
    assert written(data) == {}


def test_usage_errors(data, capsys, tmp_path):
    code, _, err = run(capsys, "discover", "--source", "pubmed", "--data", str(data))
    assert code == 2 and "evidence-map import" in err
    review = (data / "review.yaml").read_text(encoding="utf-8")
    (data / "review.yaml").write_text(review.split("\ndiscovery:")[0] + "\n", encoding="utf-8")
    code, _, err = run(capsys, "discover", "--data", str(data))
    assert code == 2 and "no discovery: section" in err


def test_discovery_section_errors_name_file_line_and_column(data, capsys):
    review = (data / "review.yaml").read_text(encoding="utf-8")
    lines = review.splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("  cadence:"))
    lines[i] = "  cadence: fortnightly"
    (data / "review.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", "--data", str(data))
    assert code == 1
    assert f"review.yaml:{i + 1}:12: error: discovery.cadence:" in err


def test_pr_body_lists_top_candidates_by_score_within_github_limits(server, data, capsys, tmp_path):
    serve_both(server)
    assert run(capsys, "discover", "--data", str(data))[0] == 0
    body_file = tmp_path / "body.md"
    files = sorted(str(p) for p in (data / "searches").glob(f"{TODAY}-*.yaml"))
    code, out, _ = run(capsys, "discover", "--pr-body", str(body_file), *files, "--data", str(data))
    assert "wrote" in out
    assert code == 0
    title, _, body = body_file.read_text(encoding="utf-8").partition("\n\n")
    assert title == f"Discovery: 4 new candidates to screen ({TODAY})"
    rows = [line for line in body.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 4 and BRAIN[0] in rows[0]
    assert "[W2](https://doi.org/10.1016/j.media.2025.000002)" in rows[0]


def test_pr_body_stays_under_the_size_limit():
    from generator.evidence.searches import Candidate, Search

    cands = tuple(Candidate(key=f"W{i}", title="A very long title | with pipes <b>" * 14, decision="pending", score=i / 1000,
                            url=f"https://example.org/{i}") for i in range(1000))
    s = Search("2026-11-30-openalex", "openalex", "api", None, "q", None, dt.date(2026, 11, 30), cands, "x")
    title, body = d.pr_body([s], dt.date(2026, 11, 30))
    assert len(body) < 65536 and "1000 new candidates" in title
    assert "more in the search records" in body and "<b>" not in body
    rows = [line for line in body.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert rows[0].startswith("| 1 | 1.00 |") and len(rows) == 50
    title, body = d.pr_body([s], dt.date(2026, 11, 30), rows=1000)  # the character limit, not the row limit, stops it
    assert 59000 < len(body) < 60000 and "more in the search records" in body
