"""/auth and /me."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import passwords, service
from app.auth.models import User
from app.auth.schemas import (
    MeOut,
    PasswordChangeIn,
    PasswordResetIn,
    PasswordResetOut,
    RegisterIn,
    RegisterOut,
    TokenOut,
    UserOut,
)
from app.auth.throttle import LoginThrottle, throttle_key
from app.deps import PUBLIC, AdminActor, CurrentActor, SessionDep, SettingsDep
from app.errors import InvalidInput, Unauthorized
from app.mail import send_mail
from app.organizations import service as organizations

router = APIRouter(tags=["identity"])


def user_out(user: User) -> UserOut:
    return UserOut.model_validate(user, from_attributes=True)


@router.post("/auth/register", status_code=201, dependencies=[Depends(PUBLIC)])
def register(body: RegisterIn, session: SessionDep) -> RegisterOut:
    """Register an organisation (status ``pending``) and its first user, the org admin."""
    organization, user = service.register(session, body=body)
    return RegisterOut(
        organization=organizations.to_out(organization, show_contacts=True), user=user_out(user)
    )


@router.post("/auth/token", dependencies=[Depends(PUBLIC)])
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenOut:
    """OAuth2 password flow: e-mail and password for a revocable bearer token."""
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "-"
    key = throttle_key(form.username, client)
    throttle.check(key)
    try:
        user = service.authenticate(session, email=form.username, password=form.password)
    except Unauthorized:
        throttle.failed(key)
        raise
    throttle.succeeded(session, key)
    ttl = timedelta(minutes=settings.token_ttl_minutes)
    secret = service.issue_token(session, user=user, ttl=ttl)
    return TokenOut(access_token=secret, expires_in=int(ttl.total_seconds()))


@router.post("/auth/logout", status_code=204)
def logout(actor: CurrentActor, session: SessionDep) -> Response:
    """Revoke the presented bearer token."""
    service.revoke_token(session, actor=actor)
    return Response(status_code=204)


@router.get("/me")
def me(actor: CurrentActor, session: SessionDep) -> MeOut:
    """The caller, its organisation and its role."""
    organization = organizations.read(session, actor=actor, organization_id=actor.organization_id)
    user = session.get(User, actor.user_id) if actor.user_id else None
    return MeOut(user=user_out(user) if user else None, organization=organization, role=actor.role)


@router.post("/me/password", status_code=204)
def change_password(
    body: PasswordChangeIn, request: Request, actor: CurrentActor, session: SessionDep
) -> Response:
    """Change the caller's password; every other token of the caller is revoked.

    A wrong `old_password` is a 422 on that field; repeated failures are throttled (429).
    """
    throttle: LoginThrottle = request.app.state.login_throttle
    key = throttle_key("password-change", str(actor.user_id or actor.api_key_id))
    throttle.check(key)
    try:
        passwords.change_password(
            session, actor=actor, old_password=body.old_password, new_password=body.new_password
        )
    except InvalidInput:
        throttle.failed(key)
        raise
    throttle.succeeded(session, key)
    return Response(status_code=204)


@router.post("/users/{user_id}/password-reset", status_code=202)
def request_password_reset(
    user_id: str, actor: AdminActor, session: SessionDep, settings: SettingsDep
) -> PasswordResetOut:
    """Send a user a one-time link to choose a new password.

    An organisation's admin resets its members; the department resets organisation admins.
    The link expires after `TECHMATCH_PASSWORD_RESET_TTL_MINUTES`; it goes by e-mail when SMTP
    is configured, otherwise to the server's log (development). It is never in this response.
    """
    ttl = settings.password_reset_ttl_minutes
    issued = passwords.issue_reset(
        session, actor=actor, user_id=user_id, ttl=timedelta(minutes=ttl)
    )
    link = passwords.reset_link(settings.public_base_url, issued.secret)
    subject, text = passwords.reset_message(issued, link=link, ttl_minutes=ttl)
    delivery = send_mail(settings, to=issued.user.email, subject=subject, body=text)
    return PasswordResetOut(user_id=user_id, expires_at=issued.expires_at, delivery=delivery)


@router.post("/auth/password-reset", status_code=204, dependencies=[Depends(PUBLIC)])
def complete_password_reset(body: PasswordResetIn, session: SessionDep) -> Response:
    """Choose a new password with a reset link's token (once); every session of the user ends."""
    passwords.complete_reset(session, token=body.token, new_password=body.new_password)
    return Response(status_code=204)
