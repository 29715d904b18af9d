"""Who was shown whose identity or contact details: the rule and its audit trail.

A party of a connection learns the other party's contacts (and, for a confidential need, the
enterprise's identity) once the connection has been accepted. Each time such details are served
to a counterpart, one ``ContactReveal`` row records it. Views by the organisation itself and by
the department are not recorded: they see these details by right, not through a connection.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections.models import Connection, ContactReveal

ACCEPTED, NEGOTIATING, CONTRACTED, CLOSED = "accepted", "negotiating", "contracted", "closed"
IDENTITY, CONTACTS = "identity", "contacts"

# The endpoint being served, and what it already recorded (one row per reveal per request).
_via: ContextVar[str] = ContextVar("reveal_via", default="internal")
_seen: ContextVar[set[tuple[str, str, str, str | None]] | None] = ContextVar(
    "reveal_seen", default=None
)

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class RevealContextMiddleware:
    """Remembers the endpoint of each request so that reveals name where they happened."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        via_token = _via.set(f"{scope['method']} {scope['path']}"[:200])
        seen_token = _seen.set(set())
        try:
            await self.app(scope, receive, send)
        finally:
            _via.reset(via_token)
            _seen.reset(seen_token)


def revealed() -> ColumnElement[bool]:
    """Connections whose parties see each other: accepted and onwards, or closed after that.

    A withdrawal (possible after acceptance) ends the sharing; a connection closed after
    acceptance keeps it, since the details were already exchanged and the record must stay
    understandable to both parties.
    """
    return or_(
        Connection.status.in_((ACCEPTED, NEGOTIATING, CONTRACTED)),
        and_(Connection.status == CLOSED, Connection.accepted_at.is_not(None)),
    )


def is_revealed(connection: Connection) -> bool:
    """The Python side of ``revealed()`` for one loaded connection."""
    if connection.status in (ACCEPTED, NEGOTIATING, CONTRACTED):
        return True
    return connection.status == CLOSED and connection.accepted_at is not None


def identity_connection(
    session: Session, *, viewer_organization_id: str, need_id: str
) -> str | None:
    """A revealed connection through which the viewer (offer side) may know a need's owner."""
    return session.scalar(
        select(Connection.id)
        .where(
            Connection.need_id == need_id,
            Connection.offer_organization_id == viewer_organization_id,
            revealed(),
        )
        .order_by(Connection.accepted_at)
        .limit(1)
    )


def contacts_connection(
    session: Session, *, viewer_organization_id: str, subject_organization_id: str
) -> str | None:
    """A revealed connection between the two organisations, in either direction."""
    viewer, subject = viewer_organization_id, subject_organization_id
    return session.scalar(
        select(Connection.id)
        .where(
            or_(
                and_(
                    Connection.need_organization_id == viewer,
                    Connection.offer_organization_id == subject,
                ),
                and_(
                    Connection.offer_organization_id == viewer,
                    Connection.need_organization_id == subject,
                ),
            ),
            revealed(),
        )
        .order_by(Connection.accepted_at)
        .limit(1)
    )


def record(
    session: Session,
    *,
    actor: Actor,
    subject_organization_id: str,
    what: str,
    connection_id: str | None,
) -> None:
    """Append one reveal row (once per request for the same viewer, subject and kind)."""
    if actor.may_manage(subject_organization_id):
        return
    key = (actor.organization_id, subject_organization_id, what, connection_id)
    seen = _seen.get()
    if seen is not None:
        if key in seen:
            return
        seen.add(key)
    session.add(
        ContactReveal(
            viewer_organization_id=actor.organization_id,
            viewer_user_id=actor.user_id,
            subject_organization_id=subject_organization_id,
            connection_id=connection_id,
            what=what,
            via=_via.get(),
        )
    )
