"""POST /api/v1/imports (dry run by default, all or nothing) and the template downloads."""

import csv
import io
from typing import Any

from openpyxl import load_workbook

from tests.conftest import Api

CSV_TYPE = "text/csv"


def _csv(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


ROWS = [
    ["Mã tham chiếu", "Tên công nghệ", "Lĩnh vực công nghệ", "Tỉnh/thành công nghệ", "TRL"],
    ["R-1", "Máy sấy chè", "203", "Vĩnh Phúc", "7"],
    ["R-2", "Máy vò chè", "203 – Kỹ thuật cơ khí", "Phú Thọ", ""],
]


def _upload(api: Api, token: str, content: bytes, name: str = "o.csv", **form: Any) -> Any:
    data = {"kind": "offers", **{k: str(v).lower() if isinstance(v, bool) else v
                                  for k, v in form.items()}}  # fmt: skip
    return api.post("/imports", token, data=data, files={"file": (name, content, CSV_TYPE)})


def _offers(api: Api, org: dict[str, Any]) -> list[dict[str, Any]]:
    org_id = org["organization"]["id"]
    return list(api.get(f"/offers?organization_id={org_id}", org["token"]).json()["items"])


def test_dry_run_by_default_then_for_real_then_again(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    dry = _upload(api, org["token"], _csv(ROWS))
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["dry_run"] is True and body["ok"] is True and body["created"] == 2
    assert [r["action"] for r in body["rows"]] == ["create", "create"]
    assert body["organization_id"] == org["organization"]["id"]
    assert _offers(api, org) == []  # nothing written

    real = _upload(api, org["token"], _csv(ROWS), dry_run=False)
    assert real.status_code == 201, real.text
    assert real.json()["created"] == 2
    offers = {o["external_ref"]: o for o in _offers(api, org)}
    assert offers["R-1"]["province_code"] == "25" and offers["R-1"]["status"] == "draft"

    again = _upload(api, org["token"], _csv(ROWS), dry_run=False)
    assert again.status_code == 201 and again.json()["unchanged"] == 2
    assert len(_offers(api, org)) == 2


def test_errors_are_row_by_row_nothing_is_written_and_input_is_not_echoed(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    rows = [*ROWS, ["R-3", "Máy xấu", "203", "Tỉnh Bí Ẩn", "99"]]
    dry = _upload(api, org["token"], _csv(rows)).json()
    assert dry["ok"] is False and dry["failed_rows"] == 1 and dry["created"] == 2
    [bad] = [r for r in dry["rows"] if r["action"] == "error"]
    assert bad["row"] == 4
    assert any("Tỉnh Bí Ẩn" in e and "gần nhất" in e for e in bad["errors"])
    assert any(e.startswith("TRL: phải nhỏ hơn hoặc bằng 9") for e in bad["errors"])

    real = _upload(api, org["token"], _csv(rows), dry_run=False)
    assert real.status_code == 422
    assert real.headers["content-type"] == "application/problem+json"
    problem = real.json()
    assert {"loc": ["file", 4], "msg": "TRL: phải nhỏ hơn hoặc bằng 9"} in problem["errors"]
    assert "Bí Ẩn" not in real.text  # a 422 never echoes the rejected input
    assert _offers(api, org) == []

    columns = _upload(api, org["token"], _csv([["Tên", "colour"], ["x", "y"]])).json()
    assert len(columns["file_errors"]) == 2 and columns["rows"] == []
    wrong = _upload(api, org["token"], b"x", name="o.txt")
    assert wrong.status_code == 422


def test_who_may_import_for_whom(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    other = api.verified_org(dept, "institute")
    content = _csv(ROWS)
    assert _upload(api, "", content).status_code == 401
    member_email = "thanh-vien@example.vn"
    made = api.post(
        f"/organizations/{org['organization']['id']}/members",
        org["token"],
        json={"email": member_email, "password": "correct horse battery",
              "full_name": "Trần Văn Bình", "role": "org_member"},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    assert _upload(api, api.login(member_email), content).status_code == 403
    foreign = _upload(api, org["token"], content, organization_id=other["organization"]["id"])
    assert foreign.status_code == 403
    # The department names the organisation, by id or by tax code.
    assert _upload(api, dept, content).status_code == 422
    by_tax = _upload(api, dept, content, org_tax_code=other["organization"]["tax_code"])
    assert (
        by_tax.status_code == 200
        and by_tax.json()["organization_id"] == (other["organization"]["id"])
    )
    assert _upload(api, dept, content, org_tax_code="123").status_code == 422
    assert _upload(api, org["token"], content, org_tax_code="123").status_code == 422
    by_id = _upload(api, dept, content, organization_id=other["organization"]["id"])
    assert by_id.status_code == 200


def test_templates_download_and_import_cleanly(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "enterprise")
    for kind, title in (("offers", "Tên công nghệ"), ("needs", "Tên nhu cầu")):
        xlsx = api.get(f"/imports/template?kind={kind}&format=xlsx", org["token"])
        assert xlsx.status_code == 200
        assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
        header = [c.value for c in sheet[1]]
        assert title in header and "Mã tham chiếu" in header and sheet.max_row == 2
        csv_file = api.get(f"/imports/template?kind={kind}&format=csv", org["token"])
        assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith(CSV_TYPE)
        for name, content in (("t.xlsx", xlsx.content), ("t.csv", csv_file.content)):
            report = api.post(
                "/imports",
                org["token"],
                data={"kind": kind},
                files={"file": (name, content, "application/octet-stream")},
            ).json()
            assert report["ok"] is True and report["created"] == 1, report
    assert api.get("/imports/template?kind=offers").status_code == 401
    assert api.get("/imports/template?kind=bogus", org["token"]).status_code == 422


def test_validation_messages_in_vietnamese_on_request(api: Api) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    bad = {"title": " ", "field_code": "999", "province_code": "25", "trl": 12, "colour": "x"}
    english = api.post("/offers", org["token"], json=bad).json()
    assert english["detail"] == "The request is not valid; see 'errors'."
    vietnamese = api.post(
        "/offers", org["token"], json=bad, headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}
    ).json()
    messages = {tuple(e["loc"]): e["msg"] for e in vietnamese["errors"]}
    assert messages[("body", "title")] == "không được để trống"
    assert messages[("body", "field_code")].startswith("phải là mã lĩnh vực KH&CN")
    assert messages[("body", "trl")] == "phải nhỏ hơn hoặc bằng 9"
    assert messages[("body", "colour")] == "không phải trường được nhận"
    assert vietnamese["detail"].startswith("Yêu cầu không hợp lệ")
    # A rule checked by the service (not pydantic) speaks Vietnamese too.
    prices = {"title": "Máy", "field_code": "203", "province_code": "25",
              "price_min_vnd": 9, "price_max_vnd": 1}  # fmt: skip
    response = api.post("/offers", org["token"], json=prices, headers={"Accept-Language": "vi"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["msg"] == "giá thấp nhất không được lớn hơn giá cao nhất"
    english_prices = api.post("/offers", org["token"], json=prices).json()
    assert english_prices["detail"] == "price_min_vnd must not exceed price_max_vnd."
    assert (
        api.post(
            "/offers", org["token"], json=bad, headers={"Accept-Language": "en, vi;q=0.5"}
        ).json()["detail"]
        == "The request is not valid; see 'errors'."
    )


def test_the_dashboard_answers_validation_errors_in_vietnamese(api: Api) -> None:
    response = api.client.get("/dashboard/matches?min_score=abc&top_k=99")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    # The dashboard's own error page lists the catalogue's Vietnamese messages.
    assert "min_score: phải là số" in response.text
    assert "top_k: phải nhỏ hơn hoặc bằng 50" in response.text
