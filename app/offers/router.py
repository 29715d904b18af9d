"""/offers."""

from app.listings.router import build_router
from app.offers.spec import OFFERS

router = build_router(OFFERS, prefix="/offers", tag="offers")
