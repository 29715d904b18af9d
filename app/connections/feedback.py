"""Match feedback: an owner marks a suggested pair as not relevant, and may undo it."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections.models import MatchDismissal
from app.errors import Conflict, Forbidden, NotFound
from app.listings import service as listings
from app.needs.models import Need
from app.offers.models import Offer


def _pair(
    session: Session, *, actor: Actor, side: str, need_id: str, offer_id: str
) -> tuple[Need, Offer]:
    need = listings.get_visible(session, Need, actor=actor, listing_id=need_id)
    offer = listings.get_visible(session, Offer, actor=actor, listing_id=offer_id)
    owner = need.organization_id if side == "need" else offer.organization_id
    if not actor.acts_for(owner):
        raise Forbidden(f"Only the {side}'s owner gives feedback on its matches.")
    return need, offer


def dismiss(
    session: Session, *, actor: Actor, side: str, need_id: str, offer_id: str, reason: str
) -> MatchDismissal:
    """Record that the owner of ``side`` finds the pair not relevant (a repeat is a 409)."""
    need, offer = _pair(session, actor=actor, side=side, need_id=need_id, offer_id=offer_id)
    if _find(session, organization_id=actor.organization_id, need_id=need.id, offer_id=offer.id):
        raise Conflict("This match is already dismissed.")
    dismissal = MatchDismissal(
        organization_id=actor.organization_id,
        need_id=need.id,
        offer_id=offer.id,
        side=side,
        reason=reason,
        created_by=actor.user_id,
    )
    session.add(dismissal)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("This match is already dismissed.") from exc
    return dismissal


def undo(session: Session, *, actor: Actor, side: str, need_id: str, offer_id: str) -> None:
    """Bring a dismissed pair back into the owner's suggestions."""
    _pair(session, actor=actor, side=side, need_id=need_id, offer_id=offer_id)
    dismissal = _find(
        session, organization_id=actor.organization_id, need_id=need_id, offer_id=offer_id
    )
    if dismissal is None:
        raise NotFound("This match is not dismissed.")
    session.delete(dismissal)
    session.flush()


def _find(
    session: Session, *, organization_id: str, need_id: str, offer_id: str
) -> MatchDismissal | None:
    return session.scalar(
        select(MatchDismissal).where(
            MatchDismissal.organization_id == organization_id,
            MatchDismissal.need_id == need_id,
            MatchDismissal.offer_id == offer_id,
        )
    )


def dismissed_ids(
    session: Session, *, organization_id: str, kind: str, listing_id: str
) -> frozenset[str]:
    """The candidates an organisation dismissed for one of its needs (offer ids) or offers."""
    if kind == "need":
        query = select(MatchDismissal.offer_id).where(MatchDismissal.need_id == listing_id)
    else:
        query = select(MatchDismissal.need_id).where(MatchDismissal.offer_id == listing_id)
    query = query.where(MatchDismissal.organization_id == organization_id)
    return frozenset(session.scalars(query).all())


def list_page(
    session: Session,
    *,
    organization_id: str | None,
    side: str | None,
    need_id: str | None,
    offer_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[MatchDismissal], int]:
    """Every dismissal (department), newest first."""
    query = select(MatchDismissal)
    if organization_id:
        query = query.where(MatchDismissal.organization_id == organization_id)
    if side:
        query = query.where(MatchDismissal.side == side)
    if need_id:
        query = query.where(MatchDismissal.need_id == need_id)
    if offer_id:
        query = query.where(MatchDismissal.offer_id == offer_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(MatchDismissal.created_at.desc(), MatchDismissal.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), int(total)


def dismissal_counts(session: Session) -> dict[str, Any]:
    """For the reports: ``{"total": N, "by_side": {"need": n, "offer": m}}``."""
    rows = session.execute(
        select(MatchDismissal.side, func.count()).group_by(MatchDismissal.side)
    ).all()
    by_side = {"need": 0, "offer": 0}
    for side, n in rows:
        by_side[str(side)] = int(n)
    return {"total": sum(by_side.values()), "by_side": by_side}
