"""The background thread that sends due webhook deliveries while the API runs."""

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import session_scope, utcnow
from app.notifications.webhooks import deliver_due, make_client

log = logging.getLogger("techmatch.webhooks")


def deliver_once(factory: sessionmaker[Session], settings: Settings) -> int:
    """One pass over the due deliveries, in its own transaction; returns how many."""
    done = 0
    with make_client(settings.webhook_timeout_seconds) as client:
        for session in session_scope(factory):
            done = deliver_due(
                session, utcnow(), client, allow_private=settings.webhook_allow_private
            )
    return done


class WebhookWorker:
    """Polls every ``webhook_worker_interval_seconds`` until stopped.

    Several API processes may each run one: on PostgreSQL deliveries are claimed with
    ``SKIP LOCKED``, so none is sent twice.
    """

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self._factory = factory
        self._settings = settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="webhook-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self._settings.webhook_timeout_seconds * 2 + 5)

    def _run(self) -> None:
        while not self._stop.wait(self._settings.webhook_worker_interval_seconds):
            try:
                deliver_once(self._factory, self._settings)
            except Exception:  # keep polling: the database may come back
                log.exception("webhook worker pass failed")
