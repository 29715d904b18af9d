"""Operations endpoints and the problem+json contract for framework-level errors."""

import logging

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.conftest import Api


def test_healthz_and_readyz(api: Api) -> None:
    assert api.get("/healthz").json()["status"] == "ok"
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["revision"] == ready.json()["head"]


def test_readyz_reports_unmigrated_database(tmp_path: object) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/empty.db", log_level="WARNING"))
    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert "techmatch db upgrade" in response.json()["detail"]


def test_openapi_and_docs_are_served(api: Api) -> None:
    assert "/api/v1/offers" in api.get("/openapi.json").json()["paths"]
    assert api.get("/docs").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/api/v1/no-such-thing", 404), ("delete", "/healthz", 405)],
)
def test_framework_errors_are_problems(
    app_client: TestClient, method: str, path: str, status: int
) -> None:
    response = getattr(app_client, method)(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]


def test_unexpected_error_is_a_500_problem_with_request_id_in_the_log(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text
    assert body["request_id"] == response.headers["x-request-id"]
    assert any(body["request_id"] in record.getMessage() for record in caplog.records)


def test_oversized_body_is_413(api: Api) -> None:
    token = api.register()["token"]
    big = {"title": "x", "description": "a" * (api.settings.max_body_bytes + 10)}
    response = api.post("/offers", token, json=big)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_oversized_chunked_body_is_413(api: Api) -> None:
    token = api.register()["token"]
    chunk = b'{"title": "' + b"a" * (api.settings.max_body_bytes + 10) + b'"}'

    def stream():  # type: ignore[no-untyped-def]
        for start in range(0, len(chunk), 65536):
            yield chunk[start : start + 65536]

    response = api.post(
        "/offers", token, content=stream(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
