"""Turning a presented credential into an Actor."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.actor import ORG_MEMBER, Actor
from app.auth.models import AccessToken, ApiKey
from app.auth.security import digest
from app.db import utcnow
from app.errors import Unauthorized

SUSPENDED = "suspended"
# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
_API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


def actor_from_token(session: Session, *, token: str, kind: str = "bearer") -> Actor:
    """The caller behind a bearer (or dashboard session) token, or ``Unauthorized``."""
    row = session.scalar(
        select(AccessToken).where(AccessToken.token_hash == digest(token), AccessToken.kind == kind)
    )
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthorized("The token is invalid, expired or revoked.")
    user = row.user
    if not user.is_active:
        raise Unauthorized("The account is disabled.")
    if user.organization.status == SUSPENDED:
        raise Unauthorized("The organisation is suspended.")
    return Actor(
        organization_id=user.organization_id, role=user.role, user_id=user.id, token_id=row.id
    )


def actor_from_api_key(session: Session, *, key: str) -> Actor:
    """The organisation behind an API key, acting with member rights, or ``Unauthorized``."""
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == digest(key)))
    if row is None or row.revoked_at is not None:
        raise Unauthorized("The API key is invalid or revoked.")
    if row.organization.status == SUSPENDED:
        raise Unauthorized("The organisation is suspended.")
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _API_KEY_TOUCH_INTERVAL:
        row.last_used_at = now
    return Actor(organization_id=row.organization_id, role=ORG_MEMBER, api_key_id=row.id)
