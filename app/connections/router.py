"""/connections, match feedback (dismissals) and the reveal log."""

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response

from app.concurrency import etag, parse_if_match
from app.connections import audit, feedback, service
from app.connections.lifecycle import STATUSES
from app.connections.schemas import (
    ConnectionIn,
    ConnectionOut,
    DismissalOut,
    DismissIn,
    RevealOut,
)
from app.connections.views import connection_out
from app.deps import CurrentActor, DepartmentActor, OrgUserActor, SessionDep
from app.schemas import LimitParam, OffsetParam, Page

router = APIRouter(tags=["connections"])
StatusFilter = Annotated[str | None, Query(pattern="^(" + "|".join(STATUSES) + ")$")]
IdFilter = Annotated[str | None, Query(max_length=36)]


@router.post("/connections", status_code=201)
def open_connection(
    body: ConnectionIn, actor: OrgUserActor, session: SessionDep, response: Response
) -> ConnectionOut:
    """Express interest: the owner of the need or of the offer proposes the pair."""
    connection = service.open_connection(
        session, actor=actor, need_id=body.need_id, offer_id=body.offer_id, message=body.message
    )
    response.headers["Location"] = f"/api/v1/connections/{connection.id}"
    response.headers["ETag"] = etag(connection.version)
    return connection_out(session, actor=actor, connection=connection)


@router.get("/connections")
def list_connections(
    actor: CurrentActor,
    session: SessionDep,
    status: StatusFilter = None,
    need_id: IdFilter = None,
    offer_id: IdFilter = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[ConnectionOut]:
    """The caller's connections (the department sees all), newest first."""
    rows, total = service.list_page(
        session,
        actor=actor,
        status=status,
        need_id=need_id,
        offer_id=offer_id,
        limit=limit,
        offset=offset,
    )
    items = [connection_out(session, actor=actor, connection=row) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/connections/{connection_id}")
def get_connection(
    connection_id: str, actor: CurrentActor, session: SessionDep, response: Response
) -> ConnectionOut:
    """One connection (its two parties, or the department)."""
    connection = service.get(session, actor=actor, connection_id=connection_id)
    response.headers["ETag"] = etag(connection.version)
    return connection_out(session, actor=actor, connection=connection)


@router.post("/connections/{connection_id}/{action}")
def act_on_connection(
    connection_id: str,
    action: str,
    actor: CurrentActor,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> ConnectionOut:
    """accept, decline, withdraw, start-negotiation, mark-contracted or close."""
    connection = service.act(
        session,
        actor=actor,
        connection_id=connection_id,
        action=action,
        if_match=parse_if_match(if_match),
    )
    response.headers["ETag"] = etag(connection.version)
    return connection_out(session, actor=actor, connection=connection)


@router.post("/needs/{need_id}/matches/{offer_id}/dismiss", status_code=201)
def dismiss_offer_for_need(
    need_id: str, offer_id: str, body: DismissIn, actor: OrgUserActor, session: SessionDep
) -> DismissalOut:
    """The need's owner marks a suggested offer as not relevant."""
    row = feedback.dismiss(
        session, actor=actor, side="need", need_id=need_id, offer_id=offer_id, reason=body.reason
    )
    return DismissalOut.model_validate(row, from_attributes=True)


@router.delete("/needs/{need_id}/matches/{offer_id}/dismiss", status_code=204)
def undismiss_offer_for_need(
    need_id: str, offer_id: str, actor: OrgUserActor, session: SessionDep
) -> Response:
    """Undo a dismissal: the offer is suggested for the need again."""
    feedback.undo(session, actor=actor, side="need", need_id=need_id, offer_id=offer_id)
    return Response(status_code=204)


@router.post("/offers/{offer_id}/matches/{need_id}/dismiss", status_code=201)
def dismiss_need_for_offer(
    offer_id: str, need_id: str, body: DismissIn, actor: OrgUserActor, session: SessionDep
) -> DismissalOut:
    """The offer's owner marks a suggested need as not relevant."""
    row = feedback.dismiss(
        session, actor=actor, side="offer", need_id=need_id, offer_id=offer_id, reason=body.reason
    )
    return DismissalOut.model_validate(row, from_attributes=True)


@router.delete("/offers/{offer_id}/matches/{need_id}/dismiss", status_code=204)
def undismiss_need_for_offer(
    offer_id: str, need_id: str, actor: OrgUserActor, session: SessionDep
) -> Response:
    """Undo a dismissal: the need is suggested for the offer again."""
    feedback.undo(session, actor=actor, side="offer", need_id=need_id, offer_id=offer_id)
    return Response(status_code=204)


@router.get("/dismissals")
def list_dismissals(
    actor: DepartmentActor,
    session: SessionDep,
    organization_id: IdFilter = None,
    side: Literal["need", "offer"] | None = None,
    need_id: IdFilter = None,
    offer_id: IdFilter = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[DismissalOut]:
    """Every match dismissal with its reason (department)."""
    rows, total = feedback.list_page(
        session,
        organization_id=organization_id,
        side=side,
        need_id=need_id,
        offer_id=offer_id,
        limit=limit,
        offset=offset,
    )
    items = [DismissalOut.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/reveals")
def list_reveals(
    actor: DepartmentActor,
    session: SessionDep,
    organization_id: IdFilter = None,
    connection_id: IdFilter = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[RevealOut]:
    """Who was shown whose identity or contact details, when and where (department)."""
    rows, total = audit.list_reveals(
        session,
        organization_id=organization_id,
        connection_id=connection_id,
        limit=limit,
        offset=offset,
    )
    items = [RevealOut.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)
