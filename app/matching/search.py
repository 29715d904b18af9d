"""``q`` on the list endpoints: rank visible rows with the matcher's text pipeline.

Published listings are ranked and filtered inside the worker's live index (the records it
already holds carry field, province and TRL), so a public search costs two small queries (the
index version and the page's rows) whatever the number of listings. Rows the index does not
hold (the caller's drafts, the department's review queue) are read and scored on the fly.
"""

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, and_, not_, select
from sqlalchemy.orm import Session

from app.listings.lifecycle import PUBLISHED
from app.matching.engine import NeedRecord, OfferRecord
from app.matching.live import LiveIndex, indexable
from app.matching.records import need_record, offer_record
from app.needs.models import Need
from app.offers.models import Offer

Listing = TypeVar("Listing", Offer, Need)


@dataclass(frozen=True)
class SearchFilters:
    """The list filters that the index can answer from its own records."""

    field_code: str | None = None
    province_code: str | None = None
    trl_min: int | None = None
    status: str | None = None
    organization_id: str | None = None

    def keeps(self, record: OfferRecord | NeedRecord) -> bool:
        if self.field_code and not (record.field_code or "").startswith(self.field_code):
            return False
        if self.province_code and record.province_code != self.province_code:
            return False
        if self.trl_min is not None:
            trl = getattr(record, "trl", None)
            return trl is not None and trl >= self.trl_min
        return True


def _indexed_hits(
    session: Session,
    live: LiveIndex,
    model: type[Listing],
    query: Select[Listing],
    q: str,
    filters: SearchFilters,
) -> dict[str, float]:
    if filters.status not in (None, PUBLISHED):
        return {}
    with live.lock:
        matcher = live.matcher
        collection: Any = matcher.offers_ if model is Offer else matcher.needs_
        hits = matcher.search_offers(q) if model is Offer else matcher.search_needs(q)
        scores = {i: s for i, s in hits if filters.keeps(collection.record(i))}
    if filters.organization_id and scores:
        # Owners are not in the index's records: one organisation's published ids, bounded by
        # its own size (the query also keeps a confidential need's owner unrevealed).
        owned = set(
            session.scalars(
                query.with_only_columns(model.id).where(model.status == PUBLISHED).order_by(None)
            )
        )
        scores = {i: s for i, s in scores.items() if i in owned}
    return scores


def ranked_page(
    session: Session,
    live: LiveIndex,
    model: type[Listing],
    query: Select[Listing],
    *,
    q: str,
    filters: SearchFilters,
    unindexed: bool,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Listing, float]], int]:
    """The rows of ``query`` that match ``q``, best first, with their text scores.

    ``query`` holds every filter and the caller's visibility; ``unindexed`` says whether the
    caller may see rows outside the index (an organisation's own drafts, the department).
    """
    live.sync(session)  # also the statistics that score the unindexed rows
    scores = _indexed_hits(session, live, model, query, q, filters)
    if unindexed:
        rows = session.scalars(query.where(not_(and_(*indexable(model))))).all()
        if rows:
            with live.lock:
                if model is Offer:
                    extra = live.matcher.rank_offers(q, [offer_record(r) for r in rows])  # type: ignore[arg-type]
                else:
                    extra = live.matcher.rank_needs(q, [need_record(r) for r in rows])  # type: ignore[arg-type]
            scores.update(extra)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    window = ranked[offset : offset + limit]
    if not window:
        return [], len(ranked)
    by_id = {
        row.id: row
        for row in session.scalars(select(model).where(model.id.in_([i for i, _ in window])))
    }
    return [(by_id[row_id], score) for row_id, score in window if row_id in by_id], len(ranked)
