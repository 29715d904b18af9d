"""Importing offers or needs from a spreadsheet: row by row, all or nothing.

Each row is read into the body the API would receive (Vietnamese headers or API names, codes or
Vietnamese names, old provinces mapped to the current ones), validated with the API's own
schemas and written through the listing service with the kind's own checks, so a file can put
nothing into the database that the API would refuse. A row whose ``id`` or ``external_ref``
names a listing of the organisation updates it; other rows create drafts. The caller decides
what happens to the transaction: nothing is kept on a dry run or when any row failed
(``ImportRejected``). Messages are Vietnamese (``app.messages``).
"""

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.actor import ORG_ADMIN, Actor
from app.errors import AppError, Conflict, Forbidden, InvalidInput, NotFound
from app.imports import cells
from app.imports.layout import layout
from app.imports.report import (
    CREATE,
    ERROR,
    UNCHANGED,
    UPDATE,
    ImportRejected,
    ImportReport,
    RowResult,
)
from app.imports.table import Table, file_format, read_table
from app.listings import service as listings
from app.listings.lifecycle import EDITABLE
from app.listings.spec import ListingSpec
from app.messages import vi_message, vietnamese
from app.needs.spec import NEEDS
from app.offers.spec import OFFERS
from app.organizations.models import Organization
from app.organizations.tax_code import InvalidTaxCode, normalize_tax_code
from app.taxonomies.data import LISTING_STATUS
from app.telemetry import IMPORTED_ROWS, IMPORTS

SPECS: dict[str, ListingSpec] = {"offers": OFFERS, "needs": NEEDS}
NOUN = {"offers": "công nghệ", "needs": "nhu cầu"}
Progress = Callable[[int, int], None]


def _tax_code(value: str) -> str:
    try:
        return normalize_tax_code(value)
    except InvalidTaxCode as exc:
        raise InvalidInput(
            "Mã số thuế không hợp lệ: 10 chữ số (có số kiểm tra đúng), hoặc thêm '-' và 3 chữ "
            "số cho chi nhánh.",
            loc=["org_tax_code"],
        ) from exc


def find_organization(
    session: Session, *, organization_id: str | None = None, tax_code: str | None = None
) -> Organization:
    """The organisation by id or by tax code (mã số thuế), which may import (not suspended)."""
    if tax_code:
        organization = session.scalar(
            select(Organization).where(Organization.tax_code == _tax_code(tax_code))
        )
        if organization is None:
            raise NotFound(f"Không có tổ chức nào có mã số thuế {tax_code}.")
    else:
        organization = session.get(Organization, organization_id) if organization_id else None
        if organization is None:
            raise NotFound("Không có tổ chức với mã này.")
    if organization.status == "suspended":
        raise Conflict("Tổ chức đang bị tạm ngừng hoạt động.")
    return organization


def organization_for(
    session: Session,
    *,
    actor: Actor,
    organization_id: str | None,
    tax_code: str | None,
) -> Organization:
    """The organisation an API import is for: any for the department, its own for an admin."""
    if actor.is_department:
        if not organization_id and not tax_code:
            raise InvalidInput(
                "Cần chỉ rõ tổ chức: organization_id hoặc org_tax_code.", loc=["organization_id"]
            )
        return find_organization(session, organization_id=organization_id, tax_code=tax_code)
    own = find_organization(session, organization_id=actor.organization_id)
    if (organization_id and organization_id != own.id) or (
        tax_code and _tax_code(tax_code) != own.tax_code
    ):
        raise Forbidden("Quản trị viên tổ chức chỉ nhập dữ liệu cho tổ chức của mình.")
    return own


def _pydantic_errors(exc: ValidationError, labels: dict[str, str]) -> list[str]:
    out = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        where = labels.get(loc[0], loc[0]) if loc else "dòng"
        out.append(f"{where}: {vi_message(error)}")
    return out


def _app_error(exc: AppError, labels: dict[str, str]) -> str:
    if isinstance(exc, InvalidInput) and exc.code:
        name = str(exc.loc[-1]) if exc.loc else ""
        return f"{labels.get(name, name)}: {vietnamese(exc.code, **exc.ctx)}"
    return exc.detail


def _find(session: Session, spec: ListingSpec, organization_id: str, **where: str) -> Any:
    model = spec.model
    query = select(model).where(model.organization_id == organization_id)
    query = query.where(model.deleted_at.is_(None))
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return session.scalar(query)


def _same_title(session: Session, spec: ListingSpec, organization_id: str, title: str) -> Any:
    model = spec.model
    # Exact (NFC) equality: SQLite's lower() knows only ASCII, so no case folding here.
    return session.scalar(
        select(model)
        .where(
            model.organization_id == organization_id,
            model.deleted_at.is_(None),
            model.status != "archived",
            model.title == title,
        )
        .limit(1)
    )


def import_table(
    session: Session,
    *,
    kind: str,
    table: Table,
    organization: Organization,
    dry_run: bool,
    user_id: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Apply every row of ``table`` for ``organization``; raise ``ImportRejected`` on any error
    unless ``dry_run`` (then the report says what would happen; the caller keeps nothing)."""
    spec = SPECS[kind]
    report = ImportReport(
        kind=kind,
        organization_id=organization.id,
        organization_name=organization.name,
        dry_run=dry_run,
    )
    columns = layout(kind, table.header, report)
    if not table.rows:
        report.file_errors.append("tệp không có dòng dữ liệu nào")
    if report.file_errors:
        if dry_run:
            return report
        IMPORTS.labels(kind, "rejected").inc()
        raise ImportRejected(report)
    labels = {c.name: c.header(kind) for c in columns if c is not None}
    actor = Actor(organization_id=organization.id, role=ORG_ADMIN, user_id=user_id)
    keys: dict[tuple[str, str], int] = {}
    for done, (number, row) in enumerate(table.rows, start=1):
        values = {c.name: row[i] for i, c in enumerate(columns) if c is not None and i < len(row)}
        result = _import_row(session, spec, kind, actor, number, values, labels, keys)
        report.rows.append(result)
        if progress is not None:
            progress(done, len(table.rows))
    if dry_run:
        return report
    if not report.ok:
        IMPORTS.labels(kind, "rejected").inc()
        raise ImportRejected(report)
    IMPORTS.labels(kind, "imported").inc()
    IMPORTED_ROWS.labels(kind).inc(sum(r.action == CREATE for r in report.rows))
    return report


def _import_row(
    session: Session,
    spec: ListingSpec,
    kind: str,
    actor: Actor,
    number: int,
    values: dict[str, Any],
    labels: dict[str, str],
    keys: dict[tuple[str, str], int],
) -> RowResult:
    result = RowResult(row=number, action=ERROR)
    body: dict[str, Any] = {}
    unreadable: set[str] = set()
    for name, raw in values.items():
        if name in ("id", "organization_id", "organization_name", "status", "version"):
            continue
        if name in ("rejection_reason", "created_at", "updated_at", "published_at"):
            continue
        try:
            body[name] = cells.parse(name, raw)
        except cells.CellError as exc:
            result.errors.append(f"{labels.get(name, name)}: {exc}")
            unreadable.add(name)
    listing_id = str(values.get("id") or "").strip() or None
    ref = body.pop("external_ref", None)
    ref = str(ref).strip() if ref else None
    title = body.get("title")
    result.title = str(title) if title else None
    for name, value in (("id", listing_id), ("external_ref", ref)):
        if value is None:
            continue
        if (name, value) in keys:
            result.errors.append(f"{labels[name]} «{value}» trùng với dòng {keys[name, value]}")
        keys.setdefault((name, value), number)
    if ref is not None and len(ref) > 100:
        result.errors.append(f"{labels['external_ref']}: dài quá 100 ký tự")
    if result.errors:
        # Every error of the row at once: the readable cells are checked by the API's rules too.
        readable = {k: v for k, v in body.items() if k not in unreadable and v is not None}
        try:
            spec.create_schema.model_validate(readable)
        except ValidationError as exc:
            result.errors.extend(
                message
                for error, message in zip(exc.errors(), _pydantic_errors(exc, labels), strict=True)
                if not error["loc"] or error["loc"][0] not in unreadable
            )
        return result

    target = None
    if listing_id is not None:
        target = _find(session, spec, actor.organization_id, id=listing_id)
        if target is None:
            result.errors.append(
                f"{labels['id']}: không có {NOUN[kind]} «{listing_id}» của tổ chức này "
                "(để tạo mới, xóa mã ở ô này)"
            )
            return result
    elif ref is not None:
        target = _find(session, spec, actor.organization_id, external_ref=ref)

    if target is None:
        return _create(session, spec, kind, actor, result, body, ref, labels)
    return _update(session, spec, actor, result, target, body, values, ref, labels)


def _create(
    session: Session,
    spec: ListingSpec,
    kind: str,
    actor: Actor,
    result: RowResult,
    body: dict[str, Any],
    ref: str | None,
    labels: dict[str, str],
) -> RowResult:
    fields = {name: value for name, value in body.items() if value is not None}
    try:
        parsed = spec.create_schema.model_validate(fields)
    except ValidationError as exc:
        result.errors.extend(_pydantic_errors(exc, labels))
        return result
    if ref is None:
        twin = _same_title(session, spec, actor.organization_id, parsed.title)
        if twin is not None and all(getattr(twin, name) == value for name, value in body.items()):
            # The same row imported again (a file without ids): nothing to do, no duplicate.
            result.action, result.listing_id = UNCHANGED, twin.id
            return result
        if twin is not None:
            result.errors.append(
                f"tổ chức đã có {NOUN[kind]} cùng tên (mã {twin.id}); để cập nhật nó, ghi mã "
                f"vào cột «{labels.get('id', 'Mã')}» hoặc dùng cột «Mã tham chiếu»"
            )
            return result
    try:
        # The service checks before it adds anything, so a refused row leaves no trace.
        row = listings.create(session, spec.model, actor=actor, body=parsed, check=spec.check)
    except AppError as exc:
        result.errors.append(_app_error(exc, labels))
        return result
    if ref is not None:
        row.external_ref = ref
        session.flush()
    result.action, result.listing_id = CREATE, row.id
    return result


def _update(
    session: Session,
    spec: ListingSpec,
    actor: Actor,
    result: RowResult,
    target: Any,
    body: dict[str, Any],
    values: dict[str, Any],
    ref: str | None,
    labels: dict[str, str],
) -> RowResult:
    result.listing_id = target.id
    changes = {name: value for name, value in body.items() if getattr(target, name) != value}
    new_ref = ref is not None and target.external_ref != ref
    if not changes and not new_ref:
        result.action = UNCHANGED
        return result
    if target.status not in EDITABLE:
        status = LISTING_STATUS.get(target.status, target.status)
        result.errors.append(f"tin ở trạng thái «{status}» không sửa được")
        return result
    version = values.get("version")
    if version not in (None, "") and str(version).strip() != str(target.version):
        result.errors.append(
            f"tin đã được sửa sau khi xuất tệp (phiên bản trong tệp {version}, hiện tại "
            f"{target.version}); xuất lại rồi sửa"
        )
        return result
    try:
        patch = spec.patch_schema.model_validate(changes)
    except ValidationError as exc:
        result.errors.extend(_pydantic_errors(exc, labels))
        return result
    try:
        listings.update(
            session,
            spec.model,
            actor=actor,
            listing_id=target.id,
            body=patch,
            if_match=None,
            check=spec.check,
            # A spreadsheet edit of a published listing is reviewed again, like an API edit.
            review_required=True,
        )
    except AppError as exc:
        result.errors.append(_app_error(exc, labels))
        return result
    if new_ref:
        target.external_ref = ref
        session.flush()
    result.action = UPDATE
    result.changed = [labels.get(name, name) for name in changes] + (
        [labels["external_ref"]] if new_ref else []
    )
    return result


def import_upload(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    filename: str,
    content: bytes,
    dry_run: bool,
    organization_id: str | None,
    tax_code: str | None,
) -> ImportReport:
    """An uploaded file imported for the organisation the caller may import for."""
    table = read_table(content, file_format(filename))
    organization = organization_for(
        session, actor=actor, organization_id=organization_id, tax_code=tax_code
    )
    return import_table(
        session,
        kind=kind,
        table=table,
        organization=organization,
        dry_run=dry_run,
        user_id=actor.user_id,
    )
