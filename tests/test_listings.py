"""Offers and needs: validation, lifecycle, visibility and concurrency, through HTTP."""

import unicodedata
from typing import Any

import pytest

from app.config import Settings
from tests.conftest import Api, need_body, offer_body

KINDS = ["offers", "needs"]


def body_for(kind: str, **fields: Any) -> dict[str, Any]:
    return offer_body(**fields) if kind == "offers" else need_body(**fields)


@pytest.fixture
def dept(api: Api) -> str:
    return api.department()


@pytest.fixture
def owner(api: Api, dept: str) -> dict[str, Any]:
    return api.verified_org(dept, "institute")


@pytest.mark.parametrize("kind", KINDS)
def test_create_returns_draft_with_server_fields(
    api: Api, owner: dict[str, Any], kind: str
) -> None:
    response = api.post(f"/{kind}", owner["token"], json=body_for(kind))
    assert response.status_code == 201, response.text
    data = response.json()
    assert data["status"] == "draft" and data["version"] == 1
    assert data["organization_id"] == owner["organization"]["id"]
    assert response.headers["ETag"] == '"1"'
    assert data["created_at"].endswith("Z") or data["created_at"].endswith("+00:00")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"summary": "x" * 501},
        {"description": "x" * 20_001},
        {"keywords": [f"k{i}" for i in range(21)]},
        {"field_code": "9"},
        {"province_code": "00"},
        {"title": "NUL\u0000inside"},
        {"description": "bell\u0007char"},
        {"title": "tab\tin title"},
        {"transfer_forms": ["teleport"]},
        {"valid_until": "2001-01-01"},
        {"valid_until": "not-a-date"},
        {"status": "published"},
        {"id": "x"},
        {"organization_id": "x"},
        {"version": 7},
        {"unknown_field": 1},
    ],
)
def test_invalid_fields_are_422(
    api: Api, owner: dict[str, Any], kind: str, fields: dict[str, Any]
) -> None:
    response = api.post(f"/{kind}", owner["token"], json=body_for(kind, **fields))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]
    assert api.get(f"/{kind}", owner["token"]).json()["total"] == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"trl": 0},
        {"trl": 10},
        {"trl": "7"},
        {"price_min_vnd": -1},
        {"price_min_vnd": 5, "price_max_vnd": 4},
        {"price_type": "free"},
        {"ip_status": "x"},
        {"price_max_vnd": 1.5},
    ],
)
def test_invalid_offer_fields(api: Api, owner: dict[str, Any], fields: dict[str, Any]) -> None:
    assert api.post("/offers", owner["token"], json=offer_body(**fields)).status_code == 422


@pytest.mark.parametrize(
    "fields",
    [
        {"desired_trl_min": 0},
        {"budget_max_vnd": -5},
        {"deadline": "1999-12-31"},
        {"confidential": "maybe"},
    ],
)
def test_invalid_need_fields(api: Api, owner: dict[str, Any], fields: dict[str, Any]) -> None:
    assert api.post("/needs", owner["token"], json=need_body(**fields)).status_code == 422


def test_422_does_not_echo_rejected_input(api: Api, owner: dict[str, Any]) -> None:
    canary = "CANARY-" + "z" * 300
    response = api.post("/offers", owner["token"], json=offer_body(title=canary))
    assert response.status_code == 422
    assert "CANARY" not in response.text


def test_text_is_stored_nfc_and_newlines_kept(api: Api, owner: dict[str, Any]) -> None:
    nfd_title = unicodedata.normalize("NFD", "Quy trình chế biến chè Phú Thọ")
    response = api.post(
        "/offers", owner["token"], json=offer_body(title=nfd_title, description="Dòng 1\nDòng\t2")
    )
    data = response.json()
    assert data["title"] == unicodedata.normalize("NFC", nfd_title)
    assert data["title"] != nfd_title
    assert data["description"] == "Dòng 1\nDòng\t2"


@pytest.mark.parametrize("kind", KINDS)
def test_full_lifecycle(api: Api, owner: dict[str, Any], dept: str, kind: str) -> None:
    token = owner["token"]
    listing = api.post(f"/{kind}", token, json=body_for(kind)).json()
    lid = listing["id"]
    assert api.post(f"/{kind}/{lid}/publish", dept).status_code == 409  # draft
    submitted = api.post(f"/{kind}/{lid}/submit", token)
    assert submitted.json()["status"] == "pending_review"
    assert api.post(f"/{kind}/{lid}/submit", token).status_code == 409
    assert api.get(f"/{kind}/{lid}").status_code == 404  # not public yet
    rejected = api.post(f"/{kind}/{lid}/reject", dept, json={"reason": "Thiếu mô tả"})
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejection_reason"] == "Thiếu mô tả"
    assert api.post(f"/{kind}/{lid}/submit", token).json()["status"] == "pending_review"
    published = api.post(f"/{kind}/{lid}/publish", dept)
    assert published.json()["status"] == "published"
    assert api.get(f"/{kind}/{lid}").status_code == 200  # anonymous read
    archived = api.post(f"/{kind}/{lid}/archive", token)
    assert archived.json()["status"] == "archived"
    assert api.post(f"/{kind}/{lid}/archive", token).status_code == 409
    assert api.patch(f"/{kind}/{lid}", token, json={"title": "Mới"}).status_code == 409
    assert api.get(f"/{kind}/{lid}").status_code == 404


def test_transitions_are_role_checked(api: Api, owner: dict[str, Any], dept: str) -> None:
    token = owner["token"]
    lid = api.post("/offers", token, json=offer_body()).json()["id"]
    api.post(f"/offers/{lid}/submit", token)
    assert api.post(f"/offers/{lid}/publish", token).status_code == 403
    assert api.post(f"/offers/{lid}/reject", token, json={"reason": "x"}).status_code == 403
    assert api.post(f"/offers/{lid}/publish").status_code == 401
    assert api.post(f"/offers/{lid}/reject", dept, json={}).status_code == 422
    assert api.post(f"/offers/{lid}/submit", dept).status_code == 403


def test_unverified_organisation_cannot_submit(api: Api) -> None:
    pending = api.register("enterprise")
    lid = api.post("/needs", pending["token"], json=need_body()).json()["id"]
    response = api.post(f"/needs/{lid}/submit", pending["token"])
    assert response.status_code == 409
    assert "verified" in response.json()["detail"]


def test_review_switched_off_publishes_on_submit(
    api: Api, owner: dict[str, Any], settings: Settings
) -> None:
    api.client.app.state.settings = settings.model_copy(update={"review_required": False})  # type: ignore[attr-defined]
    lid = api.post("/offers", owner["token"], json=offer_body()).json()["id"]
    assert api.post(f"/offers/{lid}/submit", owner["token"]).json()["status"] == "published"


def test_visibility_rules(api: Api, owner: dict[str, Any], dept: str) -> None:
    other = api.verified_org(dept, "enterprise")
    draft = api.post("/offers", owner["token"], json=offer_body(title="Bản nháp")).json()
    public = api.published("offers", owner["token"], dept, title="Đã công bố")
    # another organisation's draft is a 404 for reads and writes, not a 403
    for token in (None, other["token"]):
        assert api.get(f"/offers/{draft['id']}", token).status_code == 404
    assert (
        api.patch(f"/offers/{draft['id']}", other["token"], json={"title": "x"}).status_code == 404
    )
    assert api.delete(f"/offers/{draft['id']}", other["token"]).status_code == 404
    assert api.post(f"/offers/{draft['id']}/submit", other["token"]).status_code == 404
    # but a published one is readable by all and still not editable by others
    assert api.get(f"/offers/{public['id']}").status_code == 200
    assert (
        api.patch(f"/offers/{public['id']}", other["token"], json={"title": "x"}).status_code == 403
    )
    # lists
    anonymous = {o["id"] for o in api.get("/offers").json()["items"]}
    own = {o["id"] for o in api.get("/offers", owner["token"]).json()["items"]}
    seen_by_other = {o["id"] for o in api.get("/offers", other["token"]).json()["items"]}
    department = {o["id"] for o in api.get("/offers", dept).json()["items"]}
    assert anonymous == seen_by_other == {public["id"]}
    assert own == department == {public["id"], draft["id"]}
    assert api.get("/offers?status=draft").json()["total"] == 0


def test_etag_and_if_match(api: Api, owner: dict[str, Any]) -> None:
    token = owner["token"]
    created = api.post("/offers", token, json=offer_body())
    lid, etag = created.json()["id"], created.headers["ETag"]
    ok = api.patch(f"/offers/{lid}", token, json={"trl": 8}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.headers["ETag"] == '"2"'
    stale = api.patch(f"/offers/{lid}", token, json={"trl": 3}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert api.get(f"/offers/{lid}", token).json()["trl"] == 8
    assert api.delete(f"/offers/{lid}", token, headers={"If-Match": etag}).status_code == 412
    bad = api.patch(f"/offers/{lid}", token, json={"trl": 3}, headers={"If-Match": "garbage"})
    assert bad.status_code == 422


def test_patch_is_partial_and_checks_cross_field_rules(api: Api, owner: dict[str, Any]) -> None:
    token = owner["token"]
    lid = api.post("/offers", token, json=offer_body()).json()["id"]
    response = api.patch(f"/offers/{lid}", token, json={"summary": "Tóm tắt mới"})
    assert response.json()["title"] == offer_body()["title"]
    assert response.json()["summary"] == "Tóm tắt mới"
    crossed = api.patch(f"/offers/{lid}", token, json={"price_min_vnd": 900_000_000})
    assert crossed.status_code == 422
    assert api.get(f"/offers/{lid}", token).json()["price_min_vnd"] == 200_000_000
    assert api.patch(f"/offers/{lid}", token, json={"title": None}).status_code == 422
    assert api.patch(f"/offers/{lid}", token, json={"status": "published"}).status_code == 422


def test_soft_delete(api: Api, owner: dict[str, Any], dept: str) -> None:
    token = owner["token"]
    listing = api.published("needs", token, dept)
    assert api.delete(f"/needs/{listing['id']}", token).status_code == 204
    assert api.get(f"/needs/{listing['id']}", token).status_code == 404
    assert api.get(f"/needs/{listing['id']}", dept).status_code == 404
    assert api.get("/needs").json()["total"] == 0
    assert api.delete(f"/needs/{listing['id']}", token).status_code == 404


def test_list_filters_and_pagination(api: Api, owner: dict[str, Any], dept: str) -> None:
    token = owner["token"]
    api.published("offers", token, dept, field_code="401", province_code="25", trl=4)
    api.published("offers", token, dept, field_code="402", province_code="01", trl=8)
    api.published("offers", token, dept, field_code="203", province_code="25", trl=6)
    assert api.get("/offers?field_code=4").json()["total"] == 2
    assert api.get("/offers?field_code=401").json()["total"] == 1
    assert api.get("/offers?province_code=25").json()["total"] == 2
    assert api.get("/offers?trl_min=6").json()["total"] == 2
    assert api.get(f"/offers?organization_id={owner['organization']['id']}").json()["total"] == 3
    page = api.get("/offers?limit=2&offset=2").json()
    assert page["total"] == 3 and len(page["items"]) == 1 and page["limit"] == 2
    assert page["offset"] == 2
    for bad in (
        "limit=101",
        "limit=0",
        "offset=-1",
        "trl_min=10",
        "status=bogus",
        "field_code=zz",
        "province_code=99",
    ):
        response = api.get(f"/offers?{bad}")
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == "application/problem+json"


def test_q_search_is_case_and_diacritic_insensitive(
    api: Api, owner: dict[str, Any], dept: str
) -> None:
    token = owner["token"]
    tea = api.published(
        "offers",
        token,
        dept,
        title="Máy sấy chè bơm nhiệt",
        keywords=["sấy chè"],
        description="Sấy chè xanh ở nhiệt độ thấp.",
    )
    api.published(
        "offers",
        token,
        dept,
        title="Phần mềm truy xuất nguồn gốc",
        keywords=["QR"],
        summary="",
        description="Mã QR cho nông sản OCOP.",
    )
    for query in ("máy sấy chè", "MAY SAY CHE", "may say che"):
        items = api.get(f"/offers?q={query}").json()["items"]
        assert items and items[0]["id"] == tea["id"], query
        assert items[0]["score"] > 0
    assert api.get("/offers?q=xyzzy").json()["total"] == 0
