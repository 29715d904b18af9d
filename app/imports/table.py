"""Reading the first sheet of a .csv or .xlsx file into a header and numbered rows."""

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from app.errors import InvalidInput

MAX_ROWS = 10_000
CSV, XLSX = "csv", "xlsx"


@dataclass(frozen=True)
class Table:
    """``rows``: (row number as a spreadsheet shows it, cells) for each non-empty row."""

    header: list[str]
    rows: list[tuple[int, list[Any]]]


def file_format(filename: str) -> str:
    """``csv`` or ``xlsx`` from the file name; anything else is refused."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in (CSV, XLSX):
        raise InvalidInput("Chỉ nhận tệp .csv hoặc .xlsx.", loc=["file"])
    return suffix


def _csv_rows(content: bytes) -> list[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "Tệp CSV phải mã hóa UTF-8 (trong Excel: Lưu thành «CSV UTF-8»).", loc=["file"]
        ) from exc
    rows = list(csv.reader(io.StringIO(text)))
    # A report's metadata lines ("# label: value") are not data.
    return [row for row in rows if not (len(row) == 1 and row[0].startswith("# "))]


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("Không đọc được tệp .xlsx (tệp hỏng hoặc sai định dạng).") from exc
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(content: bytes, fmt: str) -> Table:
    """The header and the non-empty rows of ``content`` (``csv`` or ``xlsx``)."""
    rows = _csv_rows(content) if fmt == CSV else _xlsx_rows(content)
    if not rows:
        raise InvalidInput("Tệp trống: dòng đầu phải là tên các cột.", loc=["file"])
    header = [str(name).strip() if name is not None else "" for name in rows[0]]
    table: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        table.append((number, list(row) + [None] * (len(header) - len(row))))
        if len(table) > MAX_ROWS:
            raise InvalidInput(f"Tệp có quá {MAX_ROWS} dòng dữ liệu.", loc=["file"])
    return Table(header=header, rows=table)
