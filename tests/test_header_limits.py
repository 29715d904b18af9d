"""Request heads are bounded (issue 9, finding 9): by the server, and again by the app."""

import socket
from collections.abc import Iterator

import httpx
import pytest

from app.cli import server_options
from app.config import Settings
from tests.conftest import Api
from tests.live import live_server


@pytest.fixture
def served(settings: Settings) -> Iterator[str]:
    with live_server(settings, **server_options(settings)) as base:
        yield base


def _raw_request(base: str, header_bytes: int) -> tuple[bool, bytes]:
    """Send a header of ``header_bytes``; (whether all of it was taken, the answer)."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        sent = 0
        try:
            while sent < header_bytes:
                sock.sendall(b"a" * 65536)
                sent += 65536
            sock.sendall(b"\r\n\r\n")
        except OSError:
            return False, b""  # the server gave up on us before the end: what we want
        try:
            return True, sock.recv(4096)
        except OSError:
            return True, b""


def test_the_server_refuses_a_huge_header_before_reading_it_all(served: str) -> None:
    taken, answer = _raw_request(served, 50 * 1024 * 1024)
    assert not taken, answer[:200]  # httptools would buffer all 50 MB, then answer
    assert httpx.get(f"{served}/healthz").status_code == 200  # and is still serving


def test_the_server_still_takes_ordinary_headers(served: str) -> None:
    response = httpx.get(f"{served}/healthz", headers={"X-Note": "a" * 8000})
    assert response.status_code == 200


def test_the_app_answers_431_to_headers_over_its_limit(api: Api) -> None:
    limit = api.settings.max_header_bytes
    response = api.get(
        "/healthz", headers={f"X-H{i}": "a" * 4000 for i in range(limit // 4000 + 1)}
    )
    assert response.status_code == 431
    assert response.headers["content-type"] == "application/problem+json"
