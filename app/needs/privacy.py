"""Who may learn which enterprise stands behind a confidential need."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections import reveals
from app.connections.models import Connection
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


def visible_identities(session: Session, *, actor: Actor | None, needs: Sequence[Need]) -> set[str]:
    """The ids of ``needs`` whose owner the caller may see: ``identity_visible`` for a whole
    page in at most one query, whatever the page size (each reveal still recorded)."""
    visible = {n.id for n in needs if not n.confidential}
    if actor is None:
        return visible
    hidden = []
    for need in needs:
        if need.confidential and actor.may_manage(need.organization_id):
            visible.add(need.id)
        elif need.confidential:
            hidden.append(need)
    if not hidden:
        return visible
    through: dict[str, str] = {}
    for need_id, via in session.execute(
        select(Connection.need_id, Connection.id)
        .where(
            Connection.need_id.in_([n.id for n in hidden]),
            Connection.offer_organization_id == actor.organization_id,
            reveals.revealed(),
        )
        .order_by(Connection.accepted_at.desc())
    ):
        through[need_id] = via  # the earliest accepted one is written last
    for need in hidden:
        connection_id = through.get(need.id)
        if connection_id is None:
            continue
        visible.add(need.id)
        reveals.record(
            session,
            actor=actor,
            subject_organization_id=need.organization_id,
            what=reveals.IDENTITY,
            connection_id=connection_id,
        )
    return visible
