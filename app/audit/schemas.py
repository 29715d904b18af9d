"""Audit entries as the API shows them."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditActor(BaseModel):
    """Who acted: a user (with e-mail), an organisation's API key, the CLI or the system."""

    label: str
    user_id: str | None
    email: str | None
    api_key_id: str | None
    organization_id: str | None
    role: str | None


class AuditObject(BaseModel):
    type: str
    id: str | None


class AuditDigest(BaseModel):
    """SHA-256 of the object's canonical JSON before and after (None when it did not exist)."""

    before: str | None
    after: str | None


class AuditEntryOut(BaseModel):
    id: str
    at: datetime
    actor: AuditActor
    action: str
    object: AuditObject
    changed: list[str]
    digest: AuditDigest
    detail: dict[str, Any] | None
