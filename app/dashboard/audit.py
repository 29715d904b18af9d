"""/dashboard/audit: the audit log as a page, filtered and paginated (department only)."""

from datetime import timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from app.audit import service as audit
from app.dashboard.web import Blank, PageSession, Viewer, _gate, render

router = APIRouter(prefix="/dashboard", tags=["dashboard"], include_in_schema=False)
PAGE_SIZE = 50
VIETNAM = timezone(timedelta(hours=7), "UTC+7")  # Vietnam keeps no daylight saving time
Text = Annotated[Annotated[str, Field(max_length=80)] | None, Blank, Query()]

ACTIONS = {
    "create": "tạo mới",
    "update": "sửa",
    "delete": "xóa",
    "published": "công bố",
    "rejected": "trả lại",
    "pending_review": "gửi duyệt",
    "archived": "lưu trữ",
    "verified": "xác minh",
    "suspended": "tạm ngừng",
    "revoked": "thu hồi",
    "password_changed": "đổi mật khẩu",
    "used": "đã dùng",
}
OBJECTS = {
    "offer": "Công nghệ",
    "need": "Nhu cầu",
    "organization": "Tổ chức",
    "user": "Người dùng",
    "api_key": "Khóa API",
    "connection": "Kết nối",
    "connection_event": "Bước kết nối",
    "match_dismissal": "Bỏ qua gợi ý",
    "password_reset": "Liên kết đặt lại mật khẩu",
}


@router.get("/audit")
def audit_page(
    request: Request,
    session: PageSession,
    actor: Viewer,
    action: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Who did what, when: newest first, 50 to a page."""
    denied = _gate(request, actor)
    if denied is not None:
        return denied
    entries, total = audit.list_page(
        session,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        action=action,
        object_type=object_type,
        object_id=object_id,
    )
    filters = {"action": action, "object_type": object_type, "object_id": object_id}
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "audit.html",
        actor=actor,
        session=session,
        entries=entries,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        query=query,
        zone=VIETNAM,
        ACTIONS=ACTIONS,
        OBJECTS=OBJECTS,
    )
