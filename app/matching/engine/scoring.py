"""Text similarity: query weighting, the two-channel cosine and its calibration."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .index import FloatArray, TermStats
from .vectorize import Analysis

__all__ = ["QueryVector", "calibrate", "combine_channels", "query_vector", "weight_dict"]


@dataclass
class QueryVector:
    """A query's L2-normalised weights restricted to terms known to the index."""

    cols: npt.NDArray[np.int64]
    values: FloatArray


def weight_dict(counts: dict[str, float], stats: TermStats, idf: FloatArray) -> dict[str, float]:
    """L2-normalised ``(1 + ln tf) * idf`` weights of every term of ``counts``.

    The weighting of the index's ``TfidfTransformer`` (``tfidf_transformer(idf)`` on the
    counts as one row), done in plain arithmetic: a query or an explained candidate is a
    few dozen terms, and ``transform`` validates its input on every call (about 0.25 ms,
    four times a whole ``search_offers``). ``test_engine_tfidf`` checks both agree.
    Terms unknown to the index keep the idf of ``df = 0`` and so count in the norm: a text
    that is mostly about things the index never saw cannot get a high cosine.
    """
    weights = {
        term: (1.0 + math.log(max(count, 1.0))) * stats.query_idf(term, idf)
        for term, count in counts.items()
    }
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}


def query_vector(counts: dict[str, float], stats: TermStats, idf: FloatArray) -> QueryVector:
    """The query's ``weight_dict`` on the index's term ids (unknown terms dropped).

    ``idf`` is the query-side term weight (``side_idf`` in ``match_*``); the documents'
    idf is already in the index's matrices, so the cosine is a plain dot product.
    """
    weights = weight_dict(counts, stats, idf)
    cols: list[int] = []
    values: list[float] = []
    for term, weight in weights.items():
        term_id = stats.vocabulary_.get(term)
        if term_id is not None and term_id < len(idf):
            cols.append(term_id)
            values.append(weight)
    return QueryVector(np.asarray(cols, dtype=np.int64), np.asarray(values, dtype=np.float64))


def combine_channels(
    folded: FloatArray,
    accented: FloatArray | None,
    marked: npt.NDArray[np.bool_] | bool,
    accent_weight: float,
) -> FloatArray:
    """Blend the channels: ``a * cos_accented + (1 - a) * cos_folded`` where both sides
    carry diacritics, else ``cos_folded`` alone.

    The folded channel makes "may say" find "máy sấy"; the accented one keeps "bón" apart
    from "bọn" when the writer gave the marks. A side without marks is compared on the
    folded channel only, so it is neither favoured nor penalised.
    """
    if accented is None:
        return folded
    blended = accent_weight * accented + (1.0 - accent_weight) * folded
    out: FloatArray = np.where(marked, blended, folded)
    return out


def calibrate(cosine: Any, scale: float) -> Any:
    """Map a cosine in [0, 1] onto [0, 1]: ``(1 - exp(-c / s)) / (1 - exp(-1 / s))``.

    Monotone, so ranking is unchanged; it spreads the low cosines typical of short need
    versus long offer texts (0.1 .. 0.5) across the scale, so the score reads as a degree
    of fit and the unmet-demand threshold sits mid-range.
    """
    return (1.0 - np.exp(-np.asarray(cosine) / scale)) / (1.0 - math.exp(-1.0 / scale))


def analysis_cosine(
    query: Analysis,
    doc: Analysis,
    query_weights: dict[str, dict[str, float]],
    doc_weights: dict[str, dict[str, float]],
    accent_weight: float,
) -> float:
    """Two-channel cosine of two analysed texts given their weight dictionaries."""
    folded = _dot(query_weights["folded"], doc_weights["folded"])
    trust = query.accent_trust
    if trust > 0 and doc.marked:
        accented = _dot(query_weights["accented"], doc_weights["accented"])
        return accent_weight * trust * accented + (1.0 - accent_weight * trust) * folded
    return folded


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)
