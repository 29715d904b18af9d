"""Rendering every failure as ``application/problem+json``, with a request id in the log."""

import logging
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.concurrency import CONCURRENT
from app.errors import AppError, InvalidInput
from app.messages import en_message, prefers_vietnamese, vi_message, vietnamese

log = logging.getLogger("techmatch")
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

PROBLEM = "application/problem+json"
_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    431: "Request header fields too large",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response; ``type`` stays ``about:blank`` as RFC 9457 allows."""
    body = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM)


_MAX_LOC_PART = 40


# A part of the site meant for browsers (the dashboard) answers errors with its own HTML page:
# renderer(status, request_id, details) → Response, registered per path prefix by
# install_html_errors; ``details`` are the Vietnamese validation messages of a 422.
HtmlErrorPage = Callable[[int, str, list[str]], Response]


def install_html_errors(app: FastAPI, prefix: str, renderer: HtmlErrorPage) -> None:
    """Errors under ``prefix`` are rendered by ``renderer`` instead of problem+json."""
    pages: dict[str, HtmlErrorPage] = getattr(app.state, "html_error_pages", {})
    pages[prefix] = renderer
    app.state.html_error_pages = pages


def _html_page(scope: Scope) -> HtmlErrorPage | None:
    app = scope.get("app")
    pages: dict[str, HtmlErrorPage] = getattr(getattr(app, "state", None), "html_error_pages", {})
    path = str(scope.get("path", ""))
    for prefix, renderer in pages.items():
        if path == prefix or path.startswith(prefix + "/"):
            return renderer
    return None


def _loc(loc: tuple[Any, ...]) -> list[str | int]:
    # A location names a field, but an unknown field's name is client input: a long one is cut.
    parts: list[str | int] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(part)
        else:
            text = str(part)
            parts.append(text if len(text) <= _MAX_LOC_PART else text[:_MAX_LOC_PART] + "…")
    return parts


def wants_vietnamese(request: Request) -> bool:
    """The dashboard always speaks Vietnamese; the API when asked (``Accept-Language: vi``)."""
    return request.url.path.startswith("/dashboard") or prefers_vietnamese(
        request.headers.get("accept-language")
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    if isinstance(exc, InvalidInput) and exc.code and wants_vietnamese(request):
        message = vietnamese(exc.code, **exc.ctx)
        errors = [{"loc": exc.loc, "msg": message, "type": exc.code}]
        return problem(exc.status, message, title="Dữ liệu không hợp lệ", errors=errors)
    return problem(exc.status, exc.detail, title=exc.title, headers=exc.headers, **exc.extra)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    page = _html_page(request.scope)
    if page is not None:
        details = [
            f"{'.'.join(str(p) for p in _loc(tuple(err.get('loc', ())))[1:])}: {vi_message(err)}"
            for err in exc.errors()
        ]
        return page(422, request_id_var.get(), details)
    # pydantic's messages name the rule, never the value.
    vi = wants_vietnamese(request)
    errors = [
        {
            "loc": _loc(tuple(err.get("loc", ()))),
            "msg": vi_message(err) if vi else en_message(err),
        }
        for err in exc.errors()
    ]
    if vi:
        detail = "Yêu cầu không hợp lệ; xem 'errors'."
        return problem(422, detail, title="Dữ liệu không hợp lệ", errors=errors)
    return problem(422, "The request is not valid; see 'errors'.", errors=errors)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    page = _html_page(request.scope)
    if page is not None and exc.status_code in (404, 405, 422):
        return page(exc.status_code, request_id_var.get(), [])
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404 and detail == "Not Found":
        detail = "No such resource."
    if exc.status_code == 405:
        detail = "This method is not allowed on this resource."
    return problem(exc.status_code, detail, headers=dict(exc.headers or {}))


# A uniqueness check done before the insert can lose a race; the constraint then decides. The
# message names what is taken, never the value (the database's own message quotes it).
_TAKEN = (
    (
        ("users.email", "uq_users_email", "ix_users_email"),
        "An account with this e-mail address already exists.",
    ),
    (
        ("organizations.tax_code", "uq_organizations_tax_code"),
        "An organisation with this tax code is already registered.",
    ),
)
_CONFLICT = (
    "The request conflicts with the current data (a duplicate, or something it refers to has "
    "just changed); fetch it again and retry."
)


async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, IntegrityError)
    reason = str(exc.orig)
    log.info("integrity error mapped to 409: %s", reason.splitlines()[0] if reason else "-")
    for needles, message in _TAKEN:
        if any(needle in reason for needle in needles):
            return problem(409, message)
    return problem(409, _CONFLICT)


async def _stale_data(_request: Request, exc: Exception) -> JSONResponse:
    # A versioned write that lost a race outside flush_conditionally (e.g. at commit).
    return problem(409, CONCURRENT)


def _internal_error(request_id: str) -> JSONResponse:
    return problem(
        500,
        f"An unexpected error occurred. Quote request id {request_id} to the operator.",
        request_id=request_id,
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Only reached for errors outside RequestContextMiddleware, which handles the rest.
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    page = _html_page(request.scope)
    if page is not None:
        return page(500, request_id_var.get(), [])
    return _internal_error(request_id_var.get())


def install_error_handlers(app: FastAPI) -> None:
    """Route every exception family to its problem+json renderer."""
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StaleDataError, _stale_data)
    app.add_exception_handler(Exception, _unexpected)


class RequestContextMiddleware:
    """Gives each request an id (``X-Request-ID``) and caps the body size (413).

    Written as plain ASGI so the size cap also holds for chunked bodies without a length.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        token = request_id_var.set(request_id)
        try:
            await self._handle(scope, receive, send, request_id)
        finally:
            request_id_var.reset(token)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        too_large = problem(413, f"The request body exceeds {self.max_body_bytes} bytes.")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_body_bytes:
                    await too_large(scope, receive, send)
                    return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge(self.max_body_bytes)
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except _BodyTooLarge:
            if not response_started:
                await too_large(scope, receive, send_with_id)
        except Exception:
            # Logged here, inside the request's context, so the log line carries its id.
            log.exception(
                "unhandled error on %s %s [request_id=%s]",
                scope.get("method"),
                scope.get("path"),
                request_id,
            )
            if not response_started:
                page = _html_page(scope)
                answer = page(500, request_id, []) if page else _internal_error(request_id)
                await answer(scope, receive, send_with_id)


class _BodyTooLarge(StarletteHTTPException):
    """Raised while reading; an HTTPException so FastAPI's body parser lets it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body exceeds {limit} bytes.")
