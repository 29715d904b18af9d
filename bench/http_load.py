"""HTTP throughput and latency of the real server, beside a minimal FastAPI endpoint.

    TECHMATCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/tm_bench \
    TECHMATCH_ADMIN_PASSWORD=... python bench/http_load.py --admin-email E --workers 1 2

For each worker count, starts ``techmatch serve --workers N`` and the minimal endpoint
(``bench/ceiling.py`` under uvicorn with the same worker count) as real processes on loopback,
and for each request runs a closed-loop load (``--concurrency`` clients for ``--seconds``):
``GET /offers/{id}``, ``GET /offers?limit=20`` with field and province filters, the ranked
``q`` search (short queries from ``Corpus.searches``), ``GET /needs/{id}/matches`` (as the
department), and a write (``PATCH`` of a need's budget) followed by that need's matches.
It also records the time from start until ``/readyz`` says ready and the resident memory of
each server's processes. Prints one JSON line. The load generator shares the machine.
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from engine import Corpus

BENCH = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the server's workers)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS"))
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (FileNotFoundError, StopIteration):
            continue
        pending.extend(int(c) for c in children)
    return round(total / 1024, 1)


class Server:
    def __init__(self, command: list[str], port: int, ready_path: str, env: dict[str, str]):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = started + 300
        while time.perf_counter() < deadline:
            try:
                if httpx.get(self.base + ready_path, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            self.stop()
            raise SystemExit(f"{command} did not become ready")
        self.ready_seconds = round(time.perf_counter() - started, 2)

    def rss_mb(self) -> float:
        return tree_rss_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def closed_loop(
    base: str, make: Callable[[int], tuple[str, str]], headers: dict[str, str], args: Any
) -> dict[str, float]:
    """``concurrency`` clients sending requests back to back for ``seconds``."""
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits) as client:
        stop = time.perf_counter() + args.seconds
        counter = iter(range(10**9))

        async def user() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                method, path = make(next(counter))
                t = time.perf_counter()
                response = await client.request(method, path, timeout=60)
                latencies.append(time.perf_counter() - t)
                errors += response.status_code >= 400

        t0 = time.perf_counter()
        await asyncio.gather(*(user() for _ in range(args.concurrency)))
        elapsed = time.perf_counter() - t0
    return figures(latencies, elapsed, errors)


def figures(latencies: list[float], elapsed: float, errors: int = 0) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "rps": round(len(ordered) / elapsed, 1),
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
        "n": len(ordered),
        "errors": errors,
    }


def write_then_match(base: str, token: str, need_ids: list[str], rounds: int) -> dict[str, Any]:
    """A PATCH (budget, not a substantive edit) then the need's matches, against steady."""
    auth = {"Authorization": f"Bearer {token}"}
    steady, after = [], []
    with httpx.Client(base_url=base, headers=auth, timeout=60) as client:
        for i in range(rounds):
            need_id = need_ids[i % len(need_ids)]
            t = time.perf_counter()
            client.get(f"/api/v1/needs/{need_id}/matches?limit=10").raise_for_status()
            steady.append(time.perf_counter() - t)
            budget = 100_000_000 * (1 + (i % 50))
            client.patch(
                f"/api/v1/needs/{need_id}", json={"budget_max_vnd": budget}
            ).raise_for_status()
            t = time.perf_counter()
            client.get(f"/api/v1/needs/{need_id}/matches?limit=10").raise_for_status()
            after.append(time.perf_counter() - t)
    return {
        "steady_p50_ms": round(1000 * statistics.median(steady), 1),
        "after_write_p50_ms": round(1000 * statistics.median(after), 1),
        "after_write_max_ms": round(1000 * max(after), 1),
        "extra_p50_ms": round(1000 * (statistics.median(after) - statistics.median(steady)), 1),
    }


def run(workers: int, args: Any, env: dict[str, str]) -> dict[str, Any]:
    python = sys.executable
    port = free_port()
    ceiling = Server(
        [
            python,
            "-m",
            "uvicorn",
            "bench.ceiling:app",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        port,
        "/",
        env,
    )
    port = free_port()
    server = Server(
        [python, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)],
        port,
        "/readyz",
        env,
    )
    try:
        out: dict[str, Any] = {"workers": workers, "ready_seconds": server.ready_seconds}
        out["rss_mb_ready"] = server.rss_mb()
        token = httpx.post(
            server.base + "/api/v1/auth/token",
            data={"username": args.admin_email, "password": env["TECHMATCH_ADMIN_PASSWORD"]},
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        page = httpx.get(server.base + "/api/v1/offers?limit=100").json()
        offers = page["items"]
        out["offers"] = page["total"]
        needs = httpx.get(server.base + "/api/v1/needs?limit=100", headers=auth).json()["items"]
        offer_ids = [o["id"] for o in offers]
        need_ids = [n["id"] for n in needs]
        searches = Corpus(args.seed).searches(200)
        rng = random.Random(1)
        fields = ["1", "2", "4", "201", "203", "401"]
        provinces = ["25", "01", "79", "19", "24"]
        cases: dict[str, tuple[str, Callable[[int], tuple[str, str]], dict[str, str]]] = {
            "ceiling": (ceiling.base, lambda i: ("GET", "/"), {}),
            "get_offer": (
                server.base,
                lambda i: ("GET", f"/api/v1/offers/{offer_ids[i % len(offer_ids)]}"),
                {},
            ),
            "list_offers_filtered": (
                server.base,
                lambda i: (
                    "GET",
                    f"/api/v1/offers?limit=20&field_code={rng.choice(fields)}"
                    f"&province_code={rng.choice(provinces)}&offset={20 * (i % 5)}",
                ),
                {},
            ),
            "search_q": (
                server.base,
                lambda i: ("GET", f"/api/v1/offers?limit=20&q={searches[i % len(searches)]}"),
                {},
            ),
            "need_matches": (
                server.base,
                lambda i: ("GET", f"/api/v1/needs/{need_ids[i % len(need_ids)]}/matches"),
                auth,
            ),
        }
        for name, (base, make, headers) in cases.items():
            out[name] = asyncio.run(closed_loop(base, make, headers, args))
        ceiling_rps = out["ceiling"]["rps"]
        for name in cases:
            out[name]["ratio"] = round(out[name]["rps"] / ceiling_rps, 3)
        out["write_then_matches"] = write_then_match(server.base, token, need_ids, args.rounds)
        out["rss_mb_after"] = server.rss_mb()
        out["ceiling_rss_mb"] = ceiling.rss_mb()
        return out
    finally:
        server.stop()
        ceiling.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--admin-email", required=True)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("TECHMATCH_DATABASE_URL", "sqlite:///./techmatch.db")
    if "TECHMATCH_ADMIN_PASSWORD" not in os.environ:
        raise SystemExit("set TECHMATCH_ADMIN_PASSWORD to the department account's password")
    env = {
        **os.environ,
        "TECHMATCH_LOG_LEVEL": "WARNING",
        "TECHMATCH_WEBHOOK_WORKER": "false",
        "TECHMATCH_LOGIN_RATE_LIMIT_PER_MINUTE": "1000",
    }
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(BENCH.parent), env.get("PYTHONPATH", "")) if p
    )
    runs = [run(n, args, env) for n in args.workers]
    print(
        json.dumps(
            {
                "bench": "http",
                "database": url.split(":")[0],
                "offers": runs[0]["offers"],
                "concurrency": args.concurrency,
                "seconds_per_case": args.seconds,
                "runs": runs,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
