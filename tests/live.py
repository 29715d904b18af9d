"""A real uvicorn server in a thread, and a helper that fires requests at it in parallel.

Race tests need true parallelism: each request gets its own HTTP connection and its own
worker thread (sync routes run in the server's thread pool), so the database sees concurrent
transactions exactly as it would in production.
"""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
import uvicorn

from app.config import Settings
from app.main import create_app

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(settings: Settings, **uvicorn_options: Any) -> Iterator[str]:
    """Serve a new application for ``settings`` on loopback; yields its base URL."""
    app = create_app(settings.model_copy(update={"webhook_worker": False}))
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", lifespan="on", **uvicorn_options
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def race(base: str, n: int, call: Callable[[httpx.Client, int], T]) -> list[T]:
    """Run ``call`` ``n`` times at once, each on its own connection, released by one barrier."""
    barrier = threading.Barrier(n)

    def one(i: int) -> T:
        with httpx.Client(base_url=f"{base}/api/v1", timeout=120) as client:
            client.get("/taxonomies/enums")  # open the connection before the start line
            barrier.wait()
            return call(client, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def bearer(token: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **headers}
