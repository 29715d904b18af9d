"""The import report as the API returns it."""

from typing import Literal

from pydantic import BaseModel

from app.imports.report import CREATE, ERROR, UNCHANGED, UPDATE, ImportReport


class RowOut(BaseModel):
    row: int
    action: Literal["create", "update", "unchanged", "error"]
    title: str | None
    listing_id: str | None
    changed: list[str]
    errors: list[str]


class ImportReportOut(BaseModel):
    """Row by row what the import did (or, on a dry run, would do)."""

    kind: Literal["offers", "needs"]
    organization_id: str
    organization_name: str
    dry_run: bool
    ok: bool
    created: int
    updated: int
    unchanged: int
    failed_rows: int
    file_errors: list[str]
    ignored_columns: list[str]
    rows: list[RowOut]

    @classmethod
    def of(cls, report: ImportReport) -> "ImportReportOut":
        return cls(
            kind=report.kind,
            organization_id=report.organization_id,
            organization_name=report.organization_name,
            dry_run=report.dry_run,
            ok=report.ok,
            created=report.count(CREATE),
            updated=report.count(UPDATE),
            unchanged=report.count(UNCHANGED),
            failed_rows=report.count(ERROR),
            file_errors=report.file_errors,
            ignored_columns=report.ignored_columns,
            rows=[RowOut.model_validate(row, from_attributes=True) for row in report.rows],
        )
