"""Ranked, explained candidates for one listing, from the live index."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections.feedback import dismissed_ids
from app.db import utcnow
from app.errors import Forbidden
from app.listings import service as listings
from app.listings.spec import ListingSpec
from app.matching.engine import MatchFilters, MatchResult
from app.matching.live import LiveIndex
from app.matching.records import need_record, offer_record
from app.matching.schemas import ExplanationOut, ListingSummary, MatchItem, MatchList
from app.needs.models import Need


def summary(spec: ListingSpec, session: Session, actor: Actor | None, row: Any) -> ListingSummary:
    """A listing's summary as the caller may see it (confidential owners blanked)."""
    out = spec.to_out(session, actor, row)
    return ListingSummary.model_validate(out.model_dump())


def matches(
    session: Session,
    live: LiveIndex,
    *,
    source: ListingSpec,
    target: ListingSpec,
    actor: Actor,
    listing_id: str,
    limit: int,
    filters: MatchFilters,
    exclude_ids: frozenset[str] = frozenset(),
) -> MatchList:
    """Candidates for a need (offers) or an offer (needs), best first."""
    row = listings.get_visible(session, source.model, actor=actor, listing_id=listing_id)
    if not actor.may_manage(row.organization_id):
        raise Forbidden(f"Only the {source.kind}'s owner and the department see its matches.")
    # Pairs the owner marked as not relevant leave its suggestions (and the department's view).
    exclude_ids = exclude_ids | dismissed_ids(
        session, organization_id=row.organization_id, kind=source.kind, listing_id=row.id
    )
    version = live.sync(session)
    with live.lock:
        threshold = live.matcher.threshold
        if isinstance(row, Need):
            results = live.matcher.match_need(
                need_record(row), k=limit, filters=filters, exclude_ids=exclude_ids
            )
        else:
            results = live.matcher.match_offer(
                offer_record(row), k=limit, filters=filters, exclude_ids=exclude_ids
            )
    items = _items(session, actor, target, results, threshold)
    return MatchList(
        items=items,
        total=len(items),
        limit=limit,
        index_version=version,
        threshold=threshold,
        computed_at=utcnow(),
    )


def _items(
    session: Session,
    actor: Actor,
    target: ListingSpec,
    results: list[MatchResult],
    threshold: float,
) -> list[MatchItem]:
    model: Any = target.model
    rows = {
        r.id: r for r in session.scalars(select(model).where(model.id.in_([m.id for m in results])))
    }
    kept = [result for result in results if result.id in rows]
    outs = target.to_out_many(session, actor, [rows[result.id] for result in kept])
    items = []
    for result, out in zip(kept, outs, strict=True):
        items.append(
            MatchItem(
                **{target.kind: ListingSummary.model_validate(out.model_dump())},
                score=round(result.score, 4),
                above_threshold=result.score >= threshold,
                components={
                    k: (None if v is None else round(v, 4)) for k, v in result.components.items()
                },
                explanation=ExplanationOut(
                    shared_terms=list(result.explanation.shared_terms),
                    notes=list(result.explanation.notes),
                ),
            )
        )
    return items
