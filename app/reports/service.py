"""The match report: every published need with its best candidate offers.

The index is synced once per report and snapshotted under its lock (O(1), copy on write);
every need is then matched against that snapshot, so a report is one consistent view at one
index version however many needs it covers, and other requests are not kept waiting.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.listings.service import Listing, publicly_visible
from app.matching.engine import Matcher, MatchFilters, MatchResult
from app.matching.live import LiveIndex
from app.matching.records import need_record, offer_record
from app.matching.schemas import Components, ExplanationOut, ListingSummary
from app.needs.models import Need
from app.offers.models import Offer
from app.reports.schemas import Candidate, MatchReport, NeedMatches, ReportMeta

MATCH_REPORT_TITLE = "Báo cáo kết nối cung – cầu công nghệ"
_CHUNK = 500


@dataclass(frozen=True)
class Snapshot:
    """The index state a report was computed at."""

    version: int
    threshold: float
    settings: dict[str, Any]
    n_offers: int
    n_needs: int


def published(model: type[Listing]) -> Select[Listing]:
    """Published, not deleted rows of organisations that are not suspended (as indexed)."""
    return select(model).where(model.deleted_at.is_(None), publicly_visible(model))


def published_needs(
    session: Session, *, field_code: str | None = None, province_code: str | None = None
) -> list[Need]:
    """Published needs, narrowed by field (prefix) and province, in a stable order."""
    query = published(Need)
    if field_code:
        query = query.where(Need.field_code.startswith(field_code, autoescape=True))
    if province_code:
        query = query.where(Need.province_code == province_code)
    query = query.order_by(Need.field_code, Need.province_code, Need.title, Need.id)
    return list(session.scalars(query).unique())


def listing_summary(row: Offer | Need) -> ListingSummary:
    """The listing as the department sees it (no identity is blanked)."""
    values = {name: getattr(row, name, None) for name in ListingSummary.model_fields}
    values["organization_name"] = row.organization.name
    return ListingSummary.model_validate(values)


def meta(snapshot: Snapshot, *, title: str, filters: dict[str, Any]) -> ReportMeta:
    """The traceability block of a report."""
    return ReportMeta(
        title=title,
        computed_at=utcnow(),
        index_version=snapshot.version,
        indexed_offers=snapshot.n_offers,
        indexed_needs=snapshot.n_needs,
        threshold=snapshot.threshold,
        matcher_settings=snapshot.settings,
        filters=filters,
    )


def frozen_index(session: Session, live: LiveIndex) -> tuple[Snapshot, Matcher]:
    """One sync of the index and a read-only snapshot of it (O(1), copy on write).

    A report over thousands of needs takes seconds; working on a snapshot keeps it one
    consistent view without holding the lock (and every other match request of this worker)
    that long.
    """
    version = live.sync(session)
    with live.lock:
        matcher = live.matcher.snapshot()
    snapshot = Snapshot(
        version=version,
        threshold=matcher.threshold,
        settings=matcher.settings_summary(),
        n_offers=matcher.n_offers,
        n_needs=matcher.n_needs,
    )
    return snapshot, matcher


def match_needs(
    matcher: Matcher, needs: Sequence[Need], *, k: int, filters: MatchFilters | None = None
) -> dict[str, list[MatchResult]]:
    """Top-``k`` indexed offers for each need (batch ranking on both cores)."""
    ranked = matcher.match_needs([need_record(n) for n in needs], k=k, filters=filters)
    return {need.id: results for need, results in zip(needs, ranked, strict=True)}


def best_need_scores(matcher: Matcher, offers: Sequence[Offer]) -> dict[str, float]:
    """Each offer's best score over the indexed needs (0 when nothing matches at all)."""
    ranked = matcher.match_offers([offer_record(o) for o in offers], k=1, explain=False)
    return {o.id: found[0].score if found else 0.0 for o, found in zip(offers, ranked, strict=True)}


def rows_by_id(session: Session, model: type[Offer], ids: Iterable[str]) -> dict[str, Offer]:
    """Rows for ``ids``, loaded in chunks small enough for any database's parameter limit."""
    unique = sorted(set(ids))
    found: dict[str, Offer] = {}
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        found.update(
            (row.id, row) for row in session.scalars(select(model).where(model.id.in_(chunk)))
        )
    return found


def match_report(
    session: Session,
    live: LiveIndex,
    *,
    top_k: int = 5,
    min_score: float | None = None,
    field_code: str | None = None,
    province_code: str | None = None,
    page: tuple[int, int] | None = None,
) -> MatchReport:
    """Every published need (filtered by its field and province) with its top-k offers.

    ``min_score`` drops candidates below it; a need left without candidates stays in the
    report with an empty list, since it is exactly what the department needs to see. With
    ``page = (offset, limit)`` only those needs are matched; ``total_needs`` counts them all.
    """
    needs = published_needs(session, field_code=field_code, province_code=province_code)
    total = len(needs)
    if page is not None:
        needs = needs[page[0] : page[0] + page[1]]
    snapshot, matcher = frozen_index(session, live)
    results = match_needs(matcher, needs, k=top_k, filters=MatchFilters(min_score=min_score))
    offers = rows_by_id(session, Offer, (r.id for found in results.values() for r in found))
    summaries: dict[str, ListingSummary] = {}
    items = []
    for need in needs:
        candidates: list[Candidate] = []
        for result in results[need.id]:
            offer = offers.get(result.id)
            if offer is None:  # deleted after the index snapshot
                continue
            if offer.id not in summaries:
                summaries[offer.id] = listing_summary(offer)
            candidates.append(
                _candidate(len(candidates) + 1, summaries[offer.id], result, snapshot.threshold)
            )
        items.append(
            NeedMatches(
                need=listing_summary(need),
                confidential=need.confidential,
                best_score=candidates[0].score if candidates else None,
                candidates=candidates,
            )
        )
    filters = {
        "top_k": top_k,
        "min_score": min_score,
        "field_code": field_code,
        "province_code": province_code,
    }
    return MatchReport(
        meta=meta(snapshot, title=MATCH_REPORT_TITLE, filters=filters),
        total_needs=total,
        items=items,
    )


def _candidate(
    rank: int, offer: ListingSummary, result: MatchResult, threshold: float
) -> Candidate:
    return Candidate(
        rank=rank,
        offer=offer,
        score=round(result.score, 4),
        above_threshold=result.score >= threshold,
        components=Components(
            **{
                key: None if value is None else round(value, 4)
                for key, value in result.components.items()
            }
        ),
        explanation=ExplanationOut(
            shared_terms=list(result.explanation.shared_terms), notes=list(result.explanation.notes)
        ),
    )
