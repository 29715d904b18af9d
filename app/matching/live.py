"""The in-memory index of one worker process, kept in step with the database.

Before answering, a worker reads ``index_state.version`` (one indexed row). If the database is
ahead, it replays only the listings named in the change feed since its own version: a committed
change is visible in the very next response of every worker, and nothing is rebuilt per request.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, sessionmaker

from app.errors import ServiceUnavailable
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
log = logging.getLogger(__name__)


def indexable(model: Any) -> list[ColumnElement[bool]]:
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
        self.built = threading.Event()
        self.build_error: str | None = None
        self.build_seconds: float | None = None
        self._builder: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self, factory: sessionmaker[Session], *, retry_seconds: float = 2.0) -> None:
        """Build the index in a background thread (the API's start-up): ``/readyz`` answers 503
        until it is built, and no request ever builds it (they wait for it instead)."""

        def build() -> None:
            while not self.built.is_set() and not self._stopping.is_set():
                started = time.perf_counter()
                try:
                    with factory() as session:
                        self.rebuild(session)
                except Exception as error:  # the database may not be up or migrated yet
                    self.build_error = f"{type(error).__name__}: {error}"
                    log.warning("index build failed, retrying: %s", self.build_error)
                    self._stopping.wait(retry_seconds)
                    continue
                self.build_seconds = time.perf_counter() - started
                self.build_error = None
                log.info(
                    "index built: %d offers, %d needs, version %d in %.1f s",
                    self.matcher.n_offers,
                    self.matcher.n_needs,
                    self.version,
                    self.build_seconds,
                )
                self.built.set()

        self._builder = threading.Thread(target=build, name="index-build", daemon=True)
        self._builder.start()

    def stop(self) -> None:
        """End the start-up build's retries (the application is shutting down)."""
        self._stopping.set()

    @property
    def ready(self) -> bool:
        """Built (or left to be built on first use, outside the API: the CLI's own index)."""
        return self._builder is None or self.built.is_set()

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until the start-up build is done; 503 if it takes longer than ``timeout``."""
        if self._builder is not None and not self.built.wait(timeout):
            raise ServiceUnavailable("The matching index is still being built; retry shortly.")

    def rebuild(self, session: Session) -> int:
        """Load every indexable listing from scratch (start-up, ``techmatch reindex``)."""
        # Fitted outside the lock: requests keep being served from the old index meanwhile.
        version, matcher = self._fit(session)
        with self.lock:
            self.matcher = matcher
            self.version = version
            return version

    def _fit(self, session: Session) -> tuple[int, Matcher]:
        """A new matcher fitted on every indexable listing, and the version it reflects."""
        version = current_version(session)  # read first: later rows can only be newer
        offers = session.scalars(select(Offer).where(*indexable(Offer))).all()
        needs = session.scalars(select(Need).where(*indexable(Need))).all()
        matcher = self._make_matcher()
        weights = active_weights(session)
        if weights is not None:
            matcher.weights = weights
        matcher.fit([offer_record(o) for o in offers], [need_record(n) for n in needs])
        return version, matcher

    def sync(self, session: Session) -> int:
        """Catch up with the database; returns the version now reflected."""
        self.wait_ready()
        version = current_version(session)
        with self.lock:
            if self.version < 0:  # only an index without a start-up build (the CLI's)
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
                    select(model).where(model.id.in_(chunk), *indexable(model))
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
