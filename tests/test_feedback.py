"""Match feedback: dismissing a suggestion, undoing it, and the department's list."""

from typing import Any

import pytest

from app.connections.feedback import dismissal_counts
from app.db import session_scope
from tests.conftest import Api


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    enterprise = api.verified_org(dept, "enterprise")
    offer = api.published("offers", institute["token"], dept)
    need = api.published("needs", enterprise["token"], dept)
    return {"dept": dept, "inst": institute, "ent": enterprise, "offer": offer, "need": need}


def _offer_ids(api: Api, need_id: str, token: str) -> list[str]:
    response = api.get(f"/needs/{need_id}/matches?limit=50", token)
    assert response.status_code == 200, response.text
    return [item["offer"]["id"] for item in response.json()["items"]]


def test_need_owner_dismisses_and_undoes(api: Api, world: dict[str, Any]) -> None:
    ent, need_id, offer_id = world["ent"]["token"], world["need"]["id"], world["offer"]["id"]
    assert offer_id in _offer_ids(api, need_id, ent)
    path = f"/needs/{need_id}/matches/{offer_id}/dismiss"
    created = api.post(path, ent, json={"reason": "Công suất quá nhỏ"})
    assert created.status_code == 201, created.text
    assert created.json()["side"] == "need" and created.json()["reason"] == "Công suất quá nhỏ"
    assert offer_id not in _offer_ids(api, need_id, ent)
    assert offer_id not in _offer_ids(api, need_id, world["dept"])
    assert api.post(path, ent, json={"reason": "lần nữa"}).status_code == 409
    # The other side's suggestions are untouched.
    offer_matches = api.get(f"/offers/{offer_id}/matches", world["inst"]["token"]).json()
    assert need_id in [item["need"]["id"] for item in offer_matches["items"]]

    assert api.delete(path, ent).status_code == 204
    assert offer_id in _offer_ids(api, need_id, ent)
    assert api.delete(path, ent).status_code == 404


def test_offer_owner_dismisses_a_need(api: Api, world: dict[str, Any]) -> None:
    inst, need_id, offer_id = world["inst"]["token"], world["need"]["id"], world["offer"]["id"]
    path = f"/offers/{offer_id}/matches/{need_id}/dismiss"
    assert api.post(path, inst, json={"reason": "Ngoài lĩnh vực"}).status_code == 201
    matches = api.get(f"/offers/{offer_id}/matches", inst).json()["items"]
    assert need_id not in [item["need"]["id"] for item in matches]
    listed = api.get("/dismissals?side=offer", world["dept"]).json()
    assert listed["total"] == 1
    assert listed["items"][0]["reason"] == "Ngoài lĩnh vực"
    assert listed["items"][0]["organization_id"] == world["inst"]["organization"]["id"]
    assert api.get("/dismissals?side=need", world["dept"]).json()["total"] == 0


def test_only_the_owner_may_dismiss_and_input_is_checked(api: Api, world: dict[str, Any]) -> None:
    need_id, offer_id = world["need"]["id"], world["offer"]["id"]
    path = f"/needs/{need_id}/matches/{offer_id}/dismiss"
    # The offer's owner cannot dismiss on the need's behalf; nor can the department.
    assert api.post(path, world["inst"]["token"], json={"reason": "x"}).status_code == 403
    assert api.post(path, world["dept"], json={"reason": "x"}).status_code == 403
    assert api.post(path, json={"reason": "x"}).status_code == 401
    assert api.post(path, world["ent"]["token"], json={}).status_code == 422
    assert api.post(path, world["ent"]["token"], json={"reason": "   "}).status_code == 422
    missing = f"/needs/{need_id}/matches/nope/dismiss"
    assert api.post(missing, world["ent"]["token"], json={"reason": "x"}).status_code == 404
    assert api.get("/dismissals", world["ent"]["token"]).status_code == 403


def test_dismissal_counts_for_the_reports(api: Api, world: dict[str, Any]) -> None:
    need_id, offer_id = world["need"]["id"], world["offer"]["id"]
    api.post(
        f"/needs/{need_id}/matches/{offer_id}/dismiss", world["ent"]["token"], json={"reason": "a"}
    )
    api.post(
        f"/offers/{offer_id}/matches/{need_id}/dismiss",
        world["inst"]["token"],
        json={"reason": "b"},
    )
    factory = api.client.app.state.session_factory  # type: ignore[attr-defined]
    for session in session_scope(factory):
        assert dismissal_counts(session) == {"total": 2, "by_side": {"need": 1, "offer": 1}}
