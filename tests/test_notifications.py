"""Notifications: new matches on publication, reading them, and who sees which."""

from fastapi.testclient import TestClient

from app.main import create_app
from tests.conftest import Api, make_settings, need_body, offer_body

UNRELATED = {
    "title": "Phần mềm quản lý kế toán cho hợp tác xã",
    "summary": "Sổ sách điện tử, báo cáo thuế.",
    "description": "Ứng dụng web quản lý thu chi, công nợ và hóa đơn điện tử.",
    "keywords": ["kế toán", "hóa đơn điện tử"],
    "field_code": "102",
}


def _kinds(api: Api, token: str) -> list[str]:
    return [n["kind"] for n in api.get("/notifications", token).json()["items"]]


def test_a_published_offer_notifies_the_owner_of_a_matching_need(api: Api) -> None:
    dept = api.department()
    ent = api.verified_org(dept, "enterprise")
    inst = api.verified_org(dept, "institute")
    need = api.published("needs", ent["token"], dept)
    assert _kinds(api, ent["token"]) == []
    api.published("offers", inst["token"], dept, **UNRELATED)
    assert _kinds(api, ent["token"]) == []  # below the threshold: nothing
    offer = api.published("offers", inst["token"], dept)
    items = api.get("/notifications", ent["token"]).json()["items"]
    assert [n["kind"] for n in items] == ["new_match"]
    payload = items[0]["payload"]
    assert payload["need"]["id"] == need["id"]
    assert payload["offer"]["id"] == offer["id"]
    assert payload["offer"]["organization_id"] == inst["organization"]["id"]
    threshold = api.get(f"/needs/{need['id']}/matches", ent["token"]).json()["threshold"]
    assert payload["score"] >= threshold
    assert _kinds(api, inst["token"]) == []  # the publisher's own side is not notified


def test_a_published_need_notifies_offer_owners(api: Api) -> None:
    dept = api.department()
    ent = api.verified_org(dept, "enterprise")
    inst = api.verified_org(dept, "institute")
    other = api.verified_org(dept, "institute")
    offer = api.published("offers", inst["token"], dept)
    api.published("offers", other["token"], dept, **UNRELATED)
    need = api.published("needs", ent["token"], dept)
    items = api.get("/notifications", inst["token"]).json()["items"]
    assert [(n["kind"], n["payload"]["offer"]["id"]) for n in items] == [("new_match", offer["id"])]
    assert items[0]["payload"]["need"]["organization_id"] == ent["organization"]["id"]
    assert items[0]["payload"]["need"]["id"] == need["id"]
    assert _kinds(api, other["token"]) == []


def test_submit_without_review_notifies_too(api: Api, database_url: str) -> None:
    settings = make_settings(database_url, review_required=False, webhook_worker=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        direct = Api(client, settings)
        dept = direct.department()
        ent = direct.verified_org(dept, "enterprise")
        inst = direct.verified_org(dept, "institute")
        need = direct.post("/needs", ent["token"], json=need_body()).json()
        assert direct.post(f"/needs/{need['id']}/submit", ent["token"]).json()["status"] == (
            "published"
        )
        offer = direct.post("/offers", inst["token"], json=offer_body()).json()
        submitted = direct.post(f"/offers/{offer['id']}/submit", inst["token"])
        assert submitted.json()["status"] == "published"
        assert _kinds(direct, ent["token"]) == ["new_match"]


def test_unread_filter_and_marking_read(api: Api) -> None:
    dept = api.department()
    ent = api.verified_org(dept, "enterprise")
    inst = api.verified_org(dept, "institute")
    api.published("needs", ent["token"], dept)
    api.published("offers", inst["token"], dept)
    api.published("offers", inst["token"], dept, title="Máy sấy chè bơm nhiệt thế hệ mới")
    token = ent["token"]
    listed = api.get("/notifications?unread=true", token).json()
    assert listed["total"] == 2
    first, second = listed["items"]
    assert first["created_at"] >= second["created_at"]  # newest first
    read = api.post(f"/notifications/{first['id']}/read", token)
    assert read.status_code == 200 and read.json()["read_at"]
    assert api.post(f"/notifications/{first['id']}/read", token).status_code == 200
    assert [n["id"] for n in api.get("/notifications?unread=true", token).json()["items"]] == [
        second["id"]
    ]
    assert api.get("/notifications?unread=false", token).json()["total"] == 1
    assert (
        api.get("/notifications?limit=1&offset=1", token).json()["items"][0]["id"] == (second["id"])
    )
    # Another organisation's notification is invisible; anonymous callers are refused.
    assert api.post(f"/notifications/{second['id']}/read", inst["token"]).status_code == 404
    assert api.get("/notifications").status_code == 401
    assert api.get("/notifications?unread=maybe", token).status_code == 422
