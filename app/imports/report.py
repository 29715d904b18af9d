"""What an import did (or, on a dry run, would do), row by row."""

import re
from dataclasses import dataclass, field
from typing import Any

from app.errors import AppError

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


@dataclass
class RowResult:
    """What happened (or would happen) to one row."""

    row: int
    action: str
    title: str | None = None
    listing_id: str | None = None
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    organization_id: str
    organization_name: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(r.action != ERROR for r in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)


class ImportRejected(AppError):
    """The file has errors; nothing was imported."""

    status = 422
    title = "Import rejected"

    def __init__(self, report: ImportReport) -> None:
        problems: list[dict[str, Any]] = [
            {"loc": ["file"], "msg": _unechoed(message)} for message in report.file_errors
        ]
        problems += [
            {"loc": ["file", row.row], "msg": _unechoed(message)}
            for row in report.rows
            for message in row.errors
        ]
        super().__init__(
            f"Tệp có lỗi ({len(problems)}); không nhập dòng nào (chạy thử để xem báo cáo).",
            errors=problems,
        )
        self.report = report


def _unechoed(message: str) -> str:
    # A 422 problem never echoes rejected input: cell values quoted «…» are left out there
    # (the dry-run report, which answers 200, keeps them).
    return re.sub(r"«[^»]*»", "«…»", message)
