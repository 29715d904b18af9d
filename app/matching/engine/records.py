"""Plain input records, filters, weights and results of the matcher."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Explanation",
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
    """Weights of the score components.

    The final score of a candidate is

        score = (text_w * text + gate * sum_i w_i * c_i) / (text_w + sum_i w_i)

    where ``i`` runs over the structural components (field, trl, budget, transfer, region)
    that are known for the pair (``None`` components are dropped, which renormalises the
    weights) and ``gate = min(1, text / text_gate)``. The gate makes text dominate: a
    candidate with no text overlap scores 0 however well its structure fits, and structure
    can lift a weak text match only in proportion to its text score.

    Defaults: text carries 0.80 of the weight. The field weight is small on purpose: the
    dev set has many relevant pairs across field groups (a drying machine filed under
    engineering "2" solves an agriculture "4" need), and 0.10 cost 0.02 nDCG@10 there.
    """

    text: float = 0.80
    field: float = 0.05
    trl: float = 0.05
    budget: float = 0.05
    transfer: float = 0.03
    region: float = 0.02
    text_gate: float = 0.5

    def __post_init__(self) -> None:
        values = (self.text, self.field, self.trl, self.budget, self.transfer, self.region)
        if any(v < 0 for v in values) or self.text <= 0:
            raise ValueError("weights must be non-negative and the text weight positive")
        if self.text_gate <= 0:
            raise ValueError("text_gate must be positive")

    def structural(self) -> dict[str, float]:
        """Return the weights of the structural components by key."""
        return {
            "field": self.field,
            "trl": self.trl,
            "budget": self.budget,
            "transfer": self.transfer,
            "region": self.region,
        }
