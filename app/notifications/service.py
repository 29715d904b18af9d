"""Notifications: a new match for a published listing, a change on a connection.

Each notification to an organisation with a webhook gets its delivery row in the same
transaction, so a notification can never be committed without its delivery being queued.
"""

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections.models import Connection, MatchDismissal
from app.db import utcnow
from app.errors import NotFound
from app.listings.lifecycle import PUBLISHED
from app.matching.engine import MatchResult
from app.matching.live import LiveIndex
from app.matching.records import need_record, offer_record
from app.needs.models import Need
from app.notifications.models import Notification, WebhookDelivery
from app.offers.models import Offer
from app.organizations.models import Organization

NEW_MATCH = "new_match"
MATCH_CANDIDATES = 50


def notify(
    session: Session, *, organization_id: str, kind: str, payload: dict[str, Any]
) -> Notification:
    """Store a notification and queue its webhook delivery if the organisation has one."""
    notification = Notification(organization_id=organization_id, kind=kind, payload=payload)
    session.add(notification)
    session.flush()
    organization = session.get(Organization, organization_id)
    if organization is not None and organization.webhook_url:
        session.add(
            WebhookDelivery(
                notification_id=notification.id,
                organization_id=organization_id,
                url=organization.webhook_url,
                status="pending",
                attempts=0,
                next_attempt_at=utcnow(),
            )
        )
        session.flush()
    return notification


def notify_connection(session: Session, *, connection: Connection, actor: Actor) -> None:
    """Tell the other party that a connection was opened or moved (``connection_<status>``).

    The payload names listings and sides only, never an organisation, so that it cannot
    reveal the enterprise behind a confidential need.
    """
    if actor.acts_for(connection.need_organization_id):
        recipient, by_side = connection.offer_organization_id, "need"
    else:
        recipient, by_side = connection.need_organization_id, "offer"
    need = session.get(Need, connection.need_id)
    offer = session.get(Offer, connection.offer_id)
    notify(
        session,
        organization_id=recipient,
        kind=f"connection_{connection.status}",
        payload={
            "connection_id": connection.id,
            "status": connection.status,
            "by_side": by_side,
            "need": {"id": connection.need_id, "title": need.title if need else None},
            "offer": {"id": connection.offer_id, "title": offer.title if offer else None},
        },
    )


def notify_published(session: Session, live: LiveIndex, row: Offer | Need) -> int:
    """When ``row`` has just been published, tell the owners of open listings it matches.

    The published row is the query against the index of the other kind; candidates at or
    above the matcher's threshold are notified (one notification per pair), except pairs
    their owner dismissed. The index is synced through a separate session, so that it only
    ever reflects committed rows (this transaction may still roll back). Returns the count.
    """
    if row.status != PUBLISHED or row.deleted_at is not None:
        return 0
    with Session(bind=session.get_bind()) as committed:
        live.sync(committed)
    with live.lock:
        threshold = live.matcher.threshold
        if isinstance(row, Offer):
            results = live.matcher.match_offer(offer_record(row), k=MATCH_CANDIDATES)
        else:
            results = live.matcher.match_need(need_record(row), k=MATCH_CANDIDATES)
    good = [result for result in results if result.score >= threshold]
    if isinstance(row, Offer):
        return _notify_needs(session, row, good)
    return _notify_offers(session, row, good)


def _open(model: type[Offer] | type[Need], ids: list[str]) -> Select[Any]:
    return select(model).where(
        model.id.in_(ids), model.status == PUBLISHED, model.deleted_at.is_(None)
    )


def _dismissed(session: Session, *, organization_id: str, need_id: str, offer_id: str) -> bool:
    found = session.scalar(
        select(MatchDismissal.id).where(
            MatchDismissal.organization_id == organization_id,
            MatchDismissal.need_id == need_id,
            MatchDismissal.offer_id == offer_id,
        )
    )
    return found is not None


def _notify_needs(session: Session, offer: Offer, results: list[MatchResult]) -> int:
    needs = {n.id: n for n in session.scalars(_open(Need, [r.id for r in results])).all()}
    sent = 0
    for result in results:
        need = needs.get(result.id)
        if need is None or need.organization_id == offer.organization_id:
            continue
        if _dismissed(
            session, organization_id=need.organization_id, need_id=need.id, offer_id=offer.id
        ):
            continue
        notify(
            session,
            organization_id=need.organization_id,
            kind=NEW_MATCH,
            payload={
                "score": round(result.score, 4),
                "need": {"id": need.id, "title": need.title},
                "offer": {
                    "id": offer.id,
                    "title": offer.title,
                    "organization_id": offer.organization_id,
                    "organization_name": offer.organization.name,
                },
            },
        )
        sent += 1
    return sent


def _notify_offers(session: Session, need: Need, results: list[MatchResult]) -> int:
    offers = {o.id: o for o in session.scalars(_open(Offer, [r.id for r in results])).all()}
    identity: dict[str, Any] = {}
    if not need.confidential:  # a confidential need's owner stays unnamed to offer owners
        identity = {
            "organization_id": need.organization_id,
            "organization_name": need.organization.name,
        }
    sent = 0
    for result in results:
        offer = offers.get(result.id)
        if offer is None or offer.organization_id == need.organization_id:
            continue
        if _dismissed(
            session, organization_id=offer.organization_id, need_id=need.id, offer_id=offer.id
        ):
            continue
        notify(
            session,
            organization_id=offer.organization_id,
            kind=NEW_MATCH,
            payload={
                "score": round(result.score, 4),
                "offer": {"id": offer.id, "title": offer.title},
                "need": {"id": need.id, "title": need.title, **identity},
            },
        )
        sent += 1
    return sent


def list_page(
    session: Session, *, actor: Actor, unread: bool | None, limit: int, offset: int
) -> tuple[list[Notification], int]:
    """The caller's organisation's notifications, newest first."""
    query = select(Notification).where(Notification.organization_id == actor.organization_id)
    if unread is True:
        query = query.where(Notification.read_at.is_(None))
    elif unread is False:
        query = query.where(Notification.read_at.is_not(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Notification.created_at.desc(), Notification.id).limit(limit).offset(offset)
    ).all()
    return list(rows), int(total)


def mark_read(session: Session, *, actor: Actor, notification_id: str) -> Notification:
    """Mark one of the organisation's notifications read (idempotent)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.organization_id != actor.organization_id:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return notification
