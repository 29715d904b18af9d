"""The matcher: an incremental two-sided BM25 index of offers and needs, and its rankers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Collection as AbstractCollection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any, TypeVar

import numpy as np

from .components import combine, upper_bound
from .explain import component_notes, shared_phrases
from .index import ACCENT_PREFIX, Collection, FloatArray, IntArray, Vocabulary, bm25_idf
from .ranking import allowed_rows, pair_components, top_k
from .records import (
    COMPONENT_KEYS,
    Explanation,
    Labels,
    MatchFilters,
    MatchResult,
    NeedRecord,
    OfferRecord,
    Weights,
)
from .vectorize import Analysis, FieldWeights, analyze_fields

__all__ = ["DEFAULT_THRESHOLD", "DEFAULT_WEIGHTS", "Matcher"]

#: The fitted combination of text and structure (``bench/tune_weights.py``: scikit-learn
#: ``LogisticRegression`` on the pairs of both development sets; see bench/README.md).
#: Budget, transfer form and region never vary in those sets and keep their priors.
DEFAULT_WEIGHTS = Weights(
    intercept=-7.9314,
    text=68.3451,
    field=2.1700,
    trl=1.3500,
    budget=0.5,
    transfer=0.3,
    region=0.2,
    version="2026-12-01 dev1+dev2",
)

#: Best-candidate score under which a need counts as unmet demand; cross-validated on the
#: development sets by ``bench/eval_matching.py`` (see bench/README.md).
DEFAULT_THRESHOLD: float = 0.23

Record = OfferRecord | NeedRecord
R = TypeVar("R", OfferRecord, NeedRecord)
OFFERS, NEEDS = 0, 1


class Matcher:
    """Rank offers for a need and needs for an offer.

    Parameters are stored as given; the fitted state lives in attributes ending with ``_``:
    ``vocabulary_`` (term ids of both channels, document frequencies per side) and
    ``offers_``/``needs_`` (records, row attributes and BM25 postings; see ``index.py``).

    For a query ``q`` and a candidate ``d`` of side ``s``, in each channel ``c`` (folded,
    and accented when both texts carry diacritics):

        q_t     = idf_s(t) * min(1, p_s(t) / p_all(t)) ** side_weight * (1 + ln qtf(t))
        text_c  = sum_t q_t * w(d, t) / ((k1 + 1) * sum_t q_t)            in [0, 1]
        text    = accent_weight * text_accented + (1 - accent_weight) * text_folded
        score   = sigmoid(intercept + a * text + sum_i b_i * (c_i - 1/2))  (``Weights``)

    ``w(d, t)`` is the BM25 document weight; ``idf_s`` the BM25 idf among side ``s``; the
    side factor lowers terms that the query's own side uses much more than the candidates
    (a requester's framing). A candidate or query typed without diacritics is compared on
    the folded channel alone, so it is neither favoured nor penalised.
    """

    def __init__(
        self,
        *,
        weights: Weights | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        field_weights: FieldWeights | None = None,
        k1: float = 1.2,
        b: float = 0.75,
        accent_weight: float = 0.6,
        side_weight: float = 1.0,
        query_tf: str = "log",
        max_ngram: int = 2,
        max_shared_terms: int = 8,
        cohesion: float = 0.25,
        labels: Labels | None = None,
        workers: int = 2,
    ) -> None:
        self.weights = weights if weights is not None else DEFAULT_WEIGHTS
        self.threshold = threshold
        self.field_weights = field_weights if field_weights is not None else FieldWeights()
        self.k1 = k1
        self.b = b
        self.accent_weight = accent_weight
        self.side_weight = side_weight
        self.query_tf = query_tf
        self.max_ngram = max_ngram
        self.max_shared_terms = max_shared_terms
        self.cohesion = cohesion
        self.labels = labels if labels is not None else Labels()
        self.workers = workers
        self._reset()

    def _reset(self) -> None:
        self.vocabulary_ = Vocabulary()
        self.offers_: Collection[OfferRecord] = Collection(self.k1, self.b)
        self.needs_: Collection[NeedRecord] = Collection(self.k1, self.b)
        self.shared_ = False

    def snapshot(self) -> Matcher:
        """A read-only view of the index as it is now, in O(1).

        The view shares every structure with this matcher; the next write here first gives
        this matcher private copies (copy on write, once per snapshot: O(rows), the main
        segment's arrays stay shared), so the view never changes. A report ranks thousands
        of needs on a view without holding the live index's lock.
        """
        view = Matcher.__new__(Matcher)
        view.__dict__.update(self.__dict__)
        self.shared_ = True
        return view

    def _own(self) -> None:
        if self.shared_:
            self.vocabulary_ = self.vocabulary_.clone()
            self.offers_ = self.offers_.clone()
            self.needs_ = self.needs_.clone()
            self.shared_ = False

    # ----------------------------------------------------------------- index maintenance
    def fit(self, offers: Iterable[OfferRecord], needs: Iterable[NeedRecord]) -> Matcher:
        """Rebuild the index from scratch with these offers and needs (one merge per side)."""
        self._reset()
        for offer in offers:
            self._upsert(self.offers_, offer, merge=False)
        for need in needs:
            self._upsert(self.needs_, need, merge=False)
        self.offers_.merge()
        self.needs_.merge()
        return self

    def upsert_offer(self, offer: OfferRecord) -> None:
        """Add or replace one offer; only this record is analysed and weighted."""
        self._upsert(self.offers_, offer)

    def upsert_need(self, need: NeedRecord) -> None:
        """Add or replace one need; only this record is analysed and weighted."""
        self._upsert(self.needs_, need)

    def remove_offer(self, offer_id: str) -> None:
        """Remove an offer; nothing happens if it is not indexed."""
        self._remove(self.offers_, offer_id)

    def remove_need(self, need_id: str) -> None:
        """Remove a need; nothing happens if it is not indexed."""
        self._remove(self.needs_, need_id)

    @property
    def n_offers(self) -> int:
        """Number of indexed offers."""
        return len(self.offers_)

    @property
    def n_needs(self) -> int:
        """Number of indexed needs."""
        return len(self.needs_)

    def _side(self, collection: Collection[Any]) -> int:
        return OFFERS if collection is self.offers_ else NEEDS

    def _upsert(self, collection: Collection[R], record: R, merge: bool = True) -> None:
        collection = self._owned(collection)
        self._remove(collection, record.id)
        analysis = self._analyze(record)
        side = self._side(collection)
        ids, counts = self.vocabulary_.register(analysis, side)
        trl = record.trl if isinstance(record, OfferRecord) else record.desired_trl_min
        attributes = (record.field_code, record.province_code, trl)
        collection.add(record.id, record, analysis, ids, counts, attributes)
        if merge and collection.needs_merge():
            collection.merge()

    def _owned(self, collection: Collection[R]) -> Collection[R]:
        """``collection`` itself, or its private copy after a snapshot."""
        side = self._side(collection)
        self._own()
        owned: Any = self.offers_ if side == OFFERS else self.needs_
        return owned  # type: ignore[no-any-return]

    def _remove(self, collection: Collection[R], doc_id: str) -> None:
        collection = self._owned(collection)
        removed = collection.remove(doc_id)
        if removed is not None:
            self.vocabulary_.unregister(removed[1], self._side(collection))

    def _analyze(self, record: Record) -> Analysis:
        fw = self.field_weights
        fields = [(record.title, fw.title), (record.summary, fw.summary)]
        fields += [(keyword, fw.keywords) for keyword in record.keywords]
        fields.append((record.description, fw.description))
        return analyze_fields(fields, self.max_ngram)

    # ----------------------------------------------------------------------- text scores
    def _query_weights(
        self, counts: dict[str, float], side: int, prefix: str = ""
    ) -> tuple[IntArray, FloatArray, float]:
        """Term ids and weights ``q_t`` of the query's known terms, and the norm
        ``sum_t q_t`` over *all* its terms: a term the index has never seen counts with the
        idf of ``df = 0``, so a text mostly about things nobody wrote cannot score high."""
        ids, tf = self.vocabulary_.lookup(counts, prefix)
        unseen = float(bm25_idf(np.zeros(1), self.vocabulary_.n_docs_[side])[0])
        if self.query_tf == "log":
            factors = [1.0 + float(np.log(max(c, 1.0))) for c in counts.values()]
        else:
            factors = [1.0] * len(counts)
        if len(ids) == 0:
            return ids, tf, unseen * sum(factors)
        weights = self.vocabulary_.idf(ids, side)
        weights *= self.vocabulary_.specificity(ids, side, self.side_weight)
        known_factors = 1.0 + np.log(np.maximum(tf, 1.0)) if self.query_tf == "log" else 1.0
        weights *= known_factors
        missing = sum(factors) - float(np.sum(np.broadcast_to(known_factors, tf.shape)))
        return ids, weights, float(weights.sum()) + unseen * max(0.0, missing)

    def _text_scores(self, query: Analysis, collection: Collection[Any]) -> FloatArray:
        """Text score in [0, 1] of every row of ``collection`` (dead rows 0)."""
        side = self._side(collection)
        n_terms = len(self.vocabulary_)
        ids, q, norm = self._query_weights(query.folded, side)
        if len(ids) == 0 or collection.n_rows == 0:
            return np.zeros(collection.n_rows, dtype=np.float64)
        text = collection.scores(ids, q, n_terms) / ((self.k1 + 1.0) * norm)
        if query.marked and self.accent_weight > 0:
            a_ids, a_q, a_norm = self._query_weights(query.accented, side, ACCENT_PREFIX)
            if len(a_ids):
                accented = collection.scores(a_ids, a_q, n_terms) / ((self.k1 + 1.0) * a_norm)
                blended = self.accent_weight * accented + (1.0 - self.accent_weight) * text
                text = np.where(collection.marked_.view, blended, text)
        text[~collection.alive_.view] = 0.0
        return text

    def _search(
        self, query: str, collection: Collection[R], k: int | None
    ) -> list[tuple[str, float]]:
        if (k is not None and k <= 0) or len(collection) == 0:
            return []
        analysis = analyze_fields([(query, 1.0)], self.max_ngram)
        if not analysis.folded:
            return []
        scores = self._text_scores(analysis, collection)
        rows = np.flatnonzero(scores > 0)
        if k is not None and len(rows) > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(collection.ids_[r], float(scores[r])) for r in rows.tolist()]

    def search_offers(self, query: str, k: int | None = None) -> list[tuple[str, float]]:
        """Indexed offers whose text matches ``query`` (diacritics optional), best first."""
        return self._search(query, self.offers_, k)

    def search_needs(self, query: str, k: int | None = None) -> list[tuple[str, float]]:
        """Indexed needs whose text matches ``query`` (diacritics optional), best first."""
        return self._search(query, self.needs_, k)

    def _rank(
        self, query: str, records: Sequence[Record], collection: Collection[Any]
    ) -> list[tuple[str, float]]:
        """Score records that need not be indexed, with the statistics of ``collection``."""
        analysis = analyze_fields([(query, 1.0)], self.max_ngram)
        if not analysis.folded or not records:
            return []
        side = self._side(collection)
        # Terms unknown to the index count with the idf of df = 0, so this works on an
        # empty index too.
        ids, q, norm = self._query_weights(analysis.folded, side)
        by_id = dict(zip(ids.tolist(), q.tolist(), strict=True))
        weight_of: dict[str, float] = {}
        for term in analysis.folded:
            term_id = self.vocabulary_.ids_.get(term)
            if term_id is not None and term_id in by_id:
                weight_of[term] = by_id[term_id]
        unseen = float(bm25_idf(np.zeros(1), self.vocabulary_.n_docs_[side])[0])
        for term, count in analysis.folded.items():
            if term not in weight_of:
                factor = 1.0 + float(np.log(max(count, 1.0))) if self.query_tf == "log" else 1.0
                weight_of[term] = unseen * factor
        bound = (self.k1 + 1.0) * norm
        avgdl = collection.mean_length
        out: list[tuple[str, float]] = []
        for record in records:
            doc = self._analyze(record)
            norm = self.k1 * (1.0 - self.b + self.b * doc.length / avgdl)
            total = 0.0
            for term, tf in doc.folded.items():
                weight = weight_of.get(term)
                if weight is not None:
                    total += weight * tf * (self.k1 + 1.0) / (tf + norm)
            if total > 0:
                out.append((record.id, min(1.0, total / bound)))
        out.sort(key=lambda item: -item[1])
        return out

    def pair(self, need: NeedRecord, offer: OfferRecord) -> MatchResult:
        """Score one (need, offer) pair as ``match_need`` would rank the offer for the need,
        whether or not either is indexed (for tuning on recorded outcomes)."""
        analysis = self._analyze(need)
        doc = self._analyze(offer)
        norm_length = self.k1 * (1.0 - self.b + self.b * doc.length / self.offers_.mean_length)

        def channel(query: dict[str, float], candidate: dict[str, float], prefix: str) -> float:
            ids, q, total = self._query_weights(query, OFFERS, prefix)
            by_id = dict(zip(ids.tolist(), q.tolist(), strict=True))
            score = 0.0
            for term, tf in candidate.items():
                weight = by_id.get(self.vocabulary_.ids_.get(prefix + term, -1))
                if weight is not None:
                    score += weight * tf * (self.k1 + 1.0) / (tf + norm_length)
            return score / ((self.k1 + 1.0) * total) if total > 0 else 0.0

        text = channel(analysis.folded, doc.folded, "")
        if analysis.marked and doc.marked and self.accent_weight > 0:
            accented = channel(analysis.accented, doc.accented, ACCENT_PREFIX)
            text = self.accent_weight * accented + (1.0 - self.accent_weight) * text
        structural = pair_components(need, offer)
        components: dict[str, float | None] = {"text": text, **structural}
        return MatchResult(
            id=offer.id,
            score=combine(text, structural, self.weights),
            components={key: components[key] for key in COMPONENT_KEYS},
            explanation=Explanation(shared_terms=[], notes=[]),
        )

    def rank_offers(self, query: str, offers: Sequence[OfferRecord]) -> list[tuple[str, float]]:
        """Score arbitrary (possibly unindexed) offers against ``query``; only score > 0."""
        return self._rank(query, offers, self.offers_)

    def rank_needs(self, query: str, needs: Sequence[NeedRecord]) -> list[tuple[str, float]]:
        """Score arbitrary (possibly unindexed) needs against ``query``; only score > 0."""
        return self._rank(query, needs, self.needs_)

    # ---------------------------------------------------------------------- pair ranking
    def match_need(
        self,
        need: NeedRecord,
        k: int = 10,
        filters: MatchFilters | None = None,
        exclude_ids: AbstractCollection[str] = (),
        explain: bool = True,
    ) -> list[MatchResult]:
        """Indexed offers ranked for ``need`` (which need not be indexed), best first."""
        return self._match(need, self.offers_, k, filters, exclude_ids, explain)

    def match_offer(
        self,
        offer: OfferRecord,
        k: int = 10,
        filters: MatchFilters | None = None,
        exclude_ids: AbstractCollection[str] = (),
        explain: bool = True,
    ) -> list[MatchResult]:
        """Indexed needs ranked for ``offer`` (which need not be indexed), best first."""
        return self._match(offer, self.needs_, k, filters, exclude_ids, explain)

    def match_needs(
        self,
        needs: Sequence[NeedRecord],
        k: int = 10,
        filters: MatchFilters | None = None,
        explain: bool = True,
        progress: Callable[[int], None] | None = None,
    ) -> list[list[MatchResult]]:
        """``match_need`` for many needs, on ``workers`` threads (the kernels release the
        GIL, so a report uses both cores); results in the order of ``needs``."""
        return self._batch(self.match_need, needs, k, filters, explain, progress)

    def match_offers(
        self,
        offers: Sequence[OfferRecord],
        k: int = 10,
        filters: MatchFilters | None = None,
        explain: bool = True,
        progress: Callable[[int], None] | None = None,
    ) -> list[list[MatchResult]]:
        """``match_offer`` for many offers, on ``workers`` threads."""
        return self._batch(self.match_offer, offers, k, filters, explain, progress)

    def _batch(
        self,
        one: Callable[..., list[MatchResult]],
        records: Sequence[Any],
        k: int,
        filters: MatchFilters | None,
        explain: bool,
        progress: Callable[[int], None] | None,
    ) -> list[list[MatchResult]]:
        def run(record: Any) -> list[MatchResult]:
            result = one(record, k=k, filters=filters, explain=explain)
            if progress is not None:
                progress(1)
            return result

        if self.workers <= 1 or len(records) < 64:
            return [run(r) for r in records]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(run, records, chunksize=32))

    def _match(
        self,
        query: Record,
        collection: Collection[Any],
        k: int,
        filters: MatchFilters | None,
        exclude_ids: AbstractCollection[str],
        explain: bool,
    ) -> list[MatchResult]:
        if k <= 0 or len(collection) == 0:
            return []
        analysis = self._analyze(query)
        if not analysis.folded:
            return []
        text = self._text_scores(analysis, collection)
        allowed = allowed_rows(collection, filters, exclude_ids, collection is self.offers_)
        text = np.where(allowed, text, 0.0)
        min_score = filters.min_score if filters is not None else None
        weights = self.weights
        ids = collection.ids_

        def final_score(row: int) -> float | None:
            candidate = collection.record(ids[row])
            final = combine(float(text[row]), pair_components(query, candidate), weights)
            return final if min_score is None or final >= min_score else None

        scored = top_k(text, k, final_score, ids, lambda t: upper_bound(t, weights))
        context = None
        if explain and scored:
            cohesion: dict[tuple[str, str], bool] = {}

            def cohesive(left: str, right: str) -> bool:
                key = (left, right)
                if key not in cohesion:
                    cohesion[key] = self._cohesive(left, right)
                return cohesion[key]

            context = (
                self._explain_weights(analysis, collection),
                analysis.token_segments(),
                cohesive,
            )
        return [
            self._result(query, collection, analysis, context, row, t, s) for row, t, s in scored
        ]

    def _explain_weights(self, analysis: Analysis, collection: Collection[Any]) -> dict[str, float]:
        ids, q, _ = self._query_weights(analysis.folded, self._side(collection))
        by_id = dict(zip(ids.tolist(), q.tolist(), strict=True))
        get = self.vocabulary_.ids_.get
        out: dict[str, float] = {}
        for term in analysis.folded:
            term_id = get(term)
            if term_id is not None and term_id in by_id:
                out[term] = by_id[term_id]
        return out

    def _cohesive(self, left: str, right: str) -> bool:
        """Two folded syllables form one word when their bigram is a strong collocation:
        Dice ``2 df(ab) / (df(a) + df(b)) >= cohesion`` over the whole index."""
        df = self.vocabulary_.df
        pair = df(f"{left} {right}")
        if pair < 2:
            return False
        return 2.0 * pair / (df(left) + df(right)) >= self.cohesion

    def _result(
        self,
        query: Record,
        collection: Collection[Any],
        analysis: Analysis,
        context: tuple[dict[str, float], list[list[str]], Callable[[str, str], bool]] | None,
        row: int,
        text: float,
        final: float,
    ) -> MatchResult:
        candidate = collection.record(collection.ids_[row])
        structural = pair_components(query, candidate)
        components: dict[str, float | None] = {"text": text, **structural}
        offer, need = (candidate, query) if isinstance(query, NeedRecord) else (query, candidate)
        assert isinstance(offer, OfferRecord) and isinstance(need, NeedRecord)
        shared: list[str] = []
        notes: list[str] = []
        if context is not None:
            query_weights, query_segments, cohesive = context
            shared = shared_phrases(
                query_weights,
                collection.token_segments(candidate.id),
                query_segments,
                cohesive=cohesive,
                candidate_marked=bool(collection.marked_.view[row]),
                query_marked=analysis.marked,
                max_terms=self.max_shared_terms,
            )
            notes = component_notes(offer, need, structural, self.labels)
        return MatchResult(
            id=candidate.id,
            score=final,
            components={key: components[key] for key in COMPONENT_KEYS},
            explanation=Explanation(shared_terms=shared, notes=notes),
        )

    def settings_summary(self) -> dict[str, object]:
        """Weights, threshold and pipeline parameters, for traceable reports."""
        return {
            "weights": asdict(self.weights),
            "weights_version": self.weights.version,
            "threshold": self.threshold,
            "field_weights": asdict(self.field_weights),
            "k1": self.k1,
            "b": self.b,
            "accent_weight": self.accent_weight,
            "side_weight": self.side_weight,
            "query_tf": self.query_tf,
            "max_ngram": self.max_ngram,
            "max_shared_terms": self.max_shared_terms,
            "features": "syllable 1-2 grams, accented and diacritic-folded channels (i/y unified)",
            "term_weight": "Okapi BM25: tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl))",
            "query_term_weight": (
                "BM25 idf of the candidates' side * min(1, p_side(t) / p_all(t)) ** side_weight"
                " * (1 + ln qtf)"
            ),
            "score": "sigmoid(intercept + text * t + sum_i w_i (c_i - 1/2))",
            "n_offers": self.n_offers,
            "n_needs": self.n_needs,
        }
