"""Optimistic concurrency: integer versions exposed as ETags, checked against If-Match.

Checking the version on read is not enough: two requests can read the same version at once.
Versioned tables therefore map their ``version`` column as SQLAlchemy's ``version_id_col``, so
every UPDATE says ``WHERE id = :id AND version = :version_read``. The writer that comes second
updates no row, and ``flush_conditionally`` turns that into 412 (stale ``If-Match``) or 409.
"""

import re

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict, InvalidInput, PreconditionFailed

# ASCII digits only ("²".isdigit() is True), and few enough that int() stays cheap.
_ETAG = re.compile(r'(?:W/)?"?([0-9]{1,18})"?', re.ASCII)
STALE = "The resource has changed; fetch it again and retry."
CONCURRENT = "The resource was changed by a concurrent request; fetch it again and retry."


def etag(version: int) -> str:
    """The strong ETag of a resource at ``version``."""
    return f'"{version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version named by an ``If-Match`` header (``"3"``, ``W/"3"`` or ``3``); ``*`` → None."""
    if header is None or header.strip() in ("", "*"):
        return None
    match = _ETAG.fullmatch(header.strip())
    if match is None:
        raise InvalidInput(
            "If-Match must carry the ETag of the resource.", loc=["header", "If-Match"]
        )
    return int(match.group(1))


def check_version(current: int, if_match: int | None) -> None:
    """Raise ``PreconditionFailed`` when the client's ``If-Match`` is stale."""
    if if_match is not None and if_match != current:
        raise PreconditionFailed(
            f"The resource has changed (now version {current}); fetch it again and retry."
        )


def flush_conditionally(session: Session, *, if_match: int | None = None) -> None:
    """Flush pending versioned writes; losing a race is 412 with ``If-Match``, else 409."""
    try:
        session.flush()
    except StaleDataError as exc:
        if if_match is not None:
            raise PreconditionFailed(STALE) from exc
        raise Conflict(CONCURRENT) from exc
