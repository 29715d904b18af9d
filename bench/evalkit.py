"""Shared pieces of the evaluation scripts: records, metrics and the lexical baselines.

The baselines are the strongest simple ones: they fold diacritics ("đ" -> "d") and use
syllable 1-2 grams, like the engine, so a lead over them is a lead of the ranking itself.
- ``tfidf_folded``: scikit-learn ``TfidfVectorizer(ngram_range=(1, 2))`` on folded
  syllables (sublinear tf off, l2, smoothed idf: its defaults), cosine;
- ``bm25_folded``: ``bm25s.BM25()`` (defaults k1 = 1.5, b = 0.75) on the same folded
  syllable 1-2 grams.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.matching.devsets import need_record, offer_record  # noqa: E402
from app.matching.engine import fold_text  # noqa: E402
from app.matching.engine.metrics import mrr, ndcg, recall  # noqa: E402

__all__ = [
    "K",
    "bm25_folded",
    "evaluate_rankings",
    "fold_need",
    "folded_grams",
    "mrr",
    "ndcg",
    "need_record",
    "offer_record",
    "recall",
    "record_text",
    "tfidf_folded",
]

K = 10
#: Ranks a list of query texts; returns, per query, candidate indices best first.
Ranker = Callable[[list[str]], list[list[int]]]


def fold_need(raw: dict[str, Any]) -> dict[str, Any]:
    """The same need typed without diacritics."""
    return {
        **raw,
        "title": fold_text(raw["title"]),
        "description": fold_text(raw.get("description") or ""),
        "keywords": [fold_text(k) for k in raw.get("keywords") or ()],
    }


def record_text(raw: dict[str, Any]) -> str:
    """Title, description and keywords of a dev-set record as one text (for baselines)."""
    return " . ".join([raw["title"], raw.get("description") or "", *(raw.get("keywords") or ())])


def folded_syllables(text: str) -> list[str]:
    """Diacritic-free syllables of ``text`` (the baselines' tokens)."""
    return re.findall(r"[^\W_]+", fold_text(text))


def folded_grams(text: str) -> list[str]:
    """Folded syllable unigrams and bigrams."""
    tokens = folded_syllables(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _top(scores: Any, k: int) -> list[int]:
    scores = np.asarray(scores, dtype=np.float64).ravel()
    order = np.argsort(-scores, kind="stable")[:k]
    return [int(i) for i in order if scores[i] > 0]


def tfidf_folded(docs: list[str], k: int = K) -> Ranker:
    """scikit-learn TF-IDF (defaults) on folded syllable 1-2 grams, cosine."""
    vectorizer = TfidfVectorizer(analyzer=folded_grams)
    matrix = vectorizer.fit_transform(docs)

    def rank(queries: list[str]) -> list[list[int]]:
        scores = vectorizer.transform(queries) @ matrix.T
        return [_top(scores[i].toarray(), k) for i in range(len(queries))]

    return rank


def bm25_folded(docs: list[str], k: int = K) -> Ranker:
    """bm25s BM25 (defaults) on folded syllable 1-2 grams."""
    retriever = bm25s.BM25()
    retriever.index([folded_grams(d) for d in docs], show_progress=False)

    def rank(queries: list[str]) -> list[list[int]]:
        out = []
        for q in queries:
            tokens = [t for t in folded_grams(q) if t in retriever.vocab_dict]
            out.append(_top(retriever.get_scores(tokens), k) if tokens else [])
        return out

    return rank


def evaluate_rankings(
    rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]], ids: list[str]
) -> dict[str, float]:
    """Mean nDCG@10, Recall@10 and MRR over the queries ``ids``."""
    if not ids:
        return {"ndcg@10": float("nan"), "recall@10": float("nan"), "mrr": float("nan"), "n": 0}
    rows = [(rankings.get(i, []), qrels.get(i, {})) for i in ids]
    return {
        "ndcg@10": float(np.mean([ndcg(r, g) for r, g in rows])),
        "recall@10": float(np.mean([recall(r, g) for r, g in rows])),
        "mrr": float(np.mean([mrr(r, g) for r, g in rows])),
        "n": len(ids),
    }
