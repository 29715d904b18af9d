"""The background thread that sends due webhook deliveries while the API runs."""

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import session_scope, utcnow
from app.notifications.webhooks import deliver_due, make_client
from app.periodic import PeriodicJob


def deliver_once(factory: sessionmaker[Session], settings: Settings) -> int:
    """One pass over the due deliveries, in its own transaction; returns how many."""
    done = 0
    with make_client(settings.webhook_timeout_seconds) as client:
        for session in session_scope(factory):
            done = deliver_due(
                session, utcnow(), client, allow_private=settings.webhook_allow_private
            )
    return done


def webhook_job(factory: sessionmaker[Session], settings: Settings) -> PeriodicJob:
    """The background sender: several API processes may each run one, since on PostgreSQL
    deliveries are claimed with ``SKIP LOCKED`` and none is sent twice."""
    return PeriodicJob(
        "webhook-worker",
        settings.webhook_worker_interval_seconds,
        lambda: deliver_once(factory, settings),
        stop_timeout=settings.webhook_timeout_seconds * 2 + 5,
    )
