"""Match responses."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, SerializerFunctionWrapHandler, model_serializer


class ListingSummary(BaseModel):
    """The part of a listing a match shows."""

    id: str
    title: str
    summary: str
    keywords: list[str]
    field_code: str
    province_code: str
    organization_id: str | None
    organization_name: str | None
    status: str
    trl: int | None = None
    price_min_vnd: int | None = None
    price_max_vnd: int | None = None
    desired_trl_min: int | None = None
    budget_max_vnd: int | None = None
    transfer_forms: list[str]


class ExplanationOut(BaseModel):
    shared_terms: list[str]
    notes: list[str]


class Components(BaseModel):
    text: float | None
    field: float | None
    trl: float | None
    budget: float | None
    transfer: float | None
    region: float | None


class MatchItem(BaseModel):
    """One candidate: ``offer`` for a need's matches, ``need`` for an offer's (only that
    side is sent)."""

    offer: ListingSummary | None = None
    need: ListingSummary | None = None
    score: float
    above_threshold: bool
    components: Components
    explanation: ExplanationOut

    @model_serializer(mode="wrap")
    def _own_side_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for side in ("offer", "need"):
            if data.get(side) is None:
                data.pop(side, None)
        return data


class MatchList(BaseModel):
    items: list[MatchItem]
    total: int
    limit: int
    index_version: int
    threshold: float
    computed_at: datetime
