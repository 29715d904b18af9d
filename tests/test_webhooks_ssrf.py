"""Webhook destinations: private and special addresses are refused, at registration and at
delivery (after resolving the name again, against DNS rebinding)."""

import socket
from typing import Any

import httpx
import pytest

from app.db import session_scope, utcnow
from app.notifications import webhooks
from app.notifications.webhooks import deliver_due
from tests.conftest import Api

PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A fake resolver: names in the dict resolve as given; the rest go to the real one."""
    table: dict[str, list[str]] = {}
    real = webhooks.resolve_host

    def resolve(host: str, port: int) -> list[str]:
        if host in table:
            return table[host]
        if host.endswith(".invalid"):
            raise socket.gaierror("no such host")
        return real(host, port)

    monkeypatch.setattr(webhooks, "resolve_host", resolve)
    return table


def _put(api: Api, org_id: str, token: str, url: Any) -> Any:
    return api.client.put(
        api.url(f"/organizations/{org_id}/webhook"),
        headers={"Authorization": f"Bearer {token}"},
        json={"url": url},
    )


def _world(api: Api) -> dict[str, Any]:
    dept = api.department()
    ent = api.verified_org(dept, "enterprise")
    inst = api.verified_org(dept, "institute")
    return {"dept": dept, "ent": ent, "inst": inst, "ent_id": ent["organization"]["id"]}


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    return _world(api)


@pytest.fixture(scope="module")
def shared_world(shared_api: Api) -> dict[str, Any]:
    return _world(shared_api)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8080/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://240.0.0.1/hook",
        "http://100.64.0.1/hook",
        "http://[::1]/hook",
        "http://[fd12:3456::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://rebind.example.test/hook",
        "ftp://example.test/hook",
        "https://user:secret@example.test/hook",
        "http:///nohost",
        "https://nowhere.invalid/hook",
        "http://exa mple.test/hook",
        "x" * 501,
    ],
)
def test_registration_refuses_unsafe_urls(
    shared_api: Api, shared_world: dict[str, Any], dns: dict[str, list[str]], url: str
) -> None:
    api, world = shared_api, shared_world  # a refused registration changes nothing
    dns["rebind.example.test"] = [PUBLIC_IP, "10.0.0.7"]  # one private address is enough
    response = _put(api, world["ent_id"], world["ent"]["token"], url)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert url not in response.text
    org = api.get(f"/organizations/{world['ent_id']}/webhook", world["ent"]["token"]).json()
    assert org["url"] is None


def test_a_name_that_turns_private_at_delivery_is_refused(
    api: Api, world: dict[str, Any], dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.test"] = [PUBLIC_IP]
    registered = _put(api, world["ent_id"], world["ent"]["token"], "https://hooks.example.test/in")
    assert registered.status_code == 200, registered.text
    api.published("needs", world["ent"]["token"], world["dept"])
    api.published("offers", world["inst"]["token"], world["dept"])

    sent: list[httpx.Request] = []
    client = httpx.Client(
        transport=httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(200))
    )
    dns["hooks.example.test"] = ["127.0.0.1"]  # DNS rebinding after registration
    factory = api.client.app.state.session_factory  # type: ignore[attr-defined]
    for session in session_scope(factory):
        assert deliver_due(session, utcnow(), client) == 1
    assert sent == []
    path = f"/organizations/{world['ent_id']}/webhook/deliveries"
    delivery = api.get(path, world["ent"]["token"]).json()["items"][0]
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert delivery["last_error"].startswith("refused")
    assert delivery["last_status_code"] is None

    # Once the name is public again, the request goes to the checked address itself.
    dns["hooks.example.test"] = [PUBLIC_IP]
    for session in session_scope(factory):
        later = utcnow() + webhooks.BACKOFF[0]
        assert deliver_due(session, later, client) == 1
    assert len(sent) == 1
    assert sent[0].url.host == PUBLIC_IP and sent[0].url.scheme == "https"
    assert sent[0].headers["Host"] == "hooks.example.test"
    assert sent[0].extensions.get("sni_hostname") == "hooks.example.test"
    assert api.get(path, world["ent"]["token"]).json()["items"][0]["status"] == "delivered"
