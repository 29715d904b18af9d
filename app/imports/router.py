"""/imports: spreadsheets of offers or needs uploaded over HTTP (dry run by default)."""

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from app.deps import AdminActor, SessionDep
from app.imports import service
from app.imports.schemas import ImportReportOut
from app.reports import export
from app.reports.listings import template_file
from app.reports.router import FILE_RESPONSES

router = APIRouter(prefix="/imports", tags=["imports"])

Kind = Literal["offers", "needs"]


@router.post("", response_model=ImportReportOut)
def create_import(
    actor: AdminActor,
    session: SessionDep,
    response: Response,
    kind: Annotated[Kind, Form()],
    file: Annotated[UploadFile, File(description=".csv (UTF-8) or .xlsx")],
    dry_run: Annotated[bool, Form()] = True,
    organization_id: Annotated[str | None, Form(max_length=36)] = None,
    org_tax_code: Annotated[str | None, Form(max_length=20)] = None,
) -> ImportReportOut:
    """Import offers or needs, all or nothing; a dry run (the default) writes nothing.

    The department names the organisation (``organization_id`` or ``org_tax_code``); an
    organisation admin imports for its own organisation.
    """
    report = service.import_upload(
        session,
        actor=actor,
        kind=kind,
        filename=file.filename or "",
        content=file.file.read(),
        dry_run=dry_run,
        organization_id=organization_id,
        tax_code=org_tax_code,
    )
    if dry_run:
        session.rollback()  # a dry run keeps nothing: the rows were written only to be checked
    else:
        response.status_code = status.HTTP_201_CREATED
    return ImportReportOut.of(report)


@router.get("/template", response_class=Response, responses=FILE_RESPONSES)
def template(
    actor: AdminActor,
    kind: Annotated[Kind, Query()],
    format: Annotated[Literal["csv", "xlsx"], Query()] = "xlsx",
) -> Response:
    """An empty import file with the Vietnamese headers and one example row."""
    media = export.CSV_MEDIA_TYPE if format == "csv" else export.XLSX_MEDIA_TYPE
    name = f"mau-nhap-{'cong-nghe' if kind == 'offers' else 'nhu-cau'}.{format}"
    return Response(
        content=template_file(kind, format),
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
