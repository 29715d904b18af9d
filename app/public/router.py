"""``/``, ``/favicon.svg`` (also at ``/favicon.ico``) and ``/password-reset``."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.auth import passwords
from app.dashboard.web import SECURITY_HEADERS
from app.deps import PUBLIC, SessionDep
from app.errors import InvalidInput

router = APIRouter(include_in_schema=False, dependencies=[Depends(PUBLIC)])
templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
FAVICON = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="12" fill="#0f4c81"/>
<circle cx="20" cy="32" r="9" fill="#fff"/><circle cx="44" cy="32" r="9" fill="#f2b705"/>
<rect x="24" y="29" width="16" height="6" fill="#fff"/></svg>"""
MIN_PASSWORD = 10


def _page(name: str, status_code: int = 200, **context: object) -> HTMLResponse:
    html = templates.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


@router.get("/")
def landing() -> HTMLResponse:
    return _page("landing.html", title="Trang chủ")


@router.get("/favicon.svg")
@router.get("/favicon.ico")
def favicon() -> Response:
    headers = {"Cache-Control": "max-age=86400"}
    return Response(FAVICON, media_type="image/svg+xml", headers=headers)


@router.get("/password-reset")
def password_reset_form(token: str = "") -> HTMLResponse:
    return _page("password_reset.html", title="Đặt lại mật khẩu", token=token[:200])


@router.post("/password-reset")
def password_reset(
    session: SessionDep,
    token: Annotated[str, Form(max_length=200)] = "",
    new_password: Annotated[str, Form(max_length=128)] = "",
    repeat: Annotated[str, Form(max_length=128)] = "",
) -> HTMLResponse:
    """The form behind the link e-mailed by ``POST /api/v1/users/{id}/password-reset``."""
    error = None
    if len(new_password) < MIN_PASSWORD:
        error = f"Mật khẩu mới cần ít nhất {MIN_PASSWORD} ký tự."
    elif new_password != repeat:
        error = "Hai lần nhập mật khẩu không khớp."
    else:
        try:
            passwords.complete_reset(session, token=token, new_password=new_password)
        except InvalidInput:
            error = (
                "Liên kết không hợp lệ, đã hết hạn hoặc đã được dùng. "
                "Hãy nhờ quản trị viên gửi liên kết mới."
            )
    if error:
        return _page(
            "password_reset.html",
            status_code=422,
            title="Đặt lại mật khẩu",
            token=token,
            error=error,
        )
    return _page("password_reset.html", title="Đặt lại mật khẩu", done=True)
