"""Old provinces (before 1 July 2025) → the 34 current units, as versioned reference data."""

import pytest

from app.taxonomies.data import PROVINCE_CODES
from app.taxonomies.province_history import UnknownProvince, history, resolve_province
from tests.conftest import Api


def test_the_mapping_is_complete_versioned_and_sourced() -> None:
    data = history()
    assert "202/2025/QH15" in data.legal_source and data.version == data.effective_from
    olds = data.old_provinces
    assert len(olds) == 63 and len({p.code for p in olds}) == 63
    assert {p.new_code for p in olds} == PROVINCE_CODES  # every current unit has a predecessor
    for old in olds:  # by name, folded name, "Tỉnh"/"TP." prefix, and old code
        assert resolve_province(old.name) == old.new_code
        prefix = "TP." if old.kind == "thành phố" else "Tỉnh"
        assert resolve_province(f"{prefix} {old.name}") == old.new_code
        assert resolve_province(old.code) == old.new_code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vĩnh Phúc", "25"), ("Hòa Bình", "25"), ("Hoà Bình", "25"), ("hoa binh", "25"),
        ("TỈNH VĨNH PHÚC", "25"), ("Thành phố Hồ Chí Minh", "79"), ("TP.HCM", "79"),
        ("Bà Rịa - Vũng Tàu", "79"), ("Thừa Thiên Huế", "46"), ("Huế", "46"), ("Kon Tum", "51"),
        ("Hà Giang", "08"), ("Bắc Giang", "24"), ("Quảng Bình", "44"), ("Kiên Giang", "91"),
        ("1", "01"), ("26", "25"), ("10", "15"), ("25", "25"), ("Phú Thọ (25)", "25"),
    ],
)  # fmt: skip
def test_examples(text: str, code: str) -> None:
    assert resolve_province(text) == code


def test_unknown_names_the_closest_units_never_guesses() -> None:
    with pytest.raises(UnknownProvince) as caught:
        resolve_province("Vinh Phuk")
    assert caught.value.suggestions[0].code == "25"
    assert "Phú Thọ (25, nay gồm Vĩnh Phúc)" in str(caught.value)
    for text in ("99", "Hà Tây", "Atlantis"):
        with pytest.raises(UnknownProvince):
            resolve_province(text)


def test_served_over_http(api: Api) -> None:
    body = api.get("/taxonomies/provinces/history").json()
    assert body["total"] == 63 and "202/2025/QH15" in body["legal_source"]
    assert {"code": "26", "name": "Vĩnh Phúc", "kind": "tỉnh", "new_code": "25"} in body["items"]
