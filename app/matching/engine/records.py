"""Plain input records, filters, weights and results of the matcher."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Explanation",
    "Labels",
    "MatchFilters",
    "MatchResult",
    "NeedRecord",
    "OfferRecord",
    "Weights",
]

COMPONENT_KEYS: tuple[str, ...] = ("text", "field", "trl", "budget", "transfer", "region")


@dataclass(frozen=True)
class OfferRecord:
    """A technology offer as the matcher sees it."""

    id: str
    title: str
    summary: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    field_code: str | None = None
    province_code: str | None = None
    trl: int | None = None
    price_min_vnd: int | None = None
    price_max_vnd: int | None = None
    transfer_forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedRecord:
    """A technology need as the matcher sees it."""

    id: str
    title: str
    summary: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    field_code: str | None = None
    province_code: str | None = None
    desired_trl_min: int | None = None
    budget_max_vnd: int | None = None
    transfer_forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchFilters:
    """Optional hard filters on candidates; ``None`` means no filtering on that attribute.

    ``field_code`` keeps candidates whose field equals or starts with it ("4" keeps "401");
    ``trl_min`` applies to offers only; ``min_score`` drops results scoring below it.
    """

    field_code: str | None = None
    province_code: str | None = None
    trl_min: int | None = None
    min_score: float | None = None


@dataclass(frozen=True)
class Explanation:
    """Why a candidate was ranked: shared phrases (accented form) and per-component notes."""

    shared_terms: list[str]
    notes: list[str]


@dataclass(frozen=True)
class MatchResult:
    """One ranked candidate; ``components`` has exactly the keys of ``COMPONENT_KEYS``."""

    id: str
    score: float
    components: dict[str, float | None]
    explanation: Explanation


@dataclass(frozen=True)
class Weights:
    """A logistic model of relevance over the text score and the structural components.

        score = sigmoid(intercept + text * t + sum_i w_i * (c_i - 1/2))

    ``t`` is the text score in [0, 1] and ``i`` runs over the structural components (field,
    trl, budget, transfer, region) known for the pair: an unknown component contributes 0,
    the same as a neutral fit of 1/2. The score reads as the probability that an officer
    judges the candidate relevant. Coefficients are fitted with scikit-learn's
    ``LogisticRegression`` (``tuning.py``); ``version`` names the fit.
    """

    intercept: float = -5.0
    text: float = 14.0
    field: float = 1.0
    trl: float = 0.5
    budget: float = 0.5
    transfer: float = 0.3
    region: float = 0.2
    version: str = "prior"

    def __post_init__(self) -> None:
        if self.text <= 0:
            raise ValueError("the text coefficient must be positive")
        values = (self.field, self.trl, self.budget, self.transfer, self.region)
        if any(v < 0 for v in values):
            raise ValueError("structural coefficients must be non-negative")

    def structural(self) -> dict[str, float]:
        """Return the coefficients of the structural components by key."""
        return {
            "field": self.field,
            "trl": self.trl,
            "budget": self.budget,
            "transfer": self.transfer,
            "region": self.region,
        }


@dataclass(frozen=True)
class Labels:
    """Vietnamese names for the codes that explanations mention (codes shown if missing)."""

    fields: dict[str, str] = field(default_factory=dict)
    provinces: dict[str, str] = field(default_factory=dict)
    transfer_forms: dict[str, str] = field(default_factory=dict)
