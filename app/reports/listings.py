"""Published offers or needs as a table whose columns are the API's field names.

The same names ``techmatch import`` reads, so an export can be edited and imported again.
"""

from typing import Any

from sqlalchemy.orm import Session

from app.needs.models import Need
from app.needs.schemas import NeedOut
from app.offers.models import Offer
from app.offers.schemas import OfferOut
from app.reports import export
from app.reports.service import published

_MODELS: dict[str, tuple[type[Offer] | type[Need], type[OfferOut] | type[NeedOut]]] = {
    "offers": (Offer, OfferOut),
    "needs": (Need, NeedOut),
}
_LAST = ("rejection_reason", "score")


def columns(kind: str) -> list[str]:
    """The API's response fields, the editable ones first."""
    _, out = _MODELS[kind]
    names = [name for name in out.model_fields if name not in _LAST]
    first = ["id", "organization_id", "organization_name", "status"]
    return first + [name for name in names if name not in first]


def listing_rows(session: Session, kind: str) -> list[list[Any]]:
    """Every published listing of ``kind``, oldest first."""
    model, _ = _MODELS[kind]
    names = columns(kind)
    rows = []
    query = published(model).order_by(model.created_at, model.id)  # type: ignore[type-var]
    for row in session.scalars(query):
        values = {name: getattr(row, name, None) for name in names}
        values["organization_name"] = row.organization.name
        rows.append([values[name] for name in names])
    return rows


def listings_file(session: Session, kind: str, fmt: str) -> bytes:
    """Published offers or needs as CSV (UTF-8 with BOM) or XLSX."""
    header = columns(kind)
    rows = listing_rows(session, kind)
    meta = [
        ("Báo cáo", f"Danh sách {'công nghệ' if kind == 'offers' else 'nhu cầu'} đã công bố"),
        ("Số dòng", str(len(rows))),
    ]
    if fmt == "csv":
        return export.to_csv(header, rows)
    widths = [
        38 if name.endswith("id") else 40 if name in ("title", "summary") else 18 for name in header
    ]
    return export.to_xlsx(header, widths, rows, meta, sheet=kind)
