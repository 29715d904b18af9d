"""Opening connections between a need and an offer and moving them through their lifecycle."""

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.concurrency import check_version, flush_conditionally
from app.connections.lifecycle import ACTIONS, ENDED, PROPOSED, Action
from app.connections.models import Connection, ConnectionEvent
from app.db import utcnow
from app.errors import Conflict, Forbidden, NotFound
from app.listings import service as listings
from app.listings.lifecycle import PUBLISHED
from app.needs.models import Need
from app.notifications.service import notify_connection
from app.offers.models import Offer

_STAMPS = {
    "accepted": "accepted_at",
    "negotiating": "negotiating_at",
    "contracted": "contracted_at",
    "closed": "closed_at",
}


def side_of(connection: Connection, organization_id: str | None) -> str | None:
    """``"need"`` or ``"offer"``: which party ``organization_id`` is, if any."""
    if organization_id == connection.need_organization_id:
        return "need"
    if organization_id == connection.offer_organization_id:
        return "offer"
    return None


def _party(actor: Actor) -> ColumnElement[bool]:
    return or_(
        Connection.need_organization_id == actor.organization_id,
        Connection.offer_organization_id == actor.organization_id,
    )


def get(session: Session, *, actor: Actor, connection_id: str) -> Connection:
    """A connection seen by one of its two parties or the department; anyone else gets 404."""
    connection = session.get(Connection, connection_id)
    if connection is None or not (
        actor.is_department or side_of(connection, actor.organization_id)
    ):
        raise NotFound("No such connection.")
    return connection


def list_page(
    session: Session,
    *,
    actor: Actor,
    status: str | None,
    need_id: str | None,
    offer_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[Connection], int]:
    """The caller's connections (all of them for the department), newest first."""
    query = select(Connection)
    if not actor.is_department:
        query = query.where(_party(actor))
    if status:
        query = query.where(Connection.status == status)
    if need_id:
        query = query.where(Connection.need_id == need_id)
    if offer_id:
        query = query.where(Connection.offer_id == offer_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Connection.created_at.desc(), Connection.id).limit(limit).offset(offset)
    ).all()
    return list(rows), int(total)


def open_connection(
    session: Session, *, actor: Actor, need_id: str, offer_id: str, message: str
) -> Connection:
    """The owner of either listing expresses interest in the other; both must be published."""
    need = listings.get_visible(session, Need, actor=actor, listing_id=need_id)
    offer = listings.get_visible(session, Offer, actor=actor, listing_id=offer_id)
    owns_need = actor.acts_for(need.organization_id)
    owns_offer = actor.acts_for(offer.organization_id)
    if not (owns_need or owns_offer):
        raise Forbidden("Only the owner of the need or of the offer may open a connection.")
    if owns_need and owns_offer:
        raise Conflict("A connection links two different organisations.")
    if need.status != PUBLISHED or offer.status != PUBLISHED:
        raise Conflict("Both the need and the offer must be published.")
    if _open_between(session, need_id=need.id, offer_id=offer.id):
        raise Conflict("This need and this offer already have an open connection.")
    connection = Connection(
        need_id=need.id,
        offer_id=offer.id,
        need_organization_id=need.organization_id,
        offer_organization_id=offer.organization_id,
        opened_by_organization_id=actor.organization_id,
        opened_by_user_id=actor.user_id,
        message=message,
        status=PROPOSED,
        open_key=1,
        version=1,
    )
    session.add(connection)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent request opened the same pair first
        raise Conflict("This need and this offer already have an open connection.") from exc
    _event(session, connection, actor=actor, from_status=None)
    notify_connection(session, connection=connection, actor=actor)
    return connection


def _open_between(session: Session, *, need_id: str, offer_id: str) -> bool:
    found = session.scalar(
        select(Connection.id).where(
            Connection.need_id == need_id,
            Connection.offer_id == offer_id,
            Connection.open_key.is_not(None),
        )
    )
    return found is not None


def act(
    session: Session,
    *,
    actor: Actor,
    connection_id: str,
    action: str,
    if_match: int | None,
) -> Connection:
    """Take ``action``: 404 if unknown, 403 for the wrong party, 409 from the wrong status."""
    step = ACTIONS.get(action)
    if step is None:
        raise NotFound(f"No such action '{action[:40]}'; use one of: {', '.join(ACTIONS)}.")
    connection = get(session, actor=actor, connection_id=connection_id)
    _check_party(connection, actor=actor, step=step)
    check_version(connection.version, if_match)
    if connection.status not in step.sources:
        raise Conflict(f"Cannot {step.name} a connection in status '{connection.status}'.")
    before = connection.status
    now = utcnow()
    connection.status = step.target
    if step.target in _STAMPS:
        setattr(connection, _STAMPS[step.target], now)
    if step.target in ENDED:
        connection.open_key = None
    connection.version += 1
    connection.updated_at = now
    flush_conditionally(session, if_match=if_match)
    _event(session, connection, actor=actor, from_status=before)
    notify_connection(session, connection=connection, actor=actor)
    return connection


def _check_party(connection: Connection, *, actor: Actor, step: Action) -> None:
    side = side_of(connection, actor.organization_id)
    if side is None:
        raise Forbidden("Only the two parties of a connection act on it.")
    opener = actor.organization_id == connection.opened_by_organization_id
    if step.who == "recipient" and opener:
        raise Forbidden(f"Only the side that received the proposal may {step.name} it.")
    if step.who == "opener" and not opener:
        raise Forbidden("Only the side that opened the connection may withdraw it.")


def _event(
    session: Session, connection: Connection, *, actor: Actor, from_status: str | None
) -> None:
    session.add(
        ConnectionEvent(
            connection_id=connection.id,
            from_status=from_status,
            to_status=connection.status,
            actor_organization_id=actor.organization_id,
            actor_user_id=actor.user_id,
        )
    )
    session.flush()


def events(session: Session, *, connection_id: str) -> list[ConnectionEvent]:
    """The history of one connection, oldest first."""
    return list(
        session.scalars(
            select(ConnectionEvent)
            .where(ConnectionEvent.connection_id == connection_id)
            .order_by(ConnectionEvent.created_at, ConnectionEvent.id)
        ).all()
    )
