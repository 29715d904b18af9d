"""The organisation table."""

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.ids import new_id


class Organization(Base):
    """An institute, university, enterprise, cooperative, intermediary or the department."""

    __tablename__ = "organizations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    tax_code: Mapped[str | None] = mapped_column(String(14), unique=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str | None] = mapped_column(String(300))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(120))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    webhook_secret: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Conditional writes ("WHERE version = <read>"); see app.concurrency.
    __mapper_args__: Any = {"version_id_col": version, "version_id_generator": False}
    status_reason: Mapped[str | None] = mapped_column(String(1000))
