"""Reading the audit log (department only, enforced by the route's policy)."""

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.audit.schemas import AuditActor, AuditDigest, AuditEntryOut, AuditObject
from app.auth.models import User


def _filtered(
    *,
    action: str | None,
    object_type: str | None,
    object_id: str | None,
    actor_user_id: str | None,
    organization_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[AuditEntry]:
    query = select(AuditEntry)
    if action:
        # "offer" matches every offer action, "offer.published" only that one.
        query = query.where(
            (AuditEntry.action == action) | AuditEntry.action.startswith(f"{action}.")
        )
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id:
        query = query.where(AuditEntry.object_id == object_id)
    if actor_user_id:
        query = query.where(AuditEntry.actor_user_id == actor_user_id)
    if organization_id:
        query = query.where(AuditEntry.actor_organization_id == organization_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at < until)
    return query


def list_page(
    session: Session,
    *,
    limit: int,
    offset: int,
    action: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_user_id: str | None = None,
    organization_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[AuditEntryOut], int]:
    """One page of entries, newest first, and the total that match the filters."""
    query = _filtered(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_user_id=actor_user_id,
        organization_id=organization_id,
        since=since,
        until=until,
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit).offset(offset)
        )
    )
    user_ids = {row.actor_user_id for row in rows if row.actor_user_id}
    emails = {
        user_id: email
        for user_id, email in session.execute(
            select(User.id, User.email).where(User.id.in_(user_ids))
        )
    }
    return [to_out(row, emails.get(row.actor_user_id or "")) for row in rows], total


def to_out(row: AuditEntry, email: str | None) -> AuditEntryOut:
    """The API shape of one entry."""
    return AuditEntryOut(
        id=row.id,
        at=row.at,
        actor=AuditActor(
            label=row.actor_label,
            user_id=row.actor_user_id,
            email=email,
            api_key_id=row.actor_api_key_id,
            organization_id=row.actor_organization_id,
            role=row.actor_role,
        ),
        action=row.action,
        object=AuditObject(type=row.object_type, id=row.object_id),
        changed=list(row.changed or []),
        digest=AuditDigest(before=row.before_digest, after=row.after_digest),
        detail=row.detail,
    )
