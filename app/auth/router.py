"""/auth and /me."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from app.auth import service
from app.auth.models import User
from app.auth.schemas import MeOut, RegisterIn, RegisterOut, TokenOut, UserOut
from app.auth.throttle import LoginThrottle, throttle_key
from app.deps import PUBLIC, CurrentActor, SessionDep, SettingsDep
from app.errors import Unauthorized
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
