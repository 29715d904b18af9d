"""One error family, rendered as RFC 9457 ``application/problem+json``."""

from typing import Any

from app.messages import english


class AppError(Exception):
    """A failure the client can act on; ``status`` is the HTTP status it maps to."""

    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


class Unauthorized(AppError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str = "Authentication required.", **extra: Any):
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extra)


class Forbidden(AppError):
    status = 403
    title = "Forbidden"


class NotFound(AppError):
    status = 404
    title = "Not found"


class Conflict(AppError):
    status = 409
    title = "Conflict"


class PreconditionFailed(AppError):
    status = 412
    title = "Precondition failed"


class ServiceUnavailable(AppError):
    """The server is saturated or not ready for this work; the client should retry shortly."""

    status = 503
    title = "Service unavailable"

    def __init__(self, detail: str, *, retry_after: int = 2):
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class PayloadTooLarge(AppError):
    status = 413
    title = "Payload too large"


class InvalidInput(AppError):
    """A semantic validation failure found after parsing (422 with ``errors``)."""

    status = 422
    title = "Validation failed"

    def __init__(
        self,
        detail: str,
        *,
        loc: list[str | int] | None = None,
        code: str | None = None,
        ctx: dict[str, Any] | None = None,
    ):
        error: dict[str, Any] = {"loc": loc or ["body"], "msg": detail}
        if code is not None:
            error["type"] = code
        super().__init__(detail, errors=[error])
        self.code = code
        self.ctx = ctx or {}
        self.loc = loc or ["body"]

    @classmethod
    def of(cls, code: str, *, loc: list[str | int], **ctx: Any) -> "InvalidInput":
        """An error of the message catalogue (English detail; Vietnamese on request)."""
        return cls(english(code, **ctx), loc=loc, code=code, ctx=ctx)


class RateLimited(AppError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail, headers={"Retry-After": str(retry_after)})
