"""The background thread that sends due webhook deliveries while the API runs."""

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import session_scope, utcnow
from app.notifications.webhooks import claim_due, make_client, send_claimed
from app.periodic import PeriodicJob


def deliver_once(factory: sessionmaker[Session], settings: Settings, *, batch: int = 20) -> int:
    """One pass over the due deliveries; returns how many were attempted.

    The claims are committed first (one short transaction), so another worker or process never
    sends the same delivery; the sends and their outcomes follow in a second transaction.
    """
    now = utcnow()
    # Long enough for the whole batch to time out; a crashed worker's claims then lapse.
    lease = timedelta(seconds=settings.webhook_timeout_seconds * batch + 30)
    claimed: list[str] = []
    for session in session_scope(factory):
        claimed = claim_due(session, now, lease=lease, batch=batch)
    if not claimed:
        return 0
    done = 0
    with make_client(settings.webhook_timeout_seconds) as client:
        for session in session_scope(factory):
            done = send_claimed(
                session, claimed, now, client, allow_private=settings.webhook_allow_private
            )
    return done


def webhook_job(factory: sessionmaker[Session], settings: Settings) -> PeriodicJob:
    """The background sender: several API processes may each run one, since every delivery
    is claimed by one conditional update and none is sent twice."""
    return PeriodicJob(
        "webhook-worker",
        settings.webhook_worker_interval_seconds,
        lambda: deliver_once(factory, settings),
        stop_timeout=settings.webhook_timeout_seconds * 2 + 5,
    )
