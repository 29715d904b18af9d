"""Request-scoped dependencies: the session and the declared access policy of every route.

Every route under the API declares exactly one ``Policy`` (a test walks the routes and fails on
any route without one), so who may call what is written next to the route, not inside services.
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.audit.recorder import set_actor
from app.auth.actor import DEPARTMENT, ORG_ADMIN, ORG_MEMBER, Actor
from app.auth.credentials import actor_from_api_key, actor_from_token
from app.config import Settings
from app.db import session_scope
from app.errors import Forbidden, Unauthorized


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed when the route returns without error."""
    yield from session_scope(request.app.state.session_factory)


def get_reports_session(request: Request) -> Iterator[Session]:
    """A read-only unit of work on the reports' database (a read replica, or the main one)."""
    session = request.app.state.reports_session_factory()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_settings_dep(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit when the route returns, BEFORE the response is sent. With the default
# request scope FastAPI sends the response first, so a client could read stale data next.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ReportsSessionDep = Annotated[Session, Depends(get_reports_session)]

SESSION_COOKIE = "techmatch_session"


def _presented_actor(request: Request, session: Session) -> Actor | None:
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("Use 'Authorization: Bearer <token>'.")
        return actor_from_token(session, token=token.strip())
    api_key = request.headers.get("x-api-key")
    if api_key:
        return actor_from_api_key(session, key=api_key.strip())
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and request.url.path.startswith("/dashboard"):
        return actor_from_token(session, token=cookie, kind="session")
    return None


class Policy:
    """Who may call a route: anyone, any authenticated caller, or only some roles."""

    def __init__(self, name: str, *, roles: frozenset[str] | None, anonymous: bool) -> None:
        self.name = name
        self.roles = roles
        self.anonymous = anonymous

    def __call__(self, request: Request, session: SessionDep) -> Actor | None:
        actor = _presented_actor(request, session)
        set_actor(session, actor, label=None if actor else "anonymous")  # for the audit log
        if actor is None:
            if self.anonymous:
                return None
            raise Unauthorized()
        if self.roles is not None and actor.role not in self.roles:
            raise Forbidden("Your role does not allow this action.")
        return actor

    def __repr__(self) -> str:
        return f"Policy({self.name})"


PUBLIC = Policy("public", roles=None, anonymous=True)
AUTHENTICATED = Policy("authenticated", roles=None, anonymous=False)
DEPARTMENT_ONLY = Policy("department", roles=frozenset({DEPARTMENT}), anonymous=False)
ORG_ADMIN_OR_DEPARTMENT = Policy(
    "org_admin_or_department", roles=frozenset({DEPARTMENT, ORG_ADMIN}), anonymous=False
)
ORGANIZATION_USER = Policy(
    "organization_user", roles=frozenset({ORG_ADMIN, ORG_MEMBER}), anonymous=False
)

MaybeActor = Annotated[Actor | None, Depends(PUBLIC)]
CurrentActor = Annotated[Actor, Depends(AUTHENTICATED)]
DepartmentActor = Annotated[Actor, Depends(DEPARTMENT_ONLY)]
AdminActor = Annotated[Actor, Depends(ORG_ADMIN_OR_DEPARTMENT)]
OrgUserActor = Annotated[Actor, Depends(ORGANIZATION_USER)]
