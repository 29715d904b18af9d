"""Fit the shipped ``DEFAULT_WEIGHTS`` and ``DEFAULT_THRESHOLD`` on both development sets.

Usage: python bench/tune_weights.py

Pairs are every need's text-only top 30 in its own set, labelled relevant when graded >= 2;
scikit-learn's ``LogisticRegression`` fits the combination (``tuning.fit_weights``) and the
threshold is the cut that best separates the best scores of met and unmet needs
(``tuning.best_threshold``). The out-of-sample figures of these choices are printed by
``bench/eval_matching.py`` (weights and threshold fitted on the other set). Paste the result
into ``app/matching/engine/matcher.py``.
"""

from __future__ import annotations

import json

from eval_matching import DEFAULT_SETS, engine_rankings, load, training_pairs

from app.matching.engine import DEFAULT_WEIGHTS
from app.matching.engine.tuning import best_threshold, fit_weights


def main() -> int:
    sets = [load(p) for p in DEFAULT_SETS]
    pairs = [p for d in sets for p in training_pairs(d)]
    weights = fit_weights(pairs, DEFAULT_WEIGHTS, "dev1+dev2")
    met: list[float] = []
    unmet: list[float] = []
    for data in sets:
        _, best = engine_rankings(data, weights, folded=False)
        met += [s for n, s in best.items() if n not in data["unmet"]]
        unmet += [s for n, s in best.items() if n in data["unmet"]]
    threshold = best_threshold(met, unmet)
    print(json.dumps({"weights": weights.__dict__, "threshold": round(threshold, 4)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
