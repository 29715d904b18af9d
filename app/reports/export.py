"""CSV and XLSX renderings of the match report and of published listings.

CSV is UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly; the report's
metadata leads the file as ``#`` comment lines (a saved or printed file keeps its provenance),
and the HTTP response repeats it in ``X-Report-*`` headers. Text cells that a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@``) are neutralised.
"""

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.reports.schemas import MatchReport, ReportMeta
from app.taxonomies.data import field_by_code, province_by_code

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A spreadsheet reads these as the start of a formula (";=" where ";" is the list separator).
_FORMULA = re.compile(r"^(?:[=+\-@\t\r]|[;,]+\s*[=+\-@])")
# XML 1.0 cannot hold C0 controls other than tab/LF/CR, surrogates, U+FFFE or U+FFFF; an
# XLSX holding one is a corrupt file, so they become U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# (header, width in characters)
MATCH_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Mã nhu cầu", 38),
    ("Tên nhu cầu", 48),
    ("Tổ chức có nhu cầu", 32),
    ("Bảo mật", 9),
    ("Lĩnh vực nhu cầu", 30),
    ("Tỉnh/thành nhu cầu", 16),
    ("Hạng", 6),
    ("Mã công nghệ", 38),
    ("Tên công nghệ", 48),
    ("Tổ chức cung ứng", 32),
    ("Lĩnh vực công nghệ", 30),
    ("Tỉnh/thành công nghệ", 16),
    ("TRL", 5),
    ("Điểm phù hợp", 12),
    ("Đạt ngưỡng", 11),
    ("Điểm văn bản", 12),
    ("Điểm lĩnh vực", 12),
    ("Điểm TRL", 10),
    ("Điểm ngân sách", 13),
    ("Điểm hình thức chuyển giao", 14),
    ("Điểm địa bàn", 12),
    ("Thuật ngữ chung", 40),
    ("Ghi chú", 60),
)


def _field(code: str) -> str:
    field = field_by_code(code)
    return f"{code} – {field.name}" if field else code


def _province(code: str) -> str:
    province = province_by_code(code)
    return province.name if province else code


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def match_rows(report: MatchReport) -> list[list[Any]]:
    """One row per (need, candidate); a need without candidates appears once, blank on the right."""
    rows: list[list[Any]] = []
    for item in report.items:
        need = item.need
        left: list[Any] = [
            need.id,
            need.title,
            need.organization_name or "",
            _yes_no(item.confidential),
            _field(need.field_code),
            _province(need.province_code),
        ]
        if not item.candidates:
            rows.append(left + [None] * (len(MATCH_COLUMNS) - len(left)))
        for candidate in item.candidates:
            offer, c = candidate.offer, candidate.components
            rows.append(
                [
                    *left,
                    candidate.rank,
                    offer.id,
                    offer.title,
                    offer.organization_name or "",
                    _field(offer.field_code),
                    _province(offer.province_code),
                    offer.trl,
                    candidate.score,
                    _yes_no(candidate.above_threshold),
                    c.text,
                    c.field,
                    c.trl,
                    c.budget,
                    c.transfer,
                    c.region,
                    "; ".join(candidate.explanation.shared_terms),
                    "; ".join(candidate.explanation.notes),
                ]
            )
    return rows


def meta_lines(meta: ReportMeta, *, rows: int) -> list[tuple[str, str]]:
    """The metadata as (label, value) pairs, in Vietnamese."""
    filters = ", ".join(f"{k}={v}" for k, v in meta.filters.items() if v is not None) or "không"
    return [
        ("Báo cáo", meta.title),
        ("Thời điểm tính (UTC)", meta.computed_at.isoformat()),
        ("Phiên bản chỉ mục", str(meta.index_version)),
        ("Số công nghệ trong chỉ mục", str(meta.indexed_offers)),
        ("Số nhu cầu trong chỉ mục", str(meta.indexed_needs)),
        ("Số dòng", str(rows)),
        ("Ngưỡng phù hợp", str(meta.threshold)),
        ("Bộ lọc", filters),
        ("Cấu hình bộ so khớp", json.dumps(compact_settings(meta), ensure_ascii=False)),
    ]


def compact_settings(meta: ReportMeta) -> dict[str, Any]:
    """The matcher settings without the long stop-word list (its size is kept)."""
    settings = dict(meta.matcher_settings)
    stopwords = settings.pop("stopwords", None)
    if isinstance(stopwords, list):
        settings["stopwords_count"] = len(stopwords)
    return settings


def meta_headers(meta: ReportMeta, *, rows: int) -> dict[str, str]:
    """``X-Report-*`` response headers (ASCII only, as HTTP requires)."""
    return {
        "X-Report-Computed-At": meta.computed_at.isoformat(),
        "X-Report-Index-Version": str(meta.index_version),
        "X-Report-Indexed-Offers": str(meta.indexed_offers),
        "X-Report-Indexed-Needs": str(meta.indexed_needs),
        "X-Report-Rows": str(rows),
        "X-Report-Threshold": str(meta.threshold),
        "X-Report-Matcher-Settings": json.dumps(
            compact_settings(meta), ensure_ascii=True, separators=(",", ":")
        ),
    }


def _safe(value: Any) -> Any:
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def _xml_safe(value: Any) -> Any:
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_csv(
    header: Sequence[str], rows: Sequence[Sequence[Any]], meta: Sequence[tuple[str, str]] = ()
) -> bytes:
    """UTF-8 with BOM; metadata first as one-cell ``# label: value`` lines (quoted if needed)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for label, value in meta:
        # One cell per line: a value with commas (the matcher settings, the filters) is quoted
        # so that a spreadsheet does not split it across columns.
        writer.writerow([f"# {label}: {value}".replace("\r", " ").replace("\n", " ")])
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _safe(_cell(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    header: Sequence[str],
    widths: Sequence[int],
    rows: Sequence[Sequence[Any]],
    meta: Sequence[tuple[str, str]],
    *,
    sheet: str,
) -> bytes:
    """A workbook: the data sheet (bold frozen header) and a metadata sheet."""
    book = Workbook()
    data = book.active
    data.title = sheet
    data.append([_xml_safe(v) for v in header])
    for row in rows:
        data.append([_xml_safe(_cell(v)) for v in row])
        for cell in data[data.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
    for cell in data[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, width in enumerate(widths, start=1):
        data.column_dimensions[get_column_letter(i)].width = width
    data.freeze_panes = "A2"
    data.auto_filter.ref = data.dimensions
    info = book.create_sheet("Thông tin báo cáo")
    info.append(["Mục", "Giá trị"])
    for label, value in meta:
        info.append([_xml_safe(label), _xml_safe(value)])
    for cell in info[1]:
        cell.font = Font(bold=True)
    info.column_dimensions["A"].width = 30
    info.column_dimensions["B"].width = 100
    info.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def match_report_file(report: MatchReport, fmt: str) -> bytes:
    """The match report as a CSV or XLSX file."""
    rows = match_rows(report)
    header = [name for name, _ in MATCH_COLUMNS]
    meta = meta_lines(report.meta, rows=len(rows))
    if fmt == "csv":
        return to_csv(header, rows, meta)
    return to_xlsx(header, [w for _, w in MATCH_COLUMNS], rows, meta, sheet="Kết quả so khớp")


def filename(stem: str, fmt: str, at: datetime) -> str:
    return f"{stem}-{at.strftime('%Y%m%d-%H%M%S')}.{fmt}"
