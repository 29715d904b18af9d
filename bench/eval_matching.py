"""Evaluate the matcher on the graded dev set, beside two baselines computed in the same run.

Usage: python bench/eval_matching.py [--data PATH] [--json]

Metrics (k = 10), averaged over the *met* needs only: the needs marked ``unmet`` have no offer
graded >= 2 on purpose, so nDCG/Recall/MRR are undefined or meaningless for them; they are
used instead to check the unmet-demand threshold.
- nDCG@10 with graded gains 2^g - 1 (ideal ordering over all judged offers of the need);
- Recall@10: share of the offers graded >= 2 found in the top 10;
- MRR: 1 / rank of the first offer graded >= 2 (0 if none in the top 10).
Subsets: all met needs, the met needs written without diacritics (variant "no_diacritics"),
the rest, and a robustness run where every need is folded to no diacritics ("all folded"; its
"diacritics folded" subset is the needs written with diacritics, folded, to set against
"with diacritics"). In that run the
engine indexes the needs as typed, i.e. folded too: were the accented originals indexed, the
diacritic restoration could read each query's own marks back from the index.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.matching.engine import (  # noqa: E402
    DEFAULT_THRESHOLD,
    Matcher,
    NeedRecord,
    OfferRecord,
    fold_text,
)

K = 10
Ranker = Callable[[list[dict[str, Any]]], dict[str, list[str]]]


def offer_record(raw: dict[str, Any]) -> OfferRecord:
    """The dev-set offer as the API would hand it to the engine."""
    return OfferRecord(
        id=raw["id"],
        title=raw["title"],
        description=raw.get("description") or "",
        keywords=tuple(raw.get("keywords") or ()),
        field_code=raw.get("field"),
        trl=raw.get("trl"),
    )


def need_record(raw: dict[str, Any]) -> NeedRecord:
    """The dev-set need as the API would hand it to the engine."""
    return NeedRecord(
        id=raw["id"],
        title=raw["title"],
        description=raw.get("description") or "",
        keywords=tuple(raw.get("keywords") or ()),
        field_code=raw.get("field"),
        desired_trl_min=raw.get("trl"),
    )


def fold_need(raw: dict[str, Any]) -> dict[str, Any]:
    """The same need typed without diacritics."""
    return {
        **raw,
        "title": fold_text(raw["title"]),
        "description": fold_text(raw.get("description") or ""),
        "keywords": [fold_text(k) for k in raw.get("keywords") or ()],
    }


def ndcg(ranked: Sequence[str], grades: dict[str, int], k: int = K) -> float:
    """nDCG@k with gains 2^g - 1 and log2 discounts."""
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: Sequence[str], grades: dict[str, int], k: int = K) -> float:
    """Share of the offers graded >= 2 that appear in the top k."""
    relevant = {d for d, g in grades.items() if g >= 2}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: Sequence[str], grades: dict[str, int], k: int = K) -> float:
    """Reciprocal rank of the first offer graded >= 2 within the top k."""
    for i, d in enumerate(ranked[:k]):
        if grades.get(d, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def _doc_text(raw: dict[str, Any]) -> str:
    return " ".join([raw["title"], raw.get("description") or "", *(raw.get("keywords") or ())])


def engine_ranker(offers: list[dict[str, Any]], all_needs: list[dict[str, Any]]) -> Ranker:
    """The engine through the API's code path: records, ``fit``, ``match_need``."""
    matcher = Matcher().fit([offer_record(o) for o in offers], [need_record(n) for n in all_needs])

    def rank(needs: list[dict[str, Any]]) -> dict[str, list[str]]:
        return {n["id"]: [r.id for r in matcher.match_need(need_record(n), k=K)] for n in needs}

    return rank


def tfidf_ranker(offers: list[dict[str, Any]]) -> Ranker:
    """scikit-learn ``TfidfVectorizer()`` with defaults, cosine similarity."""
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([_doc_text(o) for o in offers])
    ids = [o["id"] for o in offers]

    def rank(needs: list[dict[str, Any]]) -> dict[str, list[str]]:
        scores = (vectorizer.transform([_doc_text(n) for n in needs]) @ matrix.T).toarray()
        return {n["id"]: _top(ids, row) for n, row in zip(needs, scores, strict=True)}

    return rank


def _syllables(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).lower())


def bm25_ranker(offers: list[dict[str, Any]]) -> Ranker:
    """Plain BM25 (bm25s defaults) on lower-cased NFC syllables."""
    retriever = bm25s.BM25()
    retriever.index([_syllables(_doc_text(o)) for o in offers], show_progress=False)
    ids = [o["id"] for o in offers]

    def rank(needs: list[dict[str, Any]]) -> dict[str, list[str]]:
        out = {}
        for n in needs:
            tokens = [t for t in _syllables(_doc_text(n)) if t in retriever.vocab_dict]
            out[n["id"]] = _top(ids, retriever.get_scores(tokens)) if tokens else []
        return out

    return rank


def _top(ids: list[str], scores: Any) -> list[str]:
    order = np.argsort(-np.asarray(scores), kind="stable")[:K]
    return [ids[i] for i in order if scores[i] > 0]


def evaluate(
    rankings: dict[str, list[str]], qrels: dict[str, dict[str, int]], need_ids: list[str]
) -> dict[str, float]:
    """Mean nDCG@10, Recall@10 and MRR over ``need_ids``."""
    if not need_ids:
        return {"ndcg@10": float("nan"), "recall@10": float("nan"), "mrr": float("nan"), "n": 0}
    rows = [(rankings[i], qrels.get(i, {})) for i in need_ids]
    return {
        "ndcg@10": float(np.mean([ndcg(r, g) for r, g in rows])),
        "recall@10": float(np.mean([recall(r, g) for r, g in rows])),
        "mrr": float(np.mean([mrr(r, g) for r, g in rows])),
        "n": len(need_ids),
    }


def threshold_report(
    matcher: Matcher, needs: list[dict[str, Any]], unmet: set[str]
) -> dict[str, Any]:
    """Best-candidate score of every need against ``DEFAULT_THRESHOLD``."""
    best = {}
    for n in needs:
        results = matcher.match_need(need_record(n), k=1)
        best[n["id"]] = results[0].score if results else 0.0
    met_scores = sorted(s for i, s in best.items() if i not in unmet)
    unmet_scores = sorted(s for i, s in best.items() if i in unmet)
    return {
        "threshold": DEFAULT_THRESHOLD,
        "unmet_below": sum(s < DEFAULT_THRESHOLD for s in unmet_scores),
        "unmet_total": len(unmet_scores),
        "met_above": sum(s >= DEFAULT_THRESHOLD for s in met_scores),
        "met_total": len(met_scores),
        "max_unmet_best": max(unmet_scores, default=0.0),
        "min_met_best": min(met_scores, default=0.0),
        "suggested": (max(unmet_scores, default=0.0) + min(met_scores, default=0.0)) / 2,
        "best_scores": {i: round(s, 4) for i, s in sorted(best.items())},
    }


def run(data_path: Path) -> dict[str, Any]:
    """Compute every figure of the report."""
    data = json.loads(data_path.read_text(encoding="utf-8"))
    offers, needs, qrels = data["offers"], data["needs"], data["qrels"]
    unmet = {n["id"] for n in needs if n.get("unmet")}
    met = [n for n in needs if n["id"] not in unmet]
    plain = [n["id"] for n in met if n.get("variant") != "no_diacritics"]
    no_diacritics = [n["id"] for n in met if n.get("variant") == "no_diacritics"]
    folded = [fold_need(n) for n in met]

    systems: dict[str, tuple[Ranker, Ranker]] = {
        "engine": (
            engine_ranker(offers, needs),
            engine_ranker(offers, [fold_need(n) for n in needs]),
        ),
        "sklearn TfidfVectorizer()": (tfidf_ranker(offers),) * 2,
        "bm25s syllables": (bm25_ranker(offers),) * 2,
    }
    table: dict[str, dict[str, dict[str, float]]] = {}
    for name, (ranker, folded_ranker) in systems.items():
        rankings = ranker(met)
        folded_rankings = folded_ranker(folded)
        table[name] = {
            "all met": evaluate(rankings, qrels, [n["id"] for n in met]),
            "with diacritics": evaluate(rankings, qrels, plain),
            "no_diacritics": evaluate(rankings, qrels, no_diacritics),
            "all folded": evaluate(folded_rankings, qrels, [n["id"] for n in met]),
            # The diacritics effect alone: the same 17 needs, typed with and without marks.
            "diacritics folded": evaluate(folded_rankings, qrels, plain),
        }
    matcher = Matcher().fit([offer_record(o) for o in offers], [need_record(n) for n in needs])
    return {
        "data": str(data_path),
        "k": K,
        "n_offers": len(offers),
        "n_needs": len(needs),
        "n_unmet": len(unmet),
        "table": table,
        "threshold": threshold_report(matcher, needs, unmet),
        "settings": matcher.settings_summary(),
    }


def print_report(report: dict[str, Any]) -> None:
    """Print the figures as plain-text tables."""
    print(f"dev set: {report['data']}")
    print(
        f"{report['n_offers']} offers, {report['n_needs']} needs ({report['n_unmet']} unmet, "
        "excluded from the averages); relevant = grade >= 2; gains 2^g - 1"
    )
    subsets = ["all met", "with diacritics", "no_diacritics", "all folded", "diacritics folded"]
    for metric in ("ndcg@10", "recall@10", "mrr"):
        print(f"\n{metric:<28}" + "".join(f"{s:>19}" for s in subsets))
        for name, rows in report["table"].items():
            cells = "".join(f"{rows[s][metric]:>19.4f}" for s in subsets)
            print(f"{name:<28}{cells}")
    counts = report["table"]["engine"]
    print("\nneeds per subset: " + ", ".join(f"{s}={counts[s]['n']}" for s in subsets))
    t = report["threshold"]
    print(
        f"\nthreshold {t['threshold']:.3f}: {t['unmet_below']}/{t['unmet_total']} unmet needs "
        f"below, {t['met_above']}/{t['met_total']} met needs above; best score of unmet "
        f"needs max {t['max_unmet_best']:.4f}, of met needs min {t['min_met_best']:.4f} "
        f"(midpoint {t['suggested']:.4f})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "dev.json")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = run(args.data)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
