"""Incremental inverted index: shared term statistics and per-collection posting matrices.

Each document is analysed once, when it is upserted; the index keeps its sparse counts. A
change only updates document frequencies and marks the layouts stale. The next query
re-lays the stored counts out (an O(nnz) pass, no re-tokenisation) as a CSC matrix of
L2-normalised TF-IDF rows,

    w(d, t) = (1 + ln tf(d, t)) * idf(t),   idf(t) = ln((1 + N) / (1 + df(t))) + 1,
    row d divided by its L2 norm,

where ``N`` counts the documents of *both* collections (offers and needs) and ``df`` the
documents containing ``t`` in either. Sharing the statistics means words that every need
uses ("cần", "giải pháp") weigh little in a need-to-offer query even if offers never use
them. A query then reads only the columns of its own terms:

    cos(q, d) = sum over t in q of  q_t * W[d, t].
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["Collection", "DocVector", "TermStats", "idf_value", "sublinear_tf"]

R = TypeVar("R")
FloatArray = npt.NDArray[np.float64]


def idf_value(df: int | FloatArray, n_docs: int) -> Any:
    """Smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1`` (as scikit-learn)."""
    return np.log((1.0 + n_docs) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0


def sublinear_tf(tf: FloatArray) -> FloatArray:
    """Sublinear term frequency ``1 + ln tf`` for ``tf >= 1`` (weighted counts never go below 1)."""
    out: FloatArray = 1.0 + np.log(np.maximum(tf, 1.0))
    return out


class TermStats:
    """Vocabulary and document frequencies of one channel, shared by all collections.

    Term ids are never reused or compacted while the index lives; a term whose document
    frequency drops to 0 simply stops mattering until the next bulk ``fit``.
    """

    def __init__(self, unigram_weight: float = 1.0) -> None:
        self.unigram_weight = unigram_weight
        self.vocabulary_: dict[str, int] = {}
        self.df_: list[int] = []
        self.unigram_: list[bool] = []
        self.n_docs_: int = 0

    def add(self, counts: dict[str, float]) -> tuple[npt.NDArray[np.int32], FloatArray]:
        """Register a document's counts; return its term ids and counts as arrays."""
        ids = np.empty(len(counts), dtype=np.int32)
        values = np.empty(len(counts), dtype=np.float64)
        vocabulary, df = self.vocabulary_, self.df_
        for i, (term, count) in enumerate(counts.items()):
            term_id = vocabulary.get(term)
            if term_id is None:
                term_id = len(df)
                vocabulary[term] = term_id
                df.append(0)
                self.unigram_.append(" " not in term)
            df[term_id] += 1
            ids[i] = term_id
            values[i] = count
        self.n_docs_ += 1
        return ids, values

    def remove(self, ids: npt.NDArray[np.int32]) -> None:
        """Forget a document previously registered with ``add``."""
        df = self.df_
        for term_id in ids.tolist():
            df[term_id] -= 1
        self.n_docs_ -= 1

    def idf(self) -> FloatArray:
        """The term weight ``idf(t) * g(t)`` of every term id, as an array.

        ``g(t)`` is ``unigram_weight`` for single syllables and 1 for n-grams: a lone
        Vietnamese syllable is far more ambiguous than a two-syllable word.
        """
        idf = idf_value(np.asarray(self.df_, dtype=np.float64), self.n_docs_)
        scale = np.where(np.asarray(self.unigram_, dtype=bool), self.unigram_weight, 1.0)
        return np.asarray(idf * scale, dtype=np.float64)

    def query_idf(self, term: str, idf: FloatArray) -> float:
        """Term weight of ``term``; a term unseen in the index gets the idf of ``df = 0``."""
        term_id = self.vocabulary_.get(term)
        if term_id is None or term_id >= len(idf):
            scale = self.unigram_weight if " " not in term else 1.0
            return float(idf_value(0, self.n_docs_)) * scale
        return float(idf[term_id])


@dataclass
class DocVector:
    """Stored sparse counts of one document in one channel."""

    ids: npt.NDArray[np.int32]
    counts: FloatArray


class Collection(Generic[R]):
    """Documents of one kind (offers or needs) with their stored counts and lazy layout.

    ``entries_`` maps an id to ``(record, marked, {channel: DocVector})``; after a change,
    ``ensure_layout`` rebuilds, in row order, ``ids_``, ``matrices_`` (CSC, one per channel),
    ``marked_`` (text written with diacritics) and ``attributes_`` (arrays for hard filters).
    """

    def __init__(self, channels: tuple[str, ...]) -> None:
        self.channels = channels
        self.entries_: dict[str, tuple[R, bool, dict[str, DocVector]]] = {}
        self.ids_: list[str] = []
        self.row_of_: dict[str, int] = {}
        self.matrices_: dict[str, Any] = {}
        self.marked_: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self.attributes_: dict[str, npt.NDArray[Any]] = {}
        self.stale_ = True

    def __len__(self) -> int:
        return len(self.entries_)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.entries_

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries_)

    def put(self, doc_id: str, record: R, marked: bool, vectors: dict[str, DocVector]) -> None:
        """Store a document (the caller has already removed any previous version)."""
        self.entries_[doc_id] = (record, marked, vectors)
        self.stale_ = True

    def pop(self, doc_id: str) -> tuple[R, bool, dict[str, DocVector]] | None:
        """Remove and return a document's entry, or ``None`` if absent."""
        entry = self.entries_.pop(doc_id, None)
        if entry is not None:
            self.stale_ = True
        return entry

    def record(self, doc_id: str) -> R:
        """The stored record of ``doc_id``."""
        return self.entries_[doc_id][0]

    def ensure_layout(self, idf: dict[str, FloatArray]) -> None:
        """Rebuild the CSC matrices from stored counts if anything changed (O(nnz))."""
        if not self.stale_:
            return
        self.ids_ = list(self.entries_)
        self.row_of_ = {doc_id: row for row, doc_id in enumerate(self.ids_)}
        self.marked_ = np.fromiter(
            (entry[1] for entry in self.entries_.values()), dtype=bool, count=len(self.ids_)
        )
        records = [entry[0] for entry in self.entries_.values()]
        self.attributes_ = {
            "field_code": np.array(
                [getattr(r, "field_code", None) or "" for r in records], dtype=str
            ),
            "province_code": np.array(
                [getattr(r, "province_code", None) or "" for r in records], dtype=str
            ),
            "trl": np.array([_or_nan(getattr(r, "trl", None)) for r in records], dtype=np.float64),
        }
        for channel in self.channels:
            vectors = [entry[2][channel] for entry in self.entries_.values()]
            self.matrices_[channel] = _layout(vectors, idf[channel])
        self.stale_ = False

    def invalidate(self) -> None:
        """Mark the layout stale (the shared idf changed)."""
        self.stale_ = True


def _or_nan(value: object) -> float:
    return float(value) if isinstance(value, int) else float("nan")


def _layout(vectors: list[DocVector], idf: FloatArray) -> Any:
    n_rows, n_cols = len(vectors), len(idf)
    lengths = np.fromiter((len(v.ids) for v in vectors), dtype=np.int64, count=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if n_rows and indptr[-1]:
        indices = np.concatenate([v.ids for v in vectors])
        data = sublinear_tf(np.concatenate([v.counts for v in vectors])) * idf[indices]
    else:
        indices = np.zeros(0, dtype=np.int32)
        data = np.zeros(0, dtype=np.float64)
    rows = np.repeat(np.arange(n_rows), lengths)
    norms = np.sqrt(np.bincount(rows, weights=data**2, minlength=n_rows))
    norms[norms == 0] = 1.0
    data = data / np.repeat(norms, lengths)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))
    return matrix.tocsc()
