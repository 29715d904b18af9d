"""Canary tests: a confidential need's enterprise stays unnamed everywhere until it accepts.

Unique strings go into the enterprise's name and contact fields; every endpoint that returns
listings, matches, connections, notifications or organisations is crawled as each outsider
and must never contain them (nor the enterprise's id, except on the organisation's own public
page, which does not link to the need).
"""

import random
import uuid
from typing import Any

import pytest

from tests.conftest import PASSWORD, Api


def _canary_enterprise(api: Api, dept: str) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:10].upper()
    email = f"owner-{tag.lower()}@example.vn"
    phone = "09" + "".join(random.choice("0123456789") for _ in range(8))
    organization = {
        "name": f"Công ty CANARYNAME{tag}",
        "kind": "enterprise",
        "tax_code": api.next_tax_code(),
        "province_code": "25",
        "contact_name": f"CANARYPERSON{tag}",
        "contact_email": f"canary{tag.lower()}@example.vn",
        "contact_phone": phone,
    }
    body = {
        "organization": organization,
        "user": {"email": email, "password": PASSWORD, "full_name": f"CANARYUSER{tag}"},
    }
    response = api.post("/auth/register", json=body)
    assert response.status_code == 201, response.text
    org_id = response.json()["organization"]["id"]
    assert api.post(f"/organizations/{org_id}/verify", dept).status_code == 200
    return {
        "id": org_id,
        "token": api.login(email),
        "canaries": [f"CANARYNAME{tag}", f"CANARYPERSON{tag}", f"canary{tag.lower()}", phone],
    }


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    offer = api.published("offers", institute["token"], dept)
    enterprise = _canary_enterprise(api, dept)
    need = api.published("needs", enterprise["token"], dept, confidential=True)
    other = api.verified_org(dept, "enterprise")
    return {
        "dept": dept,
        "inst": institute,
        "offer": offer,
        "ent": enterprise,
        "need": need,
        "other": other,
    }


def _paths(w: dict[str, Any], connection_id: str | None) -> list[str]:
    need_id, offer_id = w["need"]["id"], w["offer"]["id"]
    paths = [
        "/needs",
        "/needs?q=máy sấy chè",
        "/needs?q=CANARYNAME",
        f"/needs?organization_id={w['ent']['id']}",
        "/needs?status=published&limit=100",
        f"/needs/{need_id}",
        "/offers",
        f"/offers/{offer_id}",
        f"/offers/{offer_id}/matches?limit=50",
        "/connections",
        "/notifications?limit=100",
    ]
    if connection_id:
        paths.append(f"/connections/{connection_id}")
    return paths


def _crawl(api: Api, token: str | None, paths: list[str]) -> dict[str, str]:
    return {path: api.get(path, token).text for path in paths}


def _assert_hidden(pages: dict[str, str], w: dict[str, Any]) -> None:
    for path, text in pages.items():
        for secret in [*w["ent"]["canaries"], w["ent"]["id"]]:
            assert secret not in text, f"{secret} leaked through {path}"


def _assert_no_contacts_on_org_pages(api: Api, token: str | None, w: dict[str, Any]) -> None:
    """The directory answers for the enterprise exactly as for any verified organisation
    (200, public fields only): a different answer would itself reveal a confidential need."""
    ent_id, inst_id = w["ent"]["id"], w["inst"]["organization"]["id"]
    page, plain = api.get(f"/organizations/{ent_id}", token), api.get(f"/organizations/{inst_id}")
    assert page.status_code == plain.status_code == 200
    assert page.json().keys() == plain.json().keys()
    assert page.json()["contact_email"] is None and not page.json()["contacts_visible"]
    listed = [o["id"] for o in api.get("/organizations?limit=100", token).json()["items"]]
    assert ent_id in listed and inst_id in listed
    pages = _crawl(
        api,
        token,
        ["/organizations?limit=100", "/organizations?q=canaryname", f"/organizations/{ent_id}"],
    )
    for path, text in pages.items():
        for secret in w["ent"]["canaries"][1:]:  # the name is public; the contacts are not
            assert secret not in text, f"{secret} leaked through {path}"


def test_outsiders_never_see_the_enterprise(api: Api, world: dict[str, Any]) -> None:
    w = world
    viewers = {"anonymous": None, "other": w["other"]["token"], "offer owner": w["inst"]["token"]}
    for token in viewers.values():
        _assert_hidden(_crawl(api, token, _paths(w, None)), w)
        _assert_no_contacts_on_org_pages(api, token, w)
    # The offer owner really did see the need (so the checks above looked at something).
    assert w["need"]["title"] in api.get(f"/needs/{w['need']['id']}", w["inst"]["token"]).text
    matches = api.get(f"/offers/{w['offer']['id']}/matches", w["inst"]["token"]).json()
    assert w["need"]["id"] in [item["need"]["id"] for item in matches["items"]]


def test_before_acceptance_connections_keep_the_secret(api: Api, world: dict[str, Any]) -> None:
    w = world
    body = {"need_id": w["need"]["id"], "offer_id": w["offer"]["id"], "message": "Chào anh chị"}
    opened = api.post("/connections", w["inst"]["token"], json=body)
    assert opened.status_code == 201
    connection = opened.json()
    assert connection["need_organization_id"] is None
    assert connection["need_organization"] is None and connection["counterpart"] is None
    assert connection["need"]["organization_id"] is None
    for token in (w["inst"]["token"], w["other"]["token"], None):
        _assert_hidden(_crawl(api, token, _paths(w, connection["id"])), w)
    # The enterprise itself and the department see everything.
    own = api.get(f"/connections/{connection['id']}", w["ent"]["token"]).text
    assert w["ent"]["id"] in own
    dept_view = api.get(f"/connections/{connection['id']}", w["dept"]).json()
    assert dept_view["need_organization"]["contact_email"].startswith("canary")
    assert api.get("/reveals", w["dept"]).json()["total"] == 0


def test_when_the_enterprise_opens_the_offer_side_still_waits(
    api: Api, world: dict[str, Any]
) -> None:
    w = world
    body = {"need_id": w["need"]["id"], "offer_id": w["offer"]["id"], "message": ""}
    connection_id = api.post("/connections", w["ent"]["token"], json=body).json()["id"]
    _assert_hidden(_crawl(api, w["inst"]["token"], _paths(w, connection_id)), w)
    accepted = api.post(f"/connections/{connection_id}/accept", w["inst"]["token"])
    assert accepted.status_code == 200
    assert accepted.json()["need_organization_id"] == w["ent"]["id"]


def test_after_acceptance_only_the_counterpart_sees_it(api: Api, world: dict[str, Any]) -> None:
    w = world
    body = {"need_id": w["need"]["id"], "offer_id": w["offer"]["id"], "message": ""}
    connection_id = api.post("/connections", w["inst"]["token"], json=body).json()["id"]
    assert api.post(f"/connections/{connection_id}/accept", w["ent"]["token"]).status_code == 200

    inst = w["inst"]["token"]
    connection = api.get(f"/connections/{connection_id}", inst).json()
    assert connection["need_organization_id"] == w["ent"]["id"]
    assert connection["counterpart"]["contact_name"] == w["ent"]["canaries"][1]
    need = api.get(f"/needs/{w['need']['id']}", inst).json()
    assert need["organization_id"] == w["ent"]["id"]
    assert w["ent"]["canaries"][0] in need["organization_name"]
    matches = api.get(f"/offers/{w['offer']['id']}/matches", inst).json()["items"]
    assert [m["need"]["organization_id"] for m in matches] == [w["ent"]["id"]]
    org = api.get(f"/organizations/{w['ent']['id']}", inst).json()
    assert org["contact_email"].startswith("canary")

    # Everyone else still sees nothing.
    for token in (w["other"]["token"], None):
        _assert_hidden(_crawl(api, token, _paths(w, None)), w)
        _assert_no_contacts_on_org_pages(api, token, w)

    reveals = api.get(f"/reveals?organization_id={w['ent']['id']}&limit=100", w["dept"]).json()
    kinds = {(r["what"], r["viewer_organization_id"]) for r in reveals["items"]}
    inst_id = w["inst"]["organization"]["id"]
    assert ("identity", inst_id) in kinds and ("contacts", inst_id) in kinds
    assert f"GET /api/v1/needs/{w['need']['id']}" in {r["via"] for r in reveals["items"]}


def test_a_withdrawal_hides_the_enterprise_again(api: Api, world: dict[str, Any]) -> None:
    w = world
    body = {"need_id": w["need"]["id"], "offer_id": w["offer"]["id"], "message": ""}
    connection_id = api.post("/connections", w["inst"]["token"], json=body).json()["id"]
    api.post(f"/connections/{connection_id}/accept", w["ent"]["token"])
    assert api.post(f"/connections/{connection_id}/withdraw", w["inst"]["token"]).status_code == 200
    _assert_hidden(_crawl(api, w["inst"]["token"], _paths(w, connection_id)), w)


def test_new_match_notification_does_not_name_a_confidential_enterprise(
    api: Api, world: dict[str, Any]
) -> None:
    w = world
    items = api.get("/notifications", w["inst"]["token"]).json()["items"]
    matches = [n for n in items if n["kind"] == "new_match"]
    assert [n["payload"]["need"]["id"] for n in matches] == [w["need"]["id"]]
    assert "organization_id" not in matches[0]["payload"]["need"]
