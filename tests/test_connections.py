"""Connections: opening, the transition table, who may act, visibility, contacts."""

from typing import Any

import pytest

from tests.conftest import Api


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    enterprise = api.verified_org(dept, "enterprise")
    offer = api.published("offers", institute["token"], dept)
    need = api.published("needs", enterprise["token"], dept)
    return {"dept": dept, "inst": institute, "ent": enterprise, "offer": offer, "need": need}


def _open(api: Api, w: dict[str, Any], token: str, **extra: Any) -> Any:
    body = {"need_id": w["need"]["id"], "offer_id": w["offer"]["id"], "message": "Xin chào"}
    body.update(extra)
    return api.post("/connections", token, json=body)


def _act(api: Api, connection_id: str, action: str, token: str, **kw: Any) -> Any:
    return api.post(f"/connections/{connection_id}/{action}", token, **kw)


def test_need_owner_opens_and_both_parties_see_it(api: Api, world: dict[str, Any]) -> None:
    response = _open(api, world, world["ent"]["token"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "proposed"
    assert body["opened_by"] == "need" and body["my_side"] == "need"
    assert body["need"]["id"] == world["need"]["id"]
    assert body["offer"]["title"] == world["offer"]["title"]
    assert body["counterpart"]["id"] == world["inst"]["organization"]["id"]
    assert body["counterpart"]["contact_email"] is None
    assert body["contacts_visible"] is False
    assert [e["to_status"] for e in body["events"]] == ["proposed"]
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"].endswith(body["id"])

    seen = api.get(f"/connections/{body['id']}", world["inst"]["token"])
    assert seen.status_code == 200
    assert seen.json()["my_side"] == "offer"
    assert seen.json()["counterpart"]["id"] == world["ent"]["organization"]["id"]
    assert api.get(f"/connections/{body['id']}", world["dept"]).status_code == 200
    stranger = api.verified_org(world["dept"], "enterprise")
    missing = api.get(f"/connections/{body['id']}", stranger["token"])
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert api.get(f"/connections/{body['id']}").status_code == 401
    assert api.get("/connections", stranger["token"]).json()["total"] == 0
    assert api.get("/connections", world["inst"]["token"]).json()["total"] == 1
    assert api.get("/connections", world["dept"]).json()["total"] == 1


def test_full_lifecycle_and_the_transition_table(api: Api, world: dict[str, Any]) -> None:
    inst, ent = world["inst"]["token"], world["ent"]["token"]
    connection_id = _open(api, world, inst).json()["id"]
    # The opener cannot accept its own proposal; the department is not a party.
    assert _act(api, connection_id, "accept", inst).status_code == 403
    assert _act(api, connection_id, "accept", world["dept"]).status_code == 403
    # Cannot negotiate before acceptance.
    assert _act(api, connection_id, "start-negotiation", ent).status_code == 409
    accepted = _act(api, connection_id, "accept", ent)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["accepted_at"]
    assert _act(api, connection_id, "accept", ent).status_code == 409
    assert _act(api, connection_id, "mark-contracted", inst).status_code == 409
    assert _act(api, connection_id, "start-negotiation", inst).json()["status"] == "negotiating"
    assert _act(api, connection_id, "withdraw", inst).status_code == 409
    contracted = _act(api, connection_id, "mark-contracted", ent)
    assert contracted.json()["status"] == "contracted"
    closed = _act(api, connection_id, "close", inst)
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert closed.json()["version"] == 5
    assert [(e["from_status"], e["to_status"], e["by_side"]) for e in closed.json()["events"]] == [
        (None, "proposed", "offer"),
        ("proposed", "accepted", "need"),
        ("accepted", "negotiating", "offer"),
        ("negotiating", "contracted", "need"),
        ("contracted", "closed", "offer"),
    ]
    assert _act(api, connection_id, "close", inst).status_code == 409
    # Closed frees the pair.
    assert _open(api, world, ent).status_code == 201


def test_unknown_action_is_a_404_problem(api: Api, world: dict[str, Any]) -> None:
    connection_id = _open(api, world, world["ent"]["token"]).json()["id"]
    response = _act(api, connection_id, "explode", world["ent"]["token"])
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert _act(api, "no-such-id", "accept", world["ent"]["token"]).status_code == 404


def test_decline_and_withdraw_by_the_right_side(api: Api, world: dict[str, Any]) -> None:
    inst, ent = world["inst"]["token"], world["ent"]["token"]
    first = _open(api, world, ent).json()["id"]
    assert _open(api, world, inst).status_code == 409  # one open connection per pair
    assert _act(api, first, "decline", ent).status_code == 403  # the opener cannot decline
    assert _act(api, first, "withdraw", inst).status_code == 403  # only the opener withdraws
    declined = _act(api, first, "decline", inst)
    assert declined.json()["status"] == "declined"
    assert _act(api, first, "accept", inst).status_code == 409

    second = _open(api, world, inst)
    assert second.status_code == 201
    second_id = second.json()["id"]
    assert _act(api, second_id, "accept", ent).status_code == 200
    withdrawn = _act(api, second_id, "withdraw", inst)
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["contacts_visible"] is False
    assert _open(api, world, ent).status_code == 201
    listed = api.get("/connections?status=withdrawn", ent).json()
    assert [item["id"] for item in listed["items"]] == [second_id]


def test_opening_needs_published_visible_listings_and_an_owner(
    api: Api, world: dict[str, Any]
) -> None:
    ent, inst, dept = world["ent"]["token"], world["inst"]["token"], world["dept"]
    draft_need = api.post(
        "/needs", ent, json={"title": "Nhu cầu nháp", "field_code": "203", "province_code": "25"}
    ).json()
    response = _open(api, world, ent, need_id=draft_need["id"])
    assert response.status_code == 409  # own need, not published
    assert _open(api, world, inst, need_id=draft_need["id"]).status_code == 404  # invisible
    stranger = api.verified_org(dept, "enterprise")
    assert _open(api, world, stranger["token"]).status_code == 403
    assert _open(api, world, dept).status_code == 403  # department is not an org user
    assert _open(api, world, ent, offer_id="missing").status_code == 404
    bad = _open(api, world, ent, unknown="x")
    assert bad.status_code == 422
    own_offer = api.published("offers", ent, dept)
    assert _open(api, world, ent, offer_id=own_offer["id"]).status_code == 409


def test_contacts_are_shared_once_accepted_in_both_directions(
    api: Api, world: dict[str, Any]
) -> None:
    inst, ent, dept = world["inst"], world["ent"], world["dept"]
    inst_id, ent_id = inst["organization"]["id"], ent["organization"]["id"]
    connection_id = _open(api, world, inst["token"]).json()["id"]
    assert api.get(f"/organizations/{ent_id}", inst["token"]).json()["contact_email"] is None
    assert api.get(f"/organizations/{inst_id}", ent["token"]).json()["contact_email"] is None
    assert api.get("/reveals", dept).json()["total"] == 0

    assert _act(api, connection_id, "accept", ent["token"]).status_code == 200
    for viewer, subject in ((inst, ent), (ent, inst)):
        seen = api.get(f"/connections/{connection_id}", viewer["token"]).json()
        contact_email = subject["organization"]["contact_email"]
        assert seen["contacts_visible"] is True
        assert seen["counterpart"]["contact_email"] == contact_email
        org = api.get(f"/organizations/{subject['organization']['id']}", viewer["token"]).json()
        assert org["contact_email"] == contact_email
    # A third organisation still sees no contacts.
    stranger = api.verified_org(dept, "institute")
    assert api.get(f"/organizations/{ent_id}", stranger["token"]).json()["contact_email"] is None

    reveals = api.get("/reveals", dept).json()
    pairs = {
        (r["viewer_organization_id"], r["subject_organization_id"], r["what"])
        for r in reveals["items"]
    }
    assert pairs == {(inst_id, ent_id, "contacts"), (ent_id, inst_id, "contacts")}
    assert all(r["connection_id"] == connection_id for r in reveals["items"])
    vias = {r["via"] for r in reveals["items"]}
    assert f"GET /api/v1/connections/{connection_id}" in vias
    assert f"GET /api/v1/organizations/{ent_id}" in vias
    only_ent = api.get(f"/reveals?organization_id={ent_id}&limit=1", dept).json()
    assert only_ent["total"] == reveals["total"] and len(only_ent["items"]) == 1
    assert api.get("/reveals", inst["token"]).status_code == 403

    # Closing keeps the details shared (they were exchanged); nothing for the department view.
    _act(api, connection_id, "close", inst["token"])
    assert api.get(f"/connections/{connection_id}", ent["token"]).json()["contacts_visible"]
    before = api.get("/reveals", dept).json()["total"]
    api.get(f"/connections/{connection_id}", dept)
    assert api.get("/reveals", dept).json()["total"] == before


def test_list_filters_pagination_and_validation(api: Api, world: dict[str, Any]) -> None:
    ent, dept = world["ent"]["token"], world["dept"]
    other_offer = api.published("offers", world["inst"]["token"], dept, title="Công nghệ khác")
    first = _open(api, world, ent).json()["id"]
    second = _open(api, world, ent, offer_id=other_offer["id"]).json()["id"]
    listed = api.get("/connections?limit=1", ent).json()
    assert listed["total"] == 2 and listed["limit"] == 1 and len(listed["items"]) == 1
    assert listed["items"][0]["id"] == second  # newest first
    by_offer = api.get(f"/connections?offer_id={world['offer']['id']}", ent).json()
    assert [item["id"] for item in by_offer["items"]] == [first]
    by_need = api.get(f"/connections?need_id={world['need']['id']}", dept).json()
    assert by_need["total"] == 2
    assert api.get("/connections?status=proposed", ent).json()["total"] == 2
    assert api.get("/connections?status=accepted", ent).json()["total"] == 0
    assert api.get("/connections?status=bogus", ent).status_code == 422
    assert api.get("/connections?limit=101", ent).status_code == 422


def test_stale_if_match_changes_nothing(api: Api, world: dict[str, Any]) -> None:
    ent = world["ent"]["token"]
    opened = _open(api, world, world["inst"]["token"])
    connection_id = opened.json()["id"]
    stale = _act(api, connection_id, "accept", ent, headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    assert api.get(f"/connections/{connection_id}", ent).json()["status"] == "proposed"
    fresh = _act(api, connection_id, "accept", ent, headers={"If-Match": opened.headers["ETag"]})
    assert fresh.status_code == 200 and fresh.headers["ETag"] == '"2"'


def test_each_change_notifies_the_other_party(api: Api, world: dict[str, Any]) -> None:
    inst, ent = world["inst"]["token"], world["ent"]["token"]
    connection_id = _open(api, world, inst).json()["id"]
    kinds = [n["kind"] for n in api.get("/notifications", ent).json()["items"]]
    assert "connection_proposed" in kinds
    _act(api, connection_id, "accept", ent)
    got = api.get("/notifications", inst).json()["items"]
    accepted = [n for n in got if n["kind"] == "connection_accepted"]
    assert len(accepted) == 1
    assert accepted[0]["payload"]["connection_id"] == connection_id
    assert accepted[0]["payload"]["by_side"] == "need"
    # The actor is not notified of its own change.
    assert "connection_accepted" not in [
        n["kind"] for n in api.get("/notifications", ent).json()["items"]
    ]
