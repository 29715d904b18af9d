"""Which column each header cell of an import file is."""

from app.imports.report import ImportReport
from app.listings.columns import (
    IGNORED_HEADERS,
    REQUIRED,
    Column,
    columns,
    find_column,
    header_key,
)


def layout(kind: str, header: list[str], report: ImportReport) -> list[Column | None]:
    """Each header cell's column (None: ignored); unknown or missing columns are file errors,
    reported once for the file."""
    ignored = {header_key(text) for text in IGNORED_HEADERS}
    found: list[Column | None] = []
    seen: dict[str, str] = {}
    unknown: list[str] = []
    for text in header:
        key = header_key(text)
        column = find_column(kind, text) if text else None
        if not text or key in ignored:
            found.append(None)
            if text:
                report.ignored_columns.append(text)
            continue
        if column is None:
            unknown.append(text)
            found.append(None)
            continue
        if column.name in seen:
            report.file_errors.append(f"cột «{text}» trùng với cột «{seen[column.name]}»")
        seen[column.name] = text
        if not column.editable and column.name != "version":  # version: checked, not written
            report.ignored_columns.append(text)
        found.append(column)
    if unknown:
        names = ", ".join(f"«{text}»" for text in unknown)
        report.file_errors.append(
            f"không nhận ra cột {names}; các cột hợp lệ: "
            + ", ".join(c.header(kind) for c in _editable(kind))
        )
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        labels = {c.name: c.header(kind) for c in _editable(kind)}
        report.file_errors.append(
            "thiếu cột bắt buộc: " + ", ".join(f"«{labels[name]}» ({name})" for name in missing)
        )
    return found


def _editable(kind: str) -> list[Column]:
    return [c for c in columns(kind) if c.editable]
