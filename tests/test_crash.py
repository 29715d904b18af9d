"""kill -9 during writes: every write the server acknowledged is in the database afterwards."""

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
from sqlalchemy import select

from app import migrate
from app.db import make_engine, make_session_factory
from app.offers.models import Offer
from tests.conftest import PASSWORD, TempDatabases, offer_body
from tests.live import free_port

WRITERS = 4


def _serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TECHMATCH_DATABASE_URL": url,
        "TECHMATCH_LOG_LEVEL": "WARNING",
        "TECHMATCH_WEBHOOK_WORKER": "false",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_every_acknowledged_write_survives_kill_9(databases: TempDatabases) -> None:
    url = databases.new()
    migrate.upgrade(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    process = _serve(url, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        body = {
            "organization": {
                "name": "Viện",
                "kind": "institute",
                "tax_code": "0100233488",
                "province_code": "25",
            },
            "user": {"email": "crash@example.vn", "password": PASSWORD, "full_name": "A"},
        }
        assert httpx.post(f"{base}/auth/register", json=body, timeout=30).status_code == 201
        token = httpx.post(
            f"{base}/auth/token",
            data={"username": "crash@example.vn", "password": PASSWORD},
            timeout=30,
        ).json()["access_token"]

        acknowledged: list[str] = []
        stop = threading.Event()

        def write(n: int) -> None:
            with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10) as c:
                i = 0
                while not stop.is_set():
                    i += 1
                    try:
                        r = c.post(f"{base}/offers", json=offer_body(title=f"Máy {n}-{i}"))
                    except httpx.HTTPError:
                        return  # the server is gone
                    if r.status_code == 201:
                        acknowledged.append(r.json()["id"])

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        time.sleep(2.0)
        os.killpg(process.pid, signal.SIGKILL)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    assert len(acknowledged) > 5, "the writers should have been acknowledged before the kill"
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        stored = set(session.scalars(select(Offer.id)).all())
    engine.dispose()
    assert set(acknowledged) <= stored, set(acknowledged) - stored
