"""Connections, their history, contact reveals and dismissed match suggestions."""

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.ids import new_id


class Connection(Base):
    """An expression of interest on a (need, offer) pair, moving towards a contract."""

    __tablename__ = "connections"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    need_organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    offer_organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    opened_by_organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    opened_by_user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    # Set while the connection is open (not declined/withdrawn/closed), NULL otherwise; the
    # unique constraint on (need_id, offer_id, open_key) allows one open connection per pair.
    open_key: Mapped[int | None] = mapped_column(Integer, default=1)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    negotiating_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("need_id", "offer_id", "open_key"),)
    # Conditional writes ("WHERE version = <read>"); see app.concurrency.
    __mapper_args__: Any = {"version_id_col": version, "version_id_generator": False}


class ConnectionEvent(Base):
    """One state change of a connection: who moved it, from where to where, when."""

    __tablename__ = "connection_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    connection_id: Mapped[str] = mapped_column(
        ForeignKey("connections.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    actor_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ContactReveal(Base):
    """A record that a viewer was shown an organisation's identity or contact details."""

    __tablename__ = "contact_reveals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    viewer_organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    viewer_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    connection_id: Mapped[str | None] = mapped_column(
        ForeignKey("connections.id", ondelete="SET NULL")
    )
    what: Mapped[str] = mapped_column(String(50))  # "contacts" or "identity"
    via: Mapped[str] = mapped_column(String(200))  # the endpoint that showed it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class MatchDismissal(Base):
    """An owner marked a suggested (need, offer) pair as not relevant."""

    __tablename__ = "match_dismissals"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    need_id: Mapped[str] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[str] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(10))  # "need" (need owner) or "offer"
    reason: Mapped[str] = mapped_column(String(1000))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("organization_id", "need_id", "offer_id"),)
