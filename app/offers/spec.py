"""The offer kind of listing."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.errors import InvalidInput
from app.listings.spec import ListingSpec
from app.offers.models import Offer
from app.offers.schemas import OfferIn, OfferOut, OfferPatch


def check_offer(offer: Offer) -> None:
    """Cross-field rules that hold after every create and update."""
    low, high = offer.price_min_vnd, offer.price_max_vnd
    if low is not None and high is not None and low > high:
        raise InvalidInput.of("price_order", loc=["body", "price_min_vnd"])


def _always(_session: Session, _actor: Actor | None, rows: Sequence[Any]) -> set[str]:
    return {row.id for row in rows}


OFFERS = ListingSpec(
    model=Offer,
    create_schema=OfferIn,
    patch_schema=OfferPatch,
    out_schema=OfferOut,
    check=check_offer,
    visible_identities=_always,
)
