"""Two API servers (two machines, as far as they can tell) on one database give identical
answers after every write, whichever one served the write."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app import migrate
from app.auth.service import create_department_admin
from app.db import make_engine, make_session_factory, session_scope
from tests.conftest import PASSWORD, TempDatabases, need_body, offer_body
from tests.test_workers import _call, _free_port, _login, _org, _publish


def _start(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "TECHMATCH_DATABASE_URL": url, "TECHMATCH_LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture
def two_servers(databases: TempDatabases) -> Iterator[tuple[str, str]]:
    url = databases.new()
    migrate.upgrade(url)
    for session in session_scope(make_session_factory(make_engine(url))):
        create_department_admin(session, email="dept@example.vn", password=PASSWORD, full_name="Sở")
    started = [_start(url), _start(url)]
    try:
        deadline = time.monotonic() + 60
        for _process, base in started:
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
            else:
                raise AssertionError(f"{base} never became ready")
        yield started[0][1], started[1][1]
    finally:
        for process, _base in started:
            process.terminate()
            process.wait(timeout=20)


def _view(base: str, token: str, need_id: str) -> Any:
    matches = _call(base, "GET", f"/needs/{need_id}/matches?limit=20", token)
    search = _call(base, "GET", "/offers?q=may%20say%20che&limit=20")
    listed = _call(base, "GET", "/offers?field_code=2&limit=20")
    return (
        matches["index_version"],
        [(m["offer"]["id"], m["score"]) for m in matches["items"]],
        [(o["id"], o["score"]) for o in search["items"]],
        [o["id"] for o in listed["items"]],
        listed["total"],
    )


def test_two_servers_on_one_database_answer_identically_after_writes(
    two_servers: tuple[str, str],
) -> None:
    a, b = two_servers
    dept = _login(a, "dept@example.vn")
    institute = _org(a, dept, "institute", "0100233488")
    enterprise = _org(b, dept, "enterprise", "0314409058")
    need_id = _publish(b, "needs", enterprise, dept, need_body())
    offers = []
    for round_ in range(4):
        writer = (a, b)[round_ % 2]
        offers.append(
            _publish(
                writer,
                "offers",
                institute,
                dept,
                offer_body(title=f"Máy sấy chè bơm nhiệt đời {round_}", trl=3 + round_),
            )
        )
        if round_ == 2:
            _call(writer, "POST", f"/offers/{offers[0]}/archive", institute)
        view_a, view_b = _view(a, enterprise, need_id), _view(b, enterprise, need_id)
        assert view_a == view_b, round_
        matched = {offer_id for offer_id, _ in view_a[1]}
        assert offers[-1] in matched and (round_ < 2 or offers[0] not in matched)
