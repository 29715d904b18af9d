"""Reading a spreadsheet of offers or needs and creating them as drafts, all or nothing.

Columns are the API's field names; list fields (``keywords``, ``transfer_forms``,
``transfer_methods``) hold items separated by ``;``. Every row is validated with the API's own
request schema and created through the listing service with the kind's own checks, so a file
can put nothing into the database that the API would refuse. Columns the server owns (``id``,
``status`` …, as written by ``techmatch export``) are ignored so an export can be re-imported.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.auth.actor import ORG_ADMIN, Actor
from app.errors import AppError, Conflict, InvalidInput, NotFound
from app.listings import service as listings
from app.listings.spec import ListingSpec
from app.needs.spec import NEEDS
from app.offers.spec import OFFERS
from app.organizations.models import Organization
from app.telemetry import IMPORTED_ROWS, IMPORTS

SPECS: dict[str, ListingSpec] = {"offers": OFFERS, "needs": NEEDS}
LIST_FIELDS = frozenset({"keywords", "transfer_forms", "transfer_methods"})
INT_FIELDS = frozenset(
    {"trl", "price_min_vnd", "price_max_vnd", "desired_trl_min", "budget_max_vnd"}
)
BOOL_FIELDS = frozenset({"confidential"})
SERVER_OWNED = frozenset(
    {
        "id", "organization_id", "organization_name", "status", "rejection_reason", "version",
        "created_at", "updated_at", "published_at", "score",
    }
)  # fmt: skip
_TRUE = frozenset({"true", "1", "yes", "có", "x"})
_FALSE = frozenset({"false", "0", "no", "không", ""})
MAX_ROWS = 10_000


class ImportRejected(AppError):
    """The file has invalid rows; nothing was imported."""

    status = 422
    title = "Import rejected"

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} lỗi; không nhập dòng nào.")
        self.errors = errors


@dataclass
class ImportResult:
    created_ids: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def read_table(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """(row number as a spreadsheet shows it, {column: value}) for each non-empty row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        rows: list[list[Any]] = list(csv.reader(io.StringIO(text)))
    elif suffix == ".xlsx":
        book = load_workbook(path, read_only=True, data_only=True)
        rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    else:
        raise InvalidInput("Chỉ nhận tệp .csv hoặc .xlsx.", loc=["file"])
    if not rows:
        raise InvalidInput("Tệp trống: dòng đầu phải là tên các cột.", loc=["file"])
    header = [str(name).strip() if name is not None else "" for name in rows[0]]
    table = []
    for number, row in enumerate(rows[1:], start=2):
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        table.append(
            (
                number,
                {name: row[i] if i < len(row) else None for i, name in enumerate(header) if name},
            )
        )
    if len(table) > MAX_ROWS:
        raise InvalidInput(f"Tệp có quá {MAX_ROWS} dòng.", loc=["file"])
    return table


def _value(name: str, raw: Any) -> Any:
    """A cell turned into what the JSON body would carry; raises ``ValueError`` when it can't."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        return [] if name in LIST_FIELDS else None
    if name in LIST_FIELDS:
        return [item.strip() for item in str(raw).split(";") if item.strip()]
    if name in INT_FIELDS:
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = str(raw).replace(" ", "")
        if not text.lstrip("-").isdigit():
            raise ValueError("phải là số nguyên")
        return int(text)
    if name in BOOL_FIELDS:
        if isinstance(raw, bool):
            return raw
        text = str(raw).lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError("phải là true/false (có/không)")
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date | int | float):
        return raw if isinstance(raw, date) else str(raw)
    return raw


def _body(values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    body, errors = {}, []
    for name, raw in values.items():
        if name in SERVER_OWNED:
            continue
        try:
            value = _value(name, raw)
        except ValueError as exc:
            errors.append(f"{name}: {exc}")
            continue
        if value is not None:
            body[name] = value
    return body, errors


def _messages(exc: ValidationError) -> list[str]:
    out = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "dòng"
        out.append(
            f"{where}: {str(error.get('msg', 'không hợp lệ')).removeprefix('Value error, ')}"
        )
    return out


def import_listings(
    session: Session, *, kind: str, path: Path, organization_id: str
) -> ImportResult:
    """Create every row of ``path`` as a draft of ``organization_id``, or none of them."""
    spec = SPECS[kind]
    organization = session.get(Organization, organization_id)
    if organization is None:
        raise NotFound("Không có tổ chức với mã này.")
    if organization.status == "suspended":
        raise Conflict("Tổ chức đang bị tạm ngừng hoạt động.")
    actor = Actor(organization_id=organization.id, role=ORG_ADMIN)
    table = read_table(path)
    if not table:
        raise InvalidInput("Tệp không có dòng dữ liệu nào.", loc=["file"])
    result = ImportResult(
        ignored_columns=sorted(name for name in table[0][1] if name in SERVER_OWNED)
    )
    errors: list[tuple[int, str]] = []
    for number, values in table:
        body, problems = _body(values)
        if problems:
            errors.extend((number, message) for message in problems)
            continue
        try:
            parsed = spec.create_schema.model_validate(body)
        except ValidationError as exc:
            errors.extend((number, message) for message in _messages(exc))
            continue
        try:
            # The service checks before it adds anything, so a refused row leaves no trace.
            row = listings.create(session, spec.model, actor=actor, body=parsed, check=spec.check)
        except AppError as exc:
            errors.append((number, exc.detail))
            continue
        result.created_ids.append(row.id)
    if errors:
        IMPORTS.labels(kind, "rejected").inc()
        raise ImportRejected(errors)
    IMPORTS.labels(kind, "imported").inc()
    IMPORTED_ROWS.labels(kind).inc(len(result.created_ids))
    return result
