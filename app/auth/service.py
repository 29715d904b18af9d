"""Registration, login, logout and the first department account."""

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.actor import DEPARTMENT, ORG_ADMIN, Actor
from app.auth.models import AccessToken, User
from app.auth.schemas import RegisterIn
from app.auth.security import digest, hash_password, new_secret, verify_password
from app.db import release_connection, utcnow
from app.errors import Conflict, NotFound, Unauthorized
from app.organizations.models import Organization

DEPARTMENT_ORG_NAME = "Sở Khoa học và Công nghệ"


def email_key(email: str) -> str:
    """E-mail addresses are unique regardless of case."""
    return email.strip().lower()


def ensure_email_free(session: Session, *, email: str) -> None:
    """Raise ``Conflict`` when an account already uses ``email``."""
    if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise Conflict("An account with this e-mail address already exists.")


def ensure_tax_code_free(session: Session, *, tax_code: str, except_id: str | None = None) -> None:
    """Raise ``Conflict`` when another organisation is registered under ``tax_code``."""
    query = select(Organization.id).where(Organization.tax_code == tax_code)
    if except_id is not None:
        query = query.where(Organization.id != except_id)
    if session.scalar(query) is not None:
        raise Conflict("An organisation with this tax code is already registered.")


def register(session: Session, *, body: RegisterIn) -> tuple[Organization, User]:
    """A ``pending`` organisation and its first user, the organisation's admin."""
    password_hash = hash_password(body.user.password)  # before any query: no connection held
    email = email_key(body.user.email)
    ensure_email_free(session, email=email)
    ensure_tax_code_free(session, tax_code=body.organization.tax_code)
    organization = Organization(**body.organization.model_dump(), status="pending")
    session.add(organization)
    session.flush()
    user = User(
        organization_id=organization.id,
        email=email,
        password_hash=password_hash,
        full_name=body.user.full_name,
        role=ORG_ADMIN,
    )
    session.add(user)
    session.flush()
    return organization, user


def issue_token(session: Session, *, user: User, ttl: timedelta, kind: str = "bearer") -> str:
    """A new opaque token for ``user``; only its digest is stored."""
    secret = new_secret("tm" if kind == "bearer" else "tms")
    session.add(
        AccessToken(
            user_id=user.id, token_hash=digest(secret), kind=kind, expires_at=utcnow() + ttl
        )
    )
    user.last_login_at = utcnow()
    session.flush()
    return secret


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The user whose credentials these are, or ``Unauthorized`` (same answer for every cause)."""
    user = session.scalar(select(User).where(User.email == email_key(email)))
    user_id, stored = (user.id, user.password_hash) if user else (None, None)
    # Argon2 takes tens of milliseconds; the pool's connection is not held meanwhile.
    release_connection(session)
    if not verify_password(stored, password) or user_id is None:
        raise Unauthorized("Incorrect e-mail or password.")
    user = session.get(User, user_id)
    if user is None:
        raise Unauthorized("Incorrect e-mail or password.")
    if not user.is_active or user.organization.status == "suspended":
        raise Unauthorized("This account cannot sign in: the organisation is suspended.")
    return user


def revoke_token(session: Session, *, actor: Actor) -> None:
    """Revoke the token the caller presented (an API key is revoked under its organisation)."""
    if actor.token_id is None:
        raise Conflict("Only a bearer token can be logged out; revoke API keys instead.")
    token = session.get(AccessToken, actor.token_id)
    if token is None:
        raise NotFound("No such token.")
    token.revoked_at = utcnow()


def create_department_admin(session: Session, *, email: str, password: str, full_name: str) -> User:
    """A department account, creating the department's own organisation on first use."""
    email = email_key(email)
    ensure_email_free(session, email=email)
    department = session.scalar(
        select(Organization).where(Organization.kind == DEPARTMENT).limit(1)
    )
    if department is None:
        department = Organization(
            name=DEPARTMENT_ORG_NAME,
            kind=DEPARTMENT,
            tax_code=None,
            province_code="25",
            status="verified",
            verified_at=utcnow(),
        )
        session.add(department)
        session.flush()
    user = User(
        organization_id=department.id,
        email=email,
        password_hash=hash_password(password),
        full_name=full_name,
        role=DEPARTMENT,
    )
    session.add(user)
    session.flush()
    return user
