"""Read-your-writes with ``techmatch serve --workers 2``: real processes on one database."""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app import migrate
from app.auth.service import create_department_admin
from app.db import make_engine, make_session_factory, session_scope
from tests.conftest import PASSWORD, TempDatabases, need_body, offer_body


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(databases: TempDatabases) -> Iterator[tuple[str, str]]:
    url = databases.new()
    migrate.upgrade(url)
    for session in session_scope(make_session_factory(make_engine(url))):
        create_department_admin(session, email="dept@example.vn", password=PASSWORD, full_name="Sở")
    port = _free_port()
    env = {**os.environ, "TECHMATCH_DATABASE_URL": url, "TECHMATCH_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        raise AssertionError(process.stderr.read().decode() if process.stderr else "no start")
    try:
        yield base, url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _call(base: str, method: str, path: str, token: str | None = None, **kw: Any) -> Any:
    headers = {"Connection": "close"}  # a new connection each time: either worker may answer
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = httpx.request(method, f"{base}/api/v1{path}", headers=headers, timeout=30, **kw)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def _login(base: str, email: str) -> str:
    data = _call(base, "POST", "/auth/token", data={"username": email, "password": PASSWORD})
    return str(data["access_token"])


def _org(base: str, dept: str, kind: str, tax_code: str) -> str:
    email = f"{uuid.uuid4().hex[:8]}@example.vn"
    body = {
        "organization": {
            "name": f"Tổ chức {kind}",
            "kind": kind,
            "tax_code": tax_code,
            "province_code": "25",
        },
        "user": {"email": email, "password": PASSWORD, "full_name": "A"},
    }
    org = _call(base, "POST", "/auth/register", json=body)
    _call(base, "POST", f"/organizations/{org['organization']['id']}/verify", dept)
    return _login(base, email)


def _publish(base: str, kind: str, owner: str, dept: str, body: dict[str, Any]) -> str:
    listing = _call(base, "POST", f"/{kind}", owner, json=body)
    _call(base, "POST", f"/{kind}/{listing['id']}/submit", owner)
    _call(base, "POST", f"/{kind}/{listing['id']}/publish", dept)
    return str(listing["id"])


def test_two_workers_reflect_every_write_in_the_next_response(server: tuple[str, str]) -> None:
    base, _url = server
    dept = _login(base, "dept@example.vn")
    institute = _org(base, dept, "institute", "0100233488")
    enterprise = _org(base, dept, "enterprise", "0314409058")
    need_id = _publish(base, "needs", enterprise, dept, need_body())
    pids = set()
    for round_ in range(12):
        title = f"Máy sấy chè bơm nhiệt đời {round_}"
        offer_id = _publish(
            base,
            "offers",
            institute,
            dept,
            offer_body(title=title, keywords=["sấy chè", f"đời {round_}"]),
        )
        matches = _call(base, "GET", f"/needs/{need_id}/matches?limit=50", enterprise)
        assert offer_id in [item["offer"]["id"] for item in matches["items"]], round_
        _call(base, "POST", f"/offers/{offer_id}/archive", institute)
        matches = _call(base, "GET", f"/needs/{need_id}/matches?limit=50", enterprise)
        assert offer_id not in [item["offer"]["id"] for item in matches["items"]], round_
        pids.add(httpx.get(f"{base}/healthz", headers={"Connection": "close"}).json()["pid"])
    for _ in range(40):
        if len(pids) > 1:
            break
        pids.add(httpx.get(f"{base}/healthz", headers={"Connection": "close"}).json()["pid"])
    assert len(pids) == 2, "both worker processes should have served requests"


def test_the_transaction_is_committed_before_the_response_is_sent(
    databases: TempDatabases,
) -> None:
    """A slow commit must delay the response, never follow it (read-your-writes)."""
    import threading

    import uvicorn
    from sqlalchemy.orm import Session, sessionmaker

    from app.main import create_app
    from app.offers.models import Offer
    from tests.conftest import make_settings

    url = databases.new()
    migrate.upgrade(url)
    app = create_app(make_settings(url))

    class SlowCommitSession(Session):
        def commit(self) -> None:
            time.sleep(0.4)
            super().commit()

    app.state.session_factory = sessionmaker(
        bind=app.state.engine, class_=SlowCommitSession, expire_on_commit=False
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        while not server.started:
            time.sleep(0.05)
        email = "slow@example.vn"
        body = {
            "organization": {
                "name": "Viện",
                "kind": "institute",
                "tax_code": "0100233488",
                "province_code": "25",
            },
            "user": {"email": email, "password": PASSWORD, "full_name": "A"},
        }
        _call(base, "POST", "/auth/register", json=body)
        token = _login(base, email)
        created = _call(base, "POST", "/offers", token, json=offer_body())
        engine = make_engine(url)
        with Session(engine) as session:
            assert session.get(Offer, created["id"]) is not None
        engine.dispose()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
