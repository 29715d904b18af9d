"""Document weights come from scikit-learn's ``TfidfTransformer``, kept up to date incrementally."""

from __future__ import annotations

from typing import Any
from unittest import mock

import numpy as np
import pytest
from engine_corpus import NEEDS, OFFERS
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer

from app.matching.engine import Matcher, NeedRecord, OfferRecord
from app.matching.engine.index import Collection
from app.matching.engine.matcher import CHANNELS
from app.matching.engine.scoring import weight_dict


def counts_matrix(
    matcher: Matcher, records: list[OfferRecord] | list[NeedRecord], channel: str
) -> Any:
    """Weighted term counts of ``records`` on the index's term ids, built from the analyser."""
    stats = matcher.stats_[channel]
    rows, cols, data = [], [], []
    for row, record in enumerate(records):
        counts = getattr(matcher._analyze(record), channel)
        for term, count in counts.items():
            rows.append(row)
            cols.append(stats.vocabulary_[term])
            data.append(count)
    shape = (len(records), len(stats.vocabulary_))
    return sparse.csr_matrix((data, (rows, cols)), shape=shape)


def expected_weights(
    matcher: Matcher,
    offers: list[OfferRecord],
    needs: list[NeedRecord],
    collection: list[OfferRecord] | list[NeedRecord],
    channel: str,
) -> Any:
    """What scikit-learn gives when fitted on both collections at once."""
    offer_counts = counts_matrix(matcher, offers, channel)
    stacked = sparse.vstack([offer_counts, counts_matrix(matcher, needs, channel)])
    transformer = TfidfTransformer(sublinear_tf=True).fit(stacked)
    return transformer.transform(counts_matrix(matcher, collection, channel)).toarray()


def layout(matcher: Matcher, collection: Collection[Any]) -> None:
    collection.ensure_layout(matcher._idf())


@pytest.mark.parametrize("channel", CHANNELS)
def test_stored_weights_equal_sklearn_fitted_on_both_collections(channel: str) -> None:
    matcher = Matcher().fit(OFFERS, NEEDS)
    for collection, records in ((matcher.offers_, OFFERS), (matcher.needs_, NEEDS)):
        layout(matcher, collection)
        stored = collection.matrices_[channel].toarray()
        expected = expected_weights(matcher, OFFERS, NEEDS, records, channel)
        np.testing.assert_allclose(stored, expected, rtol=1e-6, atol=1e-7)


def test_weights_follow_upserts_and_removals_on_either_side() -> None:
    matcher = Matcher().fit(OFFERS[:-1], NEEDS)
    layout(matcher, matcher.offers_)
    matcher.upsert_offer(OFFERS[-1])
    matcher.remove_need(NEEDS[0].id)  # moves the shared idf, not the offers' rows
    layout(matcher, matcher.offers_)
    for channel in CHANNELS:
        stored = matcher.offers_.matrices_[channel].toarray()
        expected = expected_weights(matcher, OFFERS, NEEDS[1:], OFFERS, channel)
        np.testing.assert_allclose(stored, expected, rtol=1e-6, atol=1e-7)


def test_layout_weighs_documents_with_sklearn_transformer() -> None:
    matcher = Matcher().fit(OFFERS, NEEDS)
    original = TfidfTransformer.transform
    with mock.patch.object(
        TfidfTransformer, "transform", autospec=True, side_effect=original
    ) as transform:
        layout(matcher, matcher.offers_)
    assert transform.call_count == len(CHANNELS)
    for call, channel in zip(transform.call_args_list, CHANNELS, strict=True):
        transformer, counts = call.args
        assert transformer.sublinear_tf and transformer.norm == "l2"
        assert counts is matcher.offers_.counts_[channel]
        np.testing.assert_allclose(transformer.idf_, matcher._idf()[channel][: counts.shape[1]])
        np.testing.assert_allclose(
            counts.toarray(), counts_matrix(matcher, OFFERS, channel).toarray(), rtol=1e-6
        )


def test_query_weights_equal_the_transformer_on_one_row() -> None:
    matcher = Matcher().fit(OFFERS, NEEDS)
    stats = matcher.stats_["folded"]
    idf = matcher._idf()["folded"]
    counts = {"may say": 3.0, "nong san": 1.0, "say": 2.5, "khong co trong chi muc": 1.0}
    weights = weight_dict(counts, stats, idf)
    terms = list(counts)
    transformer = TfidfTransformer(sublinear_tf=True)
    transformer.idf_ = np.array([stats.query_idf(t, idf) for t in terms])
    transformer.n_features_in_ = len(terms)
    row = transformer.transform(sparse.csr_matrix([list(counts.values())])).toarray().ravel()
    np.testing.assert_allclose([weights[t] for t in terms], row)


def test_empty_collection_lays_out() -> None:
    matcher = Matcher().fit(OFFERS, [])
    assert matcher.match_offer(OFFERS[0]) == []
    layout(matcher, matcher.needs_)
    assert matcher.needs_.matrices_["folded"].shape[0] == 0
