"""Races against a real server: conditional writes and state machines under parallel requests.

Each test fires its requests at once from threads, each on its own connection, so the database
(SQLite or PostgreSQL) sees truly concurrent transactions.
"""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.connections.models import ConnectionEvent
from app.db import make_engine
from app.notifications.models import Notification
from tests.conftest import PASSWORD, Api, need_body, offer_body
from tests.live import bearer, live_server, race

N = 10


@pytest.fixture
def base(api: Api, settings: Settings) -> Iterator[str]:
    # These tests are about uniqueness, not the hashing gate: on a loaded machine ten Argon2
    # hashes may queue for more than the default 5 s and (rightly) get 503.
    patient = settings.model_copy(update={"password_hash_wait_seconds": 60})
    with live_server(patient) as url:
        yield url


def _count(settings: Settings, query: Any) -> int:
    engine = make_engine(settings.database_url)
    with Session(engine) as session:
        value = int(session.scalar(query) or 0)
    engine.dispose()
    return value


def _statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(response.status_code for response in responses)


def test_concurrent_listing_patches_with_one_etag_have_exactly_one_winner(
    api: Api, base: str
) -> None:
    owner = api.register()
    offer = api.post("/offers", owner["token"], json=offer_body()).json()
    headers = bearer(owner["token"], **{"If-Match": '"1"'})

    responses = race(
        base,
        2 * N,
        lambda c, i: c.patch(f"/offers/{offer['id']}", headers=headers, json={"title": f"T {i}"}),
    )

    assert _statuses(responses) == {200: 1, 412: 2 * N - 1}, [r.text for r in responses]
    winner = next(r for r in responses if r.status_code == 200).json()
    final = api.get(f"/offers/{offer['id']}", owner["token"]).json()
    assert final["version"] == 2
    assert final["title"] == winner["title"]


def test_concurrent_organization_patches_with_one_etag_have_exactly_one_winner(
    api: Api, base: str
) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    headers = bearer(org["token"], **{"If-Match": '"1"'})

    responses = race(
        base,
        2 * N,
        lambda c, i: c.patch(
            f"/organizations/{org_id}", headers=headers, json={"address": f"Số {i}"}
        ),
    )

    assert _statuses(responses) == {200: 1, 412: 2 * N - 1}, [r.text for r in responses]
    assert api.get(f"/organizations/{org_id}", org["token"]).json()["version"] == 2


def test_concurrent_publishes_succeed_once_and_notify_once(
    api: Api, base: str, settings: Settings
) -> None:
    dept = api.department()
    enterprise = api.verified_org(dept, "enterprise")
    api.published("needs", enterprise["token"], dept, **need_body())
    institute = api.verified_org(dept)
    offer = api.post("/offers", institute["token"], json=offer_body()).json()
    assert api.post(f"/offers/{offer['id']}/submit", institute["token"]).status_code == 200

    responses = race(
        base, N, lambda c, i: c.post(f"/offers/{offer['id']}/publish", headers=bearer(dept))
    )

    assert _statuses(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    notified = select(func.count()).where(
        Notification.organization_id == enterprise["organization"]["id"],
        Notification.kind == "new_match",
    )
    assert _count(settings, notified) == 1


def test_concurrent_submits_succeed_once(api: Api, base: str) -> None:
    dept = api.department()
    owner = api.verified_org(dept)
    offer = api.post("/offers", owner["token"], json=offer_body()).json()

    responses = race(
        base,
        N,
        lambda c, i: c.post(f"/offers/{offer['id']}/submit", headers=bearer(owner["token"])),
    )

    assert _statuses(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    assert api.get(f"/offers/{offer['id']}", owner["token"]).json()["version"] == 2


def test_accept_and_decline_at_once_leave_one_consistent_history(
    api: Api, base: str, settings: Settings
) -> None:
    dept = api.department()
    enterprise = api.verified_org(dept, "enterprise")
    need = api.published("needs", enterprise["token"], dept)
    institute = api.verified_org(dept)
    offer = api.published("offers", institute["token"], dept)
    opened = api.post(
        "/connections",
        institute["token"],
        json={"need_id": need["id"], "offer_id": offer["id"], "message": "Xin chào"},
    )
    assert opened.status_code == 201, opened.text
    connection_id = opened.json()["id"]
    headers = bearer(enterprise["token"])

    responses = race(
        base,
        N,
        lambda c, i: c.post(
            f"/connections/{connection_id}/{'accept' if i % 2 else 'decline'}", headers=headers
        ),
    )

    assert _statuses(responses) == {200: 1, 409: N - 1}, [r.text for r in responses]
    history = select(func.count()).where(ConnectionEvent.connection_id == connection_id)
    assert _count(settings, history) == 2  # opened, then exactly one decision
    notified = select(func.count()).where(
        Notification.organization_id == institute["organization"]["id"],
        Notification.kind.in_(["connection_accepted", "connection_declined"]),
    )
    assert _count(settings, notified) == 1


def test_an_api_key_is_revoked_once(api: Api, base: str) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    key = api.post(f"/organizations/{org_id}/api-keys", org["token"], json={"name": "ERP"}).json()
    headers = bearer(org["token"])

    responses = race(
        base,
        N,
        lambda c, i: c.delete(f"/organizations/{org_id}/api-keys/{key['id']}", headers=headers),
    )

    assert _statuses(responses) == {204: 1, 409: N - 1}, [r.text for r in responses]


def _registration(email: str, tax_code: str) -> dict[str, Any]:
    return {
        "organization": {
            "name": "Viện thử nghiệm",
            "kind": "institute",
            "tax_code": tax_code,
            "province_code": "25",
        },
        "user": {"email": email, "password": PASSWORD, "full_name": "Nguyễn Văn An"},
    }


def test_concurrent_registrations_with_one_email_give_one_201_and_409s(api: Api, base: str) -> None:
    codes = [api.next_tax_code() for _ in range(N)]

    responses = race(
        base,
        N,
        lambda c, i: c.post("/auth/register", json=_registration("same@example.vn", codes[i])),
    )

    assert _statuses(responses) == {201: 1, 409: N - 1}, [r.text for r in responses]
    conflicts = [r for r in responses if r.status_code == 409]
    assert all(r.headers["content-type"] == "application/problem+json" for r in conflicts)
    assert all("same@example.vn" not in r.text for r in conflicts)


def test_concurrent_registrations_with_one_tax_code_give_one_201_and_409s(
    api: Api, base: str
) -> None:
    code = api.next_tax_code()

    responses = race(
        base,
        N,
        lambda c, i: c.post("/auth/register", json=_registration(f"u{i}@example.vn", code)),
    )

    assert _statuses(responses) == {201: 1, 409: N - 1}, [r.text for r in responses]


def test_concurrent_members_with_one_email_give_one_201_and_409s(api: Api, base: str) -> None:
    org = api.register()
    org_id = org["organization"]["id"]
    body = {"email": "member@example.vn", "password": PASSWORD, "full_name": "Trần Thị B"}

    responses = race(
        base,
        N,
        lambda c, i: c.post(
            f"/organizations/{org_id}/members", headers=bearer(org["token"]), json=body
        ),
    )

    assert _statuses(responses) == {201: 1, 409: N - 1}, [r.text for r in responses]
