"""/needs."""

from app.listings.router import build_router
from app.needs.spec import NEEDS

router = build_router(NEEDS, prefix="/needs", tag="needs")
