"""Errors inside /dashboard are Vietnamese HTML pages; the API keeps problem+json."""

import logging

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.test_dashboard import Web, web  # noqa: F401  (the fixture)


def test_dashboard_404_and_422_are_vietnamese_html(web: Web) -> None:  # noqa: F811
    missing = web.client.get("/dashboard/khong-co-trang-nay")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("text/html")
    assert "Không tìm thấy trang" in missing.text and 'lang="vi"' in missing.text
    assert missing.headers["Content-Security-Policy"]

    web.login(web.staff())
    invalid = web.client.get("/dashboard/matches?top_k=abc")
    assert invalid.status_code == 422
    assert invalid.headers["content-type"].startswith("text/html")
    assert "Dữ liệu không hợp lệ" in invalid.text and "abc" not in invalid.text
    wrong_format = web.client.get("/dashboard/export.pdf")
    assert (
        wrong_format.status_code in (404, 422)
        and "text/html" in wrong_format.headers["content-type"]
    )
    # the API is unchanged
    api_missing = web.client.get("/api/v1/khong-co")
    assert api_missing.headers["content-type"] == "application/problem+json"


def test_dashboard_500_is_a_vietnamese_page_with_the_request_id(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(database_url=database_url, log_level="WARNING")
    app = create_app(settings)

    @app.get("/dashboard/hong")
    def broken() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.ERROR):
        response = client.get("/dashboard/hong")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "Đã có lỗi xảy ra" in response.text and "secret" not in response.text
    request_id = response.headers["x-request-id"]
    assert request_id in response.text
