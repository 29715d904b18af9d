"""Logins under flood and the throttle's bypasses (issue 9, findings 7 and 8)."""

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from app.auth import security, service
from app.auth.models import LoginFailure
from app.auth.throttle import LoginThrottle, throttle_key
from app.cli import server_options
from app.config import Settings
from app.db import make_engine, make_session_factory, utcnow
from app.main import create_app
from tests.conftest import Api, make_settings
from tests.live import live_server, race

LIMIT = 3


@pytest.fixture
def limited(database_url: str) -> Settings:
    return make_settings(database_url, login_rate_limit_per_minute=LIMIT)


def _login(client: Any, email: str, password: str = "wrong password!", **kw: Any) -> Any:
    url = "/api/v1/auth/token" if isinstance(client, TestClient) else "/auth/token"
    return client.post(url, data={"username": email, "password": password}, **kw)


def test_the_connection_goes_back_to_the_pool_before_hashing(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = api.register()
    engine = api.client.app.state.engine  # type: ignore[attr-defined]
    held: list[int] = []
    real = service.verify_password

    def spy(stored: str | None, password: str) -> bool:
        held.append(engine.pool.checkedout())
        return real(stored, password)

    monkeypatch.setattr(service, "verify_password", spy)
    assert _login(api.client, org["email"]).status_code == 401
    assert held == [0]


def test_a_full_hashing_gate_answers_503_with_retry_after(api: Api) -> None:
    org = api.register()
    gate = security.gate
    wait = gate.wait_seconds
    gate.wait_seconds = 0.05
    taken = [gate.semaphore.acquire(timeout=5) for _ in range(gate.slots)]
    try:
        response = _login(api.client, org["email"])
    finally:
        for _ in taken:
            gate.semaphore.release()
        gate.wait_seconds = wait
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) >= 1
    assert response.headers["content-type"] == "application/problem+json"


def test_a_flood_of_logins_gets_only_401_429_or_503(api: Api, limited: Settings) -> None:
    org = api.register()
    with live_server(limited) as base:
        responses = race(base, 24, lambda c, i: _login(c, org["email"]))
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {401, 429, 503}, statuses
    assert all("Retry-After" in r.headers for r in responses if r.status_code in (429, 503))


def test_the_limit_holds_across_workers(api: Api, limited: Settings) -> None:
    org = api.register()
    with TestClient(create_app(limited)) as one, TestClient(create_app(limited)) as two:
        statuses = [_login(client, org["email"]).status_code for client in (one, two) * LIMIT]
    assert statuses[:LIMIT] == [401] * LIMIT
    assert set(statuses[LIMIT:]) == {429}


@pytest.fixture
def served(limited: Settings) -> Iterator[str]:
    with live_server(limited, **server_options(limited)) as base:
        yield f"{base}/api/v1"


def test_a_rotating_x_forwarded_for_does_not_reset_the_limit(api: Api, served: str) -> None:
    org = api.register()
    with httpx.Client(base_url=served) as client:
        statuses = [
            _login(client, org["email"], headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(LIMIT + 2)
        ]
    assert statuses[:LIMIT] == [401] * LIMIT
    assert statuses[LIMIT:] == [429, 429]


def test_x_forwarded_for_is_believed_from_a_trusted_proxy(api: Api, limited: Settings) -> None:
    org = api.register()
    trusting = limited.model_copy(update={"trusted_proxies": "127.0.0.1/32"})
    with (
        live_server(trusting, **server_options(trusting)) as base,
        httpx.Client(base_url=f"{base}/api/v1") as client,
    ):
        statuses = [
            _login(client, org["email"], headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
            for i in range(LIMIT + 2)
        ]
    assert statuses == [401] * (LIMIT + 2)  # each forwarded client has its own budget


def test_failures_expire_by_time_and_other_keys_never_unlock_a_victim(
    limited: Settings,
) -> None:
    factory = make_session_factory(make_engine(limited.database_url))
    now = utcnow()
    clock = [now]
    throttle = LoginThrottle(factory, LIMIT, clock=lambda: clock[0])
    victim = throttle_key("victim@example.vn", "198.51.100.7")
    for _ in range(LIMIT):
        throttle.failed(victim)
    with factory.begin() as session:  # an attacker's 20,000 other keys
        session.execute(
            insert(LoginFailure),
            [
                {"key": throttle_key(f"x{i}@example.vn", "h"), "failed_at": now}
                for i in range(20_000)
            ],
        )
    throttle.failed(throttle_key("one-more@example.vn", "h"))
    with pytest.raises(Exception) as locked:
        throttle.check(victim)
    assert getattr(locked.value, "status", None) == 429

    clock[0] = now + timedelta(seconds=61)
    throttle.check(victim)  # a minute later the victim may try again
    throttle.failed(victim)
    with factory() as session:
        assert session.query(LoginFailure).count() == 1  # the expired ones are gone
