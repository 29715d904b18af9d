"""Webhooks against a real local receiver (private addresses allowed for the test)."""

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app import cli
from app.config import Settings, get_settings
from app.db import session_scope, utcnow
from app.main import create_app
from app.notifications.webhooks import BACKOFF, deliver_due, make_client
from tests.conftest import Api, make_settings


class Receiver:
    """An HTTP server on 127.0.0.1 that records every request and answers ``status``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/techmatch"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, webhook_allow_private=True, webhook_worker=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as running:
        yield running


def _deliver(api: Api, when: Any = None) -> int:
    factory = api.client.app.state.session_factory  # type: ignore[attr-defined]
    done = 0
    with make_client(5.0) as client:
        for session in session_scope(factory):
            done = deliver_due(session, when or utcnow(), client, allow_private=True)
    return done


def _setup(api: Api, url: str) -> dict[str, Any]:
    dept = api.department()
    ent = api.verified_org(dept, "enterprise")
    inst = api.verified_org(dept, "institute")
    ent_id = ent["organization"]["id"]
    registered = api.put(f"/organizations/{ent_id}/webhook", ent["token"], json={"url": url})
    assert registered.status_code == 200, registered.text
    secret = registered.json()["secret"]
    api.published("needs", ent["token"], dept)
    api.published("offers", inst["token"], dept)  # → a new_match for the enterprise
    return {"dept": dept, "ent": ent, "inst": inst, "ent_id": ent_id, "secret": secret}


def _deliveries(api: Api, w: dict[str, Any], token: str | None = None) -> list[dict[str, Any]]:
    response = api.get(f"/organizations/{w['ent_id']}/webhook/deliveries", token or w["dept"])
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.fixture
def put_api(api: Api) -> Api:
    def put(path: str, token: str | None = None, **kw: Any) -> Any:
        return api.client.put(api.url(path), headers=api.auth(token, kw), **kw)

    api.put = put  # type: ignore[attr-defined]
    return api


def test_signed_delivery_to_a_real_receiver(put_api: Api, receiver: Receiver) -> None:
    api = put_api
    w = _setup(api, receiver.url)
    shown = api.get(f"/organizations/{w['ent_id']}/webhook", w["ent"]["token"]).json()
    assert shown == {"organization_id": w["ent_id"], "url": receiver.url}  # no secret again
    pending = _deliveries(api, w, w["ent"]["token"])
    assert [(d["status"], d["kind"], d["attempts"]) for d in pending] == [
        ("pending", "new_match", 0)
    ]
    assert receiver.requests == []
    assert _deliver(api) == 1
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    body = request["body"]
    expected = "sha256=" + hmac.new(w["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert request["headers"]["X-Techmatch-Signature"] == expected
    document = json.loads(body)
    assert request["headers"]["X-Techmatch-Timestamp"] == str(document["sent_at"])
    assert request["path"] == "/hooks/techmatch"
    assert document["kind"] == "new_match"
    assert document["organization_id"] == w["ent_id"]
    assert document["payload"]["offer"]["organization_id"] == w["inst"]["organization"]["id"]
    delivered = _deliveries(api, w)
    assert [(d["status"], d["attempts"], d["last_status_code"]) for d in delivered] == [
        ("delivered", 1, 200)
    ]
    assert _deliver(api) == 0  # nothing is sent twice


def test_a_failing_receiver_is_retried_with_backoff_then_failed(
    put_api: Api, receiver: Receiver
) -> None:
    api = put_api
    receiver.status = 500
    w = _setup(api, receiver.url)
    now = utcnow()
    assert _deliver(api, now) == 1
    first = _deliveries(api, w)[0]
    assert (first["status"], first["attempts"], first["last_status_code"]) == ("pending", 1, 500)
    assert first["last_error"] == "HTTP 500"
    assert _deliver(api, now + BACKOFF[0] - timedelta(seconds=1)) == 0  # not yet due
    for delay in BACKOFF:
        now = now + delay
        assert _deliver(api, now) == 1
    final = _deliveries(api, w)[0]
    assert (final["status"], final["attempts"], final["next_attempt_at"]) == ("failed", 6, None)
    assert len(receiver.requests) == 6
    assert _deliver(api, now + timedelta(days=30)) == 0
    failed = api.get(f"/organizations/{w['ent_id']}/webhook/deliveries?status=failed", w["dept"])
    assert failed.json()["total"] == 1


def test_who_may_manage_the_webhook(put_api: Api, receiver: Receiver) -> None:
    api = put_api
    w = _setup(api, receiver.url)
    path = f"/organizations/{w['ent_id']}/webhook"
    assert api.put(path, w["inst"]["token"], json={"url": receiver.url}).status_code == 403
    assert api.put(path, w["dept"], json={"url": receiver.url}).status_code == 403
    assert api.get(f"{path}/deliveries", w["inst"]["token"]).status_code == 403
    assert api.put(path, w["ent"]["token"], json={"url": receiver.url, "x": 1}).status_code == 422
    assert api.delete(path, w["ent"]["token"]).status_code == 204
    assert api.delete(path, w["ent"]["token"]).status_code == 404
    # A pending delivery of a removed webhook is cancelled, not sent.
    assert _deliver(api) == 1
    assert receiver.requests == []
    assert _deliveries(api, w)[0]["status"] == "cancelled"


def test_the_background_worker_delivers(
    put_api: Api, receiver: Receiver, database_url: str
) -> None:
    w = _setup(put_api, receiver.url)
    settings = make_settings(
        database_url, webhook_allow_private=True, webhook_worker_interval_seconds=0.1
    )
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 10
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(receiver.requests) == 1
    assert _deliveries(put_api, w)[0]["status"] == "delivered"


def test_the_cli_delivers(
    put_api: Api,
    receiver: Receiver,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    w = _setup(put_api, receiver.url)
    monkeypatch.setenv("TECHMATCH_DATABASE_URL", database_url)
    monkeypatch.setenv("TECHMATCH_WEBHOOK_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    try:
        assert cli.main(["deliver-webhooks"]) == 0
    finally:
        get_settings.cache_clear()
    assert "attempted: 1" in capsys.readouterr().out
    assert len(receiver.requests) == 1
    assert _deliveries(put_api, w)[0]["status"] == "delivered"
