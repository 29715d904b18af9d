"""Incremental inverted index: shared term statistics and per-collection posting matrices.

Each document is analysed once, when it is upserted; the index keeps its weighted term
counts ``tf`` (see ``vectorize.py``). A change only updates document frequencies and marks
layouts stale; the next query re-weights the stored counts (an O(nnz) pass, never a
re-tokenisation). Scores are cosines of TF-IDF vectors that scikit-learn's
``TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)`` computes:

    w(d, t) = (1 + ln tf(d, t)) * idf(t) / norm_d,   idf(t) = ln((1 + N) / (1 + df(t))) + 1,

where ``N`` counts the documents of *both* collections (offers and needs) and ``df`` the
documents containing ``t`` in either. The transformer's ``idf_`` is set from these
incremental statistics (``fit`` would see one collection at a time and recount everything);
the formula is the one ``fit`` uses with ``smooth_idf=True``. Sharing the statistics means
words that every need uses ("cần", "giải pháp") weigh little in a need-to-offer query even
if offers never use them. A query reads only the columns of its own terms:

    cos(q, d) = sum over t in q of  q_t * w(d, t).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from .text import fold_token

__all__ = [
    "Collection",
    "DocVector",
    "TermStats",
    "idf_value",
    "side_specificity",
    "tfidf_transformer",
]

R = TypeVar("R")
FloatArray = npt.NDArray[np.float64]


def idf_value(df: int | FloatArray, n_docs: int) -> Any:
    """Smoothed inverse document frequency ``ln((1 + N) / (1 + df)) + 1`` (as scikit-learn)."""
    return np.log((1.0 + n_docs) / (1.0 + np.asarray(df, dtype=np.float64))) + 1.0


def side_specificity(
    df_side: FloatArray, n_side: int, df_all: FloatArray, n_all: int, power: float
) -> FloatArray:
    """How far each term belongs to one side's vocabulary: ``min(1, p_side / p_all) ** power``.

    ``p_X(t) = (df_X(t) + 1) / (N_X + 2)`` is the (add-one smoothed) share of the documents
    of ``X`` that contain ``t``, ``X`` being one collection (offers or needs) or both. A
    term as common among the candidates as overall scores 1; a term the *other* side uses
    far more than the candidates do ("requester vocabulary": organisation types, the
    framing of a request) scores less. Terms the candidates use more are not boosted.
    """
    p_side = (df_side + 1.0) / (n_side + 2.0)
    p_all = (df_all + 1.0) / (n_all + 2.0)
    out: FloatArray = np.minimum(1.0, p_side / p_all) ** power
    return out


def tfidf_transformer(idf: FloatArray) -> TfidfTransformer:
    """scikit-learn's sublinear, l2-normalising ``TfidfTransformer`` with ``idf_ = idf``.

    ``transform`` maps a CSR of counts ``tf`` (``n_features = len(idf)``) to rows
    ``(1 + ln tf) * idf / ||(1 + ln tf) * idf||_2`` (``sklearn.preprocessing.normalize``).
    ``idf_`` and ``n_features_in_`` are assigned instead of fitted: the index keeps its own
    incremental document frequencies over both collections (``TermStats.idf``).
    """
    transformer = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
    transformer.idf_ = np.asarray(idf, dtype=np.float64)
    transformer.n_features_in_ = len(transformer.idf_)
    return transformer


class TermStats:
    """Vocabulary and document frequencies of one channel, shared by all collections.

    Term ids are never reused or compacted while the index lives; a term whose document
    frequency drops to 0 simply stops mattering until the next bulk ``fit``.

    With ``track_variants`` (the accented channel), ``variants_`` maps the diacritic-free
    form of every syllable to the accented syllables that fold to it ("say" -> ["sấy",
    "say", "sây"]); their frequencies are ``df_``, so the map costs one fold per *new*
    syllable and nothing per document.

    ``side_df_`` splits ``df_`` by the side a document belongs to (0 offers, 1 needs) and
    ``side_docs_`` counts them, for ``side_idf``.
    """

    def __init__(self, unigram_weight: float = 1.0, track_variants: bool = False) -> None:
        self.unigram_weight = unigram_weight
        self.track_variants = track_variants
        self.vocabulary_: dict[str, int] = {}
        self.df_: list[int] = []
        self.unigram_: list[bool] = []
        self.variants_: dict[str, list[str]] = {}
        self.n_docs_: int = 0
        self.side_df_: tuple[list[int], list[int]] = ([], [])
        self.side_docs_: list[int] = [0, 0]

    def add(
        self, counts: dict[str, float], side: int = 0
    ) -> tuple[npt.NDArray[np.int32], FloatArray]:
        """Register a document of ``side`` (0 or 1); return its term ids and counts as arrays."""
        ids = np.empty(len(counts), dtype=np.int32)
        values = np.empty(len(counts), dtype=np.float64)
        vocabulary, df, side_df = self.vocabulary_, self.df_, self.side_df_[side]
        for i, (term, count) in enumerate(counts.items()):
            term_id = vocabulary.get(term)
            if term_id is None:
                term_id = len(df)
                vocabulary[term] = term_id
                df.append(0)
                self.side_df_[0].append(0)
                self.side_df_[1].append(0)
                self.unigram_.append(" " not in term)
                if self.track_variants and " " not in term:
                    self.variants_.setdefault(fold_token(term), []).append(term)
            df[term_id] += 1
            side_df[term_id] += 1
            ids[i] = term_id
            values[i] = count
        self.n_docs_ += 1
        self.side_docs_[side] += 1
        return ids, values

    def remove(self, ids: npt.NDArray[np.int32], side: int = 0) -> None:
        """Forget a document previously registered with ``add`` on the same ``side``."""
        df, side_df = self.df_, self.side_df_[side]
        for term_id in ids.tolist():
            df[term_id] -= 1
            side_df[term_id] -= 1
        self.n_docs_ -= 1
        self.side_docs_[side] -= 1

    def frequency(self, term: str) -> int:
        """Document frequency of ``term`` (0 if unknown)."""
        term_id = self.vocabulary_.get(term)
        return 0 if term_id is None else self.df_[term_id]

    def idf(self) -> FloatArray:
        """The term weight ``idf(t) * g(t)`` of every term id, as an array.

        ``g(t)`` is ``unigram_weight`` for single syllables and 1 for n-grams: a lone
        Vietnamese syllable is far more ambiguous than a two-syllable word.
        """
        idf = idf_value(np.asarray(self.df_, dtype=np.float64), self.n_docs_)
        scale = np.where(np.asarray(self.unigram_, dtype=bool), self.unigram_weight, 1.0)
        return np.asarray(idf * scale, dtype=np.float64)

    def side_idf(self, side: int, power: float) -> FloatArray:
        """``idf()`` times ``side_specificity`` of every term for candidates of ``side``.

        The weight of a query term when ranking documents of ``side``; with ``power`` 0 it
        is ``idf()`` itself.
        """
        idf = self.idf()
        if power == 0:
            return idf
        specificity = side_specificity(
            np.asarray(self.side_df_[side], dtype=np.float64),
            self.side_docs_[side],
            np.asarray(self.df_, dtype=np.float64),
            self.n_docs_,
            power,
        )
        return np.asarray(idf * specificity, dtype=np.float64)

    def query_idf(self, term: str, idf: FloatArray) -> float:
        """Term weight of ``term``; a term unseen in the index gets the idf of ``df = 0``."""
        term_id = self.vocabulary_.get(term)
        if term_id is None or term_id >= len(idf):
            scale = self.unigram_weight if " " not in term else 1.0
            return float(idf_value(0, self.n_docs_)) * scale
        return float(idf[term_id])


@dataclass
class DocVector:
    """Stored weighted term counts ``tf`` of one document in one channel (no idf, no norm)."""

    ids: npt.NDArray[np.int32]
    tf: npt.NDArray[np.float32]

    @classmethod
    def from_counts(cls, ids: npt.NDArray[np.int32], counts: FloatArray) -> DocVector:
        """Counts below 1 (a field weight under 1) count as 1, so that ``1 + ln tf >= 1``."""
        return cls(ids, np.maximum(counts, 1.0).astype(np.float32))


class Collection(Generic[R]):
    """Documents of one kind (offers or needs) with their stored counts and lazy layout.

    ``entries_`` maps an id to ``(record, marked, {channel: DocVector})``. After the document
    set changes, ``ensure_layout`` rebuilds, in row order, ``ids_``, ``counts_`` (CSR of the
    stored ``tf``, one per channel), ``marked_`` (text written with diacritics) and
    ``attributes_`` (arrays for hard filters). After that, or after a change of the shared
    idf (a document added or removed on either side), it re-weights each channel with
    ``tfidf_transformer(idf).transform(counts_)`` into ``matrices_``, stored as CSC so that a
    query reads only the columns of its own terms. Both passes are O(nnz).
    """

    def __init__(self, channels: tuple[str, ...]) -> None:
        self.channels = channels
        self.entries_: dict[str, tuple[R, bool, dict[str, DocVector]]] = {}
        self.ids_: list[str] = []
        self.row_of_: dict[str, int] = {}
        self.counts_: dict[str, Any] = {}
        self.matrices_: dict[str, Any] = {}
        self.marked_: npt.NDArray[np.bool_] = np.zeros(0, dtype=bool)
        self.attributes_: dict[str, npt.NDArray[Any]] = {}
        self.docs_stale_ = True
        self.weights_stale_ = True

    def __len__(self) -> int:
        return len(self.entries_)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.entries_

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries_)

    def put(self, doc_id: str, record: R, marked: bool, vectors: dict[str, DocVector]) -> None:
        """Store a document (the caller has already removed any previous version)."""
        self.entries_[doc_id] = (record, marked, vectors)
        self.docs_stale_ = True

    def pop(self, doc_id: str) -> tuple[R, bool, dict[str, DocVector]] | None:
        """Remove and return a document's entry, or ``None`` if absent."""
        entry = self.entries_.pop(doc_id, None)
        if entry is not None:
            self.docs_stale_ = True
        return entry

    def record(self, doc_id: str) -> R:
        """The stored record of ``doc_id``."""
        return self.entries_[doc_id][0]

    def invalidate(self) -> None:
        """The shared idf changed: the weights must be recomputed."""
        self.weights_stale_ = True

    def ensure_layout(self, idf: dict[str, FloatArray]) -> None:
        """Bring counts and weights up to date with the stored documents and ``idf``.

        ``idf[channel]`` covers every term id the index knows (it is recomputed after each
        change), so it is at least as wide as ``counts_``; terms added since the counts were
        laid out occur in none of these documents.
        """
        if self.docs_stale_:
            self._layout_documents(len_by_channel={c: len(idf[c]) for c in self.channels})
            self.weights_stale_ = True
        if self.weights_stale_:
            for channel in self.channels:
                counts = self.counts_[channel]
                if counts.nnz == 0:
                    self.matrices_[channel] = sparse.csc_matrix(counts.shape, dtype=np.float32)
                    continue
                transformer = tfidf_transformer(idf[channel][: counts.shape[1]])
                self.matrices_[channel] = transformer.transform(counts).tocsc()
            self.weights_stale_ = False

    def cosines(self, channel: str, cols: npt.NDArray[np.int64], values: FloatArray) -> FloatArray:
        """``sum_t values_t * w(d, t)`` for every row, reading only the columns ``cols``."""
        matrix = self.matrices_[channel]
        n_rows, n_cols = matrix.shape
        keep = cols < n_cols
        if n_rows == 0 or not keep.any():
            return np.zeros(n_rows, dtype=np.float64)
        out: FloatArray = np.asarray(matrix[:, cols[keep]] @ values[keep], dtype=np.float64)
        return out.ravel()

    def _layout_documents(self, len_by_channel: dict[str, int]) -> None:
        entries = list(self.entries_.values())
        self.ids_ = list(self.entries_)
        self.row_of_ = {doc_id: row for row, doc_id in enumerate(self.ids_)}
        self.marked_ = np.fromiter((e[1] for e in entries), dtype=bool, count=len(entries))
        records = [e[0] for e in entries]
        self.attributes_ = {
            "field_code": np.array([getattr(r, "field_code", None) or "" for r in records], str),
            "province_code": np.array(
                [getattr(r, "province_code", None) or "" for r in records], str
            ),
            "trl": np.array([_or_nan(getattr(r, "trl", None)) for r in records], np.float64),
        }
        for channel in self.channels:
            vectors = [e[2][channel] for e in entries]
            self.counts_[channel] = _csr(vectors, len_by_channel[channel])
        self.docs_stale_ = False


def _or_nan(value: object) -> float:
    return float(value) if isinstance(value, int) else float("nan")


def _csr(vectors: list[DocVector], n_cols: int) -> Any:
    n_rows = len(vectors)
    lengths = np.fromiter((len(v.ids) for v in vectors), dtype=np.int64, count=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    if indptr[-1]:
        indices = np.concatenate([v.ids for v in vectors])
        data = np.concatenate([v.tf for v in vectors])
        if int(indices.max()) >= n_cols:
            raise ValueError("a stored term id lies outside the idf")
    else:
        indices = np.zeros(0, dtype=np.int32)
        data = np.zeros(0, dtype=np.float32)
    return sparse.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))
