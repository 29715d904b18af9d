"""The need table."""

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.listings.models import ListingColumns, page_indexes


class Need(ListingColumns, Base):
    """A technology that an organisation is looking for."""

    __tablename__ = "needs"
    __table_args__ = (
        UniqueConstraint("organization_id", "external_ref", name="uq_needs_external_ref"),
        *page_indexes("needs"),
    )
    kind = "need"

    desired_trl_min: Mapped[int | None] = mapped_column(Integer)
    budget_max_vnd: Mapped[int | None] = mapped_column(BigInteger)
    deadline: Mapped[date | None] = mapped_column(Date)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
