"""Benchmark the matcher on a synthetic corpus recombined from the dev set's sentences.

Usage: python bench/bench_matching.py [--offers 20000] [--needs 5000] [--queries 300]
                                      [--seed 0] [--data PATH]

Prints fit time, memory, match_need / search_offers latency percentiles, the cost of an
incremental upsert followed by the first query, and query latency at a quarter of the
corpus, to show that a query costs in proportion to its postings, not to a dense product.
Figures only, no assertions: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import random
import re
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.matching.engine import Matcher, NeedRecord, OfferRecord, fold_text  # noqa: E402

PROVINCES = [f"{i:02d}" for i in range(1, 35)]
FORMS = ["licence", "assignment", "technical_service", "consulting", "training"]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


class Generator:
    """Random offers and needs made of the dev set's titles, sentences and keywords."""

    def __init__(self, data: dict[str, Any], seed: int) -> None:
        self.rng = random.Random(seed)
        records = data["offers"] + data["needs"]
        self.titles = [r["title"] for r in records]
        self.sentences = [s for r in records for s in _sentences(r.get("description") or "")]
        self.keywords = [k for r in records for k in r.get("keywords") or ()]

    def _text(self) -> tuple[str, str, tuple[str, ...]]:
        rng = self.rng
        title = rng.choice(self.titles)
        if rng.random() < 0.5:  # splice two titles so titles are not all duplicates
            words = rng.choice(self.titles).split()
            title = f"{title} {' '.join(words[: rng.randint(1, 4)])}"
        description = " ".join(rng.sample(self.sentences, rng.randint(2, 6)))
        keywords = tuple(rng.sample(self.keywords, rng.randint(2, 5)))
        return title, description, keywords

    def offer(self) -> OfferRecord:
        rng = self.rng
        title, description, keywords = self._text()
        low = rng.randint(50, 2000) * 1_000_000
        return OfferRecord(
            id=str(uuid.UUID(int=rng.getrandbits(128))),
            title=title,
            description=description,
            keywords=keywords,
            field_code=rng.choice("123456") + rng.choice(["", "01", "02"]),
            province_code=rng.choice(PROVINCES),
            trl=rng.randint(3, 9),
            price_min_vnd=low,
            price_max_vnd=low * 2,
            transfer_forms=tuple(rng.sample(FORMS, rng.randint(1, 3))),
        )

    def need(self) -> NeedRecord:
        rng = self.rng
        title, description, keywords = self._text()
        return NeedRecord(
            id=str(uuid.UUID(int=rng.getrandbits(128))),
            title=title,
            description=description,
            keywords=keywords,
            field_code=rng.choice("123456"),
            province_code=rng.choice(PROVINCES),
            desired_trl_min=rng.randint(4, 8),
            budget_max_vnd=rng.randint(100, 3000) * 1_000_000,
            transfer_forms=tuple(rng.sample(FORMS, rng.randint(1, 2))),
        )


def percentiles(samples_s: list[float]) -> dict[str, float]:
    """p50/p95/p99 and mean of samples given in seconds, in milliseconds."""
    ms = sorted(s * 1000 for s in samples_s)
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": q[49], "p95": q[94], "p99": q[98], "mean": statistics.fmean(ms)}


def _folded(need: NeedRecord) -> NeedRecord:
    return dataclasses.replace(
        need,
        title=fold_text(need.title),
        description=fold_text(need.description),
        keywords=tuple(fold_text(k) for k in need.keywords),
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def query_latency(matcher: Matcher, queries: list[NeedRecord]) -> dict[str, float]:
    matcher.match_need(queries[0], k=10)  # lay the index out before timing
    return percentiles([timed(partial(matcher.match_need, q, k=10)) for q in queries])


def run(args: argparse.Namespace) -> dict[str, Any]:
    data = json.loads(args.data.read_text(encoding="utf-8"))
    gen = Generator(data, args.seed)
    offers = [gen.offer() for _ in range(args.offers)]
    needs = [gen.need() for _ in range(args.needs)]
    queries = [gen.need() for _ in range(args.queries)]
    search_terms = [" ".join(gen.rng.sample(gen.keywords, 1)) for _ in range(args.queries)]
    folded_queries = [_folded(q) for q in queries]
    report: dict[str, Any] = {
        "offers": args.offers,
        "needs": args.needs,
        "restore_accents": not args.no_restore,
    }
    make = partial(Matcher, restore_accents=not args.no_restore)

    gc.collect()
    tracemalloc.start()
    make().fit(offers, needs).match_need(queries[0])
    report["memory_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    gc.collect()
    start = time.perf_counter()
    matcher = make().fit(offers, needs)
    report["fit_s"] = time.perf_counter() - start
    report["first_query_layout_s"] = timed(lambda: matcher.match_need(queries[0]))

    report["match_need_ms"] = query_latency(matcher, queries)
    report["match_offer_ms"] = percentiles(
        [timed(partial(matcher.match_offer, o, k=10)) for o in offers[: args.queries]]
    )
    report["search_offers_ms"] = percentiles(
        [timed(partial(matcher.search_offers, t, k=20)) for t in search_terms]
    )
    # The same queries typed without diacritics: the path that restores the marks.
    report["match_need_unmarked_ms"] = query_latency(matcher, folded_queries)
    report["search_offers_unmarked_ms"] = percentiles(
        [timed(partial(matcher.search_offers, fold_text(t), k=20)) for t in search_terms]
    )

    upserts = []
    for _ in range(20):
        new = gen.offer()
        upserts.append(timed(partial(matcher.upsert_offer, new)))
    report["upsert_ms"] = percentiles(upserts)
    report["first_query_after_upserts_ms"] = timed(lambda: matcher.match_need(queries[1])) * 1000
    report["second_query_ms"] = timed(lambda: matcher.match_need(queries[1])) * 1000

    quarter = make().fit(offers[: args.offers // 4], needs[: args.needs // 4])
    report["scaling"] = {
        "quarter_offers": args.offers // 4,
        "quarter_match_need_ms": query_latency(quarter, queries),
        "full_match_need_ms": report["match_need_ms"],
    }
    return report


def print_report(r: dict[str, Any]) -> None:
    print(f"corpus: {r['offers']} offers, {r['needs']} needs (synthetic, from dev.json)")
    print(f"fit (analyse + index):           {r['fit_s']:.2f} s")
    print(f"first query (O(nnz) layout):      {r['first_query_layout_s'] * 1000:.0f} ms")
    print(f"memory, tracemalloc peak of fit:  {r['memory_peak_mb']:.0f} MB")
    print(f"restore_accents:                  {r['restore_accents']}")
    keys = ("match_need_ms", "match_offer_ms", "search_offers_ms")
    keys += ("match_need_unmarked_ms", "search_offers_unmarked_ms", "upsert_ms")
    for key in keys:
        p = r[key]
        print(
            f"{key[:-3]:<33} p50 {p['p50']:7.2f} ms  p95 {p['p95']:7.2f} ms  p99 {p['p99']:7.2f} ms"
        )
    print(f"first match_need after 20 upserts: {r['first_query_after_upserts_ms']:.0f} ms")
    print(f"next match_need:                   {r['second_query_ms']:.1f} ms")
    s = r["scaling"]
    print(
        f"match_need p50 at {s['quarter_offers']} offers: "
        f"{s['quarter_match_need_ms']['p50']:.2f} ms; at {r['offers']}: "
        f"{s['full_match_need_ms']['p50']:.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--needs", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "dev.json")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--no-restore", action="store_true", help="Matcher(restore_accents=False), for comparison"
    )
    args = parser.parse_args(argv)
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
