"""Learning the combination of text and structure, and the unmet-demand threshold.

Pairs are (need, offer) with a label (relevant or not). A pair's features are the text score
and each structural component centred on 1/2 (an unknown component gives 0, see
``Weights``). scikit-learn's ``LogisticRegression`` fits the coefficients; structural
coefficients are kept non-negative (a better fit never lowers a score), and a component that
never varies in the training pairs keeps its prior coefficient, since the data say nothing
of it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from .records import Weights

__all__ = [
    "Pair",
    "best_threshold",
    "feature_row",
    "fit_weights",
]

STRUCTURAL = ("field", "trl", "budget", "transfer", "region")


@dataclass(frozen=True)
class Pair:
    """One labelled candidate pair: group (the need's id), features and relevance."""

    group: str
    text: float
    components: dict[str, float | None]
    relevant: bool


def feature_row(text: float, components: dict[str, float | None]) -> list[float]:
    """``[text, c_field - 1/2, ...]`` with 0 for unknown components."""
    row = [text]
    for key in STRUCTURAL:
        value = components.get(key)
        row.append(0.0 if value is None else value - 0.5)
    return row


def fit_weights(
    pairs: Sequence[Pair], prior: Weights, version: str, regularization: float = 1000.0
) -> Weights:
    """Fit ``Weights`` on ``pairs`` (both labels must occur)."""
    x = np.asarray([feature_row(p.text, p.components) for p in pairs], dtype=np.float64)
    y = np.asarray([p.relevant for p in pairs], dtype=bool)
    if y.all() or not y.any():
        raise ValueError("fitting needs relevant and non-relevant pairs")
    varies = [0] + [j for j in range(1, x.shape[1]) if np.ptp(x[:, j]) > 0]
    fixed = [j for j in range(1, x.shape[1]) if j not in varies]
    prior_coef = [prior.text, *(prior.structural()[k] for k in STRUCTURAL)]
    offset = x[:, fixed] @ np.asarray([prior_coef[j] for j in fixed]) if fixed else 0.0
    columns = list(varies)
    coef: npt.NDArray[np.float64] = np.zeros(x.shape[1])
    intercept = prior.intercept
    for _ in range(len(STRUCTURAL) + 1):
        model = LogisticRegression(C=regularization, max_iter=1000)
        # A constant column only shifts the intercept; it is fitted without and corrected.
        model.fit(x[:, columns], y)
        coef = np.zeros(x.shape[1])
        coef[columns] = model.coef_[0]
        intercept = float(model.intercept_[0])
        negative = [j for j in columns if j > 0 and coef[j] < 0]
        if not negative:
            break
        columns = [j for j in columns if j not in negative]
    for j in fixed:
        coef[j] = prior_coef[j]
    if np.ndim(offset):
        intercept -= float(np.mean(offset))
    if coef[0] <= 0:
        raise ValueError("the fitted text coefficient is not positive")
    values = dict(zip(STRUCTURAL, coef[1:].tolist(), strict=True))
    return replace(prior, intercept=intercept, text=float(coef[0]), version=version, **values)


def best_threshold(met_best: Sequence[float], unmet_best: Sequence[float]) -> float:
    """The threshold that best separates the best scores of met and unmet needs.

    Candidates are the midpoints between consecutive sorted scores; the one with the fewest
    errors (a met need below, an unmet need at or above) wins, ties to the middle one.
    """
    scores = sorted(set(met_best) | set(unmet_best))
    if not scores:
        return 0.5
    cuts = [scores[0] / 2] + [(a + b) / 2 for a, b in itertools.pairwise(scores)]
    cuts.append((scores[-1] + 1.0) / 2)

    def errors(cut: float) -> int:
        return sum(s < cut for s in met_best) + sum(s >= cut for s in unmet_best)

    fewest = min(errors(c) for c in cuts)
    best = [c for c in cuts if errors(c) == fewest]
    return best[len(best) // 2]
