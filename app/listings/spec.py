"""What the shared listing router needs to know about one kind of listing."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.listings.schemas import ListingIn, ListingOut, ListingPatch


@dataclass(frozen=True)
class ListingSpec:
    """One kind of listing: its table, bodies and the rules that only it has."""

    model: Any
    create_schema: type[ListingIn]
    patch_schema: type[ListingPatch]
    out_schema: type[ListingOut]
    check: Callable[[Any], None]
    identity_visible: Callable[[Session, Actor | None, Any], bool]

    @property
    def kind(self) -> str:
        return str(self.model.kind)

    def to_out(self, session: Session, actor: Actor | None, row: Any) -> ListingOut:
        """The response body; a confidential need's owner is blanked for outsiders."""
        out = self.out_schema.model_validate(row, from_attributes=True)
        if self.identity_visible(session, actor, row):
            return out.model_copy(update={"organization_name": row.organization.name})
        return out.model_copy(update={"organization_id": None, "organization_name": None})
