"""An organisation's webhook: registering it (the secret is shown once), removing it, and
the record of its deliveries."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.actor import ORG_ADMIN, Actor
from app.errors import Forbidden, NotFound
from app.notifications.models import Notification, WebhookDelivery
from app.notifications.schemas import DeliveryOut
from app.notifications.webhooks import new_secret, validate_for_registration
from app.organizations.models import Organization
from app.organizations.service import visible_organization


def _administered(session: Session, *, actor: Actor, organization_id: str) -> Organization:
    organization = visible_organization(session, actor=actor, organization_id=organization_id)
    if not (actor.acts_for(organization.id) and actor.role == ORG_ADMIN):
        raise Forbidden("Only the organisation's admin manages its webhook.")
    return organization


def set_webhook(
    session: Session, *, actor: Actor, organization_id: str, url: str, allow_private: bool
) -> tuple[Organization, str]:
    """Register (or replace) the webhook URL; a new signing secret is returned, once."""
    organization = _administered(session, actor=actor, organization_id=organization_id)
    organization.webhook_url = validate_for_registration(url, allow_private=allow_private)
    secret = new_secret()
    organization.webhook_secret = secret
    session.flush()
    return organization, secret


def remove_webhook(session: Session, *, actor: Actor, organization_id: str) -> None:
    """Stop sending; pending deliveries are cancelled when next due."""
    organization = _administered(session, actor=actor, organization_id=organization_id)
    if organization.webhook_url is None:
        raise NotFound("The organisation has no webhook.")
    organization.webhook_url = None
    organization.webhook_secret = None
    session.flush()


def get_webhook(session: Session, *, actor: Actor, organization_id: str) -> Organization:
    """The organisation, for its webhook settings (its admin or the department)."""
    organization = visible_organization(session, actor=actor, organization_id=organization_id)
    if not actor.may_manage(organization.id):
        raise Forbidden("Only the organisation's admin or the department see its webhook.")
    return organization


def list_deliveries(
    session: Session,
    *,
    actor: Actor,
    organization_id: str,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[WebhookDelivery, str]], int]:
    """Deliveries newest first, each with its notification's kind."""
    get_webhook(session, actor=actor, organization_id=organization_id)
    query = (
        select(WebhookDelivery, Notification.kind)
        .join(Notification, Notification.id == WebhookDelivery.notification_id)
        .where(WebhookDelivery.organization_id == organization_id)
    )
    if status:
        query = query.where(WebhookDelivery.status == status)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return [(delivery, kind) for delivery, kind in rows], int(total)


def delivery_out(delivery: WebhookDelivery, *, kind: str) -> DeliveryOut:
    """The response body of one delivery."""
    return DeliveryOut(
        id=delivery.id,
        notification_id=delivery.notification_id,
        kind=kind,
        url=delivery.url,
        status=delivery.status,
        attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
    )
