"""Report bodies: the match report and the department's summary."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from app.matching.schemas import Components, ExplanationOut, ListingSummary


class ReportMeta(BaseModel):
    """What a printed report needs to be traced back: when, over what, with which matcher."""

    title: str
    computed_at: datetime
    index_version: int
    indexed_offers: int
    indexed_needs: int
    threshold: float
    matcher_settings: dict[str, Any]
    filters: dict[str, Any]


class Candidate(BaseModel):
    """One offer ranked for a need."""

    rank: int
    offer: ListingSummary
    score: float
    above_threshold: bool
    components: Components
    explanation: ExplanationOut


class NeedMatches(BaseModel):
    """A published need with its best candidate offers."""

    need: ListingSummary
    confidential: bool
    best_score: float | None
    candidates: list[Candidate]


class MatchReport(BaseModel):
    meta: ReportMeta
    total_needs: int
    items: list[NeedMatches]


class CodeCount(BaseModel):
    """A count under a field or province code, with its Vietnamese name."""

    code: str
    name: str
    published: int
    total: int


class ListingCounts(BaseModel):
    """Offers or needs (not deleted) by status, field, field group and province."""

    total: int
    by_status: dict[str, int]
    by_field: list[CodeCount]
    by_field_group: list[CodeCount]
    by_province: list[CodeCount]


class ListingBrief(BaseModel):
    id: str
    title: str
    field_code: str
    province_code: str
    best_score: float | None


class ListingGroup(BaseModel):
    """Listings under one field or province code."""

    code: str
    name: str
    count: int
    items: list[ListingBrief]


class UnmetDemand(BaseModel):
    """Published needs whose best candidate scores below the threshold (or have none)."""

    total: int
    by_field: list[ListingGroup]
    by_province: list[ListingGroup]


class IdleSupply(BaseModel):
    """Published offers that are not above the threshold for any published need."""

    total: int
    items: list[ListingBrief]


class FunnelStage(BaseModel):
    stage: str
    name: str
    count: int
    rate_from_previous: float | None
    rate_from_start: float | None


class ConnectionFunnel(BaseModel):
    """Connections that reached each stage, and how the others ended."""

    stages: list[FunnelStage]
    declined: int
    withdrawn: int
    closed: int
    by_status: dict[str, int]


class Dismissals(BaseModel):
    total: int
    by_side: dict[str, int]


class MonthPoint(BaseModel):
    month: str  # YYYY-MM
    offers: int
    needs: int
    connections: int


class SummaryReport(BaseModel):
    meta: ReportMeta
    offers: ListingCounts
    needs: ListingCounts
    unmet_demand: UnmetDemand
    offers_without_demand: IdleSupply
    connection_funnel: ConnectionFunnel
    dismissals: Dismissals
    monthly: list[MonthPoint]
