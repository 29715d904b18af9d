"""Optimistic concurrency: integer versions exposed as ETags, checked against If-Match."""

from app.errors import InvalidInput, PreconditionFailed


def etag(version: int) -> str:
    """The strong ETag of a resource at ``version``."""
    return f'"{version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version named by an ``If-Match`` header (``"3"``, ``W/"3"`` or ``3``); ``*`` → None."""
    if header is None or header.strip() in ("", "*"):
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInput(
            "If-Match must carry the ETag of the resource.", loc=["header", "If-Match"]
        )
    return int(value)


def check_version(current: int, if_match: int | None) -> None:
    """Raise ``PreconditionFailed`` when the client's ``If-Match`` is stale."""
    if if_match is not None and if_match != current:
        raise PreconditionFailed(
            f"The resource has changed (now version {current}); fetch it again and retry."
        )
