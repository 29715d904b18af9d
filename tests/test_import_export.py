"""``techmatch import`` and ``techmatch export`` (in process), checked through the HTTP API."""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from app import cli
from app.config import get_settings
from tests.conftest import Api


@pytest.fixture
def run(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Runs the command line against the test database; returns (exit code, out, err)."""
    monkeypatch.setenv("TECHMATCH_DATABASE_URL", api.settings.database_url)
    get_settings.cache_clear()

    def invoke(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield invoke
    get_settings.cache_clear()


def _write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _listings(api: Api, kind: str, org: dict[str, Any], status: str = "") -> list[dict[str, Any]]:
    org_id = org["organization"]["id"]
    query = f"/{kind}?organization_id={org_id}&limit=100" + (f"&status={status}" if status else "")
    response = api.get(query, org["token"])
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


HEADER = ["title", "summary", "keywords", "field_code", "province_code", "trl",
          "transfer_forms", "price_min_vnd", "price_max_vnd"]  # fmt: skip


def test_import_offers_from_csv_with_api_names(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    path = _write_csv(tmp_path / "offers.csv", [
        HEADER,
        ["Máy sấy nông sản bơm nhiệt", "Sấy chè, sấy quả", "máy sấy; bơm nhiệt", "203", "25",
         "7", "licence;technical_service", "100000000", "200.000.000"],
        ["Chế phẩm vi sinh ủ phân", "", "vi sinh", "401", "25", "", "", "", ""],
    ])  # fmt: skip
    code, out, err = run(
        capsys, "import", "offers", str(path), "--organization-id", org["organization"]["id"]
    )
    assert code == 0, err
    assert "2 tạo mới" in out
    assert "100%" in err  # the progress bar
    drafts = {d["title"]: d for d in _listings(api, "offers", org, "draft")}
    assert set(drafts) == {"Máy sấy nông sản bơm nhiệt", "Chế phẩm vi sinh ủ phân"}
    dryer = drafts["Máy sấy nông sản bơm nhiệt"]
    assert dryer["keywords"] == ["máy sấy", "bơm nhiệt"]
    assert dryer["transfer_forms"] == ["licence", "technical_service"]
    assert dryer["trl"] == 7 and dryer["price_max_vnd"] == 200_000_000
    assert drafts["Chế phẩm vi sinh ủ phân"]["trl"] is None


def test_vietnamese_headers_names_and_old_provinces(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "enterprise")
    path = _write_xlsx(tmp_path / "nhu-cau.xlsx", [
        ["STT", "Tên nhu cầu", "Lĩnh vực", "Tỉnh/thành", "TRL tối thiểu",
         "Ngân sách tối đa (VNĐ)", "Bảo mật", "Từ khóa", "Hình thức chuyển giao", "Hạn cần"],
        [1, "Cần dây chuyền chế biến chè xanh", "203 – Kỹ thuật cơ khí", "Tỉnh Vĩnh Phúc", 6,
         500_000_000, "Có", "chè xanh; chế biến",
         "Chuyển quyền sử dụng công nghệ (li-xăng); equipment", "31/12/2030"],
        [None] * 10,  # blank rows are skipped
        [3, "Cần giống bưởi sạch bệnh", "Trồng trọt", "hoa binh", None, 1.5e8, "không", None,
         None, None],
        [4, "Cần phần mềm quản lý kho", "102", "TP. Hồ Chí Minh", None, None, None, None, None,
         None],
        [5, "Cần lò đốt rác", 207, "26", None, None, None, None, None, None],
    ])  # fmt: skip
    code, out, err = run(
        capsys, "import", "needs", str(path), "--organization-id", org["organization"]["id"]
    )
    assert code == 0, err
    assert "bỏ qua các cột: STT" in out
    drafts = {d["title"]: d for d in _listings(api, "needs", org, "draft")}
    tea = drafts["Cần dây chuyền chế biến chè xanh"]
    assert tea["field_code"] == "203" and tea["province_code"] == "25"  # Vĩnh Phúc → Phú Thọ
    assert tea["confidential"] is True and tea["desired_trl_min"] == 6
    assert tea["keywords"] == ["chè xanh", "chế biến"]
    assert tea["transfer_forms"] == ["licence", "equipment"]
    assert tea["deadline"] == "2030-12-31"
    pomelo = drafts["Cần giống bưởi sạch bệnh"]
    assert pomelo["field_code"] == "401" and pomelo["province_code"] == "25"  # Hòa Bình
    assert pomelo["budget_max_vnd"] == 150_000_000 and pomelo["confidential"] is False
    assert drafts["Cần phần mềm quản lý kho"]["province_code"] == "79"
    assert drafts["Cần lò đốt rác"]["province_code"] == "25"  # old code of Vĩnh Phúc
    assert drafts["Cần lò đốt rác"]["field_code"] == "207"


def test_an_invalid_row_imports_nothing_and_errors_are_vietnamese(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    good = ["Máy sấy", "", "", "203", "25", "7", "", "", ""]
    path = _write_csv(tmp_path / "offers.csv", [
        HEADER,
        good,
        ["Máy sấy 2", "", "", "203", "25", "12", "", "", ""],
        ["Máy sấy 3", "", "", "999", "25", "abc", "", "", ""],
        ["Máy sấy 4", "", "", "203", "25", "5", "", "900", "100"],
        ["", "", "", "203", "Hà Tây", "5", "gift", "", ""],
    ])  # fmt: skip
    code, _out, err = run(
        capsys, "import", "offers", str(path), "--organization-id", org["organization"]["id"]
    )
    assert code == 1
    assert "dòng 3: TRL: phải nhỏ hơn hoặc bằng 9" in err
    assert "dòng 4: Lĩnh vực công nghệ: «999» không phải lĩnh vực KH&CN" in err
    assert "dòng 4: TRL: phải là số nguyên" in err
    assert "dòng 5: Giá thấp nhất (VNĐ): giá thấp nhất không được lớn hơn giá cao nhất" in err
    assert "dòng 6: Tỉnh/thành công nghệ: không có tỉnh/thành «Hà Tây»; gần nhất:" in err
    assert "dòng 6: Hình thức chuyển giao: «gift» không có trong danh mục" in err
    assert "dòng 2" not in err
    assert "không nhập dòng nào" in err
    assert "Input should" not in err and "must" not in err  # no English
    assert _listings(api, "offers", org) == []


def test_unknown_and_missing_columns_are_reported_once_per_file(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    org_id = org["organization"]["id"]
    rows: list[list[Any]] = [["Tên công nghệ", "Lĩnh vực", "colour", "Ghi chú lạ"]]
    rows += [[f"Máy sấy {i}", "203", "đỏ", "x"] for i in range(13)]
    path = _write_csv(tmp_path / "o.csv", rows)
    code, _, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 1
    assert err.count("không nhận ra cột") == 1 and "«colour», «Ghi chú lạ»" in err
    assert err.count("thiếu cột bắt buộc") == 1 and "«Tỉnh/thành công nghệ»" in err
    assert "dòng 2" not in err
    code, _, err = run(capsys, "import", "offers", str(path), "--organization-id", "nope")
    assert code == 1 and "tổ chức" in err
    other = tmp_path / "o.txt"
    other.write_text("title\nx\n")
    code, _, err = run(capsys, "import", "offers", str(other), "--organization-id", org_id)
    assert code == 1 and ".csv" in err
    code, _, err = run(
        capsys, "import", "offers", str(tmp_path / "missing.csv"), "--organization-id", org_id
    )
    assert code == 1 and err.count("\n") == 1
    assert _listings(api, "offers", org) == []


def test_organisation_by_tax_code_and_dry_run_writes_nothing(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    path = _write_csv(tmp_path / "offers.csv", [
        ["Mã tham chiếu", "Tên công nghệ", "Lĩnh vực công nghệ", "Tỉnh/thành công nghệ", "TRL"],
        ["A-1", "Máy sấy chè", "203", "Phú Thọ", "7"],
        ["A-2", "Máy sao chè", "203", "Phu Tho", "15"],
    ])  # fmt: skip
    tax = org["organization"]["tax_code"]
    code, out, err = run(capsys, "import", "offers", str(path), "--org-tax-code", tax, "--dry-run")
    assert code == 1  # a row has an error
    assert "dòng 2: tạo mới «Máy sấy chè»" in out
    assert "dòng 3: TRL: phải nhỏ hơn hoặc bằng 9" in err
    assert "không ghi gì" in out and "1 tạo mới" in out and "1 dòng lỗi" in out
    assert _listings(api, "offers", org) == []
    _write_csv(path, [
        ["Mã tham chiếu", "Tên công nghệ", "Lĩnh vực công nghệ", "Tỉnh/thành công nghệ", "TRL"],
        ["A-1", "Máy sấy chè", "203", "Phú Thọ", "7"],
    ])  # fmt: skip
    code, out, _ = run(capsys, "import", "offers", str(path), "--org-tax-code", tax, "--dry-run")
    assert code == 0 and "1 tạo mới" in out
    assert _listings(api, "offers", org) == []
    code, _, err = run(capsys, "import", "offers", str(path), "--org-tax-code", "0100109106")
    assert code == 1 and "mã số thuế" in err
    code, _, err = run(capsys, "import", "offers", str(path), "--org-tax-code", "123")
    assert code == 1 and "Mã số thuế không hợp lệ" in err and err.count("\n") == 1
    code, _, _ = run(capsys, "import", "offers", str(path), "--org-tax-code", tax)
    assert code == 0
    assert [o["title"] for o in _listings(api, "offers", org)] == ["Máy sấy chè"]
    with pytest.raises(SystemExit):  # one organisation option is required
        cli.main(["import", "offers", str(path)])


def test_reimport_updates_by_external_ref_and_id_never_duplicates(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    org_id = org["organization"]["id"]
    header = ["Mã tham chiếu", "Tên công nghệ", "Lĩnh vực công nghệ", "Tỉnh/thành công nghệ"]
    path = _write_csv(tmp_path / "o.csv", [header, ["A-1", "Máy sấy chè", "203", "25"]])
    assert run(capsys, "import", "offers", str(path), "--organization-id", org_id)[0] == 0
    [first] = _listings(api, "offers", org)
    assert first["external_ref"] == "A-1"
    code, out, _ = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0 and "1 không đổi" in out
    assert first["version"] == _listings(api, "offers", org)[0]["version"]  # untouched
    _write_csv(path, [header, ["A-1", "Máy sấy chè bơm nhiệt", "203", "Vĩnh Phúc"]])
    code, out, _ = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0 and "1 cập nhật" in out
    [updated] = _listings(api, "offers", org)
    assert updated["id"] == first["id"] and updated["title"] == "Máy sấy chè bơm nhiệt"
    # By id, with the version the file was exported at: a stale version is refused.
    by_id = ["Mã công nghệ", "Phiên bản", "Tên công nghệ", "Lĩnh vực công nghệ", "Tỉnh/thành"]
    _write_csv(path, [by_id, [first["id"], str(first["version"]), "Tên khác", "203", "25"]])
    code, _, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 1 and "đã được sửa sau khi xuất" in err
    _write_csv(path, [by_id, [updated["id"], str(updated["version"]), "Tên khác", "203", "25"]])
    assert run(capsys, "import", "offers", str(path), "--organization-id", org_id)[0] == 0
    assert [o["title"] for o in _listings(api, "offers", org)] == ["Tên khác"]
    # An id of nothing of this organisation, the same key twice, a same-titled new row.
    other = api.verified_org(dept, "institute")
    theirs = api.published("offers", other["token"], dept)
    _write_csv(path, [
        ["Mã công nghệ", "Mã tham chiếu", "Tên công nghệ", "Lĩnh vực", "Tỉnh/thành"],
        [theirs["id"], "", "Của người khác", "203", "25"],
        ["", "B-1", "Một", "203", "25"],
        ["", "B-1", "Hai", "203", "25"],
        ["", "", "Tên khác", "401", "25"],
    ])  # fmt: skip
    code, _, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 1
    assert "dòng 2: Mã công nghệ: không có công nghệ" in err
    assert "dòng 4: Mã tham chiếu «B-1» trùng với dòng 3" in err
    assert "dòng 5: tổ chức đã có công nghệ cùng tên" in err
    assert len(_listings(api, "offers", org)) == 1
    # A file without ids imported twice: the identical row is recognised, not duplicated.
    _write_csv(path, [header[1:], ["Tên khác", "203", "25"], ["Mới", "203", "25"]])
    code, out, _ = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0 and "1 tạo mới" in out and "1 không đổi" in out
    code, out, _ = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0 and "0 tạo mới" in out and "2 không đổi" in out
    assert len(_listings(api, "offers", org)) == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_edit_in_excel_and_import_back(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    org_id = institute["organization"]["id"]
    offer = api.published("offers", institute["token"], dept)
    draft = api.post(
        "/offers", institute["token"], json={"title": "Bản nháp", "field_code": "203",
                                             "province_code": "25", "trl": 3}
    ).json()  # fmt: skip
    out = tmp_path / f"offers.{fmt}"
    code, _, err = run(
        capsys, "export", "offers", "--organization-id", org_id, "--output", str(out)
    )
    assert code == 0, err
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    else:
        rows = [list(r) for r in load_workbook(out).worksheets[0].iter_rows(values_only=True)]
    header = rows[0]
    assert header[:2] == ["Mã công nghệ", "Mã tham chiếu"] and "Tên công nghệ" in header
    by_id = {row[0]: row for row in rows[1:]}
    assert set(by_id) == {offer["id"], draft["id"]}
    row = by_id[offer["id"]]
    assert row[header.index("Lĩnh vực công nghệ")] == "203 – Kỹ thuật cơ khí"
    assert row[header.index("Tỉnh/thành công nghệ")] == "Phú Thọ"
    assert row[header.index("Từ khóa")] == "máy sấy; bơm nhiệt; chè"
    assert row[header.index("Trạng thái")] == "Đã công bố"
    assert "Chuyển quyền sử dụng công nghệ (li-xăng)" in row[header.index("Hình thức chuyển giao")]
    # Re-importing the export unchanged changes nothing.
    code, output, err = run(capsys, "import", "offers", str(out), "--organization-id", org_id)
    assert code == 0, err
    assert "0 tạo mới" in output and "2 không đổi" in output
    # Edit in "Excel": a new title, an old province name, a new row; then import back.
    edited = by_id[draft["id"]]
    edited[header.index("Tên công nghệ")] = "Bản nháp đã sửa"
    edited[header.index("Tỉnh/thành công nghệ")] = "Tỉnh Hòa Bình"
    edited[header.index("TRL")] = 4
    new = [None] * len(header)
    new[header.index("Tên công nghệ")] = "Công nghệ mới"
    new[header.index("Lĩnh vực công nghệ")] = "401 – Trồng trọt"
    new[header.index("Tỉnh/thành công nghệ")] = "Tuyên Quang"
    rows = [header, by_id[offer["id"]], edited, new]
    path = tmp_path / f"edited.{fmt}"
    if fmt == "csv":
        _write_csv(path, rows)
    else:
        _write_xlsx(path, rows)
    code, output, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0, err
    assert "1 tạo mới" in output and "1 cập nhật" in output and "1 không đổi" in output
    mine = {o["id"]: o for o in _listings(api, "offers", institute)}
    assert len(mine) == 3
    assert mine[draft["id"]]["title"] == "Bản nháp đã sửa" and mine[draft["id"]]["trl"] == 4
    assert mine[offer["id"]]["version"] == offer["version"]
    # The same edited file again: nothing new.
    code, output, _ = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0 and "3 không đổi" in output
    assert len(_listings(api, "offers", institute)) == 3


def test_export_published_needs_with_vietnamese_headers(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    enterprise = api.verified_org(dept, "enterprise")
    need = api.published("needs", enterprise["token"], dept)
    api.post("/needs", enterprise["token"], json={"title": "Nháp", "field_code": "203",
                                                  "province_code": "25"})  # fmt: skip
    out_xlsx = tmp_path / "needs.xlsx"
    code, _, err = run(capsys, "export", "needs", "--output", str(out_xlsx))
    assert code == 0, err
    sheet = load_workbook(out_xlsx).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "Ngân sách tối đa (VNĐ)" in header and "Bảo mật" in header
    assert sheet.cell(row=2, column=header.index("Mã nhu cầu") + 1).value == need["id"]
    assert sheet.max_row == 2  # published only
    assert sheet.cell(row=2, column=header.index("Bảo mật") + 1).value == "Không"


def test_export_match_report(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    enterprise = api.verified_org(dept, "enterprise")
    offer = api.published("offers", institute["token"], dept)
    need = api.published("needs", enterprise["token"], dept)
    path = tmp_path / "matches.xlsx"
    code, _, err = run(
        capsys, "export", "matches", "--format", "xlsx", "--output", str(path), "--top-k", "2"
    )
    assert code == 0, err
    data, info = load_workbook(path).worksheets
    assert data["A2"].value == need["id"] and data["H2"].value == offer["id"]
    meta = {row[0].value: row[1].value for row in info.iter_rows(min_row=2)}
    assert meta["Số công nghệ trong chỉ mục"] == "1"
    csv_path = tmp_path / "matches.csv"
    code, _, _ = run(capsys, "export", "matches", "--output", str(csv_path))
    assert code == 0
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf# ")
    with pytest.raises(SystemExit):
        cli.main(["export", "matches", "--output", str(csv_path), "--top-k", "0"])


def test_a_department_style_spreadsheet(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Headers as officers write them, short names, old provinces, Vietnamese number style."""
    dept = api.department()
    org = api.verified_org(dept, "university")
    header = ["STT", "Tên công nghệ", "Mô tả tóm tắt", "Lĩnh vực", "Địa phương", "TRL (1-9)",
              "Hình thức chuyển giao", "Giá thấp nhất", "Giá cao nhất (VNĐ)"]  # fmt: skip
    path = _write_xlsx(tmp_path / "danh-muc.xlsx", [
        header,
        [1, "Máy bóc vỏ lạc", "Bóc vỏ lạc năng suất cao", "cơ khí", "Tỉnh Hà Giang", 6,
         "li-xăng; tư vấn", "200.000.000", "350,000,000"],
        [2, "Giống chè LDP1", "", "Trồng trọt", "Thai Nguyen", 9, "chuyển nhượng", None, None],
    ])  # fmt: skip
    org_id = org["organization"]["id"]
    code, _out, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 0, err
    offers = {o["title"]: o for o in _listings(api, "offers", org)}
    husker = offers["Máy bóc vỏ lạc"]
    assert husker["field_code"] == "203" and husker["province_code"] == "08"  # Hà Giang
    assert husker["transfer_forms"] == ["licence", "technical_service"]
    assert (husker["price_min_vnd"], husker["price_max_vnd"]) == (200_000_000, 350_000_000)
    assert husker["summary"] == "Bóc vỏ lạc năng suất cao" and husker["trl"] == 6
    assert offers["Giống chè LDP1"]["province_code"] == "19"
    # A price in another unit is never taken for đồng.
    _write_xlsx(path, [["Tên công nghệ", "Lĩnh vực", "Tỉnh", "Giá thấp nhất (triệu)"],
                       ["Máy khác", "203", "25", 200]])  # fmt: skip
    code, _out, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 1 and "không nhận ra cột «Giá thấp nhất (triệu)»" in err
