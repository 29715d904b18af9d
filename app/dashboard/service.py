"""What the dashboard pages show and do, through the same services as the API."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth import service as auth
from app.auth.actor import DEPARTMENT, Actor
from app.auth.models import User
from app.errors import Forbidden
from app.listings import service as listings
from app.listings.lifecycle import PENDING_REVIEW
from app.needs.models import Need
from app.needs.spec import NEEDS
from app.offers.models import Offer
from app.offers.spec import OFFERS
from app.organizations import service as organizations
from app.organizations.models import Organization

SPECS = {"offers": OFFERS, "needs": NEEDS}
_CSRF_CONTEXT = b"techmatch-dashboard-csrf-v1"


def csrf_token(session_token: str) -> str:
    """The CSRF token of a dashboard session: an HMAC keyed by the session's secret.

    Only a page served to the session's holder can contain it; nothing needs to be stored.
    """
    return hmac.new(session_token.encode(), _CSRF_CONTEXT, hashlib.sha256).hexdigest()


def csrf_valid(session_token: str | None, presented: str | None) -> bool:
    if not session_token or not presented:
        return False
    return hmac.compare_digest(csrf_token(session_token), presented)


def sign_in(session: Session, *, email: str, password: str, ttl: timedelta) -> str:
    """A dashboard session token for department staff; other accounts get ``Forbidden``."""
    user = auth.authenticate(session, email=email, password=password)
    if user.role != DEPARTMENT:
        raise Forbidden("Trang quản trị chỉ dành cho cán bộ Sở Khoa học và Công nghệ.")
    return auth.issue_token(session, user=user, ttl=ttl, kind="session")


def sign_out(session: Session, *, actor: Actor) -> None:
    """Revoke the session token the caller presented."""
    auth.revoke_token(session, actor=actor)


def staff_name(session: Session, actor: Actor) -> str:
    user = session.get(User, actor.user_id) if actor.user_id else None
    return user.full_name if user else ""


@dataclass(frozen=True)
class QueueItem:
    kind: str
    row: Any


def review_queue(session: Session) -> list[QueueItem]:
    """Offers and needs waiting for review, oldest first."""
    items: list[QueueItem] = []
    for kind, model in (("offers", Offer), ("needs", Need)):
        rows = session.scalars(
            select(model)
            .where(model.status == PENDING_REVIEW, model.deleted_at.is_(None))
            .order_by(model.updated_at, model.id)
        )
        items.extend(QueueItem(kind, row) for row in rows)
    return sorted(items, key=lambda item: item.row.updated_at)


def publish(session: Session, *, kind: str, listing_id: str) -> Any:
    spec = SPECS[kind]
    return listings.publish(session, spec.model, listing_id=listing_id)


def reject(session: Session, *, kind: str, listing_id: str, reason: str) -> Any:
    spec = SPECS[kind]
    return listings.reject(session, spec.model, listing_id=listing_id, reason=reason)


def pending_organizations(session: Session) -> list[Organization]:
    """Organisations awaiting verification, oldest first."""
    return list(
        session.scalars(
            select(Organization)
            .where(Organization.status == "pending")
            .order_by(Organization.created_at, Organization.id)
        )
    )


def verify(session: Session, *, organization_id: str) -> Organization:
    return organizations.verify(session, organization_id=organization_id)


def reject_organization(session: Session, *, organization_id: str, reason: str) -> Organization:
    return organizations.reject(session, organization_id=organization_id, reason=reason)


def suspend_organization(session: Session, *, organization_id: str) -> Organization:
    return organizations.suspend(session, organization_id=organization_id)


def listing_title(session: Session, *, kind: str, listing_id: str) -> str | None:
    """The title of a listing, to name it in a confirmation message."""
    spec = SPECS.get(kind)
    row = session.get(spec.model, listing_id) if spec else None
    return str(row.title) if row is not None else None


def organization_name(session: Session, *, organization_id: str) -> str | None:
    row = session.get(Organization, organization_id)
    return row.name if row is not None else None
