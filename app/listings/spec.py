"""What the shared listing router needs to know about one kind of listing."""

from collections.abc import Callable, Sequence
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
    visible_identities: Callable[[Session, Actor | None, Sequence[Any]], set[str]]

    @property
    def kind(self) -> str:
        return str(self.model.kind)

    def to_out(self, session: Session, actor: Actor | None, row: Any) -> ListingOut:
        """The response body; a confidential need's owner is blanked for outsiders."""
        return self.to_out_many(session, actor, [row])[0]

    def to_out_many(
        self, session: Session, actor: Actor | None, rows: Sequence[Any]
    ) -> list[ListingOut]:
        """``to_out`` for a page of rows, with a constant number of queries."""
        visible = self.visible_identities(session, actor, rows)
        out = []
        for row in rows:
            body = self.out_schema.model_validate(row, from_attributes=True)
            if row.id in visible:
                update = {"organization_name": row.organization.name}
            else:
                update = {"organization_id": None, "organization_name": None}
            out.append(body.model_copy(update=update))
        return out
