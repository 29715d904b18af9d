"""The department's summary: supply and demand, unmet needs, idle offers, the connection funnel.

Unmet demand (published needs whose best offer scores below the matcher's threshold) is what
the department turns into commissioned S&T tasks; offers with no demand are the other side.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.connections import feedback
from app.connections.models import Connection
from app.db import utcnow
from app.listings.lifecycle import PUBLISHED, STATUSES
from app.matching.live import LiveIndex
from app.needs.models import Need
from app.offers.models import Offer
from app.reports.schemas import (
    CodeCount,
    ConnectionFunnel,
    Dismissals,
    FunnelStage,
    IdleSupply,
    ListingBrief,
    ListingCounts,
    ListingGroup,
    MonthPoint,
    SummaryReport,
    UnmetDemand,
)
from app.reports.service import (
    best_need_scores,
    frozen_index,
    match_needs,
    meta,
    published,
    published_needs,
)
from app.taxonomies.data import CONNECTION_STATUS, field_by_code, province_by_code

SUMMARY_TITLE = "Báo cáo tổng hợp cung – cầu công nghệ"
MONTHS = 12
# Every connection starts as proposed; a later stage implies the earlier ones were passed.
FUNNEL = ("proposed", "accepted", "negotiating", "contracted")


def field_name(code: str) -> str:
    field = field_by_code(code)
    return field.name if field else code


def province_name(code: str) -> str:
    province = province_by_code(code)
    return province.name if province else code


def _counts(session: Session, model: type[Offer] | type[Need]) -> ListingCounts:
    rows = session.execute(
        select(model.status, model.field_code, model.province_code, func.count())
        .where(model.deleted_at.is_(None))
        .group_by(model.status, model.field_code, model.province_code)
    ).all()
    by_status = dict.fromkeys(STATUSES, 0)
    tallies: dict[str, dict[str, list[int]]] = {"field": {}, "group": {}, "province": {}}
    total = 0
    for status, field_code, province_code, n in rows:
        total += n
        by_status[status] = by_status.get(status, 0) + n
        for key, code in (
            ("field", field_code),
            ("group", field_code[:1]),
            ("province", province_code),
        ):
            tally = tallies[key].setdefault(code, [0, 0])
            tally[0] += n if status == PUBLISHED else 0
            tally[1] += n

    def listed(key: str, name: Callable[[str], str]) -> list[CodeCount]:
        return [
            CodeCount(code=code, name=name(code), published=p, total=t)
            for code, (p, t) in sorted(tallies[key].items())
        ]

    return ListingCounts(
        total=total,
        by_status=by_status,
        by_field=listed("field", field_name),
        by_field_group=listed("group", field_name),
        by_province=listed("province", province_name),
    )


def _brief(row: Offer | Need, best: float | None) -> ListingBrief:
    return ListingBrief(
        id=row.id,
        title=row.title,
        field_code=row.field_code,
        province_code=row.province_code,
        best_score=None if best is None else round(best, 4),
    )


def _grouped(
    briefs: Iterable[ListingBrief], key: Callable[[ListingBrief], str], name: Callable[[str], str]
) -> list[ListingGroup]:
    groups: dict[str, list[ListingBrief]] = defaultdict(list)
    for brief in briefs:
        groups[key(brief)].append(brief)
    return [
        ListingGroup(code=code, name=name(code), count=len(items), items=items)
        for code, items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]


def _funnel(session: Session) -> ConnectionFunnel:
    rows = session.execute(
        select(
            Connection.status,
            Connection.accepted_at.is_not(None),
            Connection.negotiating_at.is_not(None),
            Connection.contracted_at.is_not(None),
            func.count(),
        ).group_by(
            Connection.status,
            Connection.accepted_at.is_not(None),
            Connection.negotiating_at.is_not(None),
            Connection.contracted_at.is_not(None),
        )
    ).all()
    reached = Counter[str]()
    by_status = dict.fromkeys(CONNECTION_STATUS, 0)
    for status, accepted, negotiating, contracted, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        reached["proposed"] += n
        if accepted or negotiating or contracted or status in FUNNEL[1:]:
            reached["accepted"] += n
        if negotiating or contracted or status in FUNNEL[2:]:
            reached["negotiating"] += n
        if contracted or status == "contracted":
            reached["contracted"] += n
    stages = []
    for i, stage in enumerate(FUNNEL):
        previous = reached[FUNNEL[i - 1]] if i else None
        stages.append(
            FunnelStage(
                stage=stage,
                name=CONNECTION_STATUS[stage],
                count=reached[stage],
                rate_from_previous=_rate(reached[stage], previous),
                rate_from_start=_rate(reached[stage], reached["proposed"]) if i else None,
            )
        )
    return ConnectionFunnel(
        stages=stages,
        declined=by_status["declined"],
        withdrawn=by_status["withdrawn"],
        closed=by_status["closed"],
        by_status=by_status,
    )


def _rate(count: int, base: int | None) -> float | None:
    return round(count / base, 4) if base else None


def _dismissals(session: Session) -> Dismissals:
    return Dismissals.model_validate(feedback.dismissal_counts(session))


def month_keys(now: datetime, months: int = MONTHS) -> list[str]:
    """The last ``months`` calendar months up to and including ``now``'s, oldest first."""
    year, month = now.year, now.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def _monthly(session: Session, now: datetime) -> list[MonthPoint]:
    keys = month_keys(now)
    start = datetime(int(keys[0][:4]), int(keys[0][5:]), 1, tzinfo=now.tzinfo)
    series: dict[str, Counter[str]] = {key: Counter() for key in keys}
    sources: list[tuple[str, Any]] = [
        (
            "offers",
            select(Offer.created_at).where(Offer.deleted_at.is_(None), Offer.created_at >= start),
        ),
        (
            "needs",
            select(Need.created_at).where(Need.deleted_at.is_(None), Need.created_at >= start),
        ),
        ("connections", select(Connection.created_at).where(Connection.created_at >= start)),
    ]
    for name, query in sources:
        for created_at in session.scalars(query):
            key = f"{created_at.year:04d}-{created_at.month:02d}"
            if key in series:
                series[key][name] += 1
    return [
        MonthPoint(month=key, offers=c["offers"], needs=c["needs"], connections=c["connections"])
        for key, c in series.items()
    ]


def summary(session: Session, live: LiveIndex) -> SummaryReport:
    """Counts, unmet demand, offers without demand, the connection funnel and monthly series."""
    needs = published_needs(session)
    snapshot, matcher = frozen_index(session, live)
    results = match_needs(matcher, needs, k=1)
    unmet = []
    for need in needs:
        found = results[need.id]
        best = found[0].score if found else None
        if best is None or best < snapshot.threshold:
            unmet.append(_brief(need, best))
    offers = list(
        session.scalars(published(Offer).order_by(Offer.field_code, Offer.title, Offer.id))
    )
    best_for_offer = best_need_scores(matcher, offers)
    idle = [
        _brief(offer, best_for_offer[offer.id])
        for offer in offers
        if best_for_offer[offer.id] < snapshot.threshold
    ]
    now = utcnow()
    return SummaryReport(
        meta=meta(snapshot, title=SUMMARY_TITLE, filters={}),
        offers=_counts(session, Offer),
        needs=_counts(session, Need),
        unmet_demand=UnmetDemand(
            total=len(unmet),
            by_field=_grouped(unmet, lambda b: b.field_code, field_name),
            by_province=_grouped(unmet, lambda b: b.province_code, province_name),
        ),
        offers_without_demand=IdleSupply(total=len(idle), items=idle),
        connection_funnel=_funnel(session),
        dismissals=_dismissals(session),
        monthly=_monthly(session, now),
    )
