"""Evaluate the matcher on the graded development sets, beside folded baselines, out of sample.

Usage: python bench/eval_matching.py [--data PATH ...] [--json]

For each set (default: ../shared/eval/dev.json and dev2.json), metrics at k = 10 averaged over
the *met* needs (needs marked ``unmet`` have no offer graded >= 2 on purpose and are used for
the threshold instead): nDCG@10 (gains 2^g - 1), Recall@10 and MRR of grade >= 2.
Columns: all met needs; those written with diacritics; those written without (variant
``no_diacritics``); and every met need folded to no diacritics ("all folded", the engine
indexing the needs folded as well).

Systems, computed in the same run:
- ``engine``: the shipped matcher (``DEFAULT_WEIGHTS``);
- ``engine, weights from the other set``: weights refitted with ``LogisticRegression`` on the
  other development set only, so this column is out of sample for the combination;
- ``engine, text only``: the text score alone;
- the baselines of ``evalkit``: TF-IDF and BM25 on diacritic-folded syllable 1-2 grams.
The threshold is cross-validated the same way: chosen on the other set (``best_threshold``),
counted on this one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evalkit import (
    REPO,
    bm25_folded,
    evaluate_rankings,
    fold_need,
    need_record,
    offer_record,
    record_text,
    tfidf_folded,
)

from app.matching.engine import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, Matcher, Weights
from app.matching.engine.tuning import Pair, best_threshold, fit_weights

K = 10
DEFAULT_SETS = [REPO.parent / "shared" / "eval" / n for n in ("dev.json", "dev2.json")]
TEXT_ONLY = Weights(intercept=0.0, text=1.0, field=0, trl=0, budget=0, transfer=0, region=0)
TRAIN_DEPTH = 30


def load(path: Path) -> dict[str, Any]:
    """A development set as JSON."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["path"] = str(path)
    data["unmet"] = {n["id"] for n in data["needs"] if n.get("unmet")}
    data["met"] = [n for n in data["needs"] if n["id"] not in data["unmet"]]
    return data


def fitted(data: dict[str, Any], needs: list[dict[str, Any]], weights: Weights) -> Matcher:
    """The engine with ``weights`` indexing the set's offers and the given needs."""
    return Matcher(weights=weights).fit(
        [offer_record(o) for o in data["offers"]], [need_record(n) for n in needs]
    )


def training_pairs(data: dict[str, Any]) -> list[Pair]:
    """(need, offer) pairs from the text-only top ``TRAIN_DEPTH`` of every need, judged by
    the set's grades (>= 2 relevant)."""
    matcher = fitted(data, data["needs"], TEXT_ONLY)
    pairs = []
    for n in data["needs"]:
        grades = data["qrels"].get(n["id"], {})
        for r in matcher.match_need(need_record(n), k=TRAIN_DEPTH, explain=False):
            relevant = grades.get(r.id, 0) >= 2
            pairs.append(Pair(n["id"], float(r.components["text"] or 0), r.components, relevant))
    return pairs


def engine_rankings(
    data: dict[str, Any], weights: Weights, folded: bool
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Top-10 ids and best score of every need (all needs, met and unmet)."""
    needs = [fold_need(n) for n in data["needs"]] if folded else data["needs"]
    matcher = fitted(data, needs, weights)
    rankings, best = {}, {}
    for n in needs:
        results = matcher.match_need(need_record(n), k=K, explain=False)
        rankings[n["id"]] = [r.id for r in results]
        best[n["id"]] = results[0].score if results else 0.0
    return rankings, best


def baseline_rankings(data: dict[str, Any], make: Any, folded: bool) -> dict[str, list[str]]:
    ids = [o["id"] for o in data["offers"]]
    ranker = make([record_text(o) for o in data["offers"]])
    needs = [fold_need(n) for n in data["met"]] if folded else data["met"]
    ranked = ranker([record_text(n) for n in needs])
    return {n["id"]: [ids[i] for i in r] for n, r in zip(needs, ranked, strict=True)}


def columns(
    data: dict[str, Any], rankings: dict[str, list[str]], folded: dict[str, list[str]]
) -> dict[str, Any]:
    met = data["met"]
    plain = [n["id"] for n in met if n.get("variant") != "no_diacritics"]
    bare = [n["id"] for n in met if n.get("variant") == "no_diacritics"]
    q = data["qrels"]
    return {
        "all met": evaluate_rankings(rankings, q, [n["id"] for n in met]),
        "with diacritics": evaluate_rankings(rankings, q, plain),
        "no_diacritics": evaluate_rankings(rankings, q, bare),
        "all folded": evaluate_rankings(folded, q, [n["id"] for n in met]),
    }


def threshold_counts(
    data: dict[str, Any], best: dict[str, float], threshold: float
) -> dict[str, Any]:
    unmet = data["unmet"]
    met_scores = [s for i, s in best.items() if i not in unmet]
    unmet_scores = [s for i, s in best.items() if i in unmet]
    return {
        "threshold": round(threshold, 4),
        "unmet_below": sum(s < threshold for s in unmet_scores),
        "unmet_total": len(unmet_scores),
        "met_above": sum(s >= threshold for s in met_scores),
        "met_total": len(met_scores),
    }


def run(paths: list[Path]) -> dict[str, Any]:
    """Compute every figure of the report."""
    sets = [load(p) for p in paths]
    pairs = [training_pairs(d) for d in sets]
    report: dict[str, Any] = {"k": K, "sets": [], "weights": DEFAULT_WEIGHTS.__dict__}
    for i, data in enumerate(sets):
        other = [p for j, ps in enumerate(pairs) if j != i for p in ps]
        cross = fit_weights(other, DEFAULT_WEIGHTS, "other set") if other else DEFAULT_WEIGHTS
        table: dict[str, Any] = {}
        best_scores: dict[str, dict[str, float]] = {}
        for name, weights in (
            ("engine", DEFAULT_WEIGHTS),
            ("engine, weights from the other set", cross),
            ("engine, text only", TEXT_ONLY),
        ):
            ranked, best = engine_rankings(data, weights, folded=False)
            ranked_folded, _ = engine_rankings(data, weights, folded=True)
            table[name] = columns(data, ranked, ranked_folded)
            best_scores[name] = best
        for name, make in (("TF-IDF folded 1-2", tfidf_folded), ("BM25 folded 1-2", bm25_folded)):
            table[name] = columns(
                data,
                baseline_rankings(data, make, folded=False),
                baseline_rankings(data, make, folded=True),
            )
        thresholds: dict[str, Any] = {
            "shipped": threshold_counts(data, best_scores["engine"], DEFAULT_THRESHOLD)
        }
        if len(sets) > 1:
            # Chosen on the other set(s) with the weights fitted there, counted here.
            other_best: list[float] = []
            other_unmet: list[float] = []
            for j, d in enumerate(sets):
                if j == i:
                    continue
                _, b = engine_rankings(d, cross, folded=False)
                other_best += [s for n, s in b.items() if n not in d["unmet"]]
                other_unmet += [s for n, s in b.items() if n in d["unmet"]]
            cut = best_threshold(other_best, other_unmet)
            thresholds["from the other set"] = threshold_counts(
                data, best_scores["engine, weights from the other set"], cut
            )
        report["sets"].append(
            {
                "data": data["path"],
                "n_offers": len(data["offers"]),
                "n_needs": len(data["needs"]),
                "n_unmet": len(data["unmet"]),
                "table": table,
                "threshold": thresholds,
                "cross_weights": cross.__dict__,
            }
        )
    return report


def print_report(report: dict[str, Any]) -> None:
    """Print the figures as plain-text tables."""
    subsets = ["all met", "with diacritics", "no_diacritics", "all folded"]
    for s in report["sets"]:
        print(
            f"\n== {s['data']}: {s['n_offers']} offers, {s['n_needs']} needs ({s['n_unmet']} unmet)"
        )
        for metric in ("ndcg@10", "recall@10", "mrr"):
            print(f"{metric:<38}" + "".join(f"{c:>17}" for c in subsets))
            for name, rows in s["table"].items():
                print(f"{name:<38}" + "".join(f"{rows[c][metric]:>17.4f}" for c in subsets))
        for name, t in s["threshold"].items():
            print(
                f"threshold ({name}) {t['threshold']}: {t['unmet_below']}/{t['unmet_total']} "
                f"unmet below, {t['met_above']}/{t['met_total']} met at or above"
            )
    print(json.dumps(summary(report), ensure_ascii=False))


def summary(report: dict[str, Any]) -> dict[str, Any]:
    """One line: nDCG@10 of every system on every set, and the margin over the baselines."""
    out: dict[str, Any] = {}
    for s in report["sets"]:
        name = Path(s["data"]).stem
        table = s["table"]
        row = {system: round(rows["all met"]["ndcg@10"], 4) for system, rows in table.items()}
        best_baseline = max(v for k, v in row.items() if not k.startswith("engine"))
        row["margin_over_best_baseline"] = round(row["engine"] - best_baseline, 4)
        out[name] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", help="a set (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = run(args.data or DEFAULT_SETS)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
