"""Ranking metrics at a cut-off k, on graded judgements ({candidate id: grade})."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["mrr", "ndcg", "recall"]


def ndcg(ranked: Sequence[str], grades: dict[str, int], k: int = 10) -> float:
    """nDCG@k with gains ``2^g - 1`` and log2 discounts (ideal order over all judged)."""
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: Sequence[str], grades: dict[str, int], k: int = 10, relevant: int = 2) -> float:
    """Share of the candidates graded >= ``relevant`` that appear in the top k."""
    wanted = {d for d, g in grades.items() if g >= relevant}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr(ranked: Sequence[str], grades: dict[str, int], k: int = 10, relevant: int = 2) -> float:
    """Reciprocal rank of the first candidate graded >= ``relevant`` within the top k."""
    for i, d in enumerate(ranked[:k]):
        if grades.get(d, 0) >= relevant:
            return 1.0 / (i + 1)
    return 0.0
