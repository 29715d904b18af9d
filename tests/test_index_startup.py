"""Each worker builds its index at start-up, before /readyz says ready; no request builds it."""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.matching.live import LiveIndex
from tests.conftest import Api, _wipe


@pytest.fixture
def settings(settings: Settings) -> Iterator[Settings]:
    """The shared test database, emptied afterwards (these tests make their own apps)."""
    yield settings
    _wipe(settings.database_url)


def test_readyz_is_503_until_the_index_is_built_and_requests_never_build(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A listing exists before the worker starts.
    with TestClient(create_app(settings)) as client:
        api = Api(client, settings)
        dept = api.department()
        org = api.verified_org(dept)
        owner = api.login(org["user"]["email"])
        offer = api.published("offers", owner, dept)

    release = threading.Event()
    builds: list[int] = []
    fit = LiveIndex._fit

    def slow_fit(self: LiveIndex, session: Any) -> Any:
        builds.append(1)
        assert release.wait(10)
        return fit(self, session)

    monkeypatch.setattr(LiveIndex, "_fit", slow_fit)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        waiting = client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json()["index"]["built"] is False
        assert client.get("/healthz").status_code == 200
        release.set()
        live = client.app.state.live_index  # type: ignore[attr-defined]
        assert live.built.wait(10)
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["index"]["built"] is True
        found = client.get("/api/v1/offers", params={"q": "máy sấy chè"}).json()
        assert [o["id"] for o in found["items"]] == [offer["id"]]
    assert builds == [1]  # built once, at start-up, never by the request


def test_a_request_before_the_index_is_ready_waits_then_503(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    fit = LiveIndex._fit

    def stuck_fit(self: LiveIndex, session: Any) -> Any:
        release.wait(10)
        return fit(self, session)

    monkeypatch.setattr(LiveIndex, "_fit", stuck_fit)
    original = LiveIndex.wait_ready
    monkeypatch.setattr(LiveIndex, "wait_ready", lambda self, timeout=0.2: original(self, 0.2))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/offers", params={"q": "chè"})
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.headers["Retry-After"]
        release.set()
