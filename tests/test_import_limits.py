"""Imports refuse oversized and inflating files before parsing them (issue 9, finding 10)."""

import io
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.errors import InvalidInput
from app.imports import table as service
from app.imports.table import Table, file_format
from app.imports.table import read_table as read_content


def read_table(path: Path) -> Table:
    return read_content(path.read_bytes(), file_format(path.name))


def _workbook(path: Path) -> None:
    book = Workbook()
    book.active.append(["title", "field_code"])
    book.active.append(["Máy sấy", "203"])
    book.save(path)


def _bomb(path: Path, rows: int) -> None:
    """A valid workbook whose sheet inflates to far more than the file's size."""
    plain = io.BytesIO()
    _workbook(plain)  # type: ignore[arg-type]
    row = '<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * rows
        + "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            out.writestr(item.filename, data, compresslevel=9)


def test_an_inflating_xlsx_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _bomb(path, rows=1_400_000)  # ~60 MB of XML in a file of well under 1 MB
    assert path.stat().st_size < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(InvalidInput, match="giải nén"):
        read_table(path)
    assert time.monotonic() - started < 10  # parsing it took 150 s before the check


def test_a_too_large_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("title\n" + "a" * (service.MAX_FILE_BYTES + 1) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="MB"):
        read_table(path)


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{i}" for i in range(service.MAX_COLUMNS + 1))
    path.write_text(header + "\n" + header + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="cột"):
        read_table(path)


def test_too_many_rows_are_refused_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_ROWS", 5)
    path = tmp_path / "long.xlsx"
    book = Workbook()
    for i in range(20):
        book.active.append([f"row {i}", "203"])
    book.save(path)
    with pytest.raises(InvalidInput, match="quá 5 dòng"):
        read_table(path)


def test_a_corrupt_xlsx_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InvalidInput):
        read_table(path)


def test_an_ordinary_workbook_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "ok.xlsx"
    _workbook(path)
    assert read_table(path) == Table(["title", "field_code"], [(2, ["Máy sấy", "203"])])
