"""Structural fit between an offer and a need, one pure function per component.

Every function returns a value in [0, 1], or ``None`` when either side does not state the
attribute (unknown is not the same as a mismatch, so it is left out of the final score).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from .records import NeedRecord, OfferRecord, Weights

__all__ = [
    "budget_score",
    "combine",
    "field_score",
    "region_score",
    "structural_components",
    "transfer_score",
    "trl_score",
]

#: field_score for one code being a prefix of the other ("4" vs "401"): same group, one side
#: did not name the sub-field.
FIELD_PREFIX = 0.75
#: field_score for two different sub-fields of the same group ("401" vs "402").
FIELD_SAME_GROUP = 0.5
#: TRL score lost per level the offer falls short of the need's minimum.
TRL_STEP = 0.25


def field_score(a: str | None, b: str | None) -> float | None:
    """Similarity of two S&T field codes (group "1".."6" or sub-field such as "401").

    1.0 for the same code, ``FIELD_PREFIX`` when one is a prefix of the other,
    ``FIELD_SAME_GROUP`` for different sub-fields of one group (same first character),
    0.0 for different groups, ``None`` if either is unknown.
    """
    a, b = (a or "").strip(), (b or "").strip()
    if not a or not b:
        return None
    if a == b:
        return 1.0
    if a.startswith(b) or b.startswith(a):
        return FIELD_PREFIX
    if a[0] == b[0]:
        return FIELD_SAME_GROUP
    return 0.0


def trl_score(offer_trl: int | None, need_trl_min: int | None) -> float | None:
    """Readiness of the offer against the need's minimum TRL.

    ``1`` if ``offer_trl >= need_trl_min``, else ``max(0, 1 - TRL_STEP * shortfall)``
    (one level short: 0.75, two: 0.5, four or more: 0).
    """
    if offer_trl is None or need_trl_min is None:
        return None
    shortfall = need_trl_min - offer_trl
    if shortfall <= 0:
        return 1.0
    return max(0.0, 1.0 - TRL_STEP * shortfall)


def price_overrun(price_min: int | None, price_max: int | None, budget: int | None) -> float | None:
    """Relative amount by which the cheapest price of the offer exceeds the budget.

    ``x = max(0, (low - budget) / budget)`` with ``low = price_min`` (or ``price_max`` when
    only that is given); ``None`` when the budget or every price is unknown.
    """
    if budget is None:
        return None
    low = price_min if price_min is not None else price_max
    if low is None:
        return None
    if budget <= 0:
        return 0.0 if low <= 0 else float("inf")
    return max(0.0, (low - budget) / budget)


def budget_score(price_min: int | None, price_max: int | None, budget: int | None) -> float | None:
    """Fit of the offer's price band with the need's budget.

    ``1`` when some price of the band is within budget, else ``max(0, 1 - x)`` where ``x`` is
    the overrun from ``price_overrun`` (20% over: 0.8; double the budget or more: 0).
    """
    overrun = price_overrun(price_min, price_max, budget)
    if overrun is None:
        return None
    return max(0.0, 1.0 - overrun)


def transfer_score(offer_forms: Iterable[str], need_forms: Iterable[str]) -> float | None:
    """1.0 when the offer proposes at least one transfer form the need accepts, else 0.0.

    A deal needs one common form, so any overlap is a full fit. ``None`` if either side
    lists none.
    """
    offer_set, need_set = set(offer_forms), set(need_forms)
    if not offer_set or not need_set:
        return None
    return 1.0 if offer_set & need_set else 0.0


def region_score(a: str | None, b: str | None) -> float | None:
    """1.0 for the same province code, 0.0 for different ones, ``None`` if either is unknown."""
    if not a or not b:
        return None
    return 1.0 if a == b else 0.0


def structural_components(offer: OfferRecord, need: NeedRecord) -> dict[str, float | None]:
    """All structural components of an (offer, need) pair, keyed like ``Weights``."""
    return {
        "field": field_score(offer.field_code, need.field_code),
        "trl": trl_score(offer.trl, need.desired_trl_min),
        "budget": budget_score(offer.price_min_vnd, offer.price_max_vnd, need.budget_max_vnd),
        "transfer": transfer_score(offer.transfer_forms, need.transfer_forms),
        "region": region_score(offer.province_code, need.province_code),
    }


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def combine(text: float, components: dict[str, float | None], weights: Weights) -> float:
    """Final score from the text score and the structural components (see ``Weights``).

    A candidate with no text in common scores 0: structure alone never makes a match.
    """
    if text <= 0:
        return 0.0
    z = weights.intercept + weights.text * text
    for key, weight in weights.structural().items():
        value = components.get(key)
        if value is not None:
            z += weight * (value - 0.5)
    return _sigmoid(z)


def upper_bound(text: float, weights: Weights) -> float:
    """Highest final score any candidate with this text score can reach (every known
    component a perfect fit); it grows with ``text``, which lets the ranker stop early."""
    if text <= 0:
        return 0.0
    return _sigmoid(
        weights.intercept + weights.text * text + 0.5 * sum(weights.structural().values())
    )
