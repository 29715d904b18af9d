"""The in-memory index of one worker process, kept in step with the database.

Before answering, a worker reads ``index_state.version`` (one indexed row). If the database is
ahead, it replays only the listings named in the change feed since its own version: a committed
change is visible in the very next response of every worker, and nothing is rebuilt per request.
"""

import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.listings.lifecycle import PUBLISHED
from app.matching.changes import current_version
from app.matching.engine import Matcher
from app.matching.models import ListingChange
from app.matching.records import need_record, offer_record
from app.matching.tuning import WEIGHTS_KIND, active_weights
from app.needs.models import Need
from app.offers.models import Offer
from app.organizations.models import Organization

T = TypeVar("T")
_LOAD_CHUNK = 500


def _indexable(model: Any) -> list[ColumnElement[bool]]:
    """Published, not deleted, and not of a suspended organisation."""
    return [
        model.status == PUBLISHED,
        model.deleted_at.is_(None),
        model.organization_id.in_(
            select(Organization.id).where(Organization.status != "suspended")
        ),
    ]


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), _LOAD_CHUNK):
        yield values[start : start + _LOAD_CHUNK]


class LiveIndex:
    """A ``Matcher`` plus the index version it reflects; all access under one lock."""

    def __init__(self, make_matcher: Callable[[], Matcher]) -> None:
        self._make_matcher = make_matcher
        self.matcher = make_matcher()
        self.version = -1
        self.lock = threading.RLock()

    def rebuild(self, session: Session) -> int:
        """Load every indexable listing from scratch (start-up, ``techmatch reindex``)."""
        with self.lock:
            version = current_version(session)  # read first: later rows can only be newer
            offers = session.scalars(select(Offer).where(*_indexable(Offer))).all()
            needs = session.scalars(select(Need).where(*_indexable(Need))).all()
            matcher = self._make_matcher()
            weights = active_weights(session)
            if weights is not None:
                matcher.weights = weights
            matcher.fit([offer_record(o) for o in offers], [need_record(n) for n in needs])
            self.matcher = matcher
            self.version = version
            return version

    def sync(self, session: Session) -> int:
        """Catch up with the database; returns the version now reflected."""
        version = current_version(session)
        with self.lock:
            if self.version < 0:
                return self.rebuild(session)
            if version <= self.version:
                return self.version
            changed = session.execute(
                select(ListingChange.listing_kind, ListingChange.listing_id)
                .where(ListingChange.version > self.version, ListingChange.version <= version)
                .distinct()
            ).all()
            if any(kind == "all" for kind, _ in changed):  # ``techmatch reindex``
                return self.rebuild(session)
            if any(kind == WEIGHTS_KIND for kind, _ in changed):  # ``techmatch tune``
                self.matcher.weights = active_weights(session) or self.matcher.weights
            offer_ids = sorted({lid for kind, lid in changed if kind == "offer"})
            need_ids = sorted({lid for kind, lid in changed if kind == "need"})
            self._refresh(session, Offer, offer_ids)
            self._refresh(session, Need, need_ids)
            self.version = version
            return version

    def _refresh(self, session: Session, model: Any, ids: list[str]) -> None:
        for chunk in _chunks(ids):
            live = {
                row.id: row
                for row in session.scalars(
                    select(model).where(model.id.in_(chunk), *_indexable(model))
                )
            }
            for listing_id in chunk:
                row = live.get(listing_id)
                if isinstance(row, Offer):
                    self.matcher.upsert_offer(offer_record(row))
                elif isinstance(row, Need):
                    self.matcher.upsert_need(need_record(row))
                elif model is Offer:
                    self.matcher.remove_offer(listing_id)
                else:
                    self.matcher.remove_need(listing_id)
