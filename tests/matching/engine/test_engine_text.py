"""Normalisation, folding and tokenisation of Vietnamese text."""

from __future__ import annotations

import unicodedata

import pytest

from app.matching.engine import fold_text, normalize_text, tokenize
from app.matching.engine.text import has_marks, segments


def test_nfd_input_is_composed() -> None:
    nfd = unicodedata.normalize("NFD", "Hoà Bình")
    assert nfd != "Hoà Bình"
    assert normalize_text(nfd) == "hòa bình"
    assert tokenize(nfd) == ["hòa", "bình"]


def test_zero_width_and_soft_hyphen_removed() -> None:
    assert normalize_text("phân\u200b bón\u00ad vi\ufeff sinh\u200c\u200d") == "phân bón vi sinh"


@pytest.mark.parametrize(
    ("new_style", "old_style"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("hoá", "hóa"),
        ("toả", "tỏa"),
        ("uỷ", "ủy"),
        ("luỹ", "lũy"),
    ],
)
def test_tone_placement_is_canonical(new_style: str, old_style: str) -> None:
    assert normalize_text(new_style) == normalize_text(old_style) == old_style
    assert normalize_text(new_style.upper()) == old_style


def test_qu_keeps_tone_on_y() -> None:
    assert normalize_text("quý") == "quý"
    assert normalize_text("qúy") == "quý"


def test_closed_syllables_are_untouched() -> None:
    assert normalize_text("hoàng khoản quyết") == "hoàng khoản quyết"


def test_upper_case_is_lowered() -> None:
    assert normalize_text("PHÂN BÓN VI SINH") == "phân bón vi sinh"


def test_fold_maps_d_bar_and_strips_marks() -> None:
    assert fold_text("Đồng Tháp đất đai") == "dong thap dat dai"
    assert fold_text("Thuỷ sản") == fold_text("thủy sản") == "thuy san"


def test_generic_abbreviations_expand() -> None:
    assert normalize_text("HTX chè") == "hợp tác xã chè"
    assert normalize_text("Sở KH&CN") == "sở khoa học và công nghệ"
    assert normalize_text("dnx") == "dnx"


def test_segments_split_at_punctuation() -> None:
    assert segments("nông sản, dược liệu") == [["nông", "sản"], ["dược", "liệu"]]
    assert segments("X-quang") == [["x", "quang"]]


def test_has_marks_tells_typed_without_diacritics() -> None:
    assert has_marks(tokenize("máy sấy nông sản"))
    assert not has_marks(tokenize("may say nong san"))
    assert not has_marks([])
