"""Diacritic restoration of text typed without marks, from the index's own accented vocabulary.

Text typed without diacritics ("may say nong san") can only be compared on the folded channel,
where syllables the marks kept apart merge ("cần", "cán", "cạn" all give "can"). Restoring the
marks gives it the accented channel back. Each folded syllable ``f`` may be any accented
syllable ``v`` seen in the index that folds to it; a segment is decoded with a bigram language
model whose counts are the index's document frequencies (``df``, maintained incrementally by
``TermStats``, so nothing here depends on a training corpus or on a word list):

    P(v_1)           = u(v_1),                          u(v) = (df(v) + 1/2) / (N + 1)
    P(v_i | v_{i-1}) = l * df(v_{i-1} v_i) / df(v_{i-1}) + (1 - l) * u(v_i)

The forward-backward algorithm gives every position the posterior of each candidate; the
restored syllable is the most probable one and its posterior is the restoration's confidence
there. A syllable that already carries marks, or that no indexed accented syllable folds to,
is kept as typed.
"""

from __future__ import annotations

from itertools import pairwise

from .index import TermStats
from .text import fold_token

__all__ = ["Restoration", "restore_tokens"]

#: Weight ``l`` of the bigram evidence against the context-free frequency of a syllable.
CONTEXT_WEIGHT = 0.7

Restoration = tuple[list[str], list[float]]


def _candidates(token: str, stats: TermStats) -> list[tuple[str, int]]:
    if fold_token(token) != token:
        return [(token, stats.frequency(token))]
    found = [(v, stats.frequency(v)) for v in stats.variants_.get(token, ())]
    return [(v, df) for v, df in found if df > 0] or [(token, 0)]


def restore_tokens(
    tokens: list[str], stats: TermStats, context_weight: float = CONTEXT_WEIGHT
) -> Restoration:
    """Most probable accented form of each token of one segment, and its posterior."""
    if not tokens:
        return [], []
    n_docs = stats.n_docs_
    candidates = [_candidates(t, stats) for t in tokens]

    def prior(df: int) -> float:
        return (df + 0.5) / (n_docs + 1.0)

    transitions: list[list[list[float]]] = []
    for prev, cur in pairwise(candidates):
        matrix = []
        for p_term, p_df in prev:
            row = []
            for c_term, c_df in cur:
                context = stats.frequency(f"{p_term} {c_term}") / p_df if p_df else 0.0
                row.append(context_weight * context + (1.0 - context_weight) * prior(c_df))
            matrix.append(row)
        transitions.append(matrix)

    forward = [_normalised([prior(df) for _, df in candidates[0]])]
    for i, matrix in enumerate(transitions):
        last = forward[-1]
        forward.append(
            _normalised(
                [
                    sum(last[j] * matrix[j][k] for j in range(len(last)))
                    for k in range(len(candidates[i + 1]))
                ]
            )
        )
    backward = [[1.0] * len(candidates[-1])]
    for i in range(len(transitions) - 1, -1, -1):
        nxt, matrix = backward[0], transitions[i]
        backward.insert(
            0,
            _normalised(
                [
                    sum(matrix[j][k] * nxt[k] for k in range(len(nxt)))
                    for j in range(len(candidates[i]))
                ]
            ),
        )
    restored: list[str] = []
    confidence: list[float] = []
    for cands, fwd, bwd in zip(candidates, forward, backward, strict=True):
        posterior = _normalised([f * b for f, b in zip(fwd, bwd, strict=True)])
        best = max(range(len(cands)), key=lambda j: (posterior[j], cands[j][1]))
        restored.append(cands[best][0])
        confidence.append(posterior[best])
    return restored, confidence


def _normalised(values: list[float]) -> list[float]:
    total = sum(values)
    return [v / total for v in values] if total > 0 else [1.0 / len(values)] * len(values)
