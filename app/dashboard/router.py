"""/dashboard: the department's pages in the browser (Vietnamese UI).

Signed in with a session cookie (HttpOnly, SameSite=Strict, Path=/dashboard, Secure unless
switched off for plain-http development); every form carries a CSRF token derived from the
session. Pages fetch nothing from elsewhere: the charts are inline SVG and the page allows no
script at all.
"""

from datetime import timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import ValidationError

from app.auth.throttle import LoginThrottle, throttle_key
from app.dashboard import charts, service
from app.dashboard.web import (
    _REASON,
    COOKIE_PATH,
    HERE,
    PAGE_SIZE,
    Kind,
    PageNumber,
    PageSession,
    ReportFilters,
    Viewer,
    _csrf_gate,
    _gate,
    _redirect,
    render,
)
from app.deps import PUBLIC, SESSION_COOKIE, ReportsSessionDep, SettingsDep
from app.errors import AppError, Conflict, Forbidden, NotFound, RateLimited, Unauthorized
from app.reports import service as reports
from app.reports import summary as summaries
from app.reports.router import file_response

NAMED_NOTICES = {
    "published": "Đã công bố tin «{name}».",
    "rejected": "Đã trả lại tin «{name}» cho tổ chức kèm lý do.",
    "verified": "Đã xác minh tổ chức «{name}».",
    "org_rejected": "Đã từ chối tổ chức «{name}» kèm lý do.",
    "suspended": "Đã tạm ngừng tổ chức «{name}».",
}
router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)


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
    key = throttle_key(email, client)
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
        throttle.succeeded(session, key)
        return render(request, "forbidden.html", status_code=403)
    throttle.succeeded(session, key)
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
def overview(
    request: Request, session: PageSession, figures: ReportsSessionDep, actor: Viewer
) -> Response:
    """Key figures and charts."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    report = summaries.summary(figures, request.app.state.live_index)
    return render(
        request,
        "overview.html",
        actor=actor,
        session=session,
        report=report,
        charts=charts.all_charts(report),
    )


@router.get("/matches")
def matches(
    request: Request,
    session: PageSession,
    figures: ReportsSessionDep,
    actor: Viewer,
    filters: ReportFilters,
    page: PageNumber = 1,
    show_weak: bool = False,
) -> Response:
    """The match report as a table, a page of needs at a time, with filters and exports.

    Candidates below the threshold are hidden unless ``show_weak`` is set.
    """
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    offset = (page - 1) * PAGE_SIZE
    report = reports.match_report(
        figures, request.app.state.live_index, **filters, page=(offset, PAGE_SIZE)
    )
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v is not None)
    pages = max(1, -(-report.total_needs // PAGE_SIZE))
    return render(
        request,
        "matches.html",
        actor=actor,
        session=session,
        report=report,
        filters=filters,
        query=query,
        page=page,
        pages=pages,
        first=offset + 1,
        show_weak=show_weak,
    )


@router.get("/export.{fmt}")
def export(
    fmt: Literal["csv", "xlsx"],
    request: Request,
    session: PageSession,
    figures: ReportsSessionDep,
    actor: Viewer,
    filters: ReportFilters,
) -> Response:
    """The filtered match report as CSV or XLSX (the same file as /api/v1/reports/matches)."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    report = reports.match_report(figures, request.app.state.live_index, **filters)
    return file_response(report, fmt, session)  # the download is audited on the main database


@router.get("/review")
def review(request: Request, session: PageSession, actor: Viewer) -> Response:
    """Offers and needs waiting for review."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    return render(
        request,
        "review.html",
        actor=actor,
        session=session,
        queue=service.review_queue(session),
        notice=_named_notice(request, session),
    )


def _named_notice(request: Request, session: PageSession) -> str:
    """The flash after a decision, naming the listing or organisation it was about."""
    params = request.query_params
    notice = NAMED_NOTICES.get(params.get("notice", ""))
    if notice is None:
        return ""
    kind, object_id = params.get("kind", ""), params.get("id", "")[:36]
    if kind in ("offers", "needs"):
        name = service.listing_title(session, kind=kind, listing_id=object_id)
    else:
        name = service.organization_name(session, organization_id=object_id)
    return notice.format(name=name) if name else notice.format(name="").replace(" «»", "")


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
    return _redirect(f"{COOKIE_PATH}/review?notice=published&kind={kind}&id={listing_id}")


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
    return _redirect(f"{COOKIE_PATH}/review?notice=rejected&kind={kind}&id={listing_id}")


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
        notice=_named_notice(request, session),
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
    return _redirect(f"{COOKIE_PATH}/organizations?notice=verified&id={organization_id}")


@router.post("/organizations/{organization_id}/reject")
def reject_organization(
    organization_id: str,
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
        return _redirect(f"{COOKIE_PATH}/organizations?error=reason")
    try:
        service.reject_organization(session, organization_id=organization_id, reason=clean)
    except (Conflict, NotFound) as exc:
        session.rollback()
        return _redirect(f"{COOKIE_PATH}/organizations?error={_outcome(exc)}")
    return _redirect(f"{COOKIE_PATH}/organizations?notice=org_rejected&id={organization_id}")


@router.post("/organizations/{organization_id}/suspend")
def suspend_organization(
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
        service.suspend_organization(session, organization_id=organization_id)
    except (Conflict, NotFound) as exc:
        session.rollback()
        return _redirect(f"{COOKIE_PATH}/organizations?error={_outcome(exc)}")
    return _redirect(f"{COOKIE_PATH}/organizations?notice=suspended&id={organization_id}")
