"""Moving published listings past their validity date to ``expired``."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.db import session_scope, utcnow
from app.listings.lifecycle import EXPIRED, PUBLISHED
from app.matching.changes import record_change
from app.needs.models import Need
from app.offers.models import Offer


def expire_due(session: Session, *, today: date | None = None) -> int:
    """Expire published offers past ``valid_until`` and needs past ``valid_until`` or
    ``deadline``; returns how many changed. Their owners may edit and resubmit them."""
    today = today or date.today()
    changed = 0
    models: tuple[Any, ...] = (Offer, Need)
    for model in models:
        due = model.valid_until < today
        if model is Need:
            due = due | (Need.deadline < today)
        rows = session.scalars(
            select(model).where(model.status == PUBLISHED, model.deleted_at.is_(None), due)
        ).all()
        for row in rows:
            row.status = EXPIRED
            row.version += 1
            row.updated_at = utcnow()
            session.flush()
            record_change(session, listing_kind=row.kind, listing_id=row.id)
            changed += 1
    return changed


def expire_once(factory: sessionmaker[Session]) -> int:
    """One expiry pass in its own transaction (the periodic job and ``techmatch expire``)."""
    changed = 0
    for session in session_scope(factory):
        changed = expire_due(session)
    return changed
