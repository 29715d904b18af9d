"""``techmatch import`` and ``techmatch export``, checked through the HTTP API."""

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


def _drafts(api: Api, kind: str, org: dict[str, Any]) -> list[dict[str, Any]]:
    org_id = org["organization"]["id"]
    response = api.get(f"/{kind}?organization_id={org_id}&status=draft", org["token"])
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["items"]
    return items


HEADER = ["title", "summary", "keywords", "field_code", "province_code", "trl",
          "transfer_forms", "price_min_vnd", "price_max_vnd"]  # fmt: skip


def test_import_offers_from_csv(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    path = _write_csv(tmp_path / "offers.csv", [
        HEADER,
        ["Máy sấy nông sản bơm nhiệt", "Sấy chè, sấy quả", "máy sấy; bơm nhiệt", "203", "25",
         "7", "licence;technical_service", "100000000", "200000000"],
        ["Chế phẩm vi sinh ủ phân", "", "vi sinh", "401", "25", "", "", "", ""],
    ])  # fmt: skip
    code, out, err = run(
        capsys, "import", "offers", str(path), "--organization-id", org["organization"]["id"]
    )
    assert code == 0, err
    assert "imported 2 offers" in out
    drafts = {d["title"]: d for d in _drafts(api, "offers", org)}
    assert set(drafts) == {"Máy sấy nông sản bơm nhiệt", "Chế phẩm vi sinh ủ phân"}
    dryer = drafts["Máy sấy nông sản bơm nhiệt"]
    assert dryer["keywords"] == ["máy sấy", "bơm nhiệt"]
    assert dryer["transfer_forms"] == ["licence", "technical_service"]
    assert dryer["trl"] == 7 and dryer["price_max_vnd"] == 200_000_000
    assert dryer["status"] == "draft"
    assert drafts["Chế phẩm vi sinh ủ phân"]["trl"] is None


def test_import_needs_from_xlsx(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "enterprise")
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "title",
            "field_code",
            "province_code",
            "desired_trl_min",
            "budget_max_vnd",
            "confidential",
            "keywords",
        ]
    )
    sheet.append(
        ["Cần dây chuyền chế biến chè xanh", "203", "25", 6, 500_000_000, "có", "chè xanh;chế biến"]
    )
    sheet.append([None] * 7)  # blank rows are skipped
    sheet.append(["Cần giống bưởi sạch bệnh", "401", "25", None, 1.5e8, False, None])
    path = tmp_path / "needs.xlsx"
    book.save(path)
    code, _out, err = run(
        capsys, "import", "needs", str(path), "--organization-id", org["organization"]["id"]
    )
    assert code == 0, err
    drafts = {d["title"]: d for d in _drafts(api, "needs", org)}
    tea = drafts["Cần dây chuyền chế biến chè xanh"]
    assert tea["confidential"] is True and tea["desired_trl_min"] == 6
    assert tea["keywords"] == ["chè xanh", "chế biến"]
    assert drafts["Cần giống bưởi sạch bệnh"]["budget_max_vnd"] == 150_000_000


def test_an_invalid_row_imports_nothing(
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
        ["", "", "", "203", "25", "5", "gift", "", ""],
    ])  # fmt: skip
    code, _out, err = run(
        capsys, "import", "offers", str(path), "--organization-id", org["organization"]["id"]
    )
    assert code == 1
    assert "dòng 3: trl" in err
    assert "dòng 4: trl" in err
    assert "dòng 5: price_min_vnd must not exceed price_max_vnd" in err
    assert "dòng 6: title" in err and "dòng 6: transfer_forms" in err
    assert "dòng 2" not in err
    assert _drafts(api, "offers", org) == []


def test_import_refuses_unknown_columns_organisations_and_files(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    org = api.verified_org(dept, "institute")
    org_id = org["organization"]["id"]
    path = _write_csv(
        tmp_path / "o.csv",
        [["title", "field_code", "province_code", "colour"], ["Máy sấy", "203", "25", "đỏ"]],
    )
    code, _, err = run(capsys, "import", "offers", str(path), "--organization-id", org_id)
    assert code == 1 and "dòng 2: colour" in err
    code, _, err = run(capsys, "import", "offers", str(path), "--organization-id", "nope")
    assert code == 1 and "tổ chức" in err
    other = tmp_path / "o.txt"
    other.write_text("title\nx\n")
    code, _, err = run(capsys, "import", "offers", str(other), "--organization-id", org_id)
    assert code == 1 and ".csv" in err
    code, _, err = run(
        capsys, "import", "offers", str(tmp_path / "missing.csv"), "--organization-id", org_id
    )
    assert code == 1
    assert _drafts(api, "offers", org) == []


def test_export_listings_and_import_them_again(
    api: Api, run: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dept = api.department()
    institute = api.verified_org(dept, "institute")
    offer = api.published("offers", institute["token"], dept)
    api.post(
        "/offers",
        institute["token"],
        json={"title": "Bản nháp", "field_code": "203", "province_code": "25"},
    )
    out_csv = tmp_path / "offers.csv"
    code, _, err = run(capsys, "export", "offers", "--format", "csv", "--output", str(out_csv))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out_csv.read_bytes().decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == [offer["id"]]  # published only
    assert rows[0]["keywords"] == "máy sấy;bơm nhiệt;chè"
    assert rows[0]["organization_name"] == institute["organization"]["name"]

    other = api.verified_org(dept, "university")
    code, out, err = run(
        capsys, "import", "offers", str(out_csv), "--organization-id", other["organization"]["id"]
    )
    assert code == 0, err
    assert "bỏ qua các cột" in out
    [copy] = _drafts(api, "offers", other)
    assert copy["title"] == offer["title"] and copy["keywords"] == offer["keywords"]
    assert copy["id"] != offer["id"]

    out_xlsx = tmp_path / "needs.xlsx"
    enterprise = api.verified_org(dept, "enterprise")
    need = api.published("needs", enterprise["token"], dept)
    code, _, err = run(capsys, "export", "needs", "--format", "xlsx", "--output", str(out_xlsx))
    assert code == 0, err
    sheet = load_workbook(out_xlsx).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "budget_max_vnd" in header and "confidential" in header
    assert sheet.cell(row=2, column=header.index("id") + 1).value == need["id"]


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
