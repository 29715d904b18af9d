"""The matcher: an incremental two-sided index of offers and needs, and its rankers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Collection as AbstractCollection
from dataclasses import asdict
from typing import Any, TypeVar

import numpy as np

from .components import combine, upper_bound
from .explain import component_notes, shared_phrases
from .index import Collection, DocVector, FloatArray, TermStats
from .ranking import allowed_rows, pair_components, record_segments, top_k
from .records import (
    COMPONENT_KEYS,
    Explanation,
    MatchFilters,
    MatchResult,
    NeedRecord,
    OfferRecord,
    Weights,
)
from .restore import Restoration, restore_tokens
from .scoring import (
    analysis_cosine,
    calibrate,
    combine_channels,
    query_vector,
    weight_dict,
)
from .vectorize import FUNCTION_WORDS, Analysis, FieldWeights, Restorer, analyze_fields

__all__ = ["DEFAULT_THRESHOLD", "Matcher"]

#: Best-candidate score under which a need counts as unmet demand. Chosen on the dev set by
#: ``bench/eval_matching.py``: midway between the best score of the unmet needs and the
#: lowest best-score of the needs that do have a relevant offer (see bench/README.md).
DEFAULT_THRESHOLD: float = 0.51

CHANNELS = ("accented", "folded")
Record = OfferRecord | NeedRecord
R = TypeVar("R", OfferRecord, NeedRecord)


def upper_bound_of(weights: Weights) -> Callable[[float], float]:
    """``upper_bound`` with the weights bound, for ``top_k``."""
    return lambda text: upper_bound(text, weights)


class Matcher:
    """Rank offers for a need and needs for an offer.

    Parameters are stored as given; the fitted state lives in attributes ending with ``_``:
    ``stats_`` (vocabulary and document frequencies per channel, shared by both sides),
    ``offers_`` and ``needs_`` (stored counts, and TF-IDF matrices that scikit-learn's
    ``TfidfTransformer`` re-weights lazily after a change; see ``index.py``).

    text score = calibrate(a * cos_accented + (1 - a) * cos_folded)   (both sides marked)
               = calibrate(cos_folded)                                 (otherwise)
    final score = combine(text, structural components, weights)       (see ``Weights``)

    In ``match_need``/``match_offer`` the query record's terms weigh
    ``(1 + ln tf) * idf(t) * min(1, p_cand(t) / p_all(t)) ** side_weight`` before
    normalisation (``index.side_specificity``; ``p`` the add-one smoothed share of the
    candidates' side, or of all documents, that contain ``t``): a term the query's own side
    uses much more than the candidates do (a requester's organisation type, the framing of a
    request) counts less, so a candidate that shares only that term ranks below one that
    shares the substance. Document weights keep the shared idf.

    With ``restore_accents``, a query typed without diacritics has its marks restored from
    the index's accented vocabulary (``restore.py``) and counts as marked with
    ``a = accent_weight * confidence``; indexed documents are never restored, so an upsert
    stays independent of what else is indexed.
    """

    def __init__(
        self,
        *,
        weights: Weights | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        field_weights: FieldWeights | None = None,
        accent_weight: float = 0.5,
        calibration_scale: float = 0.25,
        max_ngram: int = 2,
        unigram_weight: float = 1.0,
        stopwords: bool = False,
        max_shared_terms: int = 8,
        restore_accents: bool = True,
        side_weight: float = 1.0,
    ) -> None:
        self.weights = weights if weights is not None else Weights()
        self.threshold = threshold
        self.field_weights = field_weights if field_weights is not None else FieldWeights()
        self.accent_weight = accent_weight
        self.calibration_scale = calibration_scale
        self.max_ngram = max_ngram
        self.unigram_weight = unigram_weight
        self.stopwords = stopwords
        self.max_shared_terms = max_shared_terms
        self.restore_accents = restore_accents
        self.side_weight = side_weight
        self._reset()

    def _reset(self) -> None:
        self.stats_: dict[str, TermStats] = {
            c: TermStats(self.unigram_weight, track_variants=c == "accented") for c in CHANNELS
        }
        self.offers_: Collection[OfferRecord] = Collection(CHANNELS)
        self.needs_: Collection[NeedRecord] = Collection(CHANNELS)
        self.idf_: dict[str, FloatArray] | None = None
        self.side_idf_: dict[int, dict[str, FloatArray]] = {}

    # ----------------------------------------------------------------- index maintenance
    def fit(self, offers: Iterable[OfferRecord], needs: Iterable[NeedRecord]) -> Matcher:
        """Rebuild the index from scratch with these offers and needs."""
        self._reset()
        for offer in offers:
            self.upsert_offer(offer)
        for need in needs:
            self.upsert_need(need)
        return self

    def upsert_offer(self, offer: OfferRecord) -> None:
        """Add or replace one offer; only this record is analysed."""
        self._upsert(self.offers_, offer)

    def upsert_need(self, need: NeedRecord) -> None:
        """Add or replace one need; only this record is analysed."""
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

    def _upsert(self, collection: Collection[R], record: R) -> None:
        self._remove(collection, record.id)
        analysis = self._analyze(record)
        counts = {"accented": analysis.accented, "folded": analysis.folded}
        side = self._side(collection)
        vectors = {c: DocVector.from_counts(*self.stats_[c].add(counts[c], side)) for c in CHANNELS}
        collection.put(record.id, record, analysis.marked, vectors)
        self._changed()

    def _remove(self, collection: Collection[R], doc_id: str) -> None:
        entry = collection.pop(doc_id)
        if entry is None:
            return
        side = self._side(collection)
        for channel, vector in entry[2].items():
            self.stats_[channel].remove(vector.ids, side)
        self._changed()

    def _side(self, collection: Collection[Any]) -> int:
        return 0 if collection is self.offers_ else 1

    def _changed(self) -> None:
        self.idf_ = None
        self.side_idf_ = {}
        self.offers_.invalidate()
        self.needs_.invalidate()

    def _idf(self) -> dict[str, FloatArray]:
        if self.idf_ is None:
            self.idf_ = {c: self.stats_[c].idf() for c in CHANNELS}
        return self.idf_

    def _query_idf(self, collection: Collection[Any]) -> dict[str, FloatArray]:
        """Query term weights for ranking the documents of ``collection`` (``side_idf``)."""
        side = self._side(collection)
        if side not in self.side_idf_:
            self.side_idf_[side] = {
                c: self.stats_[c].side_idf(side, self.side_weight) for c in CHANNELS
            }
        return self.side_idf_[side]

    def _analyze(self, record: Record, query: bool = False) -> Analysis:
        fw = self.field_weights
        fields = [(record.title, fw.title), (record.summary, fw.summary)]
        fields += [(keyword, fw.keywords) for keyword in record.keywords]
        fields.append((record.description, fw.description))
        restore = self._restorer() if query else None
        return analyze_fields(fields, self.max_ngram, self.stopwords, restore)

    def _analyze_query(self, query: str) -> Analysis:
        return analyze_fields([(query, 1.0)], self.max_ngram, self.stopwords, self._restorer())

    def _restorer(self) -> Restorer | None:
        if not self.restore_accents:
            return None
        stats = self.stats_["accented"]

        def restore(tokens: list[str]) -> Restoration:
            return restore_tokens(tokens, stats)

        return restore

    # ----------------------------------------------------------------------- text scores
    def _text_scores(
        self,
        query: Analysis,
        collection: Collection[R],
        query_idf: dict[str, FloatArray] | None = None,
    ) -> FloatArray:
        idf = self._idf()
        collection.ensure_layout(idf)
        q_idf = idf if query_idf is None else query_idf
        folded = self._channel_scores(query, collection, "folded", q_idf)
        accented = None
        trust = query.accent_trust
        if trust > 0:
            accented = self._channel_scores(query, collection, "accented", q_idf)
        cosine = combine_channels(folded, accented, collection.marked_, self.accent_weight * trust)
        out: FloatArray = calibrate(np.clip(cosine, 0.0, 1.0), self.calibration_scale)
        return out

    def _channel_scores(
        self,
        query: Analysis,
        collection: Collection[R],
        channel: str,
        query_idf: dict[str, FloatArray],
    ) -> FloatArray:
        # The documents' idf is in ``matrices_``; ``query_idf`` weighs the query's side.
        counts = query.accented if channel == "accented" else query.folded
        vector = query_vector(counts, self.stats_[channel], query_idf[channel])
        return collection.cosines(channel, vector.cols, vector.values)

    def _search(
        self, query: str, collection: Collection[R], k: int | None
    ) -> list[tuple[str, float]]:
        if (k is not None and k <= 0) or len(collection) == 0:
            return []
        analysis = self._analyze_query(query)
        if not analysis.folded:
            return []
        scores = self._text_scores(analysis, collection)
        rows = np.flatnonzero(scores > 0)
        if k is not None and len(rows) > k:
            rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(collection.ids_[r], float(scores[r])) for r in rows]

    def search_offers(self, query: str, k: int | None = None) -> list[tuple[str, float]]:
        """Indexed offers whose text matches ``query`` (diacritics optional), best first."""
        return self._search(query, self.offers_, k)

    def search_needs(self, query: str, k: int | None = None) -> list[tuple[str, float]]:
        """Indexed needs whose text matches ``query`` (diacritics optional), best first."""
        return self._search(query, self.needs_, k)

    def _rank(self, query: str, records: Sequence[Record]) -> list[tuple[str, float]]:
        analysis = self._analyze_query(query)
        if not analysis.folded or not records:
            return []
        idf = self._idf()
        q_weights = {
            c: weight_dict(self._counts(analysis, c), self.stats_[c], idf[c]) for c in CHANNELS
        }
        out: list[tuple[str, float]] = []
        for record in records:
            doc = self._analyze(record)
            d_weights = {
                c: weight_dict(self._counts(doc, c), self.stats_[c], idf[c]) for c in CHANNELS
            }
            cosine = analysis_cosine(analysis, doc, q_weights, d_weights, self.accent_weight)
            score = float(calibrate(min(1.0, max(0.0, cosine)), self.calibration_scale))
            if score > 0:
                out.append((record.id, score))
        out.sort(key=lambda item: -item[1])
        return out

    @staticmethod
    def _counts(analysis: Analysis, channel: str) -> dict[str, float]:
        return analysis.accented if channel == "accented" else analysis.folded

    def rank_offers(self, query: str, offers: Sequence[OfferRecord]) -> list[tuple[str, float]]:
        """Score arbitrary (possibly unindexed) offers against ``query``; only score > 0."""
        return self._rank(query, offers)

    def rank_needs(self, query: str, needs: Sequence[NeedRecord]) -> list[tuple[str, float]]:
        """Score arbitrary (possibly unindexed) needs against ``query``; only score > 0."""
        return self._rank(query, needs)

    # ---------------------------------------------------------------------- pair ranking
    def match_need(
        self,
        need: NeedRecord,
        k: int = 10,
        filters: MatchFilters | None = None,
        exclude_ids: AbstractCollection[str] = (),
    ) -> list[MatchResult]:
        """Indexed offers ranked for ``need`` (which need not be indexed), best first."""
        return self._match(need, self.offers_, k, filters, exclude_ids)

    def match_offer(
        self,
        offer: OfferRecord,
        k: int = 10,
        filters: MatchFilters | None = None,
        exclude_ids: AbstractCollection[str] = (),
    ) -> list[MatchResult]:
        """Indexed needs ranked for ``offer`` (which need not be indexed), best first."""
        return self._match(offer, self.needs_, k, filters, exclude_ids)

    def _match(
        self,
        query: Record,
        collection: Collection[Any],
        k: int,
        filters: MatchFilters | None,
        exclude_ids: AbstractCollection[str],
    ) -> list[MatchResult]:
        if k <= 0 or len(collection) == 0:
            return []
        analysis = self._analyze(query, query=True)
        if not analysis.folded:
            return []
        text = self._text_scores(analysis, collection, self._query_idf(collection))
        allowed = allowed_rows(collection, filters, exclude_ids, collection is self.offers_)
        text = np.where(allowed, text, 0.0)
        min_score = filters.min_score if filters is not None else None

        def final_score(row: int) -> float | None:
            candidate = collection.record(collection.ids_[row])
            final = combine(float(text[row]), pair_components(query, candidate), self.weights)
            return final if min_score is None or final >= min_score else None

        scored = top_k(text, k, final_score, collection.ids_, upper_bound_of(self.weights))
        return [self._result(query, collection, analysis, row, t, s) for row, t, s in scored]

    def _result(
        self,
        query: Record,
        collection: Collection[Any],
        analysis: Analysis,
        row: int,
        text: float,
        final: float,
    ) -> MatchResult:
        candidate = collection.record(collection.ids_[row])
        structural = pair_components(query, candidate)
        components: dict[str, float | None] = {"text": text, **structural}
        offer, need = (candidate, query) if isinstance(query, NeedRecord) else (query, candidate)
        assert isinstance(offer, OfferRecord) and isinstance(need, NeedRecord)
        return MatchResult(
            id=candidate.id,
            score=final,
            components={key: components[key] for key in COMPONENT_KEYS},
            explanation=Explanation(
                shared_terms=self._shared_terms(analysis, query, collection, candidate),
                notes=component_notes(offer, need, structural),
            ),
        )

    def _shared_terms(
        self, analysis: Analysis, query: Record, collection: Collection[Any], candidate: Record
    ) -> list[str]:
        idf = self._idf()["folded"]
        stats = self.stats_["folded"]
        doc = self._analyze(candidate)
        q_weights = weight_dict(analysis.folded, stats, self._query_idf(collection)["folded"])
        d_weights = weight_dict(doc.folded, stats, idf)
        contributions = {t: w * d_weights[t] for t, w in q_weights.items() if t in d_weights}
        return shared_phrases(
            contributions,
            record_segments(candidate),
            record_segments(query),
            candidate_marked=doc.marked,
            query_marked=analysis.marked,
            max_terms=self.max_shared_terms,
        )

    def settings_summary(self) -> dict[str, object]:
        """Weights, threshold and pipeline parameters, for traceable reports."""
        return {
            "weights": asdict(self.weights),
            "threshold": self.threshold,
            "field_weights": asdict(self.field_weights),
            "accent_weight": self.accent_weight,
            "calibration_scale": self.calibration_scale,
            "max_ngram": self.max_ngram,
            "unigram_weight": self.unigram_weight,
            "stopwords": sorted(FUNCTION_WORDS) if self.stopwords else [],
            "max_shared_terms": self.max_shared_terms,
            "restore_accents": self.restore_accents,
            "side_weight": self.side_weight,
            "features": "syllable n-grams, accented and diacritic-folded channels",
            "term_weight": (
                "scikit-learn TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm='l2'): "
                "(1 + ln tf) * (ln((1 + N) / (1 + df)) + 1), L2-normalised"
            ),
            "query_term_weight": "term_weight * min(1, p_candidates(t) / p_all(t)) ** side_weight",
            "n_offers": self.n_offers,
            "n_needs": self.n_needs,
        }
