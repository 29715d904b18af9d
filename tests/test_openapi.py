"""The OpenAPI document, schema-wide: security, problem responses, texts, examples, files.

The last test calls every operation as several callers and checks that each error it meets is
one the document declares, so the declared errors are the real ones.
"""

import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.openapi import PROBLEM_MEDIA_TYPE
from tests.conftest import Api

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def schema(api: Api) -> dict[str, Any]:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_are_served_from_bundled_assets_without_any_cdn(
    app_client: TestClient, page: str
) -> None:
    response = app_client.get(page)
    assert response.status_code == 200
    html = response.text
    external = re.findall(r"""(?:src|href)=["'](https?:)?//""", html)
    assert external == [], f"{page} loads something from another host"
    assets = re.findall(r"""["'](/docs-assets/[^"']+)["']""", html)
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        served = app_client.get(asset)
        assert served.status_code == 200, asset
        if asset.endswith(".js"):
            assert len(served.content) > 100_000  # the real bundle, not a placeholder


def test_security_schemes_bearer_and_api_key(schema: dict[str, Any]) -> None:
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["apiKeyAuth"]["type"] == "apiKey"
    assert schemes["apiKeyAuth"]["in"] == "header"
    assert schemes["apiKeyAuth"]["name"] == "X-API-Key"
    me = schema["paths"]["/api/v1/me"]["get"]
    assert {"bearerAuth": []} in me["security"] and {} not in me["security"]
    offers = schema["paths"]["/api/v1/offers"]["get"]
    assert {} in offers["security"]  # readable without credentials


def test_every_operation_has_summary_description_example_and_problem_errors(
    schema: dict[str, Any],
) -> None:
    described_tags = {t["name"] for t in schema["tags"] if t.get("description")}
    schemas = schema["components"]["schemas"]
    assert {"Problem", "ValidationProblem"} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    faults = []
    for method, path, op in operations(schema):
        name = f"{method.upper()} {path}"
        if not op.get("summary") or not op.get("description"):
            faults.append(f"{name}: no summary or description")
        for tag in op.get("tags", []):
            if tag not in described_tags:
                faults.append(f"{name}: tag {tag!r} has no description")
        if not op.get("tags"):
            faults.append(f"{name}: no tag")
        examples = 0
        for media in op.get("requestBody", {}).get("content", {}).values():
            examples += "example" in media or "examples" in media
        for status, response in op["responses"].items():
            content = response.get("content", {})
            if status.startswith("2"):
                examples += sum("example" in m or "examples" in m for m in content.values())
                continue
            if not status.startswith("4"):
                continue
            media = content.get(PROBLEM_MEDIA_TYPE)
            wanted = "ValidationProblem" if status == "422" else "Problem"
            if media is None or media["schema"] != {"$ref": f"#/components/schemas/{wanted}"}:
                faults.append(f"{name}: {status} is not a {wanted} problem+json")
            if set(content) != {PROBLEM_MEDIA_TYPE}:
                faults.append(f"{name}: {status} declares {sorted(content)}")
        success_has_body = any(
            s.startswith("2") and r.get("content") for s, r in op["responses"].items()
        )
        if (success_has_body or "requestBody" in op) and not examples:
            faults.append(f"{name}: no example")
        if "401" not in op["responses"]:
            faults.append(f"{name}: 401 undeclared")
        if "security" not in op:
            faults.append(f"{name}: no security requirement")
        if "requestBody" in op and not {"413", "422"} <= set(op["responses"]):
            faults.append(f"{name}: body without 413/422")
        if "{" in path and "404" not in op["responses"]:
            faults.append(f"{name}: path parameter without 404")
        authenticated = {} not in op.get("security", [{}])
        if authenticated and method != "get" and "403" not in op["responses"]:
            faults.append(f"{name}: authenticated mutation without 403")
        for parameter in op.get("parameters", []):
            if parameter["name"].lower() == "if-match" and "412" not in op["responses"]:
                faults.append(f"{name}: If-Match without 412")
            formats = parameter.get("schema", {}).get("enum", [])
            for option in parameter.get("schema", {}).get("anyOf", []):
                formats += option.get("enum", [])
            if parameter["name"] == "format" and {"csv", "xlsx"} <= set(formats):
                content = op["responses"]["200"].get("content", {})
                declared = set(content)
                xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if not {"text/csv", xlsx} <= declared:
                    faults.append(f"{name}: CSV/XLSX responses undeclared")
    assert faults == []
    assert schema["paths"]["/api/v1/auth/token"]["post"]["responses"]["429"]
    ready = schema["paths"]["/readyz"]["get"]["responses"]["503"]["content"]
    assert ready[PROBLEM_MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_the_check_would_notice_an_undocumented_operation(api: Api) -> None:
    app = api.client.app

    @app.get("/api/v1/undocumented")  # type: ignore[attr-defined,untyped-decorator]
    def undocumented() -> dict[str, str]:
        return {}

    app.openapi_schema = None  # type: ignore[attr-defined]
    document = api.get("/openapi.json").json()
    op = document["paths"]["/api/v1/undocumented"]["get"]
    assert not op.get("description") and "401" not in op["responses"]


def _fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: str(uuid.uuid4()), path)


def test_every_error_met_by_any_caller_is_declared(api: Api, schema: dict[str, Any]) -> None:
    dept = api.department()
    member = api.verified_org(dept)
    callers: dict[str, dict[str, str]] = {
        "anonymous": {},
        "bad token": {"Authorization": "Bearer tm_not-a-real-token"},
        "bad api key": {"X-API-Key": "tmk_nope"},
        "org admin": {"Authorization": f"Bearer {member['token']}"},
        "department": {"Authorization": f"Bearer {dept}"},
    }
    undeclared = []
    for who, headers in callers.items():
        for method, path, op in operations(schema):
            for body in ({}, {"unexpected": 1}):
                kw: dict[str, Any] = {"headers": dict(headers)}
                if "requestBody" in op:
                    kw["json"] = body
                if any(p["name"] == "If-Match" for p in op.get("parameters", [])):
                    kw["headers"]["If-Match"] = '"999"'
                response = api.client.request(method.upper(), _fill(path), **kw)
                status = response.status_code
                if 400 <= status < 500 and str(status) not in op["responses"]:
                    undeclared.append(f"{who}: {method.upper()} {path} → {status}")
                if status >= 500:
                    undeclared.append(f"{who}: {method.upper()} {path} → {status}")
            if path == "/api/v1/auth/logout" and who in ("org admin", "department"):
                token = api.login(member["email"]) if who == "org admin" else api.department()
                headers["Authorization"] = f"Bearer {token}"
    assert undeclared == []
