"""Outgoing webhooks: URL checks against server-side request forgery, signing, delivery.

A destination must resolve to public addresses only (no loopback, private/RFC 1918, ULA,
link-local, multicast, unspecified or reserved ones), checked when the URL is registered and
again at every delivery after resolving the name, and the request then goes to the address
that was checked (DNS rebinding cannot swap it). ``webhook_allow_private`` lifts the rule
for local testing.

Each body is signed with HMAC-SHA256 over the raw bytes with the organisation's secret:
``X-Techmatch-Signature: sha256=<hex>``; ``X-Techmatch-Timestamp`` repeats the body's
``sent_at``. Failed attempts are retried after 1 min, 5 min, 30 min, 2 h and 12 h; after the
sixth failure the delivery is ``failed`` and stays listed for the organisation.
"""

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.notifications.models import Notification, WebhookDelivery
from app.organizations.models import Organization

log = logging.getLogger("techmatch.webhooks")

BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"
# Claimed by one worker until its lease (``next_attempt_at``) runs out; a worker that died
# mid-send leaves it to be claimed again after the lease.
SENDING = "sending"
_CLAIMABLE = (PENDING, SENDING)
SIGNATURE_HEADER = "X-Techmatch-Signature"
TIMESTAMP_HEADER = "X-Techmatch-Timestamp"
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedDestination(Exception):
    """The URL may not be called: bad form, unresolvable, or not a public address."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    """The signature header value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def resolve_host(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (tests replace this to simulate DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


# IPv6 transition ranges embed or relay to IPv4 (possibly internal) hosts: 6to4, NAT64
# (well-known and local-use prefixes), Teredo. None of them is a real webhook receiver.
_TRANSITION = tuple(
    ipaddress.ip_network(net)
    for net in ("2002::/16", "64:ff9b::/96", "64:ff9b:1::/48", "2001::/32")
)


def is_public(address: IpAddress) -> bool:
    """Whether a webhook may be sent to ``address``."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if isinstance(address, ipaddress.IPv6Address) and any(address in n for n in _TRANSITION):
        return False
    return not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or not address.is_global
    )


@dataclass(frozen=True)
class Target:
    """A checked destination: the URL as given and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def check_url(url: str, *, allow_private: bool) -> Target:
    """Parse, resolve and vet ``url``; raises ``RefusedDestination`` with the reason."""
    if any(char.isspace() or not char.isprintable() for char in url):
        raise RefusedDestination("the URL is malformed")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedDestination("the URL is malformed") from exc
    if parts.scheme not in ("http", "https"):
        raise RefusedDestination("the URL must use https or http")
    if not parts.hostname:
        raise RefusedDestination("the URL must name a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedDestination("the URL must not carry credentials")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [
            ipaddress.ip_address(a.split("%")[0]) for a in resolve_host(parts.hostname, port)
        ]
    except (OSError, UnicodeError, ValueError) as exc:
        raise RefusedDestination("the host does not resolve") from exc
    if not addresses:
        raise RefusedDestination("the host does not resolve")
    if not allow_private and not all(is_public(address) for address in addresses):
        # The address is not named: a 422 never echoes input or what it resolved to.
        raise RefusedDestination("the host resolves to a non-public address")
    return Target(
        url=url, scheme=parts.scheme, host=parts.hostname, port=port, address=str(addresses[0])
    )


def validate_for_registration(url: str, *, allow_private: bool) -> str:
    """The URL to store, or a 422 naming what is wrong with it."""
    try:
        check_url(url, allow_private=allow_private)
    except RefusedDestination as exc:
        raise InvalidInput(f"Webhook URL refused: {exc}.", loc=["body", "url"]) from exc
    return url


def body_of(notification: Notification, *, delivery_id: str, sent_at: datetime) -> bytes:
    """The exact bytes that are signed and sent."""
    document = {
        "delivery_id": delivery_id,
        "notification_id": notification.id,
        "organization_id": notification.organization_id,
        "kind": notification.kind,
        "created_at": notification.created_at.isoformat(),
        "sent_at": int(sent_at.timestamp()),
        "payload": notification.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str | None = None
    cancelled: bool = False
    url: str | None = None


def _send(target: Target, *, body: bytes, headers: dict[str, str], client: httpx.Client) -> Outcome:
    """POST to the checked address, naming the host in ``Host`` and TLS SNI."""
    parts = urlsplit(target.url)
    literal = f"[{target.address}]" if ":" in target.address else target.address
    pinned = urlunsplit(
        (parts.scheme, f"{literal}:{target.port}", parts.path or "/", parts.query, "")
    )
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    try:
        response = client.post(
            pinned,
            content=body,
            headers={**headers, "Host": host_header},
            extensions=extensions,
        )
    except httpx.HTTPError as exc:
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return Outcome(ok=True, status_code=response.status_code)
    return Outcome(ok=False, status_code=response.status_code, error=f"HTTP {response.status_code}")


def _attempt(
    session: Session,
    delivery: WebhookDelivery,
    *,
    now: datetime,
    client: httpx.Client,
    allow_private: bool,
) -> Outcome:
    organization = session.get(Organization, delivery.organization_id)
    notification = session.get(Notification, delivery.notification_id)
    if organization is None or notification is None or not organization.webhook_url:
        return Outcome(ok=False, error="the webhook was removed", cancelled=True)
    secret = organization.webhook_secret or ""
    url = organization.webhook_url  # a changed URL takes over pending deliveries
    try:
        target = check_url(url, allow_private=allow_private)
    except RefusedDestination as exc:
        return Outcome(ok=False, error=f"refused: {exc}", url=url)
    body = body_of(notification, delivery_id=delivery.id, sent_at=now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "techmatch-webhooks/1",
        SIGNATURE_HEADER: sign(secret, body),
        TIMESTAMP_HEADER: str(int(now.timestamp())),
        "X-Techmatch-Delivery": delivery.id,
        "X-Techmatch-Event": notification.kind,
    }
    outcome = _send(target, body=body, headers=headers, client=client)
    return Outcome(ok=outcome.ok, status_code=outcome.status_code, error=outcome.error, url=url)


def _apply(delivery: WebhookDelivery, outcome: Outcome, *, now: datetime) -> None:
    if outcome.cancelled:
        delivery.status, delivery.next_attempt_at = CANCELLED, None
        delivery.last_error = outcome.error
        return
    if outcome.url:
        delivery.url = outcome.url
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DELIVERED, now, None
        delivery.last_error = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = FAILED, None
        delivery.last_error = outcome.error
    else:
        delivery.status = PENDING
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        delivery.last_error = outcome.error


def claim_due(session: Session, now: datetime, *, lease: timedelta, batch: int = 50) -> list[str]:
    """Claim up to ``batch`` due deliveries for this worker; returns their ids.

    Each claim is one conditional UPDATE (``WHERE status IN (pending, sending) AND
    next_attempt_at <= now``): of several workers that saw the same row, exactly one updates it,
    on SQLite as on PostgreSQL. The caller commits the claims before sending.
    """
    due = (WebhookDelivery.status.in_(_CLAIMABLE), WebhookDelivery.next_attempt_at <= now)
    candidates = session.scalars(
        select(WebhookDelivery.id)
        .where(*due)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(batch)
    ).all()
    claimed = []
    for delivery_id in candidates:
        result = cast(
            CursorResult[Any],
            session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id, *due)
                .values(status=SENDING, next_attempt_at=now + lease)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount == 1:
            claimed.append(delivery_id)
    return claimed


def send_claimed(
    session: Session,
    delivery_ids: list[str],
    now: datetime,
    client: httpx.Client,
    *,
    allow_private: bool = False,
) -> int:
    """Attempt the deliveries this worker claimed and record the outcomes; returns how many.

    The HTTP calls happen before any write, so on SQLite the database is not write-locked
    while waiting for receivers. The caller commits.
    """
    deliveries = session.scalars(
        select(WebhookDelivery)
        .where(WebhookDelivery.id.in_(delivery_ids), WebhookDelivery.status == SENDING)
        .order_by(WebhookDelivery.id)
    ).all()
    outcomes = []
    for delivery in deliveries:
        try:
            outcome = _attempt(
                session, delivery, now=now, client=client, allow_private=allow_private
            )
        except Exception as exc:  # one bad delivery must not stop the others
            log.exception("webhook delivery %s crashed", delivery.id)
            outcome = Outcome(ok=False, error=f"internal error: {type(exc).__name__}")
        outcomes.append((delivery, outcome))
    for delivery, outcome in outcomes:
        _apply(delivery, outcome, now=now)
    session.flush()
    return len(deliveries)


def deliver_due(
    session: Session,
    now: datetime,
    client: httpx.Client,
    *,
    allow_private: bool = False,
    batch: int = 50,
) -> int:
    """Claim and attempt every delivery due at ``now`` in one transaction (at most ``batch``).

    For a single caller (tests, one-off runs); the background workers use
    ``app.notifications.worker.deliver_once``, which commits the claims before sending.
    """
    ids = claim_due(session, now, lease=timedelta(minutes=10), batch=batch)
    return send_claimed(session, ids, now, client, allow_private=allow_private)


def make_client(timeout: float) -> httpx.Client:
    """A client that follows no redirects, trusts no proxy settings and gives up quickly."""
    return httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False)
