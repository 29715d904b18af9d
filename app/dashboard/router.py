"""/dashboard: the department's pages in the browser (Vietnamese UI).

Signed in with a session cookie (HttpOnly, SameSite=Strict, Path=/dashboard, Secure unless
switched off for plain-http development); every form carries a CSRF token derived from the
session. Pages fetch nothing from elsewhere: the charts are inline SVG and the page allows no
script at all.
"""

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BeforeValidator, Field, TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from app.auth.actor import Actor
from app.auth.service import LoginThrottle, email_key
from app.dashboard import charts, service
from app.deps import PUBLIC, SESSION_COOKIE, Policy, SettingsDep, get_session
from app.errors import AppError, Conflict, Forbidden, NotFound, RateLimited, Unauthorized
from app.listings.schemas import FieldCode, ProvinceCode
from app.reports import service as reports
from app.reports import summary as summaries
from app.reports.router import file_response
from app.schemas import Reason
from app.taxonomies.data import ENUMS, FIELDS, PROVINCES, field_by_code, province_by_code

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
HERE = Path(__file__).parent
COOKIE_PATH = "/dashboard"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
NOTICES = {
    "published": "Đã công bố tin.",
    "rejected": "Đã trả lại tin cho tổ chức kèm lý do.",
    "verified": "Đã xác minh tổ chức.",
}
ERRORS = {
    "conflict": "Không thực hiện được: trạng thái hiện tại không cho phép thao tác này.",
    "notfound": "Không tìm thấy mục này (có thể đã bị xóa).",
    "reason": "Cần nhập lý do trả lại (tối đa 1.000 ký tự).",
}


# The request's transaction is committed before the response leaves, not after (FastAPI's
# default for yield dependencies): a browser follows a redirect at once, and the next page
# must see what the form just changed, and the sign-in its new session.
PageSession = Annotated[Session, Depends(get_session, scope="function")]


class DashboardPolicy(Policy):
    """Anyone may reach a page; a missing, expired or revoked session means "not signed in"."""

    def __call__(self, request: Request, session: PageSession) -> Actor | None:
        try:
            return super().__call__(request, session)
        except Unauthorized:
            return None


DASHBOARD = DashboardPolicy("dashboard", roles=None, anonymous=True)
Viewer = Annotated[Actor | None, Depends(DASHBOARD)]


def _blank(value: Any) -> Any:
    return None if value == "" else value


Blank = BeforeValidator(_blank)
FieldFilter = Annotated[FieldCode | None, Blank, Query()]
ProvinceFilter = Annotated[ProvinceCode | None, Blank, Query()]
Score = Annotated[float, Field(ge=0.0, le=1.0)]
MinScoreFilter = Annotated[Score | None, Blank, Query()]
TopKFilter = Annotated[int, Query(ge=1, le=50)]
Kind = Literal["offers", "needs"]
_REASON = TypeAdapter(Reason)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _field(code: str) -> str:
    field = field_by_code(code)
    return f"{code} – {field.name}" if field else code


def _province(code: str) -> str:
    province = province_by_code(code)
    return province.name if province else code


templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters.update(score=_score, field=_field, province=_province)
templates.globals.update(FIELDS=FIELDS, PROVINCES=PROVINCES, ENUMS=ENUMS)


def render(
    request: Request,
    name: str,
    *,
    status_code: int = 200,
    actor: Actor | None = None,
    session: Any = None,
    **context: Any,
) -> HTMLResponse:
    """A page, with the security headers every dashboard response carries."""
    token = request.cookies.get(SESSION_COOKIE)
    context.setdefault("csrf", service.csrf_token(token) if token and actor else "")
    context.setdefault("staff", service.staff_name(session, actor) if actor and session else "")
    context.setdefault("notice", NOTICES.get(request.query_params.get("notice", ""), ""))
    context.setdefault("error", ERRORS.get(request.query_params.get("error", ""), ""))
    html = templates.get_template(name).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=SECURITY_HEADERS)


def _gate(request: Request, actor: Actor | None) -> Response | None:
    """Sign-in page for strangers, a 403 page for non-department accounts, else None."""
    if actor is None:
        return _redirect(f"{COOKIE_PATH}/login")
    if not actor.is_department:
        return render(request, "forbidden.html", status_code=403)
    return None


def _csrf_gate(request: Request, actor: Actor | None, csrf: str) -> Response | None:
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    if not service.csrf_valid(request.cookies.get(SESSION_COOKIE), csrf):
        return render(request, "forbidden.html", status_code=403, csrf_failed=True)
    return None


@router.get("/static/dashboard.css", dependencies=[Depends(PUBLIC)])
def stylesheet() -> Response:
    css = (HERE / "static" / "dashboard.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/login")
def login_page(request: Request, actor: Viewer) -> Response:
    if actor is not None and actor.is_department:
        return _redirect(COOKIE_PATH)
    return render(request, "login.html")


@router.post("/login")
def login(
    request: Request,
    session: PageSession,
    settings: SettingsDep,
    actor: Viewer,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """E-mail and password for a session cookie (department staff only)."""
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.client.host if request.client else "-"
    key = f"{email_key(email)}|{client}"
    try:
        throttle.check(key)
        ttl = timedelta(minutes=settings.token_ttl_minutes)
        token = service.sign_in(session, email=email, password=password, ttl=ttl)
    except RateLimited as exc:
        message = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút."
        page = render(request, "login.html", status_code=429, login_error=message)
        page.headers.update(exc.headers)
        return page
    except Unauthorized:
        throttle.failed(key)
        message = "E-mail hoặc mật khẩu không đúng."
        return render(request, "login.html", status_code=401, login_error=message, email=email)
    except Forbidden:
        throttle.succeeded(key)
        return render(request, "forbidden.html", status_code=403)
    throttle.succeeded(key)
    response = _redirect(COOKIE_PATH)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(ttl.total_seconds()),
        path=COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/logout")
def logout(
    request: Request,
    session: PageSession,
    settings: SettingsDep,
    actor: Viewer,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Revoke the session and clear its cookie."""
    if actor is not None:
        if not service.csrf_valid(request.cookies.get(SESSION_COOKIE), csrf):
            return render(request, "forbidden.html", status_code=403, csrf_failed=True)
        if actor.token_id is not None:
            service.sign_out(session, actor=actor)
    response = _redirect(f"{COOKIE_PATH}/login")
    response.delete_cookie(
        SESSION_COOKIE,
        path=COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("")
def overview(request: Request, session: PageSession, actor: Viewer) -> Response:
    """Key figures and charts."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    report = summaries.summary(session, request.app.state.live_index)
    return render(
        request,
        "overview.html",
        actor=actor,
        session=session,
        report=report,
        charts=charts.all_charts(report),
    )


def _filters(
    field_code: str | None, province_code: str | None, min_score: float | None, top_k: int
) -> dict[str, Any]:
    return {
        "field_code": field_code,
        "province_code": province_code,
        "min_score": min_score,
        "top_k": top_k,
    }


@router.get("/matches")
def matches(
    request: Request,
    session: PageSession,
    actor: Viewer,
    field_code: FieldFilter = None,
    province_code: ProvinceFilter = None,
    min_score: MinScoreFilter = None,
    top_k: TopKFilter = 5,
) -> Response:
    """The match report as a table, with filters and export links."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    filters = _filters(field_code, province_code, min_score, top_k)
    report = reports.match_report(session, request.app.state.live_index, **filters)
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v is not None)
    return render(
        request,
        "matches.html",
        actor=actor,
        session=session,
        report=report,
        filters=filters,
        query=query,
    )


def _export(
    request: Request, session: Any, actor: Actor | None, fmt: str, filters: dict[str, Any]
) -> Response:
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    report = reports.match_report(session, request.app.state.live_index, **filters)
    return file_response(report, fmt)


@router.get("/export.csv")
def export_csv(
    request: Request,
    session: PageSession,
    actor: Viewer,
    field_code: FieldFilter = None,
    province_code: ProvinceFilter = None,
    min_score: MinScoreFilter = None,
    top_k: TopKFilter = 5,
) -> Response:
    """The filtered match report as CSV (the same file as /api/v1/reports/matches)."""
    filters = _filters(field_code, province_code, min_score, top_k)
    return _export(request, session, actor, "csv", filters)


@router.get("/export.xlsx")
def export_xlsx(
    request: Request,
    session: PageSession,
    actor: Viewer,
    field_code: FieldFilter = None,
    province_code: ProvinceFilter = None,
    min_score: MinScoreFilter = None,
    top_k: TopKFilter = 5,
) -> Response:
    """The filtered match report as XLSX."""
    filters = _filters(field_code, province_code, min_score, top_k)
    return _export(request, session, actor, "xlsx", filters)


@router.get("/review")
def review(request: Request, session: PageSession, actor: Viewer) -> Response:
    """Offers and needs waiting for review."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    return render(
        request, "review.html", actor=actor, session=session, queue=service.review_queue(session)
    )


def _outcome(exc: AppError) -> str:
    return "notfound" if isinstance(exc, NotFound) else "conflict"


@router.post("/review/{kind}/{listing_id}/publish")
def publish(
    kind: Kind,
    listing_id: str,
    request: Request,
    session: PageSession,
    actor: Viewer,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    denied = _csrf_gate(request, actor, csrf)
    if denied is not None:
        return denied
    try:
        service.publish(session, kind=kind, listing_id=listing_id)
    except (Conflict, NotFound) as exc:
        session.rollback()  # the error is answered here, so nothing it touched may be kept
        return _redirect(f"{COOKIE_PATH}/review?error={_outcome(exc)}")
    return _redirect(f"{COOKIE_PATH}/review?notice=published")


@router.post("/review/{kind}/{listing_id}/reject")
def reject(
    kind: Kind,
    listing_id: str,
    request: Request,
    session: PageSession,
    actor: Viewer,
    csrf: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    denied = _csrf_gate(request, actor, csrf)
    if denied is not None:
        return denied
    try:
        clean = _REASON.validate_python(reason)
    except ValidationError:
        return _redirect(f"{COOKIE_PATH}/review?error=reason")
    try:
        service.reject(session, kind=kind, listing_id=listing_id, reason=clean)
    except (Conflict, NotFound) as exc:
        session.rollback()  # the error is answered here, so nothing it touched may be kept
        return _redirect(f"{COOKIE_PATH}/review?error={_outcome(exc)}")
    return _redirect(f"{COOKIE_PATH}/review?notice=rejected")


@router.get("/organizations")
def organizations(request: Request, session: PageSession, actor: Viewer) -> Response:
    """Organisations awaiting verification."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    return render(
        request,
        "organizations.html",
        actor=actor,
        session=session,
        pending=service.pending_organizations(session),
    )


@router.post("/organizations/{organization_id}/verify")
def verify(
    organization_id: str,
    request: Request,
    session: PageSession,
    actor: Viewer,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    denied = _csrf_gate(request, actor, csrf)
    if denied is not None:
        return denied
    try:
        service.verify(session, organization_id=organization_id)
    except (Conflict, NotFound) as exc:
        session.rollback()  # the error is answered here, so nothing it touched may be kept
        return _redirect(f"{COOKIE_PATH}/organizations?error={_outcome(exc)}")
    return _redirect(f"{COOKIE_PATH}/organizations?notice=verified")
