"""/notifications and /organizations/{id}/webhook."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.deps import AdminActor, CurrentActor, SessionDep, SettingsDep
from app.notifications import service, subscriptions
from app.notifications.schemas import (
    DeliveryOut,
    NotificationOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
)
from app.schemas import LimitParam, OffsetParam, Page

router = APIRouter(tags=["notifications"])
DeliveryStatus = Annotated[str | None, Query(pattern="^(pending|delivered|failed|cancelled)$")]


@router.get("/notifications")
def list_notifications(
    actor: CurrentActor,
    session: SessionDep,
    unread: bool | None = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[NotificationOut]:
    """The caller's organisation's notifications, newest first."""
    rows, total = service.list_page(session, actor=actor, unread=unread, limit=limit, offset=offset)
    items = [NotificationOut.model_validate(row, from_attributes=True) for row in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/notifications/{notification_id}/read")
def read_notification(
    notification_id: str, actor: CurrentActor, session: SessionDep
) -> NotificationOut:
    """Mark one of the organisation's notifications as read."""
    row = service.mark_read(session, actor=actor, notification_id=notification_id)
    return NotificationOut.model_validate(row, from_attributes=True)


@router.get("/organizations/{organization_id}/webhook")
def get_webhook(organization_id: str, actor: AdminActor, session: SessionDep) -> WebhookOut:
    """The organisation's webhook URL (never its secret)."""
    organization = subscriptions.get_webhook(session, actor=actor, organization_id=organization_id)
    return WebhookOut(organization_id=organization.id, url=organization.webhook_url)


@router.put("/organizations/{organization_id}/webhook")
def set_webhook(
    organization_id: str,
    body: WebhookIn,
    actor: AdminActor,
    session: SessionDep,
    settings: SettingsDep,
) -> WebhookCreated:
    """Register the webhook URL; the signing secret is in this response only."""
    organization, secret = subscriptions.set_webhook(
        session,
        actor=actor,
        organization_id=organization_id,
        url=body.url,
        allow_private=settings.webhook_allow_private,
    )
    return WebhookCreated(
        organization_id=organization.id, url=organization.webhook_url, secret=secret
    )


@router.delete("/organizations/{organization_id}/webhook", status_code=204)
def remove_webhook(organization_id: str, actor: AdminActor, session: SessionDep) -> Response:
    """Stop sending webhooks to the organisation."""
    subscriptions.remove_webhook(session, actor=actor, organization_id=organization_id)
    return Response(status_code=204)


@router.get("/organizations/{organization_id}/webhook/deliveries")
def list_deliveries(
    organization_id: str,
    actor: AdminActor,
    session: SessionDep,
    status: DeliveryStatus = None,
    limit: LimitParam = 20,
    offset: OffsetParam = 0,
) -> Page[DeliveryOut]:
    """Every delivery with its attempts and last error (the org's admin or the department)."""
    rows, total = subscriptions.list_deliveries(
        session,
        actor=actor,
        organization_id=organization_id,
        status=status,
        limit=limit,
        offset=offset,
    )
    items = [subscriptions.delivery_out(delivery, kind=kind) for delivery, kind in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)
