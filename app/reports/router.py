"""/reports: the match report (JSON, CSV, XLSX) and the summary; department only."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.deps import DepartmentActor, ReportsSessionDep
from app.listings.schemas import FieldCode, ProvinceCode
from app.reports import export, service, summary
from app.reports.schemas import MatchReport, SummaryReport

router = APIRouter(prefix="/reports", tags=["reports"])

TopK = Annotated[int, Query(ge=1, le=50)]
MinScore = Annotated[float | None, Query(ge=0.0, le=1.0)]
Format = Annotated[Literal["json", "csv", "xlsx"], Query()]


def file_response(report: MatchReport, fmt: str) -> Response:
    """The report as a download, its metadata repeated in ``X-Report-*`` headers."""
    content = export.match_report_file(report, fmt)
    rows = len(export.match_rows(report))
    name = export.filename("bao-cao-ket-noi", fmt, report.meta.computed_at)
    headers = export.meta_headers(report.meta, rows=rows)
    headers["Content-Disposition"] = f'attachment; filename="{name}"'
    media = export.CSV_MEDIA_TYPE if fmt == "csv" else export.XLSX_MEDIA_TYPE
    return Response(content=content, media_type=media, headers=headers)


@router.get("/matches", response_model=MatchReport)
def match_report(
    request: Request,
    actor: DepartmentActor,
    session: ReportsSessionDep,
    top_k: TopK = 5,
    min_score: MinScore = None,
    field_code: FieldCode | None = None,
    province_code: ProvinceCode | None = None,
    format: Format = "json",
) -> MatchReport | Response:
    """Every published need (by field prefix and province) with its top-k candidate offers."""
    report = service.match_report(
        session,
        request.app.state.live_index,
        top_k=top_k,
        min_score=min_score,
        field_code=field_code,
        province_code=province_code,
    )
    if format == "json":
        return report
    return file_response(report, format)


@router.get("/summary")
def summary_report(
    request: Request, actor: DepartmentActor, session: ReportsSessionDep
) -> SummaryReport:
    """Supply and demand counts, unmet demand, idle offers, the funnel and monthly series."""
    return summary.summary(session, request.app.state.live_index)
