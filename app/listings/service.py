"""Creating, reading, editing and moving offers and needs through their lifecycle.

Both kinds share every rule here; what differs (extra fields, cross-field checks) comes in
through the model class and the ``check`` callback of each feature.
"""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.concurrency import check_version, flush_conditionally
from app.db import utcnow
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.listings.lifecycle import (
    ARCHIVE,
    EDITABLE,
    PENDING_REVIEW,
    PUBLISH,
    PUBLISHED,
    REJECT,
    SUBMIT,
    Transition,
)
from app.listings.schemas import ListingIn, ListingPatch
from app.matching.changes import record_change, record_changes
from app.needs.models import Need
from app.offers.models import Offer
from app.organizations.models import Organization

Listing = TypeVar("Listing", Offer, Need)
Check = Callable[[Any], None]
# Fields a client may leave out but never set to null.
_NOT_NULL = (
    "title",
    "summary",
    "description",
    "keywords",
    "field_code",
    "province_code",
    "transfer_forms",
    "transfer_methods",
    "confidential",
)
_DATES = ("valid_until", "deadline")
# What the department reviewed: changing any of these on a published listing sends it back.
SUBSTANTIVE = ("title", "summary", "description", "keywords", "field_code")


def _check_dates(values: dict[str, Any]) -> None:
    today = date.today()
    for name in _DATES:
        value = values.get(name)
        if isinstance(value, date) and value < today:
            raise InvalidInput.of("past_date", loc=["body", name], name=name)


def _not_suspended() -> ColumnElement[bool]:
    return Organization.status != "suspended"


def publicly_visible(model: type[Listing]) -> ColumnElement[bool]:
    """Published and of an organisation that is not suspended."""
    return (model.status == PUBLISHED) & model.organization_id.in_(
        select(Organization.id).where(_not_suspended())
    )


def visibility(model: type[Listing], actor: Actor | None) -> ColumnElement[bool]:
    """Rows the caller may read: public ones, its own in every status, all for the department."""
    if actor is not None and actor.is_department:
        return true()
    condition = publicly_visible(model)
    if actor is not None:
        condition = condition | (model.organization_id == actor.organization_id)
    return condition


def get_visible(
    session: Session, model: type[Listing], *, actor: Actor | None, listing_id: str
) -> Listing:
    """A listing the caller may read; anything else, including another's draft, is a 404."""
    row = session.scalar(
        select(model).where(
            model.id == listing_id, model.deleted_at.is_(None), visibility(model, actor)
        )
    )
    if row is None:
        raise NotFound(f"No such {model.kind}.")
    return row


def _owned(session: Session, model: type[Listing], *, actor: Actor, listing_id: str) -> Listing:
    row = get_visible(session, model, actor=actor, listing_id=listing_id)
    if not actor.may_manage(row.organization_id):
        raise Forbidden(f"Only the organisation that owns this {model.kind} may change it.")
    return row


def create(
    session: Session, model: type[Listing], *, actor: Actor, body: ListingIn, check: Check
) -> Listing:
    """A new listing in ``draft``, owned by the caller's organisation."""
    values = body.model_dump()
    _check_dates(values)
    row = model(**values, organization_id=actor.organization_id, created_by=actor.user_id)
    check(row)
    session.add(row)
    session.flush()
    record_change(session, listing_kind=model.kind, listing_id=row.id)
    return row


def create_many(
    session: Session,
    model: type[Listing],
    *,
    actor: Actor,
    bodies: list[Any],
    check: Check,
    submit: bool = False,
    review_required: bool = True,
) -> list[Listing]:
    """``create`` (and with ``submit``, ``submit``) for many listings of the caller's
    organisation in a constant number of statements: one insert, one change-feed version."""
    if submit:
        organization = session.get(Organization, actor.organization_id)
        if organization is None or organization.status != "verified":
            raise Conflict("Only a verified organisation's listings can be submitted.")
    target = SUBMIT.target if review_required else PUBLISHED
    rows = []
    for body in bodies:
        values = body.model_dump()
        _check_dates(values)
        row = model(**values, organization_id=actor.organization_id, created_by=actor.user_id)
        check(row)
        if submit:
            row.status = target
            row.published_at = utcnow() if target == PUBLISHED else None
        rows.append(row)
    session.add_all(rows)
    session.flush()
    record_changes(session, listing_kind=model.kind, listing_ids=[row.id for row in rows])
    return rows


def update(
    session: Session,
    model: type[Listing],
    *,
    actor: Actor,
    listing_id: str,
    body: ListingPatch,
    if_match: int | None,
    check: Check,
    review_required: bool,
) -> Listing:
    """Apply a partial update (owner or department); stale ``If-Match`` → 412.

    An owner's substantive edit of a published listing returns it to ``pending_review`` when
    review is on, so nothing the department has not seen stays published.
    """
    row = _owned(session, model, actor=actor, listing_id=listing_id)
    check_version(row.version, if_match)
    if row.status not in EDITABLE:
        raise Conflict(f"An {row.status} {model.kind} cannot be edited.")
    changes = body.model_dump(exclude_unset=True)
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput.of("not_null", loc=["body", name], name=name)
    _check_dates(changes)
    substantive = any(
        name in changes and changes[name] != getattr(row, name) for name in SUBSTANTIVE
    )
    for name, value in changes.items():
        setattr(row, name, value)
    check(row)
    if row.status == PUBLISHED and substantive and review_required and not actor.is_department:
        row.status = PENDING_REVIEW
    _touch(row)
    flush_conditionally(session, if_match=if_match)
    record_change(session, listing_kind=model.kind, listing_id=row.id)
    return row


def delete(
    session: Session, model: type[Listing], *, actor: Actor, listing_id: str, if_match: int | None
) -> None:
    """Soft delete: the row stays for the record but is gone from every read."""
    row = _owned(session, model, actor=actor, listing_id=listing_id)
    check_version(row.version, if_match)
    row.deleted_at = utcnow()
    _touch(row)
    flush_conditionally(session, if_match=if_match)
    record_change(session, listing_kind=model.kind, listing_id=row.id)


def _touch(row: Offer | Need) -> None:
    row.version += 1
    row.updated_at = utcnow()


def _move(
    session: Session, row: Listing, transition: Transition, target: str | None = None
) -> Listing:
    if row.status not in transition.sources:
        raise Conflict(f"Cannot {transition.action} a {row.kind} in status '{row.status}'.")
    row.status = target or transition.target
    if row.status == PUBLISHED:
        row.published_at = utcnow()
        row.rejection_reason = None
    _touch(row)
    flush_conditionally(session)
    record_change(session, listing_kind=row.kind, listing_id=row.id)
    return row


def submit(
    session: Session, model: type[Listing], *, actor: Actor, listing_id: str, review_required: bool
) -> Listing:
    """Owner: to review, or straight to ``published`` when review is switched off."""
    row = _owned(session, model, actor=actor, listing_id=listing_id)
    if not actor.acts_for(row.organization_id):
        raise Forbidden(f"Only the owner submits a {model.kind}.")
    if row.organization.status != "verified":
        raise Conflict("Only a verified organisation's listings can be submitted.")
    return _move(session, row, SUBMIT, None if review_required else PUBLISHED)


def publish(session: Session, model: type[Listing], *, listing_id: str) -> Listing:
    """Department: approve a listing under review."""
    row = _any(session, model, listing_id=listing_id)
    if row.organization.status != "verified":
        raise Conflict("The organisation must be verified before its listings are published.")
    return _move(session, row, PUBLISH)


def reject(session: Session, model: type[Listing], *, listing_id: str, reason: str) -> Listing:
    """Department: send a listing back to its owner with a reason."""
    row = _any(session, model, listing_id=listing_id)
    row.rejection_reason = reason
    return _move(session, row, REJECT)


def archive(session: Session, model: type[Listing], *, actor: Actor, listing_id: str) -> Listing:
    """Owner or department: withdraw a listing for good."""
    row = _owned(session, model, actor=actor, listing_id=listing_id)
    return _move(session, row, ARCHIVE)


def _any(session: Session, model: type[Listing], *, listing_id: str) -> Listing:
    row = session.scalar(select(model).where(model.id == listing_id, model.deleted_at.is_(None)))
    if row is None:
        raise NotFound(f"No such {model.kind}.")
    return row


def filtered_query(
    model: type[Listing],
    *,
    actor: Actor | None,
    field_code: str | None = None,
    province_code: str | None = None,
    status: str | None = None,
    organization_id: str | None = None,
    extra: list[ColumnElement[bool]] | None = None,
) -> Select[Listing]:
    """Visible, not deleted rows narrowed by the list filters."""
    query = select(model).where(model.deleted_at.is_(None), visibility(model, actor))
    if field_code:
        query = query.where(model.field_code.startswith(field_code, autoescape=True))
    if province_code:
        query = query.where(model.province_code == province_code)
    if status:
        query = query.where(model.status == status)
    if organization_id:
        query = query.where(model.organization_id == organization_id)
    for condition in extra or []:
        query = query.where(condition)
    return query


def count(session: Session, query: Select[Any]) -> int:
    return int(
        session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )


def page(
    session: Session,
    model: type[Listing],
    query: Select[Listing],
    *,
    limit: int,
    offset: int,
) -> tuple[list[Listing], int]:
    """Newest first."""
    total = count(session, query)
    rows = session.scalars(
        query.order_by(model.created_at.desc(), model.id).limit(limit).offset(offset)
    ).all()
    return list(rows), total
