"""Pure matching engine: Vietnamese text pipeline, incremental index, ranker, explanations.

It takes plain records and returns plain results; it imports no web, database or schema
library and nothing else from ``app``.
"""

from .matcher import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, Matcher
from .records import (
    Explanation,
    Labels,
    MatchFilters,
    MatchResult,
    NeedRecord,
    OfferRecord,
    Weights,
)
from .text import fold_text, normalize_text, tokenize
from .vectorize import FieldWeights

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "Explanation",
    "FieldWeights",
    "Labels",
    "MatchFilters",
    "MatchResult",
    "Matcher",
    "NeedRecord",
    "OfferRecord",
    "Weights",
    "fold_text",
    "normalize_text",
    "tokenize",
]
