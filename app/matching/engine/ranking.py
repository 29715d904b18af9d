"""Selection of the best candidates: hard filters and an exact, early-stopping top-k."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from .components import structural_components
from .index import Collection as Index
from .index import FloatArray
from .records import MatchFilters, NeedRecord, OfferRecord

__all__ = ["allowed_rows", "pair_components", "top_k"]


def pair_components(
    query: OfferRecord | NeedRecord, candidate: OfferRecord | NeedRecord
) -> dict[str, float | None]:
    """Structural components of a query and a candidate of the other kind."""
    if isinstance(query, NeedRecord):
        assert isinstance(candidate, OfferRecord)
        return structural_components(candidate, query)
    assert isinstance(candidate, NeedRecord)
    return structural_components(query, candidate)


def allowed_rows(
    index: Index[Any],
    filters: MatchFilters | None,
    exclude_ids: Collection[str],
    trl_applies: bool,
) -> Any:
    """Boolean mask of the live rows that pass the hard filters and are not excluded.

    ``field_code`` keeps codes starting with it, ``province_code`` equal codes, ``trl_min``
    (offers only, ``trl_applies``) known TRLs at least that high. Filters read the index's
    own attribute arrays, never the records.
    """
    allowed = index.alive_.view.copy()
    if filters is not None:
        if filters.field_code:
            codes = [i for c, i in index.codes_.items() if c.startswith(filters.field_code)]
            allowed &= np.isin(index.field_.view, np.asarray(codes, dtype=np.int32))
        if filters.province_code:
            wanted = index.provinces_.get(filters.province_code, -2)
            allowed &= index.province_.view == wanted
        if filters.trl_min is not None and trl_applies:
            allowed &= np.nan_to_num(index.trl_.view, nan=-1.0) >= filters.trl_min
    for doc_id in exclude_ids:
        row = index.row_of_.get(doc_id)
        if row is not None:
            allowed[row] = False
    return allowed


def top_k(
    text: FloatArray,
    k: int,
    final_score: Callable[[int], float | None],
    ids: Sequence[str],
    bound: Callable[[float], float],
) -> list[tuple[int, float, float]]:
    """Exact top-k ``(row, text, final)`` by final score, best first (ties by id).

    Only rows with ``text > 0`` compete. They are scored in decreasing text order, taken by
    ``numpy.argpartition`` in batches (4k, then x4), until the k-th final score is at least
    ``bound(t)`` of the best text score ``t`` left out, so the structure of a row never
    needs to be computed unless it could still enter the top k. ``final_score`` returns
    ``None`` for a row that a score filter rejects.
    """
    rows = np.flatnonzero(text > 0)
    batch = max(4 * k, 32)
    while True:
        if batch >= len(rows):
            chosen, rest_best = rows, 0.0
        else:
            part = np.argpartition(-text[rows], batch - 1)
            chosen = rows[part[:batch]]
            rest_best = float(text[rows[part[batch:]]].max())
        scored = []
        for row in chosen.tolist():
            final = final_score(row)
            if final is not None:
                scored.append((row, float(text[row]), final))
        scored.sort(key=lambda item: (-item[2], -item[1], ids[item[0]]))
        if rest_best == 0.0 or (len(scored) >= k and scored[k - 1][2] >= bound(rest_best)):
            return scored[:k]
        batch *= 4
