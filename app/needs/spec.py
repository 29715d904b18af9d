"""The need kind of listing."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.listings.spec import ListingSpec
from app.needs.models import Need
from app.needs.privacy import visible_identities
from app.needs.schemas import NeedIn, NeedOut, NeedPatch


def check_need(_need: Need) -> None:
    """Needs have no cross-field rule beyond their field validators."""


def _identities(session: Session, actor: Actor | None, rows: Sequence[Any]) -> set[str]:
    return visible_identities(session, actor=actor, needs=rows)


NEEDS = ListingSpec(
    model=Need,
    create_schema=NeedIn,
    patch_schema=NeedPatch,
    out_schema=NeedOut,
    check=check_need,
    visible_identities=_identities,
)
