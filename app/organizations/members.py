"""An organisation's API keys and additional users, managed by its admin."""

from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from app.audit import recorder as audit
from app.auth.actor import Actor
from app.auth.models import ApiKey, User
from app.auth.security import digest, hash_password, new_secret
from app.auth.service import email_key, ensure_email_free
from app.db import utcnow
from app.errors import Conflict, Forbidden, NotFound
from app.organizations.models import Organization
from app.organizations.schemas import MemberIn


def _managed(session: Session, *, actor: Actor, organization_id: str) -> Organization:
    organization = session.get(Organization, organization_id)
    if organization is None or not actor.may_manage(organization_id):
        raise NotFound("No such organisation.")
    if not actor.is_department and actor.role != "org_admin":
        raise Forbidden("Only the organisation's admin manages its keys and users.")
    return organization


def create_api_key(
    session: Session, *, actor: Actor, organization_id: str, name: str
) -> tuple[ApiKey, str]:
    """A new key; the secret is returned here and never again."""
    _managed(session, actor=actor, organization_id=organization_id)
    if actor.user_id is None:
        raise Forbidden("An API key cannot create API keys.")
    secret = new_secret("tmk")
    key = ApiKey(
        organization_id=organization_id,
        name=name,
        prefix=secret[:8],
        key_hash=digest(secret),
        created_by=actor.user_id,
    )
    session.add(key)
    session.flush()
    return key, secret


def list_api_keys(session: Session, *, actor: Actor, organization_id: str) -> list[ApiKey]:
    """The organisation's keys, newest first, without secrets."""
    _managed(session, actor=actor, organization_id=organization_id)
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.organization_id == organization_id)
            .order_by(ApiKey.created_at.desc())
        )
    )


def revoke_api_key(session: Session, *, actor: Actor, organization_id: str, key_id: str) -> None:
    """Revoke a key at once; a revoked key cannot be revoked again."""
    _managed(session, actor=actor, organization_id=organization_id)
    key = session.get(ApiKey, key_id)
    if key is None or key.organization_id != organization_id:
        raise NotFound("No such API key.")
    # One conditional UPDATE, so that of two concurrent revocations exactly one succeeds.
    result = cast(
        CursorResult[Any],
        session.execute(
            update(ApiKey)
            .where(ApiKey.id == key.id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session="fetch")
        ),
    )
    if result.rowcount != 1:
        raise Conflict("The API key is already revoked.")
    # A statement-level UPDATE passes no flush, so the audit log is told explicitly.
    audit.record(session, action="api_key.revoked", object_type="api_key", object_id=key.id)


def add_member(session: Session, *, actor: Actor, organization_id: str, body: MemberIn) -> User:
    """Another user of the organisation."""
    organization = _managed(session, actor=actor, organization_id=organization_id)
    if organization.kind == "department":
        raise Conflict("Department accounts are made with 'techmatch create-admin'.")
    email = email_key(body.email)
    ensure_email_free(session, email=email)
    password_hash = hash_password(body.password)
    user = User(
        organization_id=organization_id,
        email=email,
        password_hash=password_hash,
        full_name=body.full_name,
        role=body.role,
    )
    session.add(user)
    session.flush()
    return user
