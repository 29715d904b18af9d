"""Diacritic restoration of unaccented queries from the index's own accented vocabulary."""

from __future__ import annotations

import pytest

from app.matching.engine import Matcher, NeedRecord, OfferRecord
from app.matching.engine.index import TermStats
from app.matching.engine.restore import restore_tokens
from app.matching.engine.vectorize import analyze_fields


def stats_of(*texts: str) -> TermStats:
    stats = TermStats(track_variants=True)
    for text in texts:
        stats.add(analyze_fields([(text, 1.0)]).accented)
    return stats


# "máy cày" (a plough) and "máy cấy" (a rice transplanter) both fold to "may cay".
PLOUGH = OfferRecord(
    id="o-cay-dat",
    title="Máy cày đất mini",
    keywords=("máy cày", "cày đất"),
    description="Máy cày đất gọn nhẹ cho ruộng nhỏ.",
)
TRANSPLANTER = OfferRecord(
    id="o-cay-ma",
    title="Máy cấy lúa hai hàng cho hộ nông dân",
    keywords=("máy cấy", "cơ giới hóa"),
    description="Thiết bị cấy thay cho cấy tay, giảm công lao động trong vụ lúa; vận hành"
    " đơn giản, phụ tùng sẵn có.",
)
OTHERS = [
    OfferRecord(id="o-phan", title="Phân bón hữu cơ vi sinh từ rơm rạ"),
    OfferRecord(id="o-say", title="Máy sấy nông sản bằng bơm nhiệt"),
]
NEED = NeedRecord(id="n-ma", title="Hợp tác xã cần máy cấy mạ khay", keywords=("cấy mạ", "mạ khay"))


def test_variants_map_folded_syllables_to_indexed_accented_ones() -> None:
    stats = stats_of("máy cày đất", "máy cấy lúa", "phân bón")
    assert sorted(stats.variants_["cay"]) == ["cày", "cấy"]
    assert stats.variants_["phan"] == ["phân"]
    assert "may cay" not in stats.variants_  # bigrams are looked up, not mapped


def test_context_chooses_the_variant() -> None:
    stats = stats_of("máy cày đất", "máy cày đất ruộng", "máy cấy lúa")
    assert restore_tokens(["may", "cay", "lua"], stats)[0] == ["máy", "cấy", "lúa"]
    assert restore_tokens(["may", "cay", "dat"], stats)[0] == ["máy", "cày", "đất"]
    restored, posterior = restore_tokens(["may", "cay"], stats)
    assert restored == ["máy", "cày"]  # no context: the more frequent variant
    assert posterior[0] == 1.0 and 0.5 < posterior[1] < 1.0


def test_marked_and_unknown_syllables_are_kept() -> None:
    stats = stats_of("máy cày đất")
    restored, posterior = restore_tokens(["máy", "cay", "iot", "2025"], stats)
    assert restored == ["máy", "cày", "iot", "2025"]
    assert posterior == pytest.approx([1.0, 1.0, 1.0, 1.0])
    assert restore_tokens([], stats) == ([], [])


def test_removed_documents_stop_being_candidates() -> None:
    stats = TermStats(track_variants=True)
    ids, _ = stats.add(analyze_fields([("máy cấy", 1.0)]).accented)
    stats.add(analyze_fields([("máy cày", 1.0)]).accented)
    stats.remove(ids)
    assert restore_tokens(["may", "cay"], stats)[0] == ["máy", "cày"]


def test_query_without_marks_gets_a_trusted_accented_channel() -> None:
    matcher = Matcher().fit([PLOUGH, TRANSPLANTER, *OTHERS], [NEED])
    plain = matcher._analyze_query("may cay ma")
    assert not plain.marked and 0.0 < plain.restoration <= 1.0
    assert "máy cấy" in plain.accented and "cấy mạ" in plain.accented
    off = Matcher(restore_accents=False).fit([PLOUGH, TRANSPLANTER, *OTHERS], [NEED])
    assert off._analyze_query("may cay ma").accented == {}
    assert matcher.settings_summary()["restore_accents"] is True


def test_restoration_separates_what_folding_merges() -> None:
    offers, needs = [PLOUGH, TRANSPLANTER, *OTHERS], [NEED]
    query = "may cay ma"  # "máy cấy mạ", typed without marks
    folded_only = Matcher(restore_accents=False).fit(offers, needs).search_offers(query)
    assert folded_only[0][0] == PLOUGH.id  # the short plough offer says "may cay" densely
    restored = Matcher().fit(offers, needs).search_offers(query)
    accented = Matcher().fit(offers, needs).search_offers("máy cấy mạ")
    assert restored[0][0] == accented[0][0] == TRANSPLANTER.id


def test_rank_offers_uses_the_restored_channel_too() -> None:
    offers, needs = [PLOUGH, TRANSPLANTER, *OTHERS], [NEED]
    drafts = [PLOUGH, TRANSPLANTER]
    assert (
        Matcher(restore_accents=False).fit(offers, needs).rank_offers("may cay ma", drafts)[0][0]
        == PLOUGH.id
    )
    assert Matcher().fit(offers, needs).rank_offers("may cay ma", drafts)[0][0] == TRANSPLANTER.id
