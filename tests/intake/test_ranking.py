"""Relevance ranking (intake/ranking.py): similarity while there are no exclusions, a classifier once
there are; WSS@95; scores written by import for new candidates only; the benchmark runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, make_data, record

from generator.cli import main
from generator.intake.discover import Work, fit
from generator.intake.ranking import MIN_NEGATIVES, Ranker, wss_at

RECORDS = [
    "Transfer learning for glioma segmentation in brain MRI",
    "Fine-tuning ImageNet networks to classify Alzheimer's disease from structural MRI",
    "Domain adaptation of brain lesion segmentation across MRI scanners",
]
OFF = [f"Cardiac CT calcium scoring number {i}" for i in range(MIN_NEGATIVES)] + ["Knee radiograph osteoarthritis grading"]


def test_similarity_before_exclusions_then_a_classifier():
    texts = ["Transfer learning for brain tumour segmentation in MRI", "Osteoarthritis grading of knee radiographs"]
    sim = Ranker(RECORDS, OFF[:3])
    assert "similarity" in sim.method
    a, b = sim.scores(texts)
    assert 0 <= b < a <= 1
    nb = Ranker(RECORDS, OFF)
    assert "naive Bayes" in nb.method
    a, b = nb.scores(texts)
    assert 0 <= b < a <= 1 and a > 0.5
    assert Ranker([], []).scores(texts) == [None, None] and Ranker(RECORDS, []).scores([]) == []


def test_wss_at_95():
    assert wss_at([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]) == 0.8 - 0.05
    assert abs(wss_at([0, 0, 0, 0, 0, 0, 0, 0, 1, 1], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]) + 0.05) < 1e-9


def test_import_scores_new_pending_candidates_only(tmp_path, capsys):
    data = make_data(tmp_path, [record()])
    bib = tmp_path / "x.bib"
    bib.write_text("""@article{a, title={Transfer learning for glioma segmentation in small cohorts}, author={Doe, Jane}, year={2020},
doi={10.1016/j.neuroimage.2020.000001}}
@article{b, title={Pretrained networks transferred to brain tumour MRI}, author={Lee, Ann}, year={2024}}
@article{c, title={Grading knee osteoarthritis on radiographs}, author={Berg, Carl}, year={2024}}
""", encoding="utf-8")
    assert main(["import", str(bib), "--source", "scholar", "--data", str(data)]) == 0
    assert "scored by TF-IDF similarity" in capsys.readouterr().out
    (s,) = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (data / "searches").glob("*.yaml")]
    by_key = {c["key"]: c for c in s["candidates"]}
    assert "score" not in by_key["a"]  # a duplicate of the record, decided: not scored
    assert 0 <= by_key["c"]["score"] < by_key["b"]["score"] <= 1


def test_odd_api_values_are_trimmed_to_what_a_search_record_accepts():
    w = fit(Work(key="W1", title="T" * 900, authors=["A" * 400, " "], venue="V" * 400, doi="10.1/has space", arxiv="nope"))
    assert len(w.title) == 500 and len(w.authors) == 1 and len(w.authors[0]) == 300 and len(w.venue) == 300
    assert w.doi is None and w.arxiv is None


def test_the_benchmark_prints_wss_and_how_its_pool_was_built():
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "ranking.py"), "--data", str(ROOT / "data")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith("WSS@95: ") and "pool of 406 real titles, 131 relevant" in last
    assert Path(ROOT / "benchmarks" / "data" / "ranking-pool.csv").read_text(encoding="utf-8").count("\n") == 407
