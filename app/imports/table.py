"""Reading the first sheet of a .csv or .xlsx file into a header and numbered rows.

Limits are checked before and while parsing (a 1.8 MB zip bomb once took 2.5 GB and 150 s): the
upload's size, the archive's declared uncompressed size and entry count (``zipfile`` never
inflates an entry beyond its declared size, so they bound what openpyxl can read), the number
of columns, data rows and blank rows; XLSX rows are streamed in read-only mode.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from app.errors import InvalidInput

MAX_ROWS = 10_000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 100
MAX_COLUMNS = 50
MAX_BLANK_ROWS = 1_000
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


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "Tệp CSV phải mã hóa UTF-8 (trong Excel: Lưu thành «CSV UTF-8»).", loc=["file"]
        ) from exc
    try:
        for row in csv.reader(io.StringIO(text)):
            # A report's metadata lines ("# label: value") are not data.
            if not (len(row) == 1 and row[0].startswith("# ")):
                yield row
    except csv.Error as exc:
        raise InvalidInput("Tệp .csv không hợp lệ.", loc=["file"]) from exc


def _check_archive(content: bytes) -> None:
    """Refuse an XLSX before parsing when its archive would inflate beyond the limit."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInput(
            "Không đọc được tệp .xlsx (tệp hỏng hoặc sai định dạng).", loc=["file"]
        ) from exc
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise InvalidInput("Tệp .xlsx có quá nhiều thành phần.", loc=["file"])
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED_BYTES:
        limit = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
        raise InvalidInput(f"Tệp .xlsx khi giải nén lớn hơn {limit} MB.", loc=["file"])


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    _check_archive(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a malformed file
        raise InvalidInput(
            "Không đọc được tệp .xlsx (tệp hỏng hoặc sai định dạng).", loc=["file"]
        ) from exc
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        book.close()


def _trimmed(row: list[Any]) -> list[Any]:
    while row and (row[-1] is None or str(row[-1]).strip() == ""):
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise InvalidInput(f"Tệp có quá {MAX_COLUMNS} cột.", loc=["file"])
    return row


def read_table(content: bytes, fmt: str) -> Table:
    """The header and the non-empty rows of ``content`` (``csv`` or ``xlsx``)."""
    if len(content) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise InvalidInput(f"Tệp lớn hơn {limit} MB.", loc=["file"])
    rows = _csv_rows(content) if fmt == CSV else _xlsx_rows(content)
    first = next(rows, None)
    if first is None:
        raise InvalidInput("Tệp trống: dòng đầu phải là tên các cột.", loc=["file"])
    header = [str(name).strip() if name is not None else "" for name in _trimmed(list(first))]
    table: list[tuple[int, list[Any]]] = []
    blank = 0
    for number, row in enumerate(rows, start=2):
        cells = _trimmed(list(row))
        if all(cell is None or str(cell).strip() == "" for cell in cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise InvalidInput(f"Tệp có quá {MAX_BLANK_ROWS} dòng trống.", loc=["file"])
            continue
        table.append((number, cells + [None] * (len(header) - len(cells))))
        if len(table) > MAX_ROWS:
            raise InvalidInput(f"Tệp có quá {MAX_ROWS} dòng dữ liệu.", loc=["file"])
    return Table(header=header, rows=table)
