"""A connection as its viewer may see it: confidential needs and contacts kept back."""

from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.connections import reveals
from app.connections.models import Connection
from app.connections.schemas import ConnectionEventOut, ConnectionOut
from app.connections.service import events, side_of
from app.matching.service import summary
from app.needs.models import Need
from app.needs.privacy import identity_visible
from app.needs.spec import NEEDS
from app.offers.models import Offer
from app.offers.spec import OFFERS
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationOut
from app.organizations.service import to_out as organization_out


def connection_out(session: Session, *, actor: Actor, connection: Connection) -> ConnectionOut:
    """The response body; reveals of the counterpart's contacts are recorded."""
    side = side_of(connection, actor.organization_id)
    need = session.get(Need, connection.need_id)
    offer = session.get(Offer, connection.offer_id)
    assert need is not None and offer is not None  # rows are soft-deleted, never removed
    need_identity = identity_visible(session, actor=actor, need=need)
    shared = side is not None and reveals.is_revealed(connection)
    need_org = _organization(
        session,
        actor,
        connection.need_organization_id,
        visible=need_identity,
        contacts=shared and side == "offer",
        connection=connection,
    )
    offer_org = _organization(
        session,
        actor,
        connection.offer_organization_id,
        visible=True,
        contacts=shared and side == "need",
        connection=connection,
    )
    counterpart = {"need": offer_org, "offer": need_org}.get(side or "")
    history = [
        ConnectionEventOut(
            from_status=event.from_status,
            to_status=event.to_status,
            by_side=side_of(connection, event.actor_organization_id),
            created_at=event.created_at,
        )
        for event in events(session, connection_id=connection.id)
    ]
    opened_by = side_of(connection, connection.opened_by_organization_id)
    return ConnectionOut(
        id=connection.id,
        need_id=connection.need_id,
        offer_id=connection.offer_id,
        status=connection.status,
        message=connection.message,
        opened_by=opened_by,
        my_side=side,
        need=summary(NEEDS, session, actor, need),
        offer=summary(OFFERS, session, actor, offer),
        need_organization_id=connection.need_organization_id if need_identity else None,
        offer_organization_id=connection.offer_organization_id,
        need_organization=need_org,
        offer_organization=offer_org,
        counterpart=counterpart,
        contacts_visible=actor.is_department or shared,
        version=connection.version,
        created_at=connection.created_at,
        updated_at=connection.updated_at,
        accepted_at=connection.accepted_at,
        negotiating_at=connection.negotiating_at,
        contracted_at=connection.contracted_at,
        closed_at=connection.closed_at,
        events=history,
    )


def _organization(
    session: Session,
    actor: Actor,
    organization_id: str,
    *,
    visible: bool,
    contacts: bool,
    connection: Connection,
) -> OrganizationOut | None:
    if not visible:
        return None
    organization = session.get(Organization, organization_id)
    if organization is None:
        return None
    own = actor.may_manage(organization_id)
    if contacts and not own:
        reveals.record(
            session,
            actor=actor,
            subject_organization_id=organization_id,
            what=reveals.CONTACTS,
            connection_id=connection.id,
        )
    return organization_out(organization, show_contacts=own or contacts)
