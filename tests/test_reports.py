"""The department's match report and summary, through HTTP."""

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from app.connections.models import Connection, MatchDismissal
from app.db import make_session_factory, session_scope
from tests.conftest import Api


def _market(api: Api) -> dict[str, Any]:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    enterprise = api.verified_org(dept, "enterprise")
    offer = api.published("offers", institute["token"], dept)
    rice = api.published(
        "offers",
        institute["token"],
        dept,
        title="Giống lúa chịu mặn cho đồng bằng",
        summary="Giống lúa mới chịu mặn.",
        description="Giống lúa thuần chịu mặn 4 phần nghìn.",
        keywords=["giống lúa", "chịu mặn"],
        field_code="401",
        trl=8,
    )
    need = api.published("needs", enterprise["token"], dept)
    lonely = api.published(
        "needs",
        enterprise["token"],
        dept,
        title="Phần mềm quản lý kho thuốc bệnh viện",
        summary="Quản lý xuất nhập thuốc.",
        description="Bệnh viện cần phần mềm quản lý dược.",
        keywords=["phần mềm", "bệnh viện"],
        field_code="102",
        province_code="01",
    )
    return {
        "dept": dept,
        "institute": institute,
        "enterprise": enterprise,
        "offer": offer,
        "rice": rice,
        "need": need,
        "lonely": lonely,
    }


def _items(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["need"]["id"]: item for item in body["items"]}


@pytest.fixture(scope="module")
def market(shared_api: Api) -> dict[str, Any]:
    """The market of the read-only tests, built once for the module."""
    return _market(shared_api)


def test_match_report_lists_every_published_need_with_ranked_candidates(api: Api) -> None:
    m = _market(api)
    draft = api.post(
        "/needs",
        m["enterprise"]["token"],
        json={"title": "Bản nháp máy sấy chè", "field_code": "203", "province_code": "25"},
    )
    assert draft.status_code == 201
    response = api.get("/reports/matches?top_k=3", m["dept"])
    assert response.status_code == 200, response.text
    body = response.json()
    items = _items(body)
    assert set(items) == {m["need"]["id"], m["lonely"]["id"]}
    assert body["total_needs"] == 2
    tea = items[m["need"]["id"]]
    assert tea["candidates"][0]["offer"]["id"] == m["offer"]["id"]
    assert [c["rank"] for c in tea["candidates"]] == list(range(1, len(tea["candidates"]) + 1))
    scores = [c["score"] for c in tea["candidates"]]
    assert scores == sorted(scores, reverse=True)
    best = tea["candidates"][0]
    assert set(best["components"]) == {"text", "field", "trl", "budget", "transfer", "region"}
    assert "máy sấy" in best["explanation"]["shared_terms"]
    assert best["explanation"]["notes"]
    assert best["above_threshold"] is True
    assert best["offer"]["organization_name"] == m["institute"]["organization"]["name"]
    assert tea["best_score"] == best["score"]
    meta = body["meta"]
    assert meta["indexed_offers"] == 2 and meta["indexed_needs"] == 2
    assert meta["index_version"] > 0
    assert meta["threshold"] == meta["matcher_settings"]["threshold"]
    assert "weights" in meta["matcher_settings"]
    assert datetime.fromisoformat(meta["computed_at"]).tzinfo is not None


def test_top_k_and_filters(shared_api: Api, market: dict[str, Any]) -> None:
    api, m = shared_api, market
    body = api.get("/reports/matches?top_k=1", m["dept"]).json()
    assert all(len(item["candidates"]) <= 1 for item in body["items"])

    by_field = api.get("/reports/matches?field_code=2", m["dept"]).json()
    assert list(_items(by_field)) == [m["need"]["id"]]
    assert by_field["meta"]["filters"]["field_code"] == "2"

    by_province = api.get("/reports/matches?province_code=01", m["dept"]).json()
    assert list(_items(by_province)) == [m["lonely"]["id"]]

    strict = _items(api.get("/reports/matches?min_score=0.5", m["dept"]).json())
    assert strict[m["lonely"]["id"]]["candidates"] == []
    assert strict[m["lonely"]["id"]]["best_score"] is None
    assert [c["offer"]["id"] for c in strict[m["need"]["id"]]["candidates"]] == [m["offer"]["id"]]


def test_bad_parameters_are_422_problems(api: Api) -> None:
    dept = api.department()
    for query in (
        "top_k=0",
        "top_k=51",
        "top_k=x",
        "format=pdf",
        "min_score=1.5",
        "field_code=999",
        "province_code=99",
    ):
        response = api.get(f"/reports/matches?{query}", dept)
        assert response.status_code == 422, query
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"]


def test_reports_are_for_the_department_only(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "enterprise")
    for path in ("/reports/matches", "/reports/summary", "/reports/matches?format=csv"):
        assert api.get(path).status_code == 401
        forbidden = api.get(path, org["token"])
        assert forbidden.status_code == 403
        assert forbidden.headers["content-type"] == "application/problem+json"


def _csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    assert content.startswith(b"\xef\xbb\xbf")
    every = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    comments = [row[0] for row in every if row and row[0].startswith("#")]
    assert all(len(row) == 1 for row in every if row and row[0].startswith("#"))
    rows = [row for row in every if not (row and row[0].startswith("#"))]
    return comments, rows


def test_csv_export(shared_api: Api, market: dict[str, Any]) -> None:
    api, m = shared_api, market
    response = api.get("/reports/matches?format=csv&min_score=0.5", m["dept"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and ".csv" in disposition
    assert int(response.headers["x-report-index-version"]) > 0
    assert response.headers["x-report-indexed-offers"] == "2"
    assert response.headers["x-report-threshold"]
    assert "weights" in json.loads(response.headers["x-report-matcher-settings"])
    comments, rows = _csv(response.content)
    assert any("Phiên bản chỉ mục" in line for line in comments)
    assert any("Thời điểm tính" in line for line in comments)
    header, data = rows[0], rows[1:]
    assert header[:2] == ["Mã nhu cầu", "Tên nhu cầu"] and "Điểm phù hợp" in header
    assert len(data) == 2
    by_need = {row[0]: row for row in data}
    lonely = by_need[m["lonely"]["id"]]
    assert lonely[1] == "Phần mềm quản lý kho thuốc bệnh viện"
    assert all(cell == "" for cell in lonely[header.index("Hạng") :])
    tea = by_need[m["need"]["id"]]
    assert tea[header.index("Mã công nghệ")] == m["offer"]["id"]
    assert float(tea[header.index("Điểm phù hợp")]) >= 0.5
    assert "máy sấy" in tea[header.index("Thuật ngữ chung")]
    # The settings line stays one cell (quoted), and notes are separated by "; ".
    [settings_line] = [line for line in comments if line.startswith("# Cấu hình bộ so khớp: ")]
    assert "weights" in json.loads(settings_line.removeprefix("# Cấu hình bộ so khớp: "))
    notes = tea[header.index("Ghi chú")]
    assert "; " in notes and "  " not in notes


def test_xlsx_export(shared_api: Api, market: dict[str, Any]) -> None:
    api, m = shared_api, market
    response = api.get("/reports/matches?format=xlsx", m["dept"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ".xlsx" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    data, info = book.worksheets
    assert data.freeze_panes == "A2"
    header = [cell.value for cell in data[1]]
    assert header[0] == "Mã nhu cầu" and "Thuật ngữ chung" in header
    assert all(cell.font.bold for cell in data[1])
    assert data.column_dimensions["B"].width >= 30
    titles = {row[1].value for row in data.iter_rows(min_row=2)}
    assert "Cần máy sấy chè tiết kiệm năng lượng" in titles
    meta = {row[0].value: row[1].value for row in info.iter_rows(min_row=2)}
    assert meta["Phiên bản chỉ mục"] == response.headers["x-report-index-version"]
    assert meta["Ngưỡng phù hợp"] == response.headers["x-report-threshold"]
    assert "Thời điểm tính (UTC)" in meta


def test_exports_do_not_turn_titles_into_formulas(api: Api) -> None:
    dept = api.department()
    enterprise = api.verified_org(dept, "enterprise")
    api.published("needs", enterprise["token"], dept, title='=HYPERLINK("http://x","y")')
    _, rows = _csv(api.get("/reports/matches?format=csv", dept).content)
    assert rows[1][1].startswith("'=")
    book = load_workbook(io.BytesIO(api.get("/reports/matches?format=xlsx", dept).content))
    cell = book.worksheets[0]["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def _add(api: Api, *rows: Any) -> None:
    factory = make_session_factory(api.client.app.state.engine)  # type: ignore[attr-defined]
    for session in session_scope(factory):
        session.add_all(rows)


def test_summary(api: Api) -> None:
    m = _market(api)
    pending = api.post(
        "/offers",
        m["institute"]["token"],
        json={"title": "Chế phẩm vi sinh xử lý rơm rạ", "field_code": "401", "province_code": "25"},
    )
    assert (
        api.post(f"/offers/{pending.json()['id']}/submit", m["institute"]["token"]).status_code
        == 200
    )
    # Connections and dismissals are created by another feature's API; rows stand in here.
    now = datetime.now(UTC)
    ids = {
        "need_id": m["need"]["id"],
        "offer_id": m["offer"]["id"],
        "need_organization_id": m["enterprise"]["organization"]["id"],
        "offer_organization_id": m["institute"]["organization"]["id"],
        "opened_by_organization_id": m["enterprise"]["organization"]["id"],
    }
    _add(
        api,
        Connection(**ids, status="proposed", open_key=1),
        Connection(**ids, status="declined", open_key=2),
        Connection(**ids, status="negotiating", accepted_at=now, negotiating_at=now, open_key=3),
        Connection(
            **ids,
            status="contracted",
            accepted_at=now,
            negotiating_at=now,
            contracted_at=now,
            open_key=4,
        ),
        MatchDismissal(
            organization_id=m["enterprise"]["organization"]["id"],
            need_id=m["lonely"]["id"],
            offer_id=m["rice"]["id"],
            side="need",
            reason="Không liên quan",
        ),
    )

    response = api.get("/reports/summary", m["dept"])
    assert response.status_code == 200, response.text
    body = response.json()

    offers, needs = body["offers"], body["needs"]
    assert offers["total"] == 3 and needs["total"] == 2
    assert offers["by_status"]["published"] == 2 and offers["by_status"]["pending_review"] == 1
    fields = {row["code"]: row for row in offers["by_field"]}
    assert fields["401"] == {
        "code": "401",
        "name": fields["401"]["name"],
        "published": 1,
        "total": 2,
    }
    groups = {row["code"]: row["name"] for row in needs["by_field_group"]}
    assert set(groups) == {"1", "2"}
    provinces = {row["code"]: row for row in needs["by_province"]}
    assert provinces["01"]["name"] == "Hà Nội" and provinces["25"]["name"] == "Phú Thọ"

    unmet = body["unmet_demand"]
    assert unmet["total"] == 1
    [by_field] = unmet["by_field"]
    assert by_field["code"] == "102" and by_field["count"] == 1
    assert by_field["items"][0]["id"] == m["lonely"]["id"]
    assert by_field["items"][0]["title"] == "Phần mềm quản lý kho thuốc bệnh viện"
    assert [g["code"] for g in unmet["by_province"]] == ["01"]

    idle = body["offers_without_demand"]
    assert [item["id"] for item in idle["items"]] == [m["rice"]["id"]]

    funnel = body["connection_funnel"]
    stages = {s["stage"]: s for s in funnel["stages"]}
    assert [s["stage"] for s in funnel["stages"]] == [
        "proposed",
        "accepted",
        "negotiating",
        "contracted",
    ]
    assert [stages[s]["count"] for s in ("proposed", "accepted", "negotiating", "contracted")] == [
        4,
        2,
        2,
        1,
    ]
    assert stages["accepted"]["rate_from_previous"] == 0.5
    assert stages["contracted"]["rate_from_previous"] == 0.5
    assert stages["contracted"]["rate_from_start"] == 0.25
    assert funnel["declined"] == 1 and funnel["withdrawn"] == 0

    assert body["dismissals"] == {"total": 1, "by_side": {"need": 1, "offer": 0}}

    monthly = body["monthly"]
    assert len(monthly) == 12
    this_month = now.strftime("%Y-%m")
    assert monthly[-1] == {"month": this_month, "offers": 3, "needs": 2, "connections": 4}
    assert [p["month"] for p in monthly] == sorted(p["month"] for p in monthly)

    meta = body["meta"]
    assert meta["indexed_needs"] == 2 and meta["indexed_offers"] == 2
    assert "computed_at" in meta and "matcher_settings" in meta


def test_summary_of_an_empty_market(api: Api) -> None:
    dept = api.department()
    body = api.get("/reports/summary", dept).json()
    assert body["unmet_demand"]["total"] == 0
    assert body["connection_funnel"]["stages"][1]["rate_from_previous"] is None
    assert sum(p["offers"] for p in body["monthly"]) == 0


def test_the_report_follows_the_index(api: Api) -> None:
    m = _market(api)
    before = api.get("/reports/matches", m["dept"]).json()
    newer = api.published(
        "offers", m["institute"]["token"], m["dept"],
        title="Phần mềm quản lý dược bệnh viện", summary="Quản lý kho thuốc bệnh viện.",
        description="Phần mềm quản lý xuất nhập thuốc cho bệnh viện.",
        keywords=["phần mềm", "bệnh viện", "kho thuốc"], field_code="102",
    )  # fmt: skip
    after = api.get("/reports/matches", m["dept"]).json()
    assert after["meta"]["index_version"] > before["meta"]["index_version"]
    assert after["meta"]["indexed_offers"] == 3
    lonely = _items(after)[m["lonely"]["id"]]
    assert lonely["candidates"][0]["offer"]["id"] == newer["id"]
