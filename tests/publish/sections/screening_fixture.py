"""A data folder with two search sources whose PRISMA counts are known, one hostile candidate included."""

from __future__ import annotations

from pathlib import Path

from site_fixture import HOSTILE

PUBMED = "2026-01-05-pubmed"
SCOPUS = "2026-02-01-scopus"
HOSTILE_TITLE = f"Hostile {HOSTILE}"

# source -> (identified, duplicates, screened, {reason: excluded}, included, pending)
EXPECTED = {
    "pubmed": (7, 1, 6, {"not-brain-mri": 2, "no-transfer-learning": 1}, 1, 2),
    "scopus": (2, 1, 1, {}, 0, 1),
}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


PUBMED_TEXT = f"""\
id: {PUBMED}
source: pubmed
kind: api
query: "transfer learning AND brain AND MRI"
run: 2026-01-05
candidates:
  - key: "1"
    title: "Transfer learning for glioma segmentation in small cohorts"
    authors: ["Doe, Jane"]
    year: 2020
    doi: 10.1016/j.neuroimage.2020.000001
    decision: include
    record: doe2020transfer
    reason: null
    duplicate_of: doe2020transfer
    confidence: 1.0
  - key: "2"
    title: "Transfer learning for glioma segmentation in small cohorts (erratum)"
    decision: exclude
    record: null
    reason: duplicate
    duplicate_of: doe2020transfer
    confidence: 0.9
  - key: "3"
    title: "A CT study"
    decision: exclude
    record: null
    reason: not-brain-mri
  - key: "4"
    title: "A PET study"
    decision: exclude
    record: null
    reason: not-brain-mri
  - key: "5"
    title: "A study without transfer"
    decision: exclude
    record: null
    reason: no-transfer-learning
    note: {_q(HOSTILE)}
  - key: "6"
    title: {_q(HOSTILE_TITLE)}
    authors: [{_q("Evil, " + HOSTILE)}]
    venue: {_q(HOSTILE)}
    url: "https://example.org/x?a=1&b=%222%22%3Cscript%3E&c=_*x*_"
    decision: pending
    record: null
    reason: null
  - key: "7"
    title: "Pretraining on synthetic scans (part 1)"
    authors: ["Roe, Richard", "Poe, Edgar"]
    year: 2025
    venue: "Medical Image Analysis"
    url: "https://example.org/paper_%281%29"
    decision: pending
    record: null
    reason: null
"""

SCOPUS_TEXT = f"""\
id: {SCOPUS}
source: scopus
kind: file
file: scopus.ris
run: 2026-02-01
candidates:
  - key: s1
    title: "Pretraining on synthetic scans (part 1)"
    decision: exclude
    record: null
    reason: duplicate
    duplicate_of: "{PUBMED}:7"
    confidence: 0.95
  - key: s2
    title: "Federated transfer for stroke"
    arxiv: "2501.01234"
    decision: pending
    record: null
    reason: null
"""


def write_searches(data: Path) -> None:
    (data / "searches").mkdir(exist_ok=True)
    (data / "searches" / f"{PUBMED}.yaml").write_text(PUBMED_TEXT, encoding="utf-8")
    (data / "searches" / f"{SCOPUS}.yaml").write_text(SCOPUS_TEXT, encoding="utf-8")
