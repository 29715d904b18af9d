"""The ``techmatch`` command."""

import argparse
import os
import sys
from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings
from app.db import make_engine, make_session_factory, session_scope


def _session_factory() -> "sessionmaker[Session]":
    return make_session_factory(make_engine(get_settings().database_url))


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "app.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=get_settings().log_level.lower(),
        proxy_headers=True,
    )
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from app import migrate

    url = get_settings().database_url
    if args.action == "upgrade":
        migrate.upgrade(url, args.revision or "head")
    elif args.action == "downgrade":
        migrate.downgrade(url, args.revision or "base")
    else:
        print(migrate.schema_status(make_engine(url)))
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    from app.auth.service import create_department_admin
    from app.errors import AppError

    password = args.password or os.environ.get("TECHMATCH_ADMIN_PASSWORD")
    if not password or len(password) < 10:
        print(
            "error: give --password or TECHMATCH_ADMIN_PASSWORD (at least 10 characters)",
            file=sys.stderr,
        )
        return 2
    try:
        for session in session_scope(_session_factory()):
            user = create_department_admin(
                session, email=args.email, password=password, full_name=args.full_name
            )
            print(f"department account created: {user.email}")
    except AppError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from app.demo.seed import DEMO_ADMIN_EMAIL, database_is_empty, seed

    password = os.environ.get("TECHMATCH_DEMO_PASSWORD", "techmatch-demo")
    for session in session_scope(_session_factory()):
        if not database_is_empty(session) and not args.force:
            print("demo data skipped: the database already has organisations")
            return 0
        counts = seed(session, password=password)
        print(f"demo data loaded: {counts}")
        print(
            f"department login: {DEMO_ADMIN_EMAIL} / {password} (every demo user has this "
            "password; change it with TECHMATCH_DEMO_PASSWORD)"
        )
    return 0


def cmd_expire(_args: argparse.Namespace) -> int:
    from app.listings.expiry import expire_once

    print(f"expired listings: {expire_once(_session_factory())}")
    return 0


def cmd_reindex(_args: argparse.Namespace) -> int:
    from app.matching.changes import record_change
    from app.matching.engine import Matcher
    from app.matching.live import LiveIndex

    for session in session_scope(_session_factory()):
        live = LiveIndex(Matcher)
        version = live.rebuild(session)
        # Running workers see this marker and rebuild from the database as well.
        record_change(session, listing_kind="all", listing_id="*")
        print(
            f"index rebuilt at version {version}: {live.matcher.n_offers} offers, "
            f"{live.matcher.n_needs} needs; running workers will rebuild on their next request"
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.errors import AppError
    from app.imports.service import ImportRejected, import_listings

    try:
        for session in session_scope(_session_factory()):
            result = import_listings(
                session, kind=args.kind, path=Path(args.file), organization_id=args.organization_id
            )
    except ImportRejected as exc:
        for row, message in exc.errors:
            print(f"dòng {row}: {message}", file=sys.stderr)
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    except (AppError, OSError) as exc:
        print(f"error: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 1
    if result.ignored_columns:
        print(f"bỏ qua các cột do máy chủ quản lý: {', '.join(result.ignored_columns)}")
    print(f"imported {len(result.created_ids)} {args.kind} as drafts")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.main import make_matcher
    from app.matching.live import LiveIndex
    from app.reports import export, listings, service

    for session in session_scope(_session_factory()):
        if args.what == "matches":
            live = LiveIndex(lambda: make_matcher(get_settings()))
            report = service.match_report(session, live, top_k=args.top_k, min_score=args.min_score)
            content = export.match_report_file(report, args.format)
        else:
            content = listings.listings_file(session, args.what, args.format)
    Path(args.output).write_bytes(content)
    print(f"wrote {args.output} ({len(content)} bytes)")
    return 0


def cmd_deliver_webhooks(_args: argparse.Namespace) -> int:
    from app.notifications.worker import deliver_once

    factory, total = _session_factory(), 0
    while True:  # until nothing is due: one pass handles at most a batch
        done = deliver_once(factory, get_settings())
        total += done
        if done == 0:
            break
    print(f"webhook deliveries attempted: {total}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.backup import BackupError, backup

    try:
        written = backup(get_settings().database_url, Path(args.output))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"backup written to {written}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.backup import BackupError, restore

    try:
        restore(get_settings().database_url, Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("restored; restart the API processes so that every worker rebuilds its index")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="techmatch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)

    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade", "downgrade", "status"])
    db.add_argument("revision", nargs="?")
    db.set_defaults(func=cmd_db)

    admin = sub.add_parser("create-admin", help="create a department account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", help="default: $TECHMATCH_ADMIN_PASSWORD")
    admin.add_argument("--full-name", default="Quản trị Sở KH&CN")
    admin.set_defaults(func=cmd_create_admin)

    demo = sub.add_parser("seed-demo", help="load the demo data into an empty database")
    demo.add_argument("--force", action="store_true", help="load even if not empty")
    demo.set_defaults(func=cmd_seed_demo)

    reindex = sub.add_parser("reindex", help="rebuild the matching index from the database")
    reindex.set_defaults(func=cmd_reindex)

    expire = sub.add_parser("expire", help="expire published listings past their date now")
    expire.set_defaults(func=cmd_expire)

    webhooks = sub.add_parser("deliver-webhooks", help="send the webhook deliveries now due")
    webhooks.set_defaults(func=cmd_deliver_webhooks)
    importer = sub.add_parser("import", help="import offers or needs (.csv/.xlsx) as drafts")
    importer.add_argument("kind", choices=["offers", "needs"])
    importer.add_argument("file", help="a .csv (UTF-8) or .xlsx file; columns = API field names")
    importer.add_argument("--organization-id", required=True, help="the owning organisation")
    importer.set_defaults(func=cmd_import)

    exporter = sub.add_parser("export", help="export published listings or the match report")
    exporter.add_argument("what", choices=["offers", "needs", "matches"])
    exporter.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    exporter.add_argument("--output", required=True, help="the file to write")
    exporter.add_argument(
        "--top-k",
        type=int,
        default=5,
        choices=range(1, 51),
        metavar="1..50",
        help="matches: candidates per need",
    )
    exporter.add_argument(
        "--min-score",
        type=float,
        default=None,
        help="matches: leave out candidates below this score",
    )
    exporter.set_defaults(func=cmd_export)

    saver = sub.add_parser("backup", help="back up the whole database to a file")
    saver.add_argument("--output", required=True, help="the backup file to write")
    saver.set_defaults(func=cmd_backup)

    restorer = sub.add_parser("restore", help="replace the database's content with a backup")
    restorer.add_argument("file", help="a file written by 'techmatch backup'")
    restorer.add_argument("--force", action="store_true", help="replace a database with data")
    restorer.set_defaults(func=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from app.audit.recorder import set_process_label

    args = build_parser().parse_args(argv)
    if args.command != "serve":
        set_process_label("cli")  # changes made by a command are audited as the command line's
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
