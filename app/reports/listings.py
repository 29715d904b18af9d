"""Offers or needs as a spreadsheet with the Vietnamese headers and names of the match report.

The columns come from ``app.listings.columns``, which ``techmatch import`` reads as well, so an
export can be edited in Excel and imported again: the ``Mã`` column sends each row back to its
listing, codes are written as the report writes them ("203 – Kỹ thuật cơ khí", "Phú Thọ",
Vietnamese labels) and read back from those names.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.listings.columns import LIST_SEPARATOR, Column, columns
from app.needs.models import Need
from app.offers.models import Offer
from app.reports import export
from app.reports.service import published
from app.taxonomies.data import (
    IP_STATUS,
    LISTING_STATUS,
    PRICE_TYPE,
    TRANSFER_FORM,
    TRANSFER_METHOD,
    field_by_code,
    province_by_code,
)

_MODELS: dict[str, type[Offer] | type[Need]] = {"offers": Offer, "needs": Need}
_LABELS: dict[str, dict[str, str]] = {
    "status": LISTING_STATUS,
    "transfer_forms": TRANSFER_FORM,
    "transfer_methods": TRANSFER_METHOD,
    "ip_status": IP_STATUS,
    "price_type": PRICE_TYPE,
}
_WIDE = {"title": 48, "summary": 48, "description": 60, "organization_name": 32}


def field_name(code: str) -> str:
    """ "203 – Kỹ thuật cơ khí", as the match report writes a field."""
    field = field_by_code(code)
    return f"{code} – {field.name}" if field else code


def province_name(code: str) -> str:
    province = province_by_code(code)
    return province.name if province else code


def cell(name: str, value: Any) -> Any:
    """A listing's value as the spreadsheet shows it."""
    if value is None:
        return None
    if name in _LABELS:
        labels = _LABELS[name]
        if isinstance(value, list):
            return LIST_SEPARATOR.join(labels.get(str(v), str(v)) for v in value)
        return labels.get(value, value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if name == "field_code":
        return field_name(value)
    if name == "province_code":
        return province_name(value)
    if name == "confidential":
        return "Có" if value else "Không"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _value(row: Offer | Need, column: Column) -> Any:
    if column.name == "organization_name":
        return row.organization.name
    return cell(column.name, getattr(row, column.name, None))


def listing_rows(
    session: Session, kind: str, *, organization_id: str | None = None
) -> list[list[Any]]:
    """Published listings of ``kind``, or every listing of one organisation; oldest first."""
    model = _MODELS[kind]
    query: Select[Any]
    if organization_id is None:
        query = published(model)
    else:
        query = select(model).where(
            model.organization_id == organization_id, model.deleted_at.is_(None)
        )
    query = query.order_by(model.created_at, model.id)
    cols = columns(kind)
    return [[_value(row, c) for c in cols] for row in session.scalars(query).unique()]


def listings_file(
    session: Session, kind: str, fmt: str, *, organization_id: str | None = None
) -> bytes:
    """Offers or needs as CSV (UTF-8 with BOM) or XLSX, with Vietnamese headers."""
    cols = columns(kind)
    header = [c.header(kind) for c in cols]
    rows = listing_rows(session, kind, organization_id=organization_id)
    noun = "công nghệ" if kind == "offers" else "nhu cầu"
    scope = "của một tổ chức" if organization_id else "đã công bố"
    meta = [("Báo cáo", f"Danh sách {noun} {scope}"), ("Số dòng", str(len(rows)))]
    if fmt == "csv":
        return export.to_csv(header, rows)
    widths = [38 if c.name in ("id", "organization_id") else _WIDE.get(c.name, 18) for c in cols]
    return export.to_xlsx(header, widths, rows, meta, sheet=kind)


def template_file(kind: str, fmt: str) -> bytes:
    """An empty file with the importable headers and one example row."""
    cols = [c for c in columns(kind) if c.editable]
    header = [c.header(kind) for c in cols]
    example: dict[str, Any] = {
        "external_ref": "VD-001",
        "title": "Máy sấy bơm nhiệt cho chè xanh" if kind == "offers" else "Cần máy sấy chè",
        "summary": "Sấy ở nhiệt độ thấp, giữ màu và hương.",
        "keywords": "máy sấy; bơm nhiệt; chè",
        "field_code": field_name("203"),
        "province_code": province_name("25"),
        "transfer_forms": TRANSFER_FORM["licence"],
        "trl": 7,
        "price_type": PRICE_TYPE["negotiable"],
        "desired_trl_min": 6,
        "budget_max_vnd": 500_000_000,
        "confidential": "Không",
    }
    row = [example.get(c.name) for c in cols]
    meta = [("Mẫu nhập", f"Mỗi dòng một {'công nghệ' if kind == 'offers' else 'nhu cầu'}")]
    if fmt == "csv":
        return export.to_csv(header, [row])
    return export.to_xlsx(header, [_WIDE.get(c.name, 18) for c in cols], [row], meta, sheet=kind)
