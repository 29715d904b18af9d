"""Hostile input gets a clear 4xx problem, never a 500 (issue 9, finding 5)."""

import io
import re
from typing import Any

import pytest
from fastapi.routing import APIRoute
from openpyxl import load_workbook

from tests.conftest import PASSWORD, Api, need_body, offer_body
from tests.test_policy import _api_routes

PROBLEM = "application/problem+json"


def _routes(api: Api) -> list[tuple[str, APIRoute]]:
    app = api.client.app
    found = [(path, route) for path, route, _ in _api_routes(app.router.routes)]  # type: ignore[attr-defined]
    assert len(found) > 30
    return found


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def _call(api: Api, method: str, path: str, token: str | None, **kw: Any) -> Any:
    headers = api.auth(token, kw)
    return api.client.request(method, path, headers=headers, **kw)


@pytest.mark.parametrize("value", ["%00", "a%1Fb"])
def test_control_characters_in_any_path_parameter_are_a_4xx(api: Api, value: str) -> None:
    dept = api.department()
    org = api.register()
    failures, tried = [], 0
    for path, route in _routes(api):
        if "{" not in path:
            continue
        for method in route.methods:
            for token in (None, dept, org["token"]):
                kw = {"json": {}} if method in ("POST", "PATCH", "PUT") else {}
                response = _call(api, method, _fill(path, value), token, **kw)
                tried += 1
                if response.status_code >= 500:
                    failures.append((method, path, response.status_code))
    assert failures == []
    assert tried > 60


def test_control_characters_in_any_query_parameter_are_a_422(api: Api) -> None:
    dept = api.department()
    failures, tried = [], 0
    for path, route in _routes(api):
        if route.methods != {"GET"}:
            continue
        for param in route.dependant.query_params:
            for token in (None, dept):
                url = _fill(path, "x") + f"?{param.alias}=a%00b"
                response = _call(api, "GET", url, token)
                tried += 1
                if response.status_code >= 500:
                    failures.append((path, param.alias, response.status_code))
    assert failures == []
    assert tried > 30
    response = api.get("/offers?q=m%C3%A1y%00")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"] == [
        {"loc": ["query", "q"], "msg": "must not contain control characters"}
    ]


def test_nul_in_the_login_form_is_a_422(api: Api) -> None:
    response = api.client.post(
        "/api/v1/auth/token", data={"username": "a\x00@example.vn", "password": "x"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "username"]


def test_control_characters_in_a_header_are_a_400(api: Api) -> None:
    response = api.get("/me", headers={"X-API-Key": "tmk_\x01abc"})
    assert response.status_code == 400, response.text


def test_nul_in_a_json_id_is_a_422(api: Api) -> None:
    org = api.register()
    response = api.post(
        "/connections", org["token"], json={"need_id": "a\x00", "offer_id": "b", "message": ""}
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("header", ['"²"', "¹", '"' + "9" * 5000 + '"', 'W/"1 2"', '"-1"'])
def test_if_match_takes_ascii_digits_only(api: Api, header: str) -> None:
    owner = api.register()
    offer = api.post("/offers", owner["token"], json=offer_body()).json()
    response = api.patch(
        f"/offers/{offer['id']}",
        owner["token"],
        json={"title": "Mới"},
        headers={"If-Match": header.encode("latin-1")},
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["header", "If-Match"]


def test_a_huge_but_valid_if_match_is_just_stale(api: Api) -> None:
    owner = api.register()
    offer = api.post("/offers", owner["token"], json=offer_body()).json()
    response = api.patch(
        f"/offers/{offer['id']}",
        owner["token"],
        json={"title": "Mới"},
        headers={"If-Match": '"999999999999999999"'},
    )
    assert response.status_code == 412, response.text


def test_the_longest_names_the_schemas_allow_fit_the_columns(api: Api) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    member = {"email": "dai@example.vn", "password": PASSWORD, "full_name": "Ạ" * 200}
    response = api.post(f"/organizations/{org_id}/members", org["token"], json=member)
    assert response.status_code == 201, response.text
    key = api.post(f"/organizations/{org_id}/api-keys", org["token"], json={"name": "K" * 200})
    assert key.status_code == 201, key.text


def test_xlsx_export_survives_characters_xml_cannot_hold(api: Api) -> None:
    dept = api.department()
    enterprise = api.verified_org(dept, "enterprise")
    api.published("needs", enterprise["token"], dept, **need_body(title="Cần máy sấy \uffff chè"))
    institute = api.verified_org(dept)
    api.published("offers", institute["token"], dept, **offer_body(title="Máy sấy \ufffe chè"))

    response = api.get("/reports/matches?format=xlsx", dept)

    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    cells = [str(c.value) for row in book.worksheets[0].iter_rows(min_row=2) for c in row]
    assert "Cần máy sấy \ufffd chè" in cells
    assert "Máy sấy \ufffd chè" in cells
