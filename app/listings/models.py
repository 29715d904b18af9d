"""Columns common to offers and needs."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.db import UTCDateTime, utcnow
from app.ids import new_id
from app.organizations.models import Organization


class ListingColumns:
    """Mixin: the common fields, lifecycle state and bookkeeping of a listing."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    # The organisation's own reference (from its spreadsheet); unique per organisation, so a
    # re-imported row updates its listing instead of adding another.
    external_ref: Mapped[str | None] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    field_code: Mapped[str] = mapped_column(String(3), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    transfer_forms: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    rejection_reason: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # Every UPDATE carries "WHERE version = <the version read>", so of two writers that read
        # the same version only one succeeds; the other's flush raises StaleDataError (see
        # app.concurrency). The services still choose when the version goes up.
        return {"version_id_col": cls.version, "version_id_generator": False}

    @declared_attr
    def organization_id(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def created_by(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @declared_attr
    def organization(cls) -> Mapped[Organization]:
        return relationship(Organization, lazy="joined")


def page_indexes(table: str) -> tuple[Index, ...]:
    """What list pages read: newest first, narrowed by status or owner, by field prefix.

    Migration 0007 creates them; ``text_pattern_ops`` lets PostgreSQL use the field index for
    ``LIKE '20%'`` whatever the database's collation.
    """
    return (
        Index(f"ix_{table}_created_at_id", "created_at", "id"),
        Index(f"ix_{table}_status_created_at_id", "status", "created_at", "id"),
        Index(f"ix_{table}_organization_id_created_at", "organization_id", "created_at"),
        Index(
            f"ix_{table}_field_code_prefix",
            "field_code",
            postgresql_ops={"field_code": "text_pattern_ops"},
        ),
    )
