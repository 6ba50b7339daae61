"""Relevance ranking of pending candidates by a text model trained on the map itself.

ASReview's default approach: TF-IDF features of the text and a classifier that learns from what was
decided. Positives are the map's records (title and summary); negatives are candidates excluded for
a reason other than `duplicate` (a duplicate says nothing about relevance). With at least
MIN_NEGATIVES negatives the score is a naive Bayes classifier's probability of relevance; before that
(a new map has no exclusions) it is the TF-IDF cosine similarity to the nearest records, rescaled to
[0, 1]. Candidates only carry a title (abstracts are never stored), so scoring reads the title,
plus the abstract when the source gave one at run time (it is used, not written).

benchmarks/ranking.py measures both on a labelled pool (README: "Ranking")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..evidence.dataset import Dataset
from ..evidence.review import DUPLICATE

MIN_NEGATIVES = 10
"""Below this many exclusions the classifier has too little to learn from: similarity is used."""
NEIGHBOURS = 5
"""Similarity: mean cosine to this many nearest records (robust to a single look-alike record)."""


def record_text(title: str, summary: str | None = None) -> str:
    return f"{title} {summary or ''}".strip()


@dataclass
class Ranker:
    positives: list[str]
    negatives: list[str]

    @classmethod
    def from_dataset(cls, ds: Dataset) -> Ranker:
        positives = [record_text(st.title, st.summary) for st in ds.studies]
        negatives = [c.title for s in ds.searches for c in s.candidates if c.decision == "exclude" and c.reason != DUPLICATE]
        return cls(positives, negatives)

    @property
    def method(self) -> str:
        if not self.positives:
            return "none (the map has no records)"
        if len(self.negatives) >= MIN_NEGATIVES:
            return f"naive Bayes on TF-IDF ({len(self.positives)} records, {len(self.negatives)} exclusions)"
        return f"TF-IDF similarity to the map's {len(self.positives)} records (fewer than {MIN_NEGATIVES} exclusions to learn from)"

    def scores(self, texts: Sequence[str]) -> list[float | None]:
        """A score in [0, 1] per text (higher: more like the map's records), rounded to 3 places."""
        if not texts:
            return []
        if not self.positives:
            return [None] * len(texts)
        if len(self.negatives) >= MIN_NEGATIVES:
            raw = _classifier(self.positives, self.negatives, texts)
        else:
            raw = _similarity(self.positives, texts)
        return [round(float(min(1.0, max(0.0, x))), 3) for x in raw]


def _vectorizer():  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1, strip_accents="unicode")


def _classifier(positives: Sequence[str], negatives: Sequence[str], texts: Sequence[str]) -> list[float]:
    from sklearn.naive_bayes import MultinomialNB

    vec = _vectorizer()
    x = vec.fit_transform(list(positives) + list(negatives))
    y = [1] * len(positives) + [0] * len(negatives)
    # strong smoothing (titles are short); equal priors: the training set is unbalanced (few
    # exclusions early on), and the score should be about the words, not about the class sizes
    model = MultinomialNB(alpha=3.0, fit_prior=False)
    model.fit(x, y)
    return list(model.predict_proba(vec.transform(list(texts)))[:, 1])


def _similarity(positives: Sequence[str], texts: Sequence[str]) -> list[float]:
    import numpy as np
    from sklearn.metrics.pairwise import cosine_similarity

    vec = _vectorizer()
    x = vec.fit_transform(positives)
    sims = cosine_similarity(vec.transform(list(texts)), x)
    k = min(NEIGHBOURS, sims.shape[1])
    top = -np.sort(-sims, axis=1)[:, :k]
    mean = top.mean(axis=1)
    # cosine of short titles to title+summary texts rarely passes 0.5: stretch it so the scale is usable
    return list(np.sqrt(np.clip(mean / 0.5, 0, 1)))


def wss_at(labels: Sequence[int], scores: Sequence[float], recall: float = 0.95) -> float:
    """Work saved over sampling at the given recall: screening in score order (ties in given order),
    the share of the pool not read when `recall` of the relevant items are found, minus 1 - recall."""
    order = sorted(range(len(labels)), key=lambda i: -scores[i])
    total = sum(labels)
    need = -(-recall * total // 1)  # ceil
    found = 0
    for n, i in enumerate(order, start=1):
        found += labels[i]
        if found >= need:
            return (len(labels) - n) / len(labels) - (1 - recall)
    return 0.0
