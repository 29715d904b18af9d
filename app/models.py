"""Every table, imported once so that ``Base.metadata`` is complete (Alembic, tests)."""

from app.audit import recorder as _audit_recorder  # noqa: F401  (registers the listener)
from app.audit.models import AuditEntry
from app.auth.models import AccessToken, ApiKey, LoginFailure, PasswordReset, User
from app.connections.models import Connection, ConnectionEvent, ContactReveal, MatchDismissal
from app.db import Base
from app.matching.models import IndexState, ListingChange
from app.needs.models import Need
from app.notifications.models import Notification, WebhookDelivery
from app.offers.models import Offer
from app.organizations.models import Organization

__all__ = [
    "AccessToken",
    "ApiKey",
    "AuditEntry",
    "Base",
    "Connection",
    "ConnectionEvent",
    "ContactReveal",
    "IndexState",
    "ListingChange",
    "LoginFailure",
    "MatchDismissal",
    "Need",
    "Notification",
    "Offer",
    "Organization",
    "PasswordReset",
    "User",
    "WebhookDelivery",
]
