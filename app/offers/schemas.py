"""Offer bodies."""

from typing import Literal

from app.listings.schemas import ListingIn, ListingOut, ListingPatch, TransferMethods, Trl, Vnd

IpStatus = Literal[
    "patent",
    "patent_pending",
    "utility_solution",
    "industrial_design",
    "plant_variety",
    "trade_secret",
    "copyright",
    "none",
]
PriceType = Literal["negotiable", "indicative", "fixed"]


class OfferIn(ListingIn):
    trl: Trl | None = None
    ip_status: IpStatus | None = None
    transfer_methods: TransferMethods = []
    price_min_vnd: Vnd | None = None
    price_max_vnd: Vnd | None = None
    price_type: PriceType | None = None


class OfferPatch(ListingPatch):
    trl: Trl | None = None
    ip_status: IpStatus | None = None
    transfer_methods: TransferMethods | None = None
    price_min_vnd: Vnd | None = None
    price_max_vnd: Vnd | None = None
    price_type: PriceType | None = None


class OfferOut(ListingOut):
    trl: int | None
    ip_status: str | None
    transfer_methods: list[str]
    price_min_vnd: int | None
    price_max_vnd: int | None
    price_type: str | None
