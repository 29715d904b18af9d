"""Incremental two-sided BM25 index: a shared vocabulary and one posting store per side.

Term weights are Okapi BM25. A document's weight for term ``t`` is fixed when it is indexed:

    w(d, t) = tf(d, t) * (k1 + 1) / (tf(d, t) + k1 * (1 - b + b * |d| / avgdl))

and depends on no global statistic except ``avgdl``, the mean length of the side's documents:
a new document is weighed with the mean of the moment, and a merge re-weighs every document
with the mean of its time. The query side brings the idf of the candidates' side at
query time (``Vocabulary.idf``), so a write never re-weights other documents.

Postings live in two segments per side, in the manner of Lucene:
- the *main* segment, term-major (``ptr_[t]:ptr_[t + 1]`` are the postings of term ``t``);
- the *delta* segment, postings appended in arrival order by every upsert since the last
  merge (O(document) per write).
A removal clears the row's ``alive_`` bit. When the delta grows past a share of the main
segment, ``merge`` rewrites both into a new main segment: dead rows dropped, rows renumbered,
``avgdl`` and every weight recomputed from the stored ``tf`` (a counting sort, O(postings)).
Scoring follows only the query's own postings (``kernels.accumulate``), so its cost grows with
the postings of the query's terms, not with the number of documents.
"""

from __future__ import annotations

import threading
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt

from .kernels import accumulate, accumulate_coo, term_major
from .vectorize import Analysis

__all__ = ["ACCENT_PREFIX", "Collection", "Growable", "Vocabulary", "bm25_idf"]

R = TypeVar("R")
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int32]

#: Accented-channel keys carry this prefix in the shared vocabulary; folded keys are bare.
ACCENT_PREFIX = "\x01"


class Growable:
    """A numpy array with amortised O(1) appends (capacity doubles)."""

    def __init__(self, dtype: Any, capacity: int = 256) -> None:
        self.data: npt.NDArray[Any] = np.zeros(capacity, dtype=dtype)
        self.size = 0

    def __len__(self) -> int:
        return self.size

    def _reserve(self, extra: int) -> None:
        need = self.size + extra
        if need > len(self.data):
            grown = np.zeros(max(need, 2 * len(self.data)), dtype=self.data.dtype)
            grown[: self.size] = self.data[: self.size]
            self.data = grown

    def append(self, value: Any) -> None:
        """Add one value at the end."""
        self._reserve(1)
        self.data[self.size] = value
        self.size += 1

    def extend(self, values: Any) -> None:
        """Add an array of values at the end."""
        values = np.asarray(values)
        self._reserve(len(values))
        self.data[self.size : self.size + len(values)] = values
        self.size += len(values)

    @property
    def view(self) -> npt.NDArray[Any]:
        """The filled part (a view: valid until the next append)."""
        return self.data[: self.size]

    def replace(self, values: npt.NDArray[Any]) -> None:
        """Make ``values`` the whole content."""
        self.data = np.array(values, dtype=self.data.dtype)
        self.size = len(values)
        self._reserve(256)


def bm25_idf(df: FloatArray, n_docs: int) -> FloatArray:
    """BM25 idf ``ln(1 + (N - df + 0.5) / (df + 0.5))`` (always positive, as in Lucene)."""
    out: FloatArray = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    return out


class Vocabulary:
    """Term ids of both channels and document frequencies per side (0 offers, 1 needs).

    Term ids are never reused while the index lives; a term whose frequency drops to 0 stops
    mattering. ``df_[side, t]`` counts the live documents of ``side`` that contain ``t``.
    """

    def __init__(self) -> None:
        self.ids_: dict[str, int] = {}
        self.df_: npt.NDArray[np.int32] = np.zeros((2, 1024), dtype=np.int32)
        self.n_docs_: list[int] = [0, 0]
        self.n_terms_ = 0

    def __len__(self) -> int:
        return self.n_terms_

    def clone(self) -> Vocabulary:
        """A copy that can change while this one stays as it is (the term dictionary is
        shared: ids only grow, and each copy ignores ids past its own ``n_terms_``)."""
        twin = Vocabulary()
        twin.ids_ = self.ids_
        twin.df_ = self.df_.copy()
        twin.n_docs_ = list(self.n_docs_)
        twin.n_terms_ = self.n_terms_
        return twin

    def register(self, analysis: Analysis, side: int) -> tuple[IntArray, FloatArray]:
        """Count a document of ``side``; return its term ids and weighted counts."""
        ids_map = self.ids_
        keys = list(analysis.folded)
        keys += [ACCENT_PREFIX + t for t in analysis.accented]
        counts = list(analysis.folded.values()) + list(analysis.accented.values())
        found = list(map(ids_map.get, keys))
        if None in found:
            for i, key in enumerate(keys):
                if found[i] is None:
                    found[i] = ids_map.setdefault(key, len(ids_map))
        ids = np.asarray(found, dtype=np.int32)
        self.n_terms_ = len(ids_map)
        if self.n_terms_ > self.df_.shape[1]:
            grown = np.zeros((2, max(self.n_terms_, 2 * self.df_.shape[1])), dtype=np.int32)
            grown[:, : self.df_.shape[1]] = self.df_
            self.df_ = grown
        self.df_[side, ids] += 1
        self.n_docs_[side] += 1
        return ids, np.asarray(counts, dtype=np.float64)

    def unregister(self, ids: IntArray, side: int) -> None:
        """Forget a document previously counted by ``register`` on the same side."""
        self.df_[side, ids] -= 1
        self.n_docs_[side] -= 1

    def lookup(self, counts: dict[str, float], prefix: str = "") -> tuple[IntArray, FloatArray]:
        """Ids and counts of the known terms of ``counts`` (unknown terms are dropped)."""
        ids: list[int] = []
        values: list[float] = []
        get = self.ids_.get
        limit = self.n_terms_
        for term, count in counts.items():
            term_id = get(prefix + term) if prefix else get(term)
            if term_id is not None and term_id < limit:
                ids.append(term_id)
                values.append(count)
        return np.asarray(ids, dtype=np.int32), np.asarray(values, dtype=np.float64)

    def df(self, term: str, side: int | None = None) -> int:
        """Document frequency of a folded or prefixed accented key (both sides if ``None``)."""
        term_id = self.ids_.get(term)
        if term_id is None or term_id >= self.n_terms_:
            return 0
        if side is None:
            return int(self.df_[0, term_id] + self.df_[1, term_id])
        return int(self.df_[side, term_id])

    def idf(self, ids: IntArray, side: int) -> FloatArray:
        """BM25 idf of ``ids`` among the documents of ``side``."""
        df = self.df_[side, ids].astype(np.float64)
        return bm25_idf(df, self.n_docs_[side])

    def specificity(self, ids: IntArray, side: int, power: float) -> FloatArray:
        """How far each term belongs to ``side``'s vocabulary: ``min(1, p_side / p_all) ** power``.

        ``p_X(t) = (df_X(t) + 1) / (N_X + 2)`` is the add-one smoothed share of the documents
        of ``X`` (one side, or both) that contain ``t``. A term the candidates use as often as
        everybody scores 1; a term the *other* side uses far more (the framing of a request:
        "cần tìm", "đơn vị nào", "như thế nào") scores less. Candidates' terms are not boosted.
        """
        if power == 0 or len(ids) == 0:
            return np.ones(len(ids), dtype=np.float64)
        df_side = self.df_[side, ids].astype(np.float64)
        df_all = df_side + self.df_[1 - side, ids]
        n_side = self.n_docs_[side]
        n_all = n_side + self.n_docs_[1 - side]
        ratio = ((df_side + 1.0) / (n_side + 2.0)) / ((df_all + 1.0) / (n_all + 2.0))
        out: FloatArray = np.minimum(1.0, ratio) ** power
        return out


class Collection(Generic[R]):
    """The documents of one side (offers or needs): records, row attributes, postings.

    Rows are numbered in arrival order; a replaced or removed document leaves a dead row
    until the next ``merge``. ``attributes`` hold what hard filters read (field code id,
    province code id, TRL), so no filter needs the records.
    """

    def __init__(self, k1: float, b: float, merge_share: float = 1 / 16) -> None:
        self.k1 = k1
        self.b = b
        self.merge_share = merge_share
        self.records_: dict[str, R] = {}
        self.terms_: dict[str, IntArray] = {}
        self.segments_: dict[str, str] = {}
        self.row_of_: dict[str, int] = {}
        self.ids_: list[str] = []
        self.alive_ = Growable(np.bool_)
        self.marked_ = Growable(np.bool_)
        self.length_ = Growable(np.float32)
        self.field_ = Growable(np.int32)
        self.province_ = Growable(np.int32)
        self.trl_ = Growable(np.float32)
        self.codes_: dict[str, int] = {}
        self.provinces_: dict[str, int] = {}
        self.avgdl_ = 0.0
        self.length_sum_ = 0.0
        # main segment (term-major)
        self.ptr_: npt.NDArray[np.int64] = np.zeros(1, dtype=np.int64)
        self.rows_: IntArray = np.zeros(0, dtype=np.int32)
        self.weights_: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        self.tf_: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        # delta segment (arrival order)
        self.delta_rows_ = Growable(np.int32)
        self.delta_terms_ = Growable(np.int32)
        self.delta_weights_ = Growable(np.float32)
        self.delta_tf_ = Growable(np.float32)
        self._scratch = threading.local()

    def clone(self) -> Collection[R]:
        """A copy that can change while this one stays as it is: the main segment's arrays
        (replaced, never written, by a merge) are shared; rows and delta are copied."""
        twin: Collection[R] = Collection(self.k1, self.b, self.merge_share)
        for name, value in vars(self).items():
            if isinstance(value, Growable):
                copy = Growable(value.data.dtype)
                copy.replace(value.view)
                setattr(twin, name, copy)
            elif isinstance(value, dict | list):
                setattr(twin, name, value.copy())
            elif name != "_scratch":
                setattr(twin, name, value)
        return twin

    # ------------------------------------------------------------------ documents
    def __len__(self) -> int:
        return len(self.records_)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.records_

    def __iter__(self) -> Any:
        return iter(self.records_)

    @property
    def n_rows(self) -> int:
        """Rows in use, dead ones included."""
        return len(self.ids_)

    def record(self, doc_id: str) -> R:
        """The stored record of ``doc_id``."""
        return self.records_[doc_id]

    def token_segments(self, doc_id: str) -> list[list[str]]:
        """The document's normalised token segments, stored when it was indexed."""
        return [line.split(" ") for line in self.segments_[doc_id].split("\n") if line]

    def code_id(self, code: str | None, table: dict[str, int]) -> int:
        """Small integer for a field or province code (-1 when absent)."""
        if not code:
            return -1
        return table.setdefault(code, len(table))

    def add(
        self,
        doc_id: str,
        record: R,
        analysis: Analysis,
        ids: IntArray,
        counts: FloatArray,
        attributes: tuple[str | None, str | None, int | None],
    ) -> None:
        """Append a document (the caller has removed any previous version)."""
        row = len(self.ids_)
        self.ids_.append(doc_id)
        self.row_of_[doc_id] = row
        self.records_[doc_id] = record
        self.terms_[doc_id] = ids
        self.segments_[doc_id] = analysis.segments
        self.alive_.append(True)
        self.marked_.append(analysis.marked)
        self.length_.append(analysis.length)
        field, province, trl = attributes
        self.field_.append(self.code_id(field, self.codes_))
        self.province_.append(self.code_id(province, self.provinces_))
        self.trl_.append(np.nan if trl is None else float(trl))
        self.length_sum_ += analysis.length
        tf = counts.astype(np.float32)
        self.delta_rows_.extend(np.full(len(ids), row, dtype=np.int32))
        self.delta_terms_.extend(ids)
        self.delta_tf_.extend(tf)
        self.delta_weights_.extend(self._weights(tf, analysis.length))

    def remove(self, doc_id: str) -> tuple[R, IntArray] | None:
        """Drop a document; returns its record and term ids, or ``None`` if absent."""
        record = self.records_.pop(doc_id, None)
        if record is None:
            return None
        row = self.row_of_.pop(doc_id)
        self.alive_.data[row] = False
        self.length_sum_ -= float(self.length_.data[row])
        self.segments_.pop(doc_id, None)
        return record, self.terms_.pop(doc_id)

    @property
    def mean_length(self) -> float:
        """Mean length of the live documents now (at least 1)."""
        return max(1.0, self.length_sum_ / max(1, len(self.records_)))

    def _weights(
        self, tf: npt.NDArray[np.float32], length: float | Any, avgdl: float | None = None
    ) -> Any:
        """BM25 document weights; a new document is weighed with the mean length of now."""
        avgdl = self.mean_length if avgdl is None else avgdl
        norm = self.k1 * (1.0 - self.b + self.b * np.asarray(length) / avgdl)
        return (tf * (self.k1 + 1.0) / (tf + norm)).astype(np.float32)

    # ------------------------------------------------------------------ segments
    def needs_merge(self) -> bool:
        """True when the delta segment has outgrown its share of the main segment."""
        return len(self.delta_terms_) > max(200_000, self.merge_share * len(self.rows_))

    def merge(self) -> None:
        """Rewrite main and delta into one main segment; drop dead rows; re-weight."""
        alive = self.alive_.view
        n_main_terms = len(self.ptr_) - 1
        main_terms = np.repeat(np.arange(n_main_terms, dtype=np.int32), np.diff(self.ptr_))
        terms = np.concatenate([main_terms, self.delta_terms_.view])
        rows = np.concatenate([self.rows_, self.delta_rows_.view])
        tf = np.concatenate([self.tf_, self.delta_tf_.view])
        keep = alive[rows]
        terms, rows, tf = terms[keep], rows[keep], tf[keep]
        new_row = np.cumsum(alive, dtype=np.int64) - 1
        rows = new_row[rows].astype(np.int32)
        live_rows = np.flatnonzero(alive)
        lengths = self.length_.view[live_rows]
        self.avgdl_ = float(lengths.mean()) if len(lengths) else 0.0
        self.avgdl_ = max(self.avgdl_, 1.0)
        n_terms = int(terms.max()) + 1 if len(terms) else 0
        ptr, order = term_major(terms, n_terms)
        self.ptr_ = ptr
        self.rows_ = rows[order]
        self.tf_ = tf[order]
        self.weights_ = self._weights(self.tf_, lengths[self.rows_], self.avgdl_)
        self.ids_ = [self.ids_[r] for r in live_rows.tolist()]
        self.row_of_ = {doc_id: row for row, doc_id in enumerate(self.ids_)}
        for growable in (
            self.alive_,
            self.marked_,
            self.length_,
            self.field_,
            self.province_,
            self.trl_,
        ):
            growable.replace(growable.view[live_rows])
        for growable in (
            self.delta_rows_,
            self.delta_terms_,
            self.delta_weights_,
            self.delta_tf_,
        ):
            growable.replace(growable.view[:0])

    # ------------------------------------------------------------------ scoring
    def scores(self, ids: IntArray, query_weights: FloatArray, n_terms: int) -> FloatArray:
        """``sum_t q_t * w(d, t)`` for every row (dead rows included; mask them after)."""
        out = np.zeros(self.n_rows, dtype=np.float64)
        if len(ids) == 0 or self.n_rows == 0:
            return out
        accumulate(self.ptr_, self.rows_, self.weights_, ids, query_weights, out)
        if len(self.delta_terms_):
            dense = self._dense(n_terms)
            dense[ids] = query_weights
            accumulate_coo(
                self.delta_rows_.view,
                self.delta_terms_.view,
                self.delta_weights_.view,
                dense,
                out,
            )
            dense[ids] = 0.0
        return out

    def _dense(self, n_terms: int) -> FloatArray:
        dense: FloatArray | None = getattr(self._scratch, "dense", None)
        if dense is None or len(dense) < n_terms:
            dense = np.zeros(max(n_terms, 1024) * 2, dtype=np.float64)
            self._scratch.dense = dense
        return dense

    def memory_bytes(self) -> int:
        """Bytes held by the posting and row arrays (records and dictionaries excluded)."""
        arrays: list[npt.NDArray[Any]] = [self.ptr_, self.rows_, self.weights_, self.tf_]
        growables = [
            self.alive_,
            self.marked_,
            self.length_,
            self.field_,
            self.province_,
            self.trl_,
            self.delta_rows_,
            self.delta_terms_,
            self.delta_weights_,
            self.delta_tf_,
        ]
        return sum(a.nbytes for a in arrays) + sum(g.data.nbytes for g in growables)
