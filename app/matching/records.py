"""Turning database rows into the engine's plain records."""

from app.matching.engine import NeedRecord, OfferRecord
from app.needs.models import Need
from app.offers.models import Offer


def offer_record(offer: Offer) -> OfferRecord:
    return OfferRecord(
        id=offer.id,
        title=offer.title,
        summary=offer.summary,
        description=offer.description,
        keywords=tuple(offer.keywords or ()),
        field_code=offer.field_code,
        province_code=offer.province_code,
        trl=offer.trl,
        price_min_vnd=offer.price_min_vnd,
        price_max_vnd=offer.price_max_vnd,
        transfer_forms=tuple(offer.transfer_forms or ()),
    )


def need_record(need: Need) -> NeedRecord:
    return NeedRecord(
        id=need.id,
        title=need.title,
        summary=need.summary,
        description=need.description,
        keywords=tuple(need.keywords or ()),
        field_code=need.field_code,
        province_code=need.province_code,
        desired_trl_min=need.desired_trl_min,
        budget_max_vnd=need.budget_max_vnd,
        transfer_forms=tuple(need.transfer_forms or ()),
    )
