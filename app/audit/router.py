"""/audit: the department reads the append-only log."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from app.audit import service
from app.audit.schemas import AuditEntryOut
from app.deps import DepartmentActor, SessionDep
from app.schemas import LimitParam, OffsetParam, Page

router = APIRouter(prefix="/audit", tags=["audit"])
Text = Annotated[str | None, Query(max_length=80)]


@router.get("")
def list_audit(
    actor: DepartmentActor,
    session: SessionDep,
    action: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    actor_user_id: Text = None,
    organization_id: Text = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[AuditEntryOut]:
    """Decisions and mutations, newest first.

    `action` matches a whole action (`offer.published`) or every action on a kind (`offer`);
    `organization_id` is the acting organisation; `since`/`until` bound `at` (RFC 3339).
    """
    items, total = service.list_page(
        session,
        limit=limit,
        offset=offset,
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_user_id=actor_user_id,
        organization_id=organization_id,
        since=since,
        until=until,
    )
    return Page(items=items, total=total, limit=limit, offset=offset)
