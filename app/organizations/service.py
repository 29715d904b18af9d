"""Organisations: reading with contact privacy, editing, verification, suspension."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.auth.service import ensure_tax_code_free
from app.concurrency import check_version, flush_conditionally
from app.connections import reveals
from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.matching.changes import record_organization_change
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationIn, OrganizationOut, OrganizationPatch

PENDING, VERIFIED, SUSPENDED, REJECTED = "pending", "verified", "suspended", "rejected"
_CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
_VERIFIED_FIELDS = ("name", "tax_code")


def contacts_visible(session: Session, *, actor: Actor | None, organization_id: str) -> bool:
    """Personal data is shown to the organisation itself, the department, and counterparts of
    an accepted connection (in either direction; that reveal is recorded).
    """
    if actor is None:
        return False
    if actor.may_manage(organization_id):
        return True
    connection_id = reveals.contacts_connection(
        session,
        viewer_organization_id=actor.organization_id,
        subject_organization_id=organization_id,
    )
    if connection_id is None:
        return False
    reveals.record(
        session,
        actor=actor,
        subject_organization_id=organization_id,
        what=reveals.CONTACTS,
        connection_id=connection_id,
    )
    return True


def to_out(organization: Organization, *, show_contacts: bool) -> OrganizationOut:
    """The response body, with contacts blanked unless ``show_contacts``."""
    out = OrganizationOut.model_validate(organization, from_attributes=True)
    if not show_contacts:
        return out.model_copy(update=dict.fromkeys(_CONTACT_FIELDS))
    return out.model_copy(update={"contacts_visible": True})


def visible_organization(
    session: Session, *, actor: Actor | None, organization_id: str
) -> Organization:
    """An organisation the caller may see: verified ones publicly, any to itself/department.

    An enterprise with a confidential need answers exactly like any verified organisation
    (public fields only): a different answer would itself tell that it has one. What stays
    hidden is the link between the need and the enterprise, which no public page shows.
    """
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    if actor is not None and actor.may_manage(organization.id):
        return organization
    if organization.status != VERIFIED:
        raise NotFound("No such organisation.")
    return organization


def read(session: Session, *, actor: Actor | None, organization_id: str) -> OrganizationOut:
    """One organisation as the caller may see it."""
    organization = visible_organization(session, actor=actor, organization_id=organization_id)
    show = contacts_visible(session, actor=actor, organization_id=organization.id)
    return to_out(organization, show_contacts=show)


def list_page(
    session: Session,
    *,
    actor: Actor | None,
    kind: str | None,
    province_code: str | None,
    status: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[OrganizationOut], int]:
    """Verified organisations for everyone; the department also sees pending and suspended."""
    query = select(Organization)
    if actor is None or not actor.is_department:
        visible = Organization.status == VERIFIED
        if actor is not None:
            visible = visible | (Organization.id == actor.organization_id)
        query = query.where(visible)
    if kind:
        query = query.where(Organization.kind == kind)
    if province_code:
        query = query.where(Organization.province_code == province_code)
    if status:
        query = query.where(Organization.status == status)
    if q:
        query = query.where(func.lower(Organization.name).contains(q.strip().lower()))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Organization.created_at, Organization.id).limit(limit).offset(offset)
    ).all()
    items = [
        to_out(row, show_contacts=contacts_visible(session, actor=actor, organization_id=row.id))
        for row in rows
    ]
    return items, total


def create(session: Session, *, body: OrganizationIn) -> Organization:
    """An organisation entered by the department (it still has to be verified)."""
    ensure_tax_code_free(session, tax_code=body.tax_code)
    organization = Organization(**body.model_dump(), status=PENDING)
    session.add(organization)
    session.flush()
    return organization


def update(
    session: Session,
    *,
    actor: Actor,
    organization_id: str,
    body: OrganizationPatch,
    if_match: int | None,
) -> Organization:
    """Apply a partial update by the organisation's admin or the department."""
    organization = visible_organization(session, actor=actor, organization_id=organization_id)
    if not actor.may_manage(organization.id):
        raise Forbidden("Only the organisation's admin or the department may edit it.")
    check_version(organization.version, if_match)
    changes = body.model_dump(exclude_unset=True)
    for required in ("name", "kind", "tax_code", "province_code"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} cannot be null.", loc=["body", required])
    if changes.get("tax_code"):
        ensure_tax_code_free(session, tax_code=changes["tax_code"], except_id=organization.id)
    renamed = any(
        name in changes and changes[name] != getattr(organization, name)
        for name in _VERIFIED_FIELDS
    )
    for name, value in changes.items():
        setattr(organization, name, value)
    if organization.status == VERIFIED and renamed and not actor.is_department:
        # The department verified who this is; a new name or tax code needs verifying again.
        organization.status = PENDING
        organization.verified_at = None
    organization.version += 1
    flush_conditionally(session, if_match=if_match)
    return organization


def verify(session: Session, *, organization_id: str) -> Organization:
    """``pending`` (or ``suspended``) → ``verified``."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    if organization.status == VERIFIED:
        raise Conflict("The organisation is already verified.")
    reinstated = organization.status == SUSPENDED
    organization.status = VERIFIED
    organization.status_reason = None
    organization.verified_at = utcnow()
    organization.version += 1
    flush_conditionally(session)
    if reinstated:
        record_organization_change(session, organization_id=organization.id)
    return organization


def suspend(session: Session, *, organization_id: str) -> Organization:
    """Suspend: its users' tokens and API keys stop working, its listings leave public view."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    if organization.status == SUSPENDED:
        raise Conflict("The organisation is already suspended.")
    if organization.kind == "department":
        raise Conflict("The department's own organisation cannot be suspended.")
    organization.status = SUSPENDED
    organization.version += 1
    flush_conditionally(session)
    record_organization_change(session, organization_id=organization.id)
    return organization


def reject(session: Session, *, organization_id: str, reason: str) -> Organization:
    """A ``pending`` registration the department turns down, with the reason shown to it."""
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("No such organisation.")
    if organization.status != PENDING:
        raise Conflict(
            f"Only a pending organisation can be rejected (it is {organization.status})."
        )
    organization.status = REJECTED
    organization.status_reason = reason
    organization.version += 1
    session.flush()
    return organization
