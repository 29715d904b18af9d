"""Who may learn which enterprise stands behind a confidential need."""

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections import reveals
from app.needs.models import Need


def identity_visible(session: Session, *, actor: Actor | None, need: Need) -> bool:
    """Always for an open need; for a confidential one, the owner, the department, and the
    offer side of an accepted connection on this very need (that reveal is recorded).
    """
    if not need.confidential:
        return True
    if actor is None:
        return False
    if actor.may_manage(need.organization_id):
        return True
    connection_id = reveals.identity_connection(
        session, viewer_organization_id=actor.organization_id, need_id=need.id
    )
    if connection_id is None:
        return False
    reveals.record(
        session,
        actor=actor,
        subject_organization_id=need.organization_id,
        what=reveals.IDENTITY,
        connection_id=connection_id,
    )
    return True
