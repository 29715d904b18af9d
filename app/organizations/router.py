"""/organizations, their API keys and members."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from app.auth.router import user_out
from app.auth.schemas import UserOut
from app.concurrency import etag, parse_if_match
from app.deps import AdminActor, DepartmentActor, MaybeActor, SessionDep
from app.organizations import members, service
from app.organizations.schemas import (
    ApiKeyCreated,
    ApiKeyIn,
    ApiKeyOut,
    MemberIn,
    OrganizationIn,
    OrganizationOut,
    OrganizationPatch,
    OrganizationRejectIn,
)
from app.schemas import LimitParam, OffsetParam, Page

router = APIRouter(prefix="/organizations", tags=["organizations"])


@router.get("")
def list_organizations(
    actor: MaybeActor,
    session: SessionDep,
    kind: str | None = None,
    province_code: str | None = None,
    status: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[OrganizationOut]:
    """Verified organisations; the department sees every status."""
    items, total = service.list_page(
        session,
        actor=actor,
        kind=kind,
        province_code=province_code,
        status=status,
        q=q,
        limit=limit,
        offset=offset,
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("", status_code=201)
def create_organization(
    body: OrganizationIn, actor: DepartmentActor, session: SessionDep, response: Response
) -> OrganizationOut:
    """Enter an organisation on its behalf (department)."""
    organization = service.create(session, body=body)
    response.headers["ETag"] = etag(organization.version)
    return service.to_out(organization, show_contacts=True)


@router.get("/{organization_id}")
def get_organization(
    organization_id: str, actor: MaybeActor, session: SessionDep, response: Response
) -> OrganizationOut:
    """One organisation; contacts only for itself, the department or an accepted counterpart."""
    out = service.read(session, actor=actor, organization_id=organization_id)
    response.headers["ETag"] = etag(out.version)
    return out


@router.patch("/{organization_id}")
def patch_organization(
    organization_id: str,
    body: OrganizationPatch,
    actor: AdminActor,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> OrganizationOut:
    """Edit an organisation (its admin, or the department); send `If-Match`."""
    organization = service.update(
        session,
        actor=actor,
        organization_id=organization_id,
        body=body,
        if_match=parse_if_match(if_match),
    )
    response.headers["ETag"] = etag(organization.version)
    return service.to_out(organization, show_contacts=True)


@router.post("/{organization_id}/verify")
def verify_organization(
    organization_id: str, actor: DepartmentActor, session: SessionDep
) -> OrganizationOut:
    """The department verifies a pending organisation: `pending` → `verified`."""
    return service.to_out(
        service.verify(session, organization_id=organization_id), show_contacts=True
    )


@router.post("/{organization_id}/reject")
def reject_organization(
    organization_id: str, body: OrganizationRejectIn, actor: DepartmentActor, session: SessionDep
) -> OrganizationOut:
    """The department turns down a pending registration (`pending` → `rejected`), with a reason.

    The organisation sees the reason in `status_reason`; it can correct its details and the
    department may verify it later.
    """
    organization = service.reject(session, organization_id=organization_id, reason=body.reason)
    return service.to_out(organization, show_contacts=True)


@router.post("/{organization_id}/suspend")
def suspend_organization(
    organization_id: str, actor: DepartmentActor, session: SessionDep
) -> OrganizationOut:
    """The department suspends an organisation: its users and keys stop working."""
    return service.to_out(
        service.suspend(session, organization_id=organization_id), show_contacts=True
    )


@router.get("/{organization_id}/api-keys")
def list_api_keys(organization_id: str, actor: AdminActor, session: SessionDep) -> list[ApiKeyOut]:
    """The organisation's API keys, newest first, without their secrets."""
    keys = members.list_api_keys(session, actor=actor, organization_id=organization_id)
    return [ApiKeyOut.model_validate(key, from_attributes=True) for key in keys]


@router.post("/{organization_id}/api-keys", status_code=201)
def create_api_key(
    organization_id: str, body: ApiKeyIn, actor: AdminActor, session: SessionDep
) -> ApiKeyCreated:
    """Create a key; ``key`` is shown in this response only."""
    key, secret = members.create_api_key(
        session, actor=actor, organization_id=organization_id, name=body.name
    )
    return ApiKeyCreated(
        **ApiKeyOut.model_validate(key, from_attributes=True).model_dump(), key=secret
    )


@router.delete("/{organization_id}/api-keys/{key_id}", status_code=204)
def revoke_api_key(
    organization_id: str, key_id: str, actor: AdminActor, session: SessionDep
) -> Response:
    """Revoke an API key at once."""
    members.revoke_api_key(session, actor=actor, organization_id=organization_id, key_id=key_id)
    return Response(status_code=204)


@router.post("/{organization_id}/members", status_code=201)
def add_member(
    organization_id: str, body: MemberIn, actor: AdminActor, session: SessionDep
) -> UserOut:
    """Add a user to the organisation (its admin, or the department)."""
    return user_out(
        members.add_member(session, actor=actor, organization_id=organization_id, body=body)
    )
