"""The audit table; rows are only ever inserted (an UPDATE is refused by a database trigger)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.ids import new_id


class AuditEntry(Base):
    """One decision or mutation: the actor, the action, the object and two state digests."""

    __tablename__ = "audit_entries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_user_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor_api_key_id: Mapped[str | None] = mapped_column(String(36))
    actor_organization_id: Mapped[str | None] = mapped_column(String(36), index=True)
    actor_role: Mapped[str | None] = mapped_column(String(20))
    actor_label: Mapped[str] = mapped_column(String(100), default="system")
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[str | None] = mapped_column(String(36), index=True)
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    before_digest: Mapped[str | None] = mapped_column(String(64))
    after_digest: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
