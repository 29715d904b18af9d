"""Notification and webhook bodies."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from app.schemas import PlainLine, StrictModel


class NotificationOut(BaseModel):
    id: str
    kind: str
    payload: dict[str, Any]
    created_at: datetime
    read_at: datetime | None


class WebhookIn(StrictModel):
    url: Annotated[PlainLine, Field(min_length=1, max_length=500)]


class WebhookOut(BaseModel):
    organization_id: str
    url: str | None


class WebhookCreated(WebhookOut):
    """Returned when the webhook is set: the only time the signing secret is shown."""

    secret: str
    signature_header: str = "X-Techmatch-Signature"
    timestamp_header: str = "X-Techmatch-Timestamp"


class DeliveryOut(BaseModel):
    id: str
    notification_id: str
    kind: str
    url: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
