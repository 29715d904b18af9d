"""Reading the reveal log (department)."""

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.connections.models import ContactReveal


def list_reveals(
    session: Session,
    *,
    organization_id: str | None,
    connection_id: str | None,
    limit: int,
    offset: int,
) -> tuple[list[ContactReveal], int]:
    """Reveals newest first; ``organization_id`` matches the viewer or the subject."""
    query = select(ContactReveal)
    if organization_id:
        query = query.where(
            or_(
                ContactReveal.subject_organization_id == organization_id,
                ContactReveal.viewer_organization_id == organization_id,
            )
        )
    if connection_id:
        query = query.where(ContactReveal.connection_id == connection_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(ContactReveal.created_at.desc(), ContactReveal.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), int(total)
