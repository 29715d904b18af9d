"""Connection, dismissal and reveal bodies."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from app.matching.schemas import ListingSummary
from app.organizations.schemas import OrganizationOut
from app.schemas import Id, Message, Reason, StrictModel

Side = Literal["need", "offer"]


class ConnectionIn(StrictModel):
    need_id: Id
    offer_id: Id
    message: Message = ""


class ConnectionEventOut(BaseModel):
    """One step of the history; ``by_side`` names the party, never its organisation."""

    from_status: str | None
    to_status: str
    by_side: Side | None
    created_at: datetime


class ConnectionOut(BaseModel):
    """A connection as the caller may see it.

    The need's organisation (id, name, contacts) is null for the offer side while the need is
    confidential and the connection not yet accepted; contacts of the counterpart appear once
    the connection is accepted (and stay after it is closed; a withdrawal ends them).
    """

    id: str
    need_id: str
    offer_id: str
    status: str
    message: str
    opened_by: Side
    my_side: Side | None
    need: ListingSummary
    offer: ListingSummary
    need_organization_id: str | None
    offer_organization_id: str | None
    need_organization: OrganizationOut | None
    offer_organization: OrganizationOut | None
    counterpart: OrganizationOut | None
    contacts_visible: bool
    version: int
    created_at: datetime
    updated_at: datetime
    accepted_at: datetime | None
    negotiating_at: datetime | None
    contracted_at: datetime | None
    closed_at: datetime | None
    events: list[ConnectionEventOut]


class DismissIn(StrictModel):
    reason: Reason


class DismissalOut(BaseModel):
    id: str
    organization_id: str
    need_id: str
    offer_id: str
    side: Side
    reason: str
    created_at: datetime


class RevealOut(BaseModel):
    id: str
    viewer_organization_id: str
    viewer_user_id: str | None
    subject_organization_id: str
    connection_id: str | None
    what: str
    via: str
    created_at: datetime
