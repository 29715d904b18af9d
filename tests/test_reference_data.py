"""Reference data (fields, provinces, enums), the tax code validator and the demo data set."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.organizations.tax_code import (
    InvalidTaxCode,
    check_digit,
    is_valid_tax_code,
    normalize_tax_code,
)
from app.taxonomies.data import (
    ENUMS,
    FIELD_CODES,
    FIELDS,
    PROVINCE_CODES,
    PROVINCES,
    field_by_code,
    province_by_code,
)
from tests.conftest import Api

DEMO_PATH = Path(__file__).resolve().parents[1] / "app" / "demo" / "demo_data.json"


def _is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


def _has_diacritics(text: str) -> bool:
    return any(ord(ch) > 127 for ch in text)


# --- S&T fields -----------------------------------------------------------------------------


def test_six_field_groups() -> None:
    groups = [f for f in FIELDS if f.parent_code is None]
    assert [(g.code, g.name) for g in groups] == [
        ("1", "Khoa học tự nhiên"),
        ("2", "Khoa học kỹ thuật và công nghệ"),
        ("3", "Khoa học y, dược"),
        ("4", "Khoa học nông nghiệp"),
        ("5", "Khoa học xã hội"),
        ("6", "Khoa học nhân văn"),
    ]


def test_subfields_hang_under_an_existing_group() -> None:
    group_codes = {f.code for f in FIELDS if f.parent_code is None}
    subfields = [f for f in FIELDS if f.parent_code is not None]
    assert len(subfields) == 46
    for f in subfields:
        assert f.parent_code in group_codes
        assert re.fullmatch(r"\d{3}", f.code)
        assert f.code.startswith(f.parent_code)


def test_field_codes_unique_and_indexed() -> None:
    codes = [f.code for f in FIELDS]
    assert len(codes) == len(set(codes)) == len(FIELD_CODES)
    assert field_by_code("101") == next(f for f in FIELDS if f.code == "101")
    assert field_by_code("401") is not None
    assert field_by_code("401").name == "Trồng trọt"  # type: ignore[union-attr]
    assert field_by_code("201").name == "Kỹ thuật dân dụng"  # type: ignore[union-attr]
    assert field_by_code("7") is None
    assert field_by_code("") is None


# --- provinces ------------------------------------------------------------------------------


def test_thirty_four_provinces_with_unique_codes() -> None:
    codes = [p.code for p in PROVINCES]
    assert len(PROVINCES) == 34
    assert len(set(codes)) == 34 == len(PROVINCE_CODES)
    assert all(re.fullmatch(r"\d{2}", c) for c in codes)
    kinds = Counter(p.kind for p in PROVINCES)
    assert kinds == {"thành phố": 6, "tỉnh": 28}


def test_known_provinces() -> None:
    phu_tho = province_by_code("25")
    assert phu_tho is not None
    assert (phu_tho.name, phu_tho.kind, phu_tho.full_name) == ("Phú Thọ", "tỉnh", "Tỉnh Phú Thọ")
    ha_noi = province_by_code("01")
    assert ha_noi is not None
    assert ha_noi.full_name == "Thành phố Hà Nội"
    hcm = province_by_code("79")
    assert hcm is not None and hcm.full_name == "Thành phố Hồ Chí Minh"
    cities = {p.code for p in PROVINCES if p.kind == "thành phố"}
    assert cities == {"01", "31", "46", "48", "79", "92"}
    # Units merged away on 1 July 2025 are gone (Vĩnh Phúc 26, Hòa Bình 17, Hà Giang 02).
    assert province_by_code("26") is None
    assert province_by_code("17") is None
    assert province_by_code("02") is None


# --- names ----------------------------------------------------------------------------------


def test_all_names_are_nfc() -> None:
    names = [f.name for f in FIELDS] + [p.name for p in PROVINCES]
    names += [label for enum in ENUMS.values() for label in enum.values()]
    assert all(_is_nfc(n) for n in names)
    assert all(n == n.strip() and n for n in names)


def test_names_keep_their_diacritics() -> None:
    assert all(_has_diacritics(f.name) for f in FIELDS)
    assert all(_has_diacritics(label) for enum in ENUMS.values() for label in enum.values())
    # Only these two provincial names are written without any diacritic.
    assert [p.name for p in PROVINCES if not _has_diacritics(p.name)] == ["Gia Lai", "An Giang"]
    assert province_by_code("66") is not None
    assert province_by_code("66").name == "Đắk Lắk"  # type: ignore[union-attr]


# --- enums ----------------------------------------------------------------------------------


def test_enum_codes() -> None:
    expected = {
        "organization_kind": {
            "institute",
            "university",
            "enterprise",
            "cooperative",
            "intermediary",
            "department",
        },
        "organization_status": {"pending", "verified", "suspended", "rejected"},
        "listing_status": {
            "draft",
            "pending_review",
            "published",
            "rejected",
            "archived",
            "expired",
        },
        "transfer_form": {
            "licence",
            "assignment",
            "capital_contribution",
            "joint_development",
            "technical_service",
            "turnkey",
            "equipment",
        },
        "transfer_method": {
            "documents",
            "training",
            "expert_assistance",
            "pilot_production",
            "turnkey_delivery",
        },
        "ip_status": {
            "patent",
            "patent_pending",
            "utility_solution",
            "industrial_design",
            "plant_variety",
            "trade_secret",
            "copyright",
            "none",
        },
        "price_type": {"negotiable", "indicative", "fixed"},
        "connection_status": {
            "proposed",
            "accepted",
            "declined",
            "withdrawn",
            "negotiating",
            "contracted",
            "closed",
        },
        "role": {"department", "org_admin", "org_member"},
    }
    assert {name: set(values) for name, values in ENUMS.items()} == expected


# --- tax code -------------------------------------------------------------------------------

VALID_TAX_CODES = [
    "0100233488",  # example in python-stdnum's vn.mst
    "0100109106",
    "0314409058-002",
    "0314409058002",  # branch written without the hyphen
    " 0100 233 488 ",
]


@pytest.mark.parametrize("value", VALID_TAX_CODES)
def test_valid_tax_codes(value: str) -> None:
    assert is_valid_tax_code(value)


@pytest.mark.parametrize(
    "value",
    [
        "0100233480",  # wrong check digit
        "0100233489",  # wrong check digit
        "010023348",  # 9 digits
        "01002334881",  # 11 digits
        "0314409058-02",  # branch too short
        "0314409058-0021",  # branch too long
        "0314409058-000",  # branch 000
        "0314409058000",
        "01002334A8",  # letter
        "MST0100233488",
        "0100233488-",
        "01002334８8",  # full-width digit
        "",
        "0100000000",  # all-zero serial part
    ],
)
def test_invalid_tax_codes(value: str) -> None:
    assert not is_valid_tax_code(value)
    with pytest.raises(InvalidTaxCode):
        normalize_tax_code(value)


def test_check_digit_ten_is_invalid() -> None:
    # 010000005: 0·31 + 1·29 + 5·3 = 44 ≡ 0 (mod 11), so the check digit would be 10.
    assert check_digit("010000005") is None
    assert not any(is_valid_tax_code(f"010000005{d}") for d in "0123456789")
    assert check_digit("010023348") == 8


def test_normalize_tax_code() -> None:
    assert normalize_tax_code(" 0100 233 488 ") == "0100233488"
    assert normalize_tax_code("0314409058002") == "0314409058-002"
    assert normalize_tax_code("0314409058 - 002") == "0314409058-002"


# --- demo data ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> dict[str, Any]:
    with DEMO_PATH.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def test_demo_text_is_nfc(demo: dict[str, Any]) -> None:
    assert all(_is_nfc(s) for s in _strings(demo))


def test_demo_organizations(demo: dict[str, Any]) -> None:
    orgs = demo["organizations"]
    keys = [o["key"] for o in orgs]
    assert len(keys) == len(set(keys))
    for org in orgs:
        assert org["kind"] in ENUMS["organization_kind"]
        assert is_valid_tax_code(org["tax_code"]), org["key"]
        assert normalize_tax_code(org["tax_code"]) == org["tax_code"]
        assert org["province_code"] in PROVINCE_CODES
        assert org["website"].startswith("https://") and org["website"].endswith(".example.vn")
        assert org["contact_email"].endswith("@example.vn")
        assert org["user"]["email"].endswith("@example.vn")
        assert _has_diacritics(org["name"])
    kinds = Counter(o["kind"] for o in orgs)
    assert kinds["institute"] >= 3
    assert kinds["university"] >= 3
    assert kinds["enterprise"] >= 4
    assert kinds["cooperative"] >= 2
    assert kinds["intermediary"] >= 1
    assert sum(o["province_code"] == "25" for o in orgs) > len(orgs) / 2
    tax_codes = [o["tax_code"] for o in orgs]
    assert len(tax_codes) == len(set(tax_codes))


def test_demo_emails_unique(demo: dict[str, Any]) -> None:
    users = [o["user"]["email"].lower() for o in demo["organizations"]]
    contacts = [o["contact_email"].lower() for o in demo["organizations"]]
    assert len(users) == len(set(users))
    assert len(contacts) == len(set(contacts))


def _check_listing_common(item: dict[str, Any], org_keys: set[str]) -> None:
    assert item["org"] in org_keys
    assert 0 < len(item["title"]) <= 200
    assert 0 < len(item["summary"]) <= 500
    assert 0 < len(item["description"]) <= 20_000
    assert 3 <= len(item["keywords"]) <= 20
    assert all(isinstance(k, str) and k for k in item["keywords"])
    assert item["field_code"] in FIELD_CODES
    assert item["province_code"] in PROVINCE_CODES
    assert item.get("status", "published") in {"draft", "pending_review", "published"}
    assert item["transfer_forms"]
    assert set(item["transfer_forms"]) <= set(ENUMS["transfer_form"])


def test_demo_offers(demo: dict[str, Any]) -> None:
    org_kind = {o["key"]: o["kind"] for o in demo["organizations"]}
    for offer in demo["offers"]:
        _check_listing_common(offer, set(org_kind))
        assert 1 <= offer["trl"] <= 9
        assert offer["ip_status"] in ENUMS["ip_status"]
        assert offer["transfer_methods"]
        assert set(offer["transfer_methods"]) <= set(ENUMS["transfer_method"])
        assert offer["price_type"] in ENUMS["price_type"]
        assert isinstance(offer["price_min_vnd"], int)
        assert isinstance(offer["price_max_vnd"], int)
        assert 0 <= offer["price_min_vnd"] <= offer["price_max_vnd"]
    published = [o for o in demo["offers"] if o.get("status", "published") == "published"]
    assert len(published) >= 30
    providers = {o["org"] for o in published if org_kind[o["org"]] in {"institute", "university"}}
    assert len(providers) >= 3
    assert len(demo["offers"]) > len(published)  # something waits in the review queue


def test_demo_needs(demo: dict[str, Any]) -> None:
    org_kind = {o["key"]: o["kind"] for o in demo["organizations"]}
    for need in demo["needs"]:
        _check_listing_common(need, set(org_kind))
        assert org_kind[need["org"]] in {"enterprise", "cooperative"}
        assert 1 <= need["desired_trl_min"] <= 9
        assert isinstance(need["budget_max_vnd"], int) and need["budget_max_vnd"] > 0
        assert re.fullmatch(r"2027-\d{2}-\d{2}", need["deadline"])
        assert isinstance(need["confidential"], bool)
    published = [n for n in demo["needs"] if n.get("status", "published") == "published"]
    assert len(published) >= 15
    assert len({n["org"] for n in published}) >= 3
    assert sum(n["confidential"] for n in demo["needs"]) == 2
    assert len(demo["needs"]) > len(published)


def test_reference_data_over_http(api: Api) -> None:
    fields = api.get("/taxonomies/fields").json()["items"]
    assert {f["code"] for f in fields if f["parent_code"] is None} == {"1", "2", "3", "4", "5", "6"}
    assert all(f["code"] and f["name"] for f in fields)
    provinces = api.get("/taxonomies/provinces").json()["items"]
    assert len(provinces) == 34
    assert {"code": "25", "name": "Phú Thọ", "kind": "tỉnh"} in provinces
    enums = api.get("/taxonomies/enums").json()
    assert {e["code"] for e in enums["listing_status"]} >= {"draft", "published", "expired"}
    assert all(item["name"] for values in enums.values() for item in values)
