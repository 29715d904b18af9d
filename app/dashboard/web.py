"""What every dashboard page shares: templates, security headers, the sign-in gate, filters."""

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BeforeValidator, Field, TypeAdapter

from app.auth.actor import Actor
from app.dashboard import service
from app.deps import SESSION_COOKIE, Policy, SessionDep
from app.errors import Unauthorized
from app.listings.schemas import FieldCode, ProvinceCode
from app.schemas import Reason
from app.taxonomies.data import ENUMS, FIELDS, PROVINCES, field_by_code, province_by_code

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


# SessionDep commits before the response leaves: a browser follows a redirect at once, and the
# next page must see what the form just changed, and the sign-in its new session.
PageSession = SessionDep


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


def _decimal(value: Any) -> Any:
    """Vietnamese writes decimals with a comma: "0,5" is 0.5."""
    return value.strip().replace(",", ".") if isinstance(value, str) else value


Blank = BeforeValidator(_blank)
Decimal = BeforeValidator(_decimal)
FieldFilter = Annotated[FieldCode | None, Blank, Query()]
ProvinceFilter = Annotated[ProvinceCode | None, Blank, Query()]
Score = Annotated[float, Field(ge=0.0, le=1.0)]
MinScoreFilter = Annotated[Score | None, Blank, Decimal, Query()]
TopKFilter = Annotated[int, Query(ge=1, le=50)]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
#: Needs per page of the dashboard's match report.
PAGE_SIZE = 20
#: Vietnam keeps no daylight saving time: Asia/Ho_Chi_Minh is UTC+7 all year.
VIETNAM_TIME = timezone(timedelta(hours=7), "UTC+7")


def report_filters(
    field_code: FieldFilter = None,
    province_code: ProvinceFilter = None,
    min_score: MinScoreFilter = None,
    top_k: TopKFilter = 5,
) -> dict[str, Any]:
    """The match report's filters from the query string (blank form fields mean "any")."""
    return {
        "field_code": field_code,
        "province_code": province_code,
        "min_score": min_score,
        "top_k": top_k,
    }


ReportFilters = Annotated[dict[str, Any], Depends(report_filters)]
Kind = Literal["offers", "needs"]
_REASON = TypeAdapter(Reason)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _vietnam_time(moment: datetime) -> str:
    """A timestamp in Vietnam time, with its zone, as an officer reads it."""
    return moment.astimezone(VIETNAM_TIME).strftime("%H:%M %d/%m/%Y") + " (giờ Việt Nam, UTC+7)"


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
templates.filters.update(score=_score, field=_field, province=_province, vietnam_time=_vietnam_time)
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


ERROR_PAGES = {
    404: ("Không tìm thấy trang", "Địa chỉ này không có trong trang quản trị, hoặc mục đã bị xóa."),
    405: ("Thao tác không được hỗ trợ", "Trang này không nhận kiểu yêu cầu vừa gửi."),
    422: (
        "Dữ liệu không hợp lệ",
        "Một số giá trị trong địa chỉ hoặc biểu mẫu không đúng định dạng. Hãy quay lại và "
        "kiểm tra các ô lọc, con số và ngày tháng.",
    ),
    500: (
        "Đã có lỗi xảy ra",
        "Hệ thống gặp lỗi ngoài dự kiến khi xử lý yêu cầu. Thao tác chưa được thực hiện.",
    ),
}


def error_page(status: int, request_id: str, details: list[str] | None = None) -> HTMLResponse:
    """The Vietnamese HTML page for an error inside /dashboard (404, 405, 422, 500); a 422
    lists what was wrong, in the words of the one message catalogue (``app.messages``)."""
    heading, message = ERROR_PAGES.get(status, ERROR_PAGES[500])
    html = templates.get_template("error.html").render(
        path="",
        csrf="",
        heading=heading,
        message=message,
        details=details or [],
        request_id=request_id if status >= 500 else "",
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
