"""Who may learn which enterprise stands behind a confidential need."""

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.needs.models import Need


def identity_visible(session: Session, *, actor: Actor | None, need: Need) -> bool:
    """Always for an open need; for a confidential one, the owner and the department only.

    The connections feature widens this to the counterpart of an accepted connection.
    """
    if not need.confidential:
        return True
    return actor is not None and actor.may_manage(need.organization_id)
