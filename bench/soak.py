"""Soak test: mixed load on loopback against ``techmatch serve --workers 2`` on PostgreSQL.

Usage: python bench/soak.py [--server-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                            [--duration 600] [--workers 2] [--clients 8]

Creates a throw-away database on the server (dropped at the end), migrates it, starts the
service with N workers and drives it with a mix of searches, matches, reads, creates and
conditional edits. Prints throughput, p50/p99 latency, errors (5xx, transport errors or any
unexpected status) and the resident memory of each worker after warm-up and at the end.
Exits 1 when there was any error or a worker grew by 10 % or more.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app import migrate  # noqa: E402
from app.auth.service import create_department_admin  # noqa: E402
from app.db import make_engine, make_session_factory, session_scope  # noqa: E402
from app.organizations.tax_code import check_digit  # noqa: E402

PASSWORD = "soak-password-123"
QUERIES = ["máy sấy chè", "may say che", "phân bón vi sinh", "xử lý nước thải", "bơm nhiệt"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tax_code(serial: int) -> str:
    while True:
        stem = f"27{serial:07d}"
        digit = check_digit(stem)
        if digit is not None:
            return f"{stem}{digit}"
        serial += 1000


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """The worker processes of ``pid`` (not multiprocessing's resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == pid and b"resource_tracker" not in cmdline:
                found.append(int(entry.name))
    return found


class Load:
    """The clients' shared record of latencies and statuses."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def record(self, name: str, started: float, status: int | None, expected: set[int]) -> None:
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
            self.statuses[f"{name} {status}"] += 1
            if status is None or status not in expected:
                self.errors[f"{name} {status}"] += 1


def offer(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "summary": "Máy sấy bơm nhiệt giữ màu và hương chè.",
        "keywords": ["máy sấy", "bơm nhiệt", "chè"],
        "field_code": "203",
        "province_code": "25",
        "trl": 7,
        "transfer_forms": ["licence"],
    }


def client_loop(base: str, ctx: dict[str, Any], load: Load, until: float, seed: int) -> None:
    rng = random.Random(seed)
    own: list[tuple[str, int]] = []
    with httpx.Client(base_url=base, timeout=30) as c:
        inst = {"Authorization": f"Bearer {ctx['inst']}"}
        ent = {"Authorization": f"Bearer {ctx['ent']}"}
        while time.monotonic() < until:
            roll = rng.random()
            started = time.perf_counter()
            try:
                if roll < 0.40:
                    r = c.get("/offers", params={"q": rng.choice(QUERIES), "limit": 10})
                    load.record("search", started, r.status_code, {200})
                elif roll < 0.60:
                    r = c.get(f"/needs/{ctx['need']}/matches", headers=ent)
                    load.record("matches", started, r.status_code, {200})
                elif roll < 0.75:
                    r = c.get(f"/offers/{rng.choice(ctx['offers'])}")
                    load.record("read", started, r.status_code, {200})
                elif roll < 0.87 or not own:
                    r = c.post("/offers", headers=inst, json=offer(f"Máy sấy {uuid.uuid4().hex}"))
                    load.record("create", started, r.status_code, {201})
                    if r.status_code == 201:
                        own.append((r.json()["id"], r.json()["version"]))
                else:
                    i = rng.randrange(len(own))
                    offer_id, version = own[i]
                    r = c.patch(
                        f"/offers/{offer_id}",
                        headers={**inst, "If-Match": f'"{version}"'},
                        json={"summary": f"Bản {version + 1}"},
                    )
                    load.record("edit", started, r.status_code, {200})
                    if r.status_code == 200:
                        own[i] = (offer_id, r.json()["version"])
            except httpx.HTTPError as exc:
                load.record(type(exc).__name__, started, None, set())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--duration", type=float, default=600)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=30)
    args = parser.parse_args()

    name = f"techmatch_soak_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.server_url).set(database=name).render_as_string(hide_password=False)
    process = None
    try:
        migrate.upgrade(url)
        for session in session_scope(make_session_factory(make_engine(url))):
            create_department_admin(
                session, email="soak@example.vn", password=PASSWORD, full_name="Sở"
            )
        port = free_port()
        env = {
            **os.environ,
            "TECHMATCH_DATABASE_URL": url,
            "TECHMATCH_LOG_LEVEL": "WARNING",
            "TECHMATCH_WEBHOOK_WORKER": "false",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "app.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            env=env,
            cwd=REPO,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        ctx = setup(base)
        print(f"warming up for {args.warmup:.0f} s …", flush=True)
        run(base, ctx, args.clients, args.warmup, Load())
        workers = children(process.pid)
        start_rss = {pid: rss_mib(pid) for pid in workers}
        load = Load()
        began = time.monotonic()
        run(base, ctx, args.clients, args.duration, load)
        elapsed = time.monotonic() - began
        end_rss = {pid: rss_mib(pid) for pid in workers}
        return report(load, elapsed, start_rss, end_rss)
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def setup(base: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base.removesuffix("/api/v1") + "/readyz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.2)

    def token(email: str) -> str:
        data = {"username": email, "password": PASSWORD}
        return str(httpx.post(f"{base}/auth/token", data=data, timeout=30).json()["access_token"])

    dept = {"Authorization": f"Bearer {token('soak@example.vn')}"}
    tokens = {}
    for serial, kind in enumerate(("institute", "enterprise"), start=1):
        email = f"{kind}@soak.example.vn"
        body = {
            "organization": {
                "name": f"Soak {kind}",
                "kind": kind,
                "tax_code": tax_code(serial),
                "province_code": "25",
            },
            "user": {"email": email, "password": PASSWORD, "full_name": "Soak"},
        }
        org = httpx.post(f"{base}/auth/register", json=body, timeout=30).json()
        httpx.post(f"{base}/organizations/{org['organization']['id']}/verify", headers=dept)
        tokens[kind] = token(email)
    inst = {"Authorization": f"Bearer {tokens['institute']}"}
    ent = {"Authorization": f"Bearer {tokens['enterprise']}"}
    offers = []
    for i in range(20):
        created = httpx.post(f"{base}/offers", headers=inst, json=offer(f"Máy sấy chè {i}"))
        offer_id = created.json()["id"]
        httpx.post(f"{base}/offers/{offer_id}/submit", headers=inst)
        httpx.post(f"{base}/offers/{offer_id}/publish", headers=dept)
        offers.append(offer_id)
    need = httpx.post(
        f"{base}/needs",
        headers=ent,
        json={
            "title": "Cần máy sấy chè",
            "keywords": ["máy sấy", "chè"],
            "field_code": "203",
            "province_code": "25",
        },
    ).json()["id"]
    httpx.post(f"{base}/needs/{need}/submit", headers=ent)
    httpx.post(f"{base}/needs/{need}/publish", headers=dept)
    return {
        "inst": tokens["institute"],
        "ent": tokens["enterprise"],
        "need": need,
        "offers": offers,
    }


def run(base: str, ctx: dict[str, Any], clients: int, seconds: float, load: Load) -> None:
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(base, ctx, load, until, seed))
        for seed in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def report(
    load: Load, elapsed: float, start_rss: dict[int, float], end_rss: dict[int, float]
) -> int:
    latencies = sorted(load.latencies)
    total = len(latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else 0.0
    p99 = latencies[int(total * 0.99) - 1] * 1000 if total >= 100 else float("nan")
    print(f"requests: {total} in {elapsed:.0f} s = {total / elapsed:.1f} req/s")
    print(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(f"by kind and status: {dict(sorted(load.statuses.items()))}")
    print(f"errors: {sum(load.errors.values())} {dict(load.errors)}")
    worst = 0.0
    for pid in sorted(start_rss):
        growth = (end_rss[pid] - start_rss[pid]) / start_rss[pid] * 100 if start_rss[pid] else 0
        worst = max(worst, growth)
        print(f"worker {pid}: {start_rss[pid]:.0f} MiB → {end_rss[pid]:.0f} MiB ({growth:+.1f} %)")
    return 1 if load.errors or worst >= 10 or not start_rss else 0


if __name__ == "__main__":
    sys.exit(main())
