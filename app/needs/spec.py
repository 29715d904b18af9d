"""The need kind of listing."""

from typing import Any

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.listings.spec import ListingSpec
from app.needs.models import Need
from app.needs.privacy import identity_visible
from app.needs.schemas import NeedIn, NeedOut, NeedPatch


def check_need(_need: Need) -> None:
    """Needs have no cross-field rule beyond their field validators."""


def _identity(session: Session, actor: Actor | None, row: Any) -> bool:
    return identity_visible(session, actor=actor, need=row)


NEEDS = ListingSpec(
    model=Need,
    create_schema=NeedIn,
    patch_schema=NeedPatch,
    out_schema=NeedOut,
    check=check_need,
    identity_visible=_identity,
)
