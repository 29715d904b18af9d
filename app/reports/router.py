"""/reports: the match report (JSON, CSV, XLSX) and the summary; department only."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from app.audit import recorder as audit
from app.deps import DepartmentActor, ReportsSessionDep, SessionDep
from app.listings.schemas import FieldCode, ProvinceCode
from app.reports import export, service, summary
from app.reports.schemas import MatchReport, SummaryReport

router = APIRouter(prefix="/reports", tags=["reports"])

Limit = Annotated[int | None, Query(ge=1, le=50, description="Candidates per need (default 5).")]
TopK = Annotated[
    int | None, Query(ge=1, le=50, deprecated=True, description="Deprecated alias of `limit`.")
]
DEFAULT_CANDIDATES = 5
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report: JSON, or a download when `format` is `csv` or `xlsx`.",
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "\ufeff# Báo cáo kết nối cung – cầu công nghệ\n...",
            },
            export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}
MinScore = Annotated[float | None, Query(ge=0.0, le=1.0)]
Format = Annotated[Literal["json", "csv", "xlsx"], Query()]


def file_response(report: MatchReport, fmt: str, session: Session) -> Response:
    """The report as a download, its metadata repeated in ``X-Report-*`` headers.

    Every download is audited: the file leaves the system with organisations' data in it.
    """
    content = export.match_report_file(report, fmt)
    rows = len(export.match_rows(report))
    audit.record(
        session,
        action="report.exported",
        object_type="report",
        detail={"report": "matches", "format": fmt, "rows": rows},
    )
    name = export.filename("bao-cao-ket-noi", fmt, report.meta.computed_at)
    headers = export.meta_headers(report.meta, rows=rows)
    headers["Content-Disposition"] = f'attachment; filename="{name}"'
    media = export.CSV_MEDIA_TYPE if fmt == "csv" else export.XLSX_MEDIA_TYPE
    return Response(content=content, media_type=media, headers=headers)


@router.get("/matches", response_model=MatchReport, responses=FILE_RESPONSES)
def match_report(
    request: Request,
    actor: DepartmentActor,
    session: SessionDep,
    figures: ReportsSessionDep,
    limit: Limit = None,
    top_k: TopK = None,
    min_score: MinScore = None,
    field_code: FieldCode | None = None,
    province_code: ProvinceCode | None = None,
    format: Format = "json",
) -> MatchReport | Response:
    """Every published need (by field prefix and province) with its best candidate offers.

    `limit` is the number of candidates per need; `top_k` is its deprecated alias (`limit`
    wins when both are given).
    """
    report = service.match_report(
        figures,
        request.app.state.live_index,
        top_k=limit or top_k or DEFAULT_CANDIDATES,
        min_score=min_score,
        field_code=field_code,
        province_code=province_code,
    )
    if format == "json":
        return report
    return file_response(report, format, session)  # audited on the main database


@router.get("/summary")
def summary_report(
    request: Request, actor: DepartmentActor, session: ReportsSessionDep
) -> SummaryReport:
    """Supply and demand counts, unmet demand, idle offers, the funnel and monthly series."""
    return summary.summary(session, request.app.state.live_index)
