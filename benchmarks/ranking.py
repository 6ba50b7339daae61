"""How much screening the relevance ranking saves: WSS@95 on a labelled pool of real titles.

    .venv/bin/python benchmarks/ranking.py [--data data] [--folds 5] [--seed 1]

The pool (benchmarks/data/ranking-pool.csv, 406 entries) is the whole bibliography of the source
review's first author's PhD thesis (public repository jmlipman/PhDThesisTemplate_UEF_HealthSciences,
biblio.bib, commit cf512b1), read with the map's own BibTeX importer. An entry is *relevant* when
its key is one of the 131 entries of the source review's reconstructed included list
(tests/intake/fixtures/review-2021-included.bib, the same file's contiguous runs of transfer-learning
brain-MRI studies, see data/searches/2026-11-30-review-2021-included.yaml); the other 275 are the
thesis's background references: neuroimaging and medical-imaging datasets, segmentation and
deep-learning methods, surveys, some later brain-MRI work. They are real titles a search for this map
could plausibly return, not generated ones; some later (2021-2022) entries would be on topic for the
living map but count as not relevant here, so the figures are conservative. Only titles are used for
pool entries (candidates carry no abstract).

Training data never contains a pool entry's study: map records that deduplication (intake/dedupe.py,
any confidence) or a title similarity of 0.9 matches to a pool entry are held out, so the positives
are the remaining records (titles + summaries), mostly studies published after 2020.

Two settings, as generator/intake/ranking.py uses them:
1. no exclusions yet (a new map): TF-IDF similarity of each pool title to the held-out-free records;
   WSS@95 over the whole pool;
2. with exclusions: k-fold cross-validation over the pool (stratified, fixed seed): the classifier
   (naive Bayes on TF-IDF) learns from the records plus the other folds' entries (relevant ones as
   positives, the others as exclusions) and ranks the held-out fold; WSS@95 per fold, mean and range.

WSS@95 (work saved over sampling at 95% recall; Cohen et al. 2006): screening in score order, the
share of the pool not read when 95% of the relevant entries are found, minus 0.05. Random order
scores 0 on average, a perfect ranking 1 - 0.05 - (relevant share) * 0.95. Nothing here was tuned
on this pool: the model's settings are fixed in ranking.py.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
from pathlib import Path

from rapidfuzz import fuzz

from generator.evidence.dataset import load
from generator.evidence.normalise import title_key
from generator.intake.dedupe import Index, item
from generator.intake.ranking import Ranker, record_text, wss_at

HERE = Path(__file__).resolve().parent
POOL = HERE / "data" / "ranking-pool.csv"


def read_pool() -> list[dict]:
    with POOL.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["year"] = int(r["year"]) if r["year"] else None
        r["relevant"] = int(r["relevant"])
    return rows


def held_out_records(data: Path, pool: list[dict]) -> tuple[list[str], int]:
    """Record texts with every study that is also in the pool removed; and how many were removed."""
    ds = load(data)
    index = Index()
    for i, p in enumerate(pool):
        index.add(item(f"pool:{i}", "candidate", p["title"], p["year"], [p["first_author"]] if p["first_author"] else [], None, None))
    keys = [title_key(p["title"]) for p in pool]
    kept, removed = [], 0
    for st in ds.studies:
        m = index.match(item(st.id, "within", st.title, st.year, st.authors, st.venue, st.doi, None, st.url))
        tk = title_key(st.title)
        close = any(fuzz.ratio(tk, k) >= 90 for k in keys)
        if m is not None or close:
            removed += 1
        else:
            kept.append(record_text(st.title, st.summary))
    return kept, removed


def folds(labels: list[int], k: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    out: list[list[int]] = [[] for _ in range(k)]
    for label in (1, 0):
        idx = [i for i, y in enumerate(labels) if y == label]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            out[j % k].append(i)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=Path("data"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    pool = read_pool()
    titles = [p["title"] for p in pool]
    labels = [p["relevant"] for p in pool]
    records, removed = held_out_records(args.data, pool)

    # 1. no exclusions: similarity to the map
    sim = Ranker(records, []).scores(titles)
    wss_sim = wss_at(labels, [s or 0 for s in sim])

    # 2. exclusions known: k-fold cross-validation over the pool
    per_fold = []
    for test in folds(labels, args.folds, args.seed):
        held = set(test)
        pos = records + [titles[i] for i in range(len(pool)) if i not in held and labels[i]]
        neg = [titles[i] for i in range(len(pool)) if i not in held and not labels[i]]
        ranker = Ranker(pos, neg)
        scores = ranker.scores([titles[i] for i in test])
        per_fold.append(wss_at([labels[i] for i in test], [s or 0 for s in scores]))

    # a random order, for scale (mean over 200 shuffles)
    rng = random.Random(args.seed)
    rand = statistics.mean(wss_at(labels, [rng.random() for _ in labels]) for _ in range(200))

    result = {
        "pool": {"entries": len(pool), "relevant": sum(labels), "not_relevant": len(pool) - sum(labels),
                 "source": "thesis bibliography (jmlipman/PhDThesisTemplate_UEF_HealthSciences biblio.bib, cf512b1); "
                           "relevant = the source review's reconstructed included list"},
        "training_records": {"used": len(records), "held_out_as_pool_studies": removed},
        "wss95_similarity_no_exclusions": round(wss_sim, 3),
        "wss95_naive_bayes_cv": {"folds": args.folds, "seed": args.seed, "mean": round(statistics.mean(per_fold), 3),
                                 "min": round(min(per_fold), 3), "max": round(max(per_fold), 3)},
        "wss95_random_order_mean": round(rand, 3),
        "best_possible_wss95": round(1 - 0.05 - sum(labels) / len(pool) * 0.95, 3),
    }
    print(json.dumps(result, indent=2))
    print(f"WSS@95: {result['wss95_similarity_no_exclusions']:.2f} by similarity to the map (no exclusions yet), "
          f"{result['wss95_naive_bayes_cv']['mean']:.2f} by naive Bayes with exclusions ({args.folds}-fold CV, "
          f"range {result['wss95_naive_bayes_cv']['min']:.2f}-{result['wss95_naive_bayes_cv']['max']:.2f}); "
          f"random order {result['wss95_random_order_mean']:.2f}, best possible {result['best_possible_wss95']:.2f}; "
          f"pool of {len(pool)} real titles, {sum(labels)} relevant; {len(records)} training records "
          f"({removed} held out as pool studies)")


if __name__ == "__main__":
    main()
