"""Compiled inner loops (numba): posting traversal and the term-major layout of postings.

Each kernel is a plain loop over arrays; numba compiles it once per process (cached on disk
next to this module when the folder is writable). ``nogil`` lets report threads score on
both cores at once.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

__all__ = ["accumulate", "accumulate_coo", "term_major"]


@njit(cache=True, nogil=True)
def accumulate(
    ptr: Any, rows: Any, weights: Any, terms: Any, query_weights: Any, out: Any
) -> None:  # pragma: no cover - compiled
    """``out[row] += q_t * w(row, t)`` over the postings of every query term ``t``.

    ``ptr`` is the term-major offset array (``ptr[t]:ptr[t + 1]`` are the postings of ``t``);
    terms at or past ``len(ptr) - 1`` have no postings in this segment.
    """
    n_terms = ptr.shape[0] - 1
    for j in range(terms.shape[0]):
        term = terms[j]
        if term >= n_terms:
            continue
        q = query_weights[j]
        for p in range(ptr[term], ptr[term + 1]):
            out[rows[p]] += q * weights[p]


@njit(cache=True, nogil=True)
def term_major(terms: Any, n_terms: int) -> tuple[Any, Any]:  # pragma: no cover - compiled
    """Counting sort of postings by term: ``(ptr, order)`` with ``terms[order]`` sorted and
    stable (rows keep their order within a term)."""
    ptr = np.zeros(n_terms + 1, dtype=np.int64)
    for i in range(terms.shape[0]):
        ptr[terms[i] + 1] += 1
    for t in range(n_terms):
        ptr[t + 1] += ptr[t]
    fill = ptr[:-1].copy()
    order = np.empty(terms.shape[0], dtype=np.int64)
    for i in range(terms.shape[0]):
        t = terms[i]
        order[fill[t]] = i
        fill[t] += 1
    return ptr, order


@njit(cache=True, nogil=True)
def accumulate_coo(
    rows: Any, terms: Any, weights: Any, dense_query: Any, out: Any
) -> None:  # pragma: no cover - compiled
    """``out[row] += q[term] * w`` over postings in arrival order (the delta segment);
    ``dense_query`` holds the query's weight at each of its term ids and 0 elsewhere."""
    n = dense_query.shape[0]
    for i in range(rows.shape[0]):
        term = terms[i]
        if term < n:
            q = dense_query[term]
            if q != 0.0:
                out[rows[i]] += q * weights[i]
