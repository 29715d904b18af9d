"""Evaluate the matcher on external Vietnamese retrieval sets (ViRE), beside BM25 and TF-IDF.

Usage: python bench/eval_external.py PATH [--sets ALQAC ViMedAQA_v2 ...] [--limit N]

PATH is a local folder holding the ViRE CSVs ``ALQAC.csv``, ``ViMedAQA_v2.csv`` and
``ViRHE4QA_v2.csv`` (columns ``context`` and ``question``, among others). The data is read
from PATH and nothing of it is written anywhere: it carries no licence, keep it out of the
repository.

Method, per set: the corpus is the set's distinct ``context`` values, each indexed as an
offer (``OfferRecord(id, title="", description=context)``); every row is a query, its
``question`` sent as a need (``NeedRecord(id, title=question)``), and the one relevant
document is the row's own context (rows are not merged: a question asked of two contexts
counts twice, once for each). The engine indexes all the questions as needs too, as the
service would have them (``Matcher().fit(offers, needs)``), and ranks with
``match_needs(needs, k=10, explain=False)``. Two modes:

- ``diacritics``: the questions as written;
- ``folded``: every question folded to no diacritics (``fold_text``), the needs being
  indexed folded as well; the contexts keep their diacritics.

Metrics at k = 10, binary relevance, x 100: MRR@10, nDCG@10 and Recall@10 (``evalkit``).
Systems, all computed in the same run on the same texts:

- ``engine``: the shipped ``Matcher()``;
- ``bm25_folded`` and ``tfidf_folded``: the ``evalkit`` baselines (bm25s / scikit-learn on
  diacritic-folded syllable 1-2 grams; folding the query makes no difference to them);
- ``bm25_unfolded``: bm25s (defaults) on syllable 1-2 grams *with* diacritics (NFC,
  lower-cased), i.e. what plain BM25 does when the query lacks the marks.

Per set and mode a table is printed, then the mean over the sets, and last ONE JSON line:
``{"sets": {set: {"n_docs", "n_queries", mode: {system: {"mrr10", "ndcg10",
"recall10"}}}}, "mean_mrr10": {system: {"diacritics": x, "folded": y}}, "mean_ndcg10": ...,
"mean_recall10": ...}``. ``--limit N`` keeps the first N rows of each set (the corpus is then
the contexts of those rows) for a quick run.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from evalkit import K, bm25_folded, mrr, ndcg, recall, tfidf_folded

from app.matching.engine import Matcher, NeedRecord, OfferRecord, fold_text

SETS = ("ALQAC", "ViMedAQA_v2", "ViRHE4QA_v2")
MODES = ("diacritics", "folded")
SYSTEMS = ("engine", "bm25_folded", "tfidf_folded", "bm25_unfolded")
METRICS = ("mrr10", "ndcg10", "recall10")


@dataclass
class QASet:
    """A retrieval set: distinct contexts, and per row its question and relevant context."""

    name: str
    contexts: list[str]
    questions: list[str]
    relevant: list[int]


def load(folder: Path, name: str, limit: int | None) -> QASet:
    """Read ``name``.csv; the contexts are numbered in order of first appearance."""
    csv.field_size_limit(2**31 - 1)
    contexts: dict[str, int] = {}
    questions: list[str] = []
    relevant: list[int] = []
    with (folder / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if limit is not None and len(questions) >= limit:
                break
            context, question = row["context"], row["question"]
            if not context.strip() or not question.strip():
                continue
            relevant.append(contexts.setdefault(context, len(contexts)))
            questions.append(question)
    return QASet(name, list(contexts), questions, relevant)


def syllable_grams(text: str) -> list[str]:
    """Syllable unigrams and bigrams with diacritics (NFC, lower-cased)."""
    tokens = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text).lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def bm25_unfolded(docs: list[str], k: int = K) -> Any:
    """bm25s BM25 (defaults) on syllable 1-2 grams that keep their diacritics."""
    retriever = bm25s.BM25()
    retriever.index([syllable_grams(d) for d in docs], show_progress=False)

    def rank(queries: list[str]) -> list[list[int]]:
        out = []
        for q in queries:
            tokens = [t for t in syllable_grams(q) if t in retriever.vocab_dict]
            if not tokens:
                out.append([])
                continue
            scores = np.asarray(retriever.get_scores(tokens), dtype=np.float64)
            order = np.argsort(-scores, kind="stable")[:k]
            out.append([int(i) for i in order if scores[i] > 0])
        return out

    return rank


def engine_rankings(data: QASet, questions: list[str]) -> list[list[int]]:
    """Top-10 context numbers of every question, all questions indexed as needs."""
    offers = [OfferRecord(id=str(i), title="", description=c) for i, c in enumerate(data.contexts)]
    needs = [NeedRecord(id=f"q{j}", title=q) for j, q in enumerate(questions)]
    matcher = Matcher().fit(offers, needs)
    results = matcher.match_needs(needs, k=K, explain=False)
    return [[int(r.id) for r in rs] for rs in results]


def scores(data: QASet, rankings: list[list[int]]) -> dict[str, float]:
    """Mean MRR@10, nDCG@10 (binary gain) and Recall@10 over the rows, x 100."""
    rows = [
        ([str(d) for d in ranked], {str(rel): 1})
        for ranked, rel in zip(rankings, data.relevant, strict=True)
    ]
    return {
        "mrr10": 100 * float(np.mean([mrr(r, g, relevant=1) for r, g in rows])),
        "ndcg10": 100 * float(np.mean([ndcg(r, g) for r, g in rows])),
        "recall10": 100 * float(np.mean([recall(r, g, relevant=1) for r, g in rows])),
    }


def evaluate(data: QASet) -> dict[str, Any]:
    """Every system in both modes on one set, with the wall time of each."""
    baselines = {
        "bm25_folded": bm25_folded(data.contexts),
        "tfidf_folded": tfidf_folded(data.contexts),
        "bm25_unfolded": bm25_unfolded(data.contexts),
    }
    out: dict[str, Any] = {"n_docs": len(data.contexts), "n_queries": len(data.questions)}
    for mode in MODES:
        questions = (
            data.questions if mode == "diacritics" else [fold_text(q) for q in data.questions]
        )
        table: dict[str, Any] = {}
        for system in SYSTEMS:
            start = time.perf_counter()
            if system == "engine":
                ranked = engine_rankings(data, questions)
            else:
                ranked = baselines[system](questions)
            table[system] = scores(data, ranked)
            table[system]["seconds"] = time.perf_counter() - start
        out[mode] = table
    return out


def print_table(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"  {title}")
    timed = all("seconds" in row for row in table.values())
    header = "".join(f"{m:>10}" for m in METRICS) + (f"{'seconds':>10}" if timed else "")
    print(f"    {'system':<16}{header}")
    for system, row in table.items():
        cells = "".join(f"{row[m]:>10.2f}" for m in METRICS)
        extra = f"{row['seconds']:>10.2f}" if timed else ""
        print(f"    {system:<16}{cells}{extra}")


def summary(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The JSON line: per-set figures (rounded) and the means over the sets."""
    out: dict[str, Any] = {"k": K, "sets": {}}
    for name, res in results.items():
        entry: dict[str, Any] = {"n_docs": res["n_docs"], "n_queries": res["n_queries"]}
        for mode in MODES:
            entry[mode] = {s: {m: round(res[mode][s][m], 2) for m in METRICS} for s in SYSTEMS}
        out["sets"][name] = entry
    for m in METRICS:
        out[f"mean_{m}"] = {
            s: {
                mode: round(float(np.mean([r[mode][s][m] for r in results.values()])), 2)
                for mode in MODES
            }
            for s in SYSTEMS
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("path", type=Path, help="folder holding the ViRE CSV files")
    parser.add_argument(
        "--sets", nargs="+", default=list(SETS), metavar="NAME", help=f"among {', '.join(SETS)}"
    )
    parser.add_argument("--limit", type=int, help="first N rows of each set (quick run)")
    args = parser.parse_args(argv)
    by_key = {s.lower(): s for s in SETS} | {s.split("_")[0].lower(): s for s in SETS}
    unknown = [s for s in args.sets if s.lower().removesuffix(".csv") not in by_key]
    if unknown:
        parser.error(f"unknown set(s) {unknown}; choose among {', '.join(SETS)}")
    names = list(dict.fromkeys(by_key[s.lower().removesuffix(".csv")] for s in args.sets))

    results: dict[str, dict[str, Any]] = {}
    for name in names:
        data = load(args.path, name, args.limit)
        results[name] = evaluate(data)
        res = results[name]
        print(f"== {name}: {res['n_docs']} contexts, {res['n_queries']} questions (x 100, k = {K})")
        for mode in MODES:
            print_table(mode, res[mode])
        sys.stdout.flush()
    report = summary(results)
    print(f"== mean over {len(results)} set(s): {', '.join(results)}")
    for mode in MODES:
        print_table(mode, {s: {m: report[f"mean_{m}"][s][mode] for m in METRICS} for s in SYSTEMS})
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
