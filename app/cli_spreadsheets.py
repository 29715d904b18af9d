"""``techmatch import`` and ``techmatch export``: spreadsheets in and out."""

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from app.cli_support import session_factory
from app.config import get_settings
from app.db import session_scope

if TYPE_CHECKING:
    from app.imports.report import ImportReport


def progress_bar(stream: TextIO, width: int = 30) -> Callable[[int, int], None]:
    """A text progress bar; redrawn in place on a terminal, every tenth otherwise."""
    tty = stream.isatty()
    shown = -1

    def show(done: int, total: int) -> None:
        nonlocal shown
        percent = 100 * done // max(total, 1)
        if not tty and percent // 10 == shown // 10 and done != total:
            return
        shown = percent
        filled = width * done // max(total, 1)
        bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} dòng ({percent}%)"
        stream.write(("\r" + bar) if tty else bar + "\n")
        if tty and done == total:
            stream.write("\n")
        stream.flush()

    return show


def _print_import_report(report: "ImportReport", *, verbose: bool) -> None:
    from app.imports.report import CREATE, ERROR, UNCHANGED, UPDATE

    for message in report.file_errors:
        print(f"lỗi tệp: {message}", file=sys.stderr)
    if report.ignored_columns:
        print(f"bỏ qua các cột: {', '.join(report.ignored_columns)}")
    for row in report.rows:
        name = f"«{row.title}»" if row.title else ""
        if row.action == ERROR:
            for message in row.errors:
                print(f"dòng {row.row}: {message}", file=sys.stderr)
        elif verbose and row.action == CREATE:
            print(f"dòng {row.row}: tạo mới {name}")
        elif verbose and row.action == UPDATE:
            print(f"dòng {row.row}: cập nhật {name} ({row.listing_id}): {', '.join(row.changed)}")
        elif verbose and row.action == UNCHANGED:
            print(f"dòng {row.row}: không đổi {name} ({row.listing_id})")
    counts = (
        f"{report.count(CREATE)} tạo mới (bản nháp), {report.count(UPDATE)} cập nhật, "
        f"{report.count(UNCHANGED)} không đổi, {report.count(ERROR)} dòng lỗi"
    )
    if report.dry_run:
        print(f"chạy thử: {counts}; không ghi gì vào cơ sở dữ liệu")


def cmd_import(args: argparse.Namespace) -> int:
    from app.errors import AppError
    from app.imports.report import ImportRejected
    from app.imports.service import find_organization, import_table
    from app.imports.table import file_format, read_table

    path = Path(args.file)
    try:
        table = read_table(path.read_bytes(), file_format(path.name))
    except OSError as exc:
        print(f"lỗi: không đọc được tệp {path}: {exc.strerror}", file=sys.stderr)
        return 1
    except AppError as exc:
        print(f"lỗi: {exc.detail}", file=sys.stderr)
        return 1
    session = session_factory()()
    try:
        organization = find_organization(
            session, organization_id=args.organization_id, tax_code=args.org_tax_code
        )
        print(f"tổ chức: {organization.name} ({organization.id}); tệp {path.name}")
        report = import_table(
            session,
            kind=args.kind,
            table=table,
            organization=organization,
            dry_run=args.dry_run,
            progress=None if args.dry_run else progress_bar(sys.stderr),
        )
    except ImportRejected as exc:
        session.rollback()
        _print_import_report(exc.report, verbose=False)
        print(f"lỗi: {exc.detail}", file=sys.stderr)
        return 1
    except AppError as exc:
        session.rollback()
        print(f"lỗi: {exc.detail}", file=sys.stderr)
        return 1
    except BaseException:
        session.rollback()
        raise
    else:
        if args.dry_run:
            session.rollback()  # a dry run keeps nothing
        else:
            session.commit()
    finally:
        session.close()
    _print_import_report(report, verbose=args.dry_run)
    if not args.dry_run:
        from app.imports.report import CREATE, UNCHANGED, UPDATE

        print(
            f"đã nhập {args.kind}: {report.count(CREATE)} tạo mới (bản nháp), "
            f"{report.count(UPDATE)} cập nhật, {report.count(UNCHANGED)} không đổi"
        )
    return 0 if report.ok else 1


def cmd_export(args: argparse.Namespace) -> int:
    from app.errors import AppError
    from app.imports.service import find_organization
    from app.main import make_matcher
    from app.matching.live import LiveIndex
    from app.reports import export, listings, service

    if args.format is None:
        args.format = "xlsx" if args.output.lower().endswith(".xlsx") else "csv"
    try:
        for session in session_scope(session_factory()):
            if args.what == "matches":
                live = LiveIndex(lambda: make_matcher(get_settings()))
                report = service.match_report(
                    session, live, top_k=args.top_k, min_score=args.min_score
                )
                content = export.match_report_file(report, args.format)
            else:
                owner = None
                if args.organization_id or args.org_tax_code:
                    owner = find_organization(
                        session, organization_id=args.organization_id, tax_code=args.org_tax_code
                    ).id
                content = listings.listings_file(
                    session, args.what, args.format, organization_id=owner
                )
    except AppError as exc:
        print(f"lỗi: {exc.detail}", file=sys.stderr)
        return 1
    Path(args.output).write_bytes(content)
    print(f"wrote {args.output} ({len(content)} bytes)")
    return 0
