"""The department dashboard, through HTTP: sign-in, cookie, pages, CSRF, review, export."""

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.service import create_department_admin
from app.db import make_session_factory, session_scope
from app.main import create_app
from tests.conftest import PASSWORD, Api, _wipe, make_settings, need_body


class Web:
    """A browser-like client of the dashboard, plus the API for setting up data."""

    def __init__(self, client: TestClient, api: Api) -> None:
        self.client = client
        self.api = api

    def staff(self) -> str:
        email = f"canbo-{uuid.uuid4().hex[:8]}@sokhcn.example.vn"
        factory = make_session_factory(self.client.app.state.engine)  # type: ignore[attr-defined]
        for session in session_scope(factory):
            create_department_admin(
                session, email=email, password=PASSWORD, full_name="Nguyễn Thị Lan"
            )
        return email

    def login(self, email: str, password: str = PASSWORD) -> Any:
        return self.client.post("/dashboard/login", data={"email": email, "password": password})

    def csrf(self, path: str = "/dashboard/review") -> str:
        page = self.client.get(path)
        assert page.status_code == 200, page.text
        found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
        assert found
        return found.group(1)


def _client(database_url: str, **overrides: Any) -> TestClient:
    settings = make_settings(database_url, **overrides)
    return TestClient(create_app(settings), raise_server_exceptions=False, follow_redirects=False)


@pytest.fixture
def web(database_url: str) -> Iterator[Web]:
    with _client(database_url, cookie_secure=False) as client:
        yield Web(client, Api(client, client.app.state.settings))  # type: ignore[attr-defined]
    _wipe(database_url)


def test_anonymous_visitors_are_sent_to_the_login_page(web: Web) -> None:
    for path in (
        "/dashboard",
        "/dashboard/matches",
        "/dashboard/review",
        "/dashboard/organizations",
        "/dashboard/export.csv",
    ):
        response = web.client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/dashboard/login"
    page = web.client.get("/dashboard/login")
    assert page.status_code == 200
    assert 'lang="vi"' in page.text and "Đăng nhập trang quản trị" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    web.client.cookies.set("techmatch_session", "tms_forged", path="/dashboard")
    assert web.client.get("/dashboard").headers["location"] == "/dashboard/login"


def test_login_sets_a_strict_session_cookie(web: Web) -> None:
    email = web.staff()
    wrong = web.login(email, "not the password")
    assert wrong.status_code == 401
    assert "E-mail hoặc mật khẩu không đúng." in wrong.text
    assert "set-cookie" not in wrong.headers

    response = web.login(email.upper())
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("techmatch_session=tms")
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in attributes and "path=/dashboard" in attributes
    assert "samesite=strict" in attributes
    assert "secure" not in attributes  # switched off for this plain-http test server
    assert any(a.startswith("max-age=") for a in attributes)
    page = web.client.get("/dashboard")
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in page.text
    # The cookie is not a credential for the API.
    assert web.client.get("/api/v1/reports/summary").status_code == 401


def test_the_cookie_is_secure_by_default(database_url: str) -> None:
    with _client(database_url) as client:
        web = Web(client, Api(client, client.app.state.settings))  # type: ignore[attr-defined]
        response = web.login(web.staff())
        attributes = [p.strip().lower() for p in response.headers["set-cookie"].split(";")]
        assert "secure" in attributes and "httponly" in attributes
    _wipe(database_url)


def test_other_accounts_get_a_vietnamese_403(web: Web) -> None:
    dept = web.api.department()
    org = web.api.verified_org(dept, "enterprise")
    response = web.login(org["email"])
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text
    assert "set-cookie" not in response.headers
    page = web.client.get("/dashboard", headers={"Authorization": f"Bearer {org['token']}"})
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "chỉ dành cho cán bộ Sở" in page.text


def _market(web: Web) -> dict[str, Any]:
    dept = web.api.department()
    institute = web.api.verified_org(dept, "institute")
    enterprise = web.api.verified_org(dept, "enterprise")
    offer = web.api.published("offers", institute["token"], dept)
    need = web.api.published("needs", enterprise["token"], dept)
    lonely = web.api.published(
        "needs",
        enterprise["token"],
        dept,
        title="Phần mềm quản lý kho thuốc bệnh viện",
        summary="",
        description="Bệnh viện cần phần mềm quản lý dược.",
        keywords=["phần mềm"],
        field_code="102",
        province_code="01",
    )
    return {
        "dept": dept,
        "institute": institute,
        "enterprise": enterprise,
        "offer": offer,
        "need": need,
        "lonely": lonely,
    }


def test_overview_renders_offline_charts(web: Web) -> None:
    _market(web)
    web.login(web.staff())
    page = web.client.get("/dashboard")
    assert page.status_code == 200
    html = page.text
    assert html.count("<svg") == 5
    for title in (
        "Cung – cầu theo lĩnh vực",
        "Phễu kết nối",
        "Nhu cầu chưa được đáp ứng theo lĩnh vực",
        "Nhu cầu chưa được đáp ứng theo tỉnh/thành",
        "Hoạt động 12 tháng gần nhất",
    ):
        assert title in html
    assert "<script" not in html
    assert not re.search(r'(src|href)="https?://', html)
    assert "Phần mềm quản lý kho thuốc bệnh viện" in html  # unmet demand is listed
    css = web.client.get("/dashboard/static/dashboard.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_match_table_filters_and_export(web: Web) -> None:
    m = _market(web)
    web.login(web.staff())
    everything = web.client.get("/dashboard/matches?field_code=&province_code=&min_score=")
    assert everything.status_code == 200
    assert m["need"]["title"] in everything.text and m["lonely"]["title"] in everything.text
    assert m["offer"]["title"] in everything.text
    narrowed = web.client.get("/dashboard/matches?field_code=2&min_score=0.3")
    assert m["need"]["title"] in narrowed.text and m["lonely"]["title"] not in narrowed.text
    assert (
        'href="/dashboard/export.csv?field_code=2&amp;min_score=0.3&amp;top_k=5"' in narrowed.text
    )
    assert web.client.get("/dashboard/matches?min_score=7").status_code == 422

    csv_file = web.client.get("/dashboard/export.csv?field_code=2")
    assert csv_file.status_code == 200
    assert csv_file.headers["content-disposition"].startswith("attachment; filename=")
    assert csv_file.content.startswith(b"\xef\xbb\xbf")
    text = csv_file.content.decode("utf-8-sig")
    assert m["need"]["id"] in text and m["lonely"]["id"] not in text
    xlsx = web.client.get("/dashboard/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def _pending(web: Web, org: dict[str, Any], **fields: Any) -> str:
    created = web.api.post("/needs", org["token"], json=need_body(**fields))
    listing_id: str = created.json()["id"]
    assert web.api.post(f"/needs/{listing_id}/submit", org["token"]).status_code == 200
    return listing_id


def test_review_queue_publish_needs_the_csrf_token(web: Web) -> None:
    dept = web.api.department()
    enterprise = web.api.verified_org(dept, "enterprise")
    need_id = _pending(web, enterprise, title="Cần công nghệ xử lý nước thải chế biến chè")
    web.login(web.staff())
    page = web.client.get("/dashboard/review")
    assert "Cần công nghệ xử lý nước thải chế biến chè" in page.text
    url = f"/dashboard/review/needs/{need_id}/publish"

    for data in ({}, {"csrf": "0" * 64}):
        refused = web.client.post(url, data=data)
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert web.api.get(f"/needs/{need_id}", dept).json()["status"] == "pending_review"

    done = web.client.post(url, data={"csrf": web.csrf()})
    assert done.status_code == 303
    assert done.headers["location"] == f"/dashboard/review?notice=published&kind=needs&id={need_id}"
    published = web.api.get(f"/needs/{need_id}", dept).json()
    assert published["status"] == "published"
    flash = web.client.get(done.headers["location"]).text
    assert f"Đã công bố tin «{published['title']}»." in flash

    again = web.client.post(url, data={"csrf": web.csrf()})
    assert again.headers["location"] == "/dashboard/review?error=conflict"


def test_reject_with_reason(web: Web) -> None:
    dept = web.api.department()
    enterprise = web.api.verified_org(dept, "enterprise")
    need_id = _pending(web, enterprise)
    web.login(web.staff())
    url = f"/dashboard/review/needs/{need_id}/reject"
    blank = web.client.post(url, data={"csrf": web.csrf(), "reason": "   "})
    assert blank.headers["location"] == "/dashboard/review?error=reason"
    assert web.api.get(f"/needs/{need_id}", dept).json()["status"] == "pending_review"
    done = web.client.post(url, data={"csrf": web.csrf(), "reason": "Thiếu mô tả chi tiết"})
    assert done.headers["location"] == f"/dashboard/review?notice=rejected&kind=needs&id={need_id}"
    body = web.api.get(f"/needs/{need_id}", dept).json()
    assert body["status"] == "rejected" and body["rejection_reason"] == "Thiếu mô tả chi tiết"
    # A refused transition keeps nothing it touched: the reason stays the first one.
    again = web.client.post(url, data={"csrf": web.csrf(), "reason": "Lý do khác"})
    assert again.headers["location"] == "/dashboard/review?error=conflict"
    assert web.api.get(f"/needs/{need_id}", dept).json()["rejection_reason"] == (
        "Thiếu mô tả chi tiết"
    )
    missing = web.client.post(
        "/dashboard/review/offers/nope/reject", data={"csrf": web.csrf(), "reason": "x"}
    )
    assert missing.headers["location"] == "/dashboard/review?error=notfound"
    bad_kind = web.client.post("/dashboard/review/things/x/publish", data={"csrf": web.csrf()})
    assert bad_kind.status_code == 422


def test_verify_an_organisation(web: Web) -> None:
    org = web.api.register("enterprise", name="Hợp tác xã chè Phú Thọ")
    web.login(web.staff())
    page = web.client.get("/dashboard/organizations")
    assert "Hợp tác xã chè Phú Thọ" in page.text
    url = f"/dashboard/organizations/{org['organization']['id']}/verify"
    assert web.client.post(url, data={}).status_code == 403
    done = web.client.post(url, data={"csrf": web.csrf("/dashboard/organizations")})
    org_id = org["organization"]["id"]
    assert done.headers["location"] == f"/dashboard/organizations?notice=verified&id={org_id}"
    page = web.client.get(done.headers["location"]).text
    assert "Đã xác minh tổ chức «Hợp tác xã chè Phú Thọ»." in page
    assert 'data-id="' + org_id not in page
    me = web.api.get("/me", org["token"]).json()
    assert me["organization"]["status"] == "verified"


def test_logout_revokes_the_session(web: Web) -> None:
    web.login(web.staff())
    token = web.client.cookies.get("techmatch_session")
    assert token
    assert web.client.post("/dashboard/logout", data={}).status_code == 403
    response = web.client.post("/dashboard/logout", data={"csrf": web.csrf()})
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/login"
    cleared = response.headers["set-cookie"]
    assert cleared.startswith('techmatch_session=""') and "Max-Age=0" in cleared
    assert web.client.get("/dashboard").status_code == 303
    web.client.cookies.set("techmatch_session", token, path="/dashboard")
    assert web.client.get("/dashboard").headers["location"] == "/dashboard/login"


def test_match_report_reads_like_an_officer_expects(
    web: Web, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages of needs, weak candidates hidden unless asked for, "0,5" understood, Vietnam
    time with its zone, and the jargon explained."""
    import app.dashboard.router as dashboard_router

    m = _market(web)
    web.api.published(
        "offers",
        m["institute"]["token"],
        m["dept"],
        title="Máy sấy dược liệu",
        summary="",
        description="Sấy khô dược liệu cho hợp tác xã trồng cây thuốc.",
        keywords=["dược liệu"],
        field_code="401",
        trl=5,
    )
    report = web.api.get("/reports/matches", m["dept"]).json()
    lonely = next(i for i in report["items"] if i["need"]["id"] == m["lonely"]["id"])
    weak = [c for c in lonely["candidates"] if not c["above_threshold"]]
    assert weak and len(weak) == len(lonely["candidates"])  # only weak candidates there
    web.login(web.staff())
    hidden = web.client.get("/dashboard/matches")
    assert hidden.status_code == 200
    row = f'data-need-id="{m["lonely"]["id"]}"'
    assert hidden.text.count(row) == 1  # one "no match yet" row
    assert f"(có {len(weak)} gợi ý dưới ngưỡng)" in hidden.text
    shown = web.client.get("/dashboard/matches?show_weak=true")
    assert shown.text.count(row) == len(weak)
    assert "giờ Việt Nam, UTC+7" in hidden.text and "(UTC)" not in hidden.text
    assert 'id="jargon"' in hidden.text and "<abbr" in hidden.text
    comma = web.client.get("/dashboard/matches?min_score=0,5")
    assert comma.status_code == 200
    assert comma.text.count("need-row") == web.client.get(
        "/dashboard/matches?min_score=0.5"
    ).text.count("need-row")
    monkeypatch.setattr(dashboard_router, "PAGE_SIZE", 1)
    first = web.client.get("/dashboard/matches")
    second = web.client.get("/dashboard/matches?page=2")
    assert "Trang 1/2" in first.text and "Trang 2/2" in second.text
    titles = (m["need"]["title"], m["lonely"]["title"])
    assert sum(t in first.text for t in titles) == 1
    assert sum(t in second.text for t in titles) == 1
    assert web.client.get("/dashboard/matches?page=0").status_code == 422
