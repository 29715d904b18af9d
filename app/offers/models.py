"""The offer table."""

from sqlalchemy import JSON, BigInteger, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base
from app.listings.models import ListingColumns, page_indexes


class Offer(ListingColumns, Base):
    """A technology that an organisation can transfer."""

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("organization_id", "external_ref", name="uq_offers_external_ref"),
        *page_indexes("offers"),
    )
    kind = "offer"

    trl: Mapped[int | None] = mapped_column(Integer, index=True)
    ip_status: Mapped[str | None] = mapped_column(String(30))
    transfer_methods: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_min_vnd: Mapped[int | None] = mapped_column(BigInteger)
    price_max_vnd: Mapped[int | None] = mapped_column(BigInteger)
    price_type: Mapped[str | None] = mapped_column(String(20))
