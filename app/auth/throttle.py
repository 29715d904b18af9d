"""The login throttle: failed sign-ins per e-mail and client over a sliding minute.

It lives in the database, so the limit holds across workers and machines. Each call is its own
short transaction (the one exception to "the request's session commits"): a failure must stay
recorded although the request that saw it answers 401 and rolls back. Entries expire by time
only, so no amount of other traffic can unlock a locked-out account.
"""

import hashlib
import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.auth.models import LoginFailure
from app.db import session_scope, utcnow
from app.errors import RateLimited

WINDOW = timedelta(minutes=1)


def throttle_key(email: str, client: str) -> str:
    """A fixed-size key: neither the address nor the client is stored in clear."""
    return hashlib.sha256(f"{email.strip().lower()}|{client}".encode()).hexdigest()


class LoginThrottle:
    """At most ``limit_per_minute`` failures per key in any minute, then 429."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        limit_per_minute: int,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.factory = factory
        self.limit = limit_per_minute
        self.clock = clock

    def check(self, key: str) -> None:
        """Raise ``RateLimited`` (with ``Retry-After``) when ``key`` failed too often."""
        now = self.clock()
        for session in session_scope(self.factory):
            recent = session.scalars(
                select(LoginFailure.failed_at)
                .where(LoginFailure.key == key, LoginFailure.failed_at > now - WINDOW)
                .order_by(LoginFailure.failed_at.desc())
                .limit(self.limit)
            ).all()
        if len(recent) >= self.limit:
            # The oldest of the last ``limit`` failures leaves the window first.
            wait = (recent[-1] + WINDOW - now).total_seconds()
            raise RateLimited(
                "Too many failed sign-in attempts.", retry_after=max(1, math.ceil(wait))
            )

    def failed(self, key: str) -> None:
        """Record a failure, and forget every failure older than the window."""
        now = self.clock()
        for session in session_scope(self.factory):
            session.add(LoginFailure(key=key, failed_at=now))
            session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - WINDOW))

    def succeeded(self, session: Session, key: str) -> None:
        """A correct password clears the key's failures, in the request's own transaction
        (a second connection would wait on the request's write lock on SQLite)."""
        session.execute(delete(LoginFailure).where(LoginFailure.key == key))
