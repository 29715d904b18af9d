"""``q`` on the list endpoints: rank visible rows with the matcher's text pipeline."""

from typing import TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.listings.lifecycle import PUBLISHED
from app.matching.live import LiveIndex
from app.matching.records import need_record, offer_record
from app.needs.models import Need
from app.offers.models import Offer

Listing = TypeVar("Listing", Offer, Need)


def ranked_page(
    session: Session,
    live: LiveIndex,
    model: type[Listing],
    query: Select[Listing],
    *,
    q: str,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Listing, float]], int]:
    """The rows of ``query`` that match ``q``, best first, with their text scores.

    Published rows are scored from the live index (their postings only); rows the index does
    not hold (the caller's drafts, the department's review queue) are scored on the fly with
    the same pipeline and the index's IDF.
    """
    candidates = session.execute(
        query.with_only_columns(model.id, model.status).order_by(None)
    ).all()
    published = {row_id for row_id, status in candidates if status == PUBLISHED}
    others = [row_id for row_id, status in candidates if status != PUBLISHED]
    live.sync(session)
    with live.lock:
        if model is Offer:
            indexed = dict(live.matcher.search_offers(q))
        else:
            indexed = dict(live.matcher.search_needs(q))
    scores = {row_id: score for row_id, score in indexed.items() if row_id in published}
    if others:
        rows = session.scalars(select(model).where(model.id.in_(others))).all()
        with live.lock:
            if model is Offer:
                extra = live.matcher.rank_offers(q, [offer_record(r) for r in rows])  # type: ignore[arg-type]
            else:
                extra = live.matcher.rank_needs(q, [need_record(r) for r in rows])  # type: ignore[arg-type]
        scores.update(extra)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    window = ranked[offset : offset + limit]
    by_id = {
        row.id: row
        for row in session.scalars(select(model).where(model.id.in_([i for i, _ in window])))
    }
    return [(by_id[row_id], score) for row_id, score in window if row_id in by_id], len(ranked)
