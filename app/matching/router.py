"""/needs/{id}/matches and /offers/{id}/matches."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.deps import CurrentActor, SessionDep
from app.listings.schemas import FieldCode, ProvinceCode, TrlQuery
from app.matching import service
from app.matching.engine import MatchFilters
from app.matching.schemas import MatchList
from app.needs.spec import NEEDS
from app.offers.spec import OFFERS

router = APIRouter(tags=["matching"])
Limit = Annotated[int, Query(ge=1, le=100)]
MinScore = Annotated[float | None, Query(ge=0.0, le=1.0)]


@router.get("/needs/{need_id}/matches")
def need_matches(
    need_id: str,
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    limit: Limit = 10,
    field_code: FieldCode | None = None,
    province_code: ProvinceCode | None = None,
    trl_min: TrlQuery | None = None,
    min_score: MinScore = None,
) -> MatchList:
    """Published offers ranked for a need (its owner or the department)."""
    filters = MatchFilters(
        field_code=field_code, province_code=province_code, trl_min=trl_min, min_score=min_score
    )
    return service.matches(
        session,
        request.app.state.live_index,
        source=NEEDS,
        target=OFFERS,
        actor=actor,
        listing_id=need_id,
        limit=limit,
        filters=filters,
    )


@router.get("/offers/{offer_id}/matches")
def offer_matches(
    offer_id: str,
    request: Request,
    actor: CurrentActor,
    session: SessionDep,
    limit: Limit = 10,
    field_code: FieldCode | None = None,
    province_code: ProvinceCode | None = None,
    min_score: MinScore = None,
) -> MatchList:
    """Published needs ranked for an offer (its owner or the department)."""
    filters = MatchFilters(field_code=field_code, province_code=province_code, min_score=min_score)
    return service.matches(
        session,
        request.app.state.live_index,
        source=OFFERS,
        target=NEEDS,
        actor=actor,
        listing_id=offer_id,
        limit=limit,
        filters=filters,
    )
