"""Query terms weighted by how far they belong to the candidates' side (``side_weight``)."""

from __future__ import annotations

import numpy as np

from app.matching.engine import Matcher, NeedRecord, OfferRecord
from app.matching.engine.index import TermStats, side_specificity

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
    # Term in 1 of 10 offers and 5 of 5 needs; in 5 of 10 offers and 0 needs; in neither.
    got = side_specificity(np.array([1.0, 5.0, 0.0]), 10, np.array([6.0, 5.0, 0.0]), 15, power=1.0)
    expected_first = ((1 + 1) / (10 + 2)) / ((6 + 1) / (15 + 2))
    assert np.allclose(got, [expected_first, 1.0, 1.0])
    assert np.allclose(
        side_specificity(np.array([1.0]), 10, np.array([6.0]), 15, power=2.0), expected_first**2
    )


def test_requester_vocabulary_alone_ranks_below_substance() -> None:
    with_side = [r.id for r in Matcher().fit(OFFERS, NEEDS).match_need(QUERY, k=2)]
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
    for channel in ("accented", "folded"):
        for side in (0, 1):
            a, b = incremental.stats_[channel], fresh.stats_[channel]
            got = {t: a.side_idf(side, 1.0)[i] for t, i in a.vocabulary_.items() if a.df_[i]}
            want = {t: b.side_idf(side, 1.0)[i] for t, i in b.vocabulary_.items()}
            assert got.keys() == want.keys()
            assert np.allclose([got[t] for t in want], list(want.values()))
    assert incremental.match_need(QUERY) == fresh.match_need(QUERY)


def test_power_zero_is_the_shared_idf() -> None:
    stats = TermStats()
    stats.add({"hợp tác": 1.0}, side=1)
    stats.add({"máy sấy": 1.0}, side=0)
    assert np.array_equal(stats.side_idf(0, 0.0), stats.idf())
    assert stats.side_idf(0, 1.0)[0] < stats.idf()[0]
    assert stats.side_idf(1, 1.0)[0] == stats.idf()[0]
