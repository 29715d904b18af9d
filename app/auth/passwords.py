"""Changing one's password, and one-time reset links issued by an admin or the department."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.actor import ORG_ADMIN, ORG_MEMBER, Actor
from app.auth.models import AccessToken, PasswordReset, User
from app.auth.security import digest, hash_password, new_secret, verify_password
from app.db import utcnow
from app.errors import Forbidden, InvalidInput, NotFound


def _revoke_tokens(session: Session, *, user_id: str, keep: str | None = None) -> None:
    query = update(AccessToken).where(
        AccessToken.user_id == user_id, AccessToken.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(AccessToken.id != keep)
    session.execute(query.values(revoked_at=utcnow()))


def _caller(session: Session, actor: Actor) -> User:
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None:
        raise Forbidden("Only a signed-in user has a password; an API key has none.")
    return user


def change_password(
    session: Session, *, actor: Actor, old_password: str, new_password: str
) -> None:
    """Set a new password after checking the current one; the caller's other tokens end."""
    user = _caller(session, actor)
    if not verify_password(user.password_hash, old_password):
        raise InvalidInput("The current password is incorrect.", loc=["body", "old_password"])
    if verify_password(user.password_hash, new_password):
        raise InvalidInput(
            "The new password must differ from the current one.", loc=["body", "new_password"]
        )
    user.password_hash = hash_password(new_password)
    _revoke_tokens(session, user_id=user.id, keep=actor.token_id)


@dataclass(frozen=True)
class IssuedReset:
    user: User
    secret: str
    expires_at: datetime


def issue_reset(session: Session, *, actor: Actor, user_id: str, ttl: timedelta) -> IssuedReset:
    """A one-time link for ``user_id``: an org admin resets its members, the department admins."""
    requester = _caller(session, actor)
    user = session.get(User, user_id)
    if user is None or not actor.may_manage(user.organization_id):
        raise NotFound("No such user.")
    if actor.is_department:
        allowed = user.role == ORG_ADMIN
    else:
        allowed = actor.role == ORG_ADMIN and user.role == ORG_MEMBER
    if not allowed:
        raise Forbidden(
            "An organisation's admin resets its members' passwords; the department resets "
            "organisation admins'. Change your own with POST /api/v1/me/password."
        )
    now = utcnow()
    # Issuing a new link retires the older ones still waiting.
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .where(PasswordReset.expires_at > now)
        .values(expires_at=now)
    )
    secret = new_secret("tmr")
    reset = PasswordReset(
        user_id=user.id,
        token_hash=digest(secret),
        requested_by=requester.id,
        expires_at=now + ttl,
    )
    session.add(reset)
    session.flush()
    return IssuedReset(user=user, secret=secret, expires_at=reset.expires_at)


def complete_reset(session: Session, *, token: str, new_password: str) -> User:
    """Use a reset link once: set the password and end every session of that user."""
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    now = utcnow()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise InvalidInput(
            "The reset link is invalid, expired or already used; ask for a new one.",
            loc=["body", "token"],
        )
    reset.used_at = now
    reset.user.password_hash = hash_password(new_password)
    _revoke_tokens(session, user_id=reset.user_id)
    return reset.user


def reset_link(base_url: str, secret: str) -> str:
    """The page where the user chooses a new password."""
    return f"{base_url.rstrip('/')}/password-reset?token={secret}"


def reset_message(issued: IssuedReset, *, link: str, ttl_minutes: int) -> tuple[str, str]:
    """Subject and body (Vietnamese) of the e-mail carrying a reset link."""
    subject = "techmatch: đặt lại mật khẩu"
    body = (
        f"Xin chào {issued.user.full_name},\n\n"
        f"Quản trị viên đã yêu cầu đặt lại mật khẩu cho tài khoản {issued.user.email}.\n"
        f"Mở liên kết sau trong {ttl_minutes} phút để chọn mật khẩu mới (dùng được một lần):\n"
        f"{link}\n\n"
        "Nếu bạn không chờ thư này, hãy báo cho quản trị viên của tổ chức.\n"
    )
    return subject, body
