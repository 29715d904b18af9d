"""Exact early-stopping top-k and the cost of incremental changes."""

from __future__ import annotations

import random

import numpy as np
import pytest
from engine_corpus import NEED_FERTILIZER, NEEDS, OFFERS

import app.matching.engine.matcher as matcher_module
from app.matching.engine import Matcher, OfferRecord, Weights
from app.matching.engine.components import combine, upper_bound
from app.matching.engine.ranking import top_k


@pytest.mark.parametrize("seed", range(5))
def test_top_k_equals_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    weights = Weights(intercept=-2.0, text=4.0, field=3.0)
    n = 500
    text = np.array([rng.random() if rng.random() < 0.7 else 0.0 for _ in range(n)])
    structure = [rng.random() for _ in range(n)]
    ids = [f"d{i:04d}" for i in range(n)]

    def final(row: int) -> float:
        # Structure can lift a row above rows with more text, as in real ranking.
        return combine(float(text[row]), {"field": structure[row]}, weights)

    got = top_k(text, 10, final, ids, lambda t: upper_bound(t, weights))
    brute = sorted(
        ((r, float(text[r]), final(r)) for r in range(n) if text[r] > 0),
        key=lambda item: (-item[2], -item[1], ids[item[0]]),
    )[:10]
    assert got == brute


def test_top_k_score_filter_and_empty() -> None:
    text = np.array([0.9, 0.5, 0.0, 0.7])
    ids = ["a", "b", "c", "d"]
    got = top_k(text, 3, lambda r: float(text[r]) if text[r] > 0.6 else None, ids, lambda t: t)
    assert [r for r, _, _ in got] == [0, 3]
    assert top_k(np.zeros(3), 3, lambda r: 1.0, ids, lambda t: t) == []


def test_upsert_analyses_only_the_changed_record(monkeypatch: pytest.MonkeyPatch) -> None:
    matcher = Matcher().fit(OFFERS, NEEDS)
    matcher.match_need(NEED_FERTILIZER)
    calls: list[int] = []
    original = matcher_module.analyze_fields

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher_module, "analyze_fields", counting)
    matcher.upsert_offer(OfferRecord(id="o-x", title="Máy sấy lạnh"))
    matcher.remove_offer(OFFERS[3].id)
    assert len(calls) == 1
    calls.clear()
    results = matcher.match_need(NEED_FERTILIZER, k=3)
    # One analysis for the query; explanations read the stored records: never the corpus.
    assert len(calls) == 1
    assert len(results) == 3


def test_draft_query_is_not_indexed() -> None:
    matcher = Matcher().fit(OFFERS, NEEDS[1:])
    assert matcher.match_need(NEED_FERTILIZER)[0].id == "o-phan-bon"
    assert matcher.n_needs == len(NEEDS) - 1
    assert NEED_FERTILIZER.id not in [n for n, _ in matcher.search_needs("phân bón vi sinh")]
