"""Refusing hostile bytes in the parts of a request that no pydantic schema sees.

Path parameters, query strings, headers and url-encoded forms reach SQL as plain strings;
PostgreSQL refuses NUL in text (a 500), and no legitimate client sends control characters
there. This middleware answers such requests with a 4xx problem before any route runs, and
caps the total size of the headers (431) as a second line behind the server's own limit.
"""

from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.problems import problem

# C0 controls and DEL; tab, newline and carriage return are allowed in form values only.
_CONTROL = frozenset(chr(c) for c in [*range(0x20), 0x7F])
_FORM_ALLOWED = frozenset("\t\n\r")
_TAB = frozenset("\t")
_MESSAGE = "must not contain control characters"


def has_control(text: str, *, allowed: frozenset[str] = frozenset()) -> bool:
    """True when ``text`` holds a C0 control character or DEL not in ``allowed``."""
    return any(char in _CONTROL and char not in allowed for char in text)


def _bad_pairs(encoded: str, *, where: str, allowed: frozenset[str]) -> list[dict[str, object]]:
    errors: list[dict[str, object]] = []
    for name, value in parse_qsl(encoded, keep_blank_values=True, errors="replace"):
        if has_control(name) or has_control(value, allowed=allowed):
            # The name is echoed only when clean and short; a value never is.
            shown = name if not has_control(name) and len(name) <= 40 else "?"
            errors.append({"loc": [where, shown], "msg": _MESSAGE})
    return errors


class InputGuardMiddleware:
    """400 for control characters in the path or a header, 431 for oversized headers, 422
    for control characters in a query parameter or a url-encoded form field."""

    def __init__(self, app: ASGIApp, *, max_header_bytes: int) -> None:
        self.app = app
        self.max_header_bytes = max_header_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        if sum(len(name) + len(value) + 4 for name, value in headers) > self.max_header_bytes:
            detail = f"The request headers exceed {self.max_header_bytes} bytes."
            await problem(431, detail, title="Request header fields too large")(
                scope, receive, send
            )
            return
        if has_control(scope.get("path", "")):
            await problem(400, "The request path contains control characters.")(
                scope, receive, send
            )
            return
        if any(
            has_control(value.decode("latin-1"), allowed=frozenset("\t")) for _, value in headers
        ):
            await problem(400, "A request header contains control characters.")(
                scope, receive, send
            )
            return
        query = scope.get("query_string", b"").decode("latin-1")
        errors = _bad_pairs(query, where="query", allowed=frozenset())
        if errors:
            await problem(422, "The request is not valid; see 'errors'.", errors=errors)(
                scope, receive, send
            )
            return
        content_type = dict(headers).get(b"content-type", b"").split(b";")[0].strip().lower()
        if content_type != b"application/x-www-form-urlencoded":
            await self.app(scope, receive, send)
            return
        await self._form(scope, receive, send)

    async def _form(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The body is already capped by RequestContextMiddleware (outside this one).
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        errors = _bad_pairs(body.decode("latin-1"), where="body", allowed=_FORM_ALLOWED)
        if errors:
            await problem(422, "The request is not valid; see 'errors'.", errors=errors)(
                scope, receive, send
            )
            return

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)
