"""Recording listing changes in the same transaction that makes them.

Each change takes the next ``index_state.version`` with an ``UPDATE … RETURNING``; the row lock
that UPDATE holds until commit orders the writers, so once a reader sees version V committed,
every change up to V is committed too. Workers replay the feed from their own version.
"""

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.matching.models import IndexState, ListingChange


def record_change(session: Session, *, listing_kind: str, listing_id: str) -> int:
    """Append ``listing_id`` to the feed; returns the new index version."""
    version = session.execute(
        update(IndexState)
        .where(IndexState.id == 1)
        .values(version=IndexState.version + 1)
        .returning(IndexState.version)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.add(ListingChange(version=version, listing_kind=listing_kind, listing_id=listing_id))
    session.flush()
    return int(version)


def record_changes(session: Session, *, listing_kind: str, listing_ids: list[str]) -> int:
    """Append many listings to the feed under one new version (a bulk write is one change)."""
    version = session.execute(
        update(IndexState)
        .where(IndexState.id == 1)
        .values(version=IndexState.version + 1)
        .returning(IndexState.version)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if listing_ids:
        session.execute(
            insert(ListingChange),
            [
                {"version": version, "listing_kind": listing_kind, "listing_id": listing_id}
                for listing_id in listing_ids
            ],
        )
    return int(version)


def record_organization_change(session: Session, *, organization_id: str) -> None:
    """Every listing of an organisation changed (it was suspended or reinstated)."""
    from app.needs.models import Need
    from app.offers.models import Offer

    for model in (Offer, Need):
        ids = session.scalars(select(model.id).where(model.organization_id == organization_id))
        for listing_id in ids.all():
            record_change(session, listing_kind=model.kind, listing_id=listing_id)


def current_version(session: Session) -> int:
    """The last committed index version."""
    return int(session.scalar(select(IndexState.version).where(IndexState.id == 1)) or 0)
