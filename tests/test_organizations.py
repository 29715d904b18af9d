"""Organisations: validation, contact privacy, verification."""

import pytest

from tests.conftest import PASSWORD, Api


def _body(api: Api, **org: object) -> dict[str, object]:
    organization = {
        "name": "Viện Thử nghiệm",
        "kind": "institute",
        "tax_code": api.next_tax_code(),
        "province_code": "25",
    }
    organization.update(org)
    return {
        "organization": organization,
        "user": {"email": "a@example.vn", "password": PASSWORD, "full_name": "A"},
    }


@pytest.mark.parametrize(
    "org",
    [
        {"tax_code": "0100233480"},  # wrong check digit
        {"tax_code": "01002334"},  # too short
        {"tax_code": "0100233488-000"},  # branch 000
        {"tax_code": "01002334AB"},
        {"province_code": "99"},
        {"province_code": "26"},  # Vĩnh Phúc, merged into Phú Thọ on 1 July 2025
        {"kind": "department"},
        {"name": ""},
        {"name": "x" * 201},
        {"name": "Bad\u0000name"},
        {"contact_email": "not-an-email"},
        {"website": "javascript:alert(1)"},
        {"status": "verified"},  # server-owned
        {"id": "abc"},
    ],
)
def test_invalid_organisations_are_422_without_echo(api: Api, org: dict[str, object]) -> None:
    response = api.post("/auth/register", json=_body(api, **org))
    assert response.status_code == 422, response.text
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["errors"] and all({"loc", "msg"} <= set(e) for e in body["errors"])
    for value in org.values():
        if isinstance(value, str) and len(value) > 3:
            assert value not in response.text


def test_branch_tax_code_is_accepted(api: Api) -> None:
    parent = api.next_tax_code()
    response = api.post("/auth/register", json=_body(api, tax_code=f"{parent}-001"))
    assert response.status_code == 201
    assert response.json()["organization"]["tax_code"] == f"{parent}-001"


def test_contacts_are_hidden_from_others(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept)
    other = api.register()
    org_id = org["organization"]["id"]
    public = api.get(f"/organizations/{org_id}").json()
    assert public["contact_email"] is None and public["contact_phone"] is None
    assert api.get(f"/organizations/{org_id}", other["token"]).json()["contact_name"] is None
    assert api.get(f"/organizations/{org_id}", org["token"]).json()["contact_email"]
    assert api.get(f"/organizations/{org_id}", dept).json()["contact_email"]
    listed = api.get("/organizations").json()["items"]
    assert listed and all(item["contact_email"] is None for item in listed)


def test_pending_organisation_is_invisible_to_others(api: Api) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    assert api.get(f"/organizations/{org_id}").status_code == 404
    assert api.get(f"/organizations/{org_id}", api.register()["token"]).status_code == 404
    assert api.get(f"/organizations/{org_id}", org["token"]).status_code == 200


def test_verify_lifecycle_and_conflicts(api: Api) -> None:
    dept = api.department()
    org = api.register()
    org_id = org["organization"]["id"]
    verified = api.post(f"/organizations/{org_id}/verify", dept)
    assert verified.json()["status"] == "verified"
    assert api.post(f"/organizations/{org_id}/verify", dept).status_code == 409
    assert api.post(f"/organizations/{org_id}/suspend", dept).json()["status"] == "suspended"
    assert api.post(f"/organizations/{org_id}/suspend", dept).status_code == 409
    assert api.post("/organizations/nope/verify", dept).status_code == 404


def test_patch_with_etag(api: Api) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    first = api.get(f"/organizations/{org_id}", org["token"])
    etag = first.headers["ETag"]
    ok = api.patch(
        f"/organizations/{org_id}",
        org["token"],
        json={"address": "Việt Trì"},
        headers={"If-Match": etag},
    )
    assert ok.status_code == 200 and ok.json()["address"] == "Việt Trì"
    stale = api.patch(
        f"/organizations/{org_id}",
        org["token"],
        json={"address": "Khác"},
        headers={"If-Match": etag},
    )
    assert stale.status_code == 412
    assert api.get(f"/organizations/{org_id}", org["token"]).json()["address"] == "Việt Trì"
    other = api.register()
    assert (
        api.patch(f"/organizations/{org_id}", other["token"], json={"address": "x"}).status_code
        == 404
    )


def test_department_creates_and_lists_all(api: Api) -> None:
    dept = api.department()
    body = _body(api)["organization"]
    created = api.post("/organizations", dept, json=body)
    assert created.status_code == 201 and created.json()["status"] == "pending"
    assert api.post("/organizations", api.register()["token"], json=body).status_code == 403
    pending = api.get("/organizations?status=pending", dept).json()
    assert created.json()["id"] in [o["id"] for o in pending["items"]]
