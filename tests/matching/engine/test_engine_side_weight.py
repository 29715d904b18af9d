"""Query terms weighted by how far they belong to the candidates' side (``side_weight``)."""

from __future__ import annotations

import numpy as np

from app.matching.engine import Matcher, NeedRecord, OfferRecord
from app.matching.engine.index import Vocabulary
from app.matching.engine.vectorize import Analysis

# Every need is written by a cooperative; few offers mention one.
NEEDS = [
    NeedRecord(id=f"n{i}", title=f"Hợp tác xã cần {topic}", description=f"Hợp tác xã {topic}.")
    for i, topic in enumerate(
        ["máy gặt lúa", "phân bón hữu cơ", "giống cá rô phi", "kho lạnh bảo quản", "máy tách hạt"]
    )
]
OFFERS = [
    OfferRecord(
        id="software",
        title="Phần mềm quản lý hợp tác xã",
        description="Quản lý thành viên và sổ sách của hợp tác xã.",
    ),
    OfferRecord(
        id="dryer",
        title="Máy sấy nông sản bơm nhiệt",
        description="Máy sấy nông sản công suất nhỏ, tiết kiệm điện, dễ vận hành.",
    ),
    OfferRecord(id="pump", title="Máy bơm nước tưới tiêu", description="Bơm nước cho ruộng lúa."),
    OfferRecord(id="seed", title="Giống lúa chịu mặn", description="Giống lúa cho vùng ven biển."),
]
QUERY = NeedRecord(
    id="q",
    title="Hợp tác xã cần máy sấy",
    description="Hợp tác xã khoai lang muốn sấy khoai. Hợp tác xã cần máy nhỏ cho thành viên.",
    keywords=("hợp tác xã",),
)


def test_specificity_formula() -> None:
    vocabulary = Vocabulary()
    # "a": in 1 of 10 offers and 5 of 5 needs; "b": in 5 of 10 offers and no need.
    for i in range(10):
        terms = {"a": 1.0} if i == 0 else {}
        if i < 5:
            terms["b"] = 1.0
        vocabulary.register(Analysis(folded=terms or {"z": 1.0}), side=0)
    for _ in range(5):
        vocabulary.register(Analysis(folded={"a": 1.0}), side=1)
    ids, _ = vocabulary.lookup({"a": 1.0, "b": 1.0})
    got = vocabulary.specificity(ids, side=0, power=1.0)
    expected_first = ((1 + 1) / (10 + 2)) / ((6 + 1) / (15 + 2))
    assert np.allclose(got, [expected_first, 1.0])
    assert np.allclose(vocabulary.specificity(ids, 0, 2.0), [expected_first**2, 1.0])
    assert np.allclose(vocabulary.specificity(ids, 0, 0.0), [1.0, 1.0])


def test_requester_vocabulary_alone_ranks_below_substance() -> None:
    with_side = [r.id for r in Matcher(side_weight=4).fit(OFFERS, NEEDS).match_need(QUERY, k=2)]
    without = [r.id for r in Matcher(side_weight=0).fit(OFFERS, NEEDS).match_need(QUERY, k=2)]
    assert with_side == ["dryer", "software"]
    assert without == ["software", "dryer"]


def test_side_statistics_follow_upserts_and_removals() -> None:
    incremental = Matcher().fit(OFFERS[:1], NEEDS[:2])
    for offer in OFFERS[1:]:
        incremental.upsert_offer(offer)
    for need in NEEDS[2:]:
        incremental.upsert_need(need)
    incremental.upsert_need(NeedRecord(id="tmp", title="Hợp tác xã cần máy sấy"))
    incremental.upsert_offer(OFFERS[0])  # replaced: removed, then added again
    incremental.remove_need("tmp")
    fresh = Matcher().fit(OFFERS, NEEDS)
    a, b = incremental.vocabulary_, fresh.vocabulary_
    assert a.n_docs_ == b.n_docs_
    for term in b.ids_:
        for side in (0, 1):
            assert a.df(term, side) == b.df(term, side), term
    assert all(a.df(t) == 0 for t in a.ids_ if t not in b.ids_)
    # The delta segment keeps the avgdl of its time; a merge re-weights like a fresh fit.
    incremental.offers_.merge()
    assert incremental.match_need(QUERY) == fresh.match_need(QUERY)
