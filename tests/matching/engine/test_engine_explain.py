"""Explanations show whole words and phrases as written, never fragments across a word."""

from app.matching.engine import Matcher, NeedRecord, OfferRecord

# Background listings that make "điện tử" and "thu hoạch" words the index knows.
BACKGROUND = [
    OfferRecord(id=f"bg{i}", title=title)
    for i, title in enumerate(
        [
            "Hóa đơn điện tử cho doanh nghiệp",
            "Thiết bị điện tử công nghiệp",
            "Sổ sách điện tử của hợp tác xã",
            "Máy thu hoạch lúa liên hợp",
            "Bảo quản rau sau thu hoạch",
            "Kỹ thuật thu hoạch chè búp",
        ]
    )
]
CANDIDATE = OfferRecord(
    id="shop",
    title="Giải pháp bán nông sản trên sàn thương mại điện tử",
    description="Giảm tổn thất sau thu hoạch nhờ đặt hàng trước; kho lạnh dùng chung.",
)
QUERY = NeedRecord(
    id="q",
    title="Cần đưa nông sản lên sàn thương mại điện máy",
    description="Sau thu gom, hàng cần kho lạnh dùng chung.",
)


def test_phrases_stop_at_word_boundaries() -> None:
    matcher = Matcher().fit([*BACKGROUND, CANDIDATE], [QUERY])
    [result] = [r for r in matcher.match_need(QUERY, k=10) if r.id == "shop"]
    shared = result.explanation.shared_terms
    assert "sàn thương mại" in shared
    assert "kho lạnh dùng chung" in shared
    assert "nông sản" in shared
    for phrase in shared:
        # "điện" belongs to "điện tử" there, "thu" to "thu hoạch"; no phrase cuts them.
        assert not phrase.endswith("điện"), phrase
        assert "sau thu" not in phrase, phrase
        assert phrase.split()[0] not in {"trên", "sau", "và", "cho"}, phrase
        assert phrase in CANDIDATE.title.lower() or phrase in CANDIDATE.description.lower()
