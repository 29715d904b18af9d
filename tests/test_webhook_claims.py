"""Several workers sending webhooks at once send each due delivery exactly once (finding 11)."""

import threading
from collections import Counter

from app.config import Settings
from app.db import make_engine, make_session_factory, session_scope, utcnow
from app.notifications.models import Notification, WebhookDelivery
from app.notifications.worker import deliver_once
from app.organizations.models import Organization
from tests.conftest import make_settings
from tests.test_webhooks import Receiver

DELIVERIES = 30
WORKERS = 4


def _queue(settings: Settings, url: str) -> None:
    factory = make_session_factory(make_engine(settings.database_url))
    for session in session_scope(factory):
        org = Organization(
            name="Doanh nghiệp",
            kind="enterprise",
            province_code="25",
            status="verified",
            webhook_url=url,
            webhook_secret="s" * 32,
        )
        session.add(org)
        session.flush()
        for i in range(DELIVERIES):
            note = Notification(organization_id=org.id, kind="new_match", payload={"i": i})
            session.add(note)
            session.flush()
            session.add(
                WebhookDelivery(
                    notification_id=note.id,
                    organization_id=org.id,
                    url=url,
                    status="pending",
                    attempts=0,
                    next_attempt_at=utcnow(),
                )
            )


def test_parallel_workers_send_each_delivery_once(database_url: str, api: object) -> None:
    settings = make_settings(database_url, webhook_allow_private=True, webhook_worker=False)
    with Receiver() as receiver:
        _queue(settings, receiver.url)
        barrier = threading.Barrier(WORKERS)

        def worker() -> None:
            factory = make_session_factory(make_engine(settings.database_url))  # its own pool
            barrier.wait()
            for _ in range(3):
                deliver_once(factory, settings)

        threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    sent = Counter(r["headers"]["X-Techmatch-Delivery"] for r in receiver.requests)
    assert len(sent) == DELIVERIES
    assert set(sent.values()) == {1}, sent.most_common(3)
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        statuses = Counter(d.status for d in session.query(WebhookDelivery))
    assert statuses == {"delivered": DELIVERIES}
