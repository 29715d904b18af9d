"""Syllable n-gram features in the accented and folded channels."""

from __future__ import annotations

from app.matching.engine.vectorize import analyze_fields, ngrams


def test_bigrams_of_adjacent_syllables() -> None:
    assert ngrams(["phân", "bón", "vi", "sinh"]) == [
        "phân",
        "bón",
        "vi",
        "sinh",
        "phân bón",
        "bón vi",
        "vi sinh",
    ]


def test_no_bigram_across_punctuation() -> None:
    analysis = analyze_fields([("nông sản, dược liệu", 1.0)])
    assert "nông sản" in analysis.accented
    assert "sản dược" not in analysis.accented


def test_field_weights_multiply_counts() -> None:
    analysis = analyze_fields([("máy sấy", 3.0), ("máy sấy nhỏ", 1.0)])
    assert analysis.accented["máy sấy"] == 4.0
    assert analysis.folded["may say"] == 4.0


def test_unaccented_text_has_only_the_folded_channel() -> None:
    accented = analyze_fields([("máy sấy nông sản", 1.0)])
    plain = analyze_fields([("may say nong san", 1.0)])
    assert accented.marked and not plain.marked
    assert plain.accented == {}
    assert accented.folded == plain.folded


def test_i_y_spelling_variants_share_features() -> None:
    a = analyze_fields([("chữ ký của kỹ sư", 1.0)])
    b = analyze_fields([("chữ kí của kĩ sư", 1.0)])
    assert a.folded == b.folded and a.accented == b.accented
    # "uy", "ay" and "qu" + y are untouched.
    assert "quy" in analyze_fields([("quý", 1.0)]).folded
    assert "may" in analyze_fields([("máy", 1.0)]).folded
