"""The ``techmatch`` command."""

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from app.cli_spreadsheets import cmd_export, cmd_import
from app.cli_support import NoDatabase, require_database, session_factory
from app.config import Settings, get_settings
from app.db import make_engine, session_scope


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options that are part of the service's safety, shared with the tests.

    h11, not httptools: httptools buffers a request head of any size (a 100 MB header was
    accepted), h11 refuses one larger than ``max_header_bytes``. Forwarded headers are
    believed only from the configured proxies.
    """
    trusted = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    return {
        "http": "h11",
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
    }


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "app.asgi:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        **server_options(settings),
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
        for session in session_scope(session_factory()):
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
    for session in session_scope(session_factory()):
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

    print(f"expired listings: {expire_once(session_factory())}")
    return 0


def cmd_reindex(_args: argparse.Namespace) -> int:
    from app.matching.changes import record_change
    from app.matching.engine import Matcher
    from app.matching.live import LiveIndex

    for session in session_scope(session_factory()):
        live = LiveIndex(Matcher)
        version = live.rebuild(session)
        # Running workers see this marker and rebuild from the database as well.
        record_change(session, listing_kind="all", listing_id="*")
        print(
            f"index rebuilt at version {version}: {live.matcher.n_offers} offers, "
            f"{live.matcher.n_needs} needs; running workers will rebuild on their next request"
        )
    return 0


def cmd_deliver_webhooks(_args: argparse.Namespace) -> int:
    from app.notifications.worker import deliver_once

    factory, total = session_factory(), 0
    while True:  # until nothing is due: one pass handles at most a batch
        done = deliver_once(factory, get_settings())
        total += done
        if done == 0:
            break
    print(f"webhook deliveries attempted: {total}")
    return 0


def cmd_tune(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from app.main import make_matcher
    from app.matching.live import LiveIndex
    from app.matching.tuning import propose, save

    dev = (
        [Path(p) for p in args.dev]
        if args.dev
        else sorted(Path("../shared/eval").glob("dev*.json"))
    )
    for session in session_scope(session_factory()):
        live = LiveIndex(lambda: make_matcher(get_settings()))
        live.rebuild(session)
        try:
            weights, metrics = propose(session, live.matcher, dev)
        except ValueError as error:
            print(f"error: nothing to fit: {error}", file=sys.stderr)
            return 2
        print(
            f"outcomes: {metrics['outcome_pairs']} pairs ({metrics['outcome_relevant']} contracted)"
        )
        print(f"development pairs: {metrics['dev_pairs']} from {[str(p) for p in dev]}")
        for name, figures in metrics["dev_ndcg@10"].items():
            change = figures["fitted"] - figures["current"]
            print(
                f"nDCG@10 {name}: {figures['current']:.4f} ({metrics['previous_version']}) -> "
                f"{figures['fitted']:.4f} ({change:+.4f})"
            )
        shown = {k: round(v, 4) if isinstance(v, float) else v for k, v in vars(weights).items()}
        print("fitted weights: " + json.dumps(shown, ensure_ascii=False))
        if args.dry_run:
            print("dry run: nothing saved")
            return 0
        if not args.yes:
            try:
                answer = input("save these weights? [y/N] ")
            except EOFError:
                answer = ""
            if answer.strip().lower() not in {"y", "yes", "c", "có"}:
                print("not saved")
                return 1
        row = save(session, weights, metrics)
        print(f"saved weights version {row.version!r}; every worker uses them after its next sync")
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
    importer = sub.add_parser(
        "import", help="import offers or needs (.csv/.xlsx): new rows as drafts, known ones updated"
    )
    importer.add_argument("kind", choices=["offers", "needs"])
    importer.add_argument(
        "file", help="a .csv (UTF-8) or .xlsx file; Vietnamese headers (as exported) or API names"
    )
    owner = importer.add_mutually_exclusive_group(required=True)
    owner.add_argument("--organization-id", help="the owning organisation's id")
    owner.add_argument("--org-tax-code", help="the owning organisation's tax code (mã số thuế)")
    importer.add_argument(
        "--dry-run", action="store_true", help="report row by row what would happen; write nothing"
    )
    importer.set_defaults(func=cmd_import)

    exporter = sub.add_parser(
        "export", help="export listings (Vietnamese headers, re-importable) or the match report"
    )
    exporter.add_argument("what", choices=["offers", "needs", "matches"])
    exporter.add_argument(
        "--format", choices=["csv", "xlsx"], help="default: from the output's suffix, else csv"
    )
    exporter.add_argument("--output", required=True, help="the file to write")
    exporter_owner = exporter.add_mutually_exclusive_group()
    exporter_owner.add_argument(
        "--organization-id", help="offers/needs: every listing of this organisation (to edit)"
    )
    exporter_owner.add_argument("--org-tax-code", help="offers/needs: the same, by tax code")
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

    tune = sub.add_parser(
        "tune", help="refit the matcher's weights from recorded outcomes (shows figures first)"
    )
    tune.add_argument(
        "--dev",
        action="append",
        help="a graded development set (repeatable; default ../shared/eval/dev*.json)",
    )
    tune.add_argument("--yes", action="store_true", help="save without asking")
    tune.add_argument("--dry-run", action="store_true", help="show the figures, save nothing")
    tune.set_defaults(func=cmd_tune)

    saver = sub.add_parser("backup", help="back up the whole database to a file")
    saver.add_argument("--output", required=True, help="the backup file to write")
    saver.set_defaults(func=cmd_backup)

    restorer = sub.add_parser("restore", help="replace the database's content with a backup")
    restorer.add_argument("file", help="a file written by 'techmatch backup'")
    restorer.add_argument("--force", action="store_true", help="replace a database with data")
    restorer.set_defaults(func=cmd_restore)
    return parser


def _needs_database(args: argparse.Namespace) -> bool:
    # ``restore`` fills a fresh database (its own checks refuse a non-empty one).
    if args.command == "restore":
        return False
    return not (args.command == "db" and args.action in ("upgrade", "downgrade"))


def main(argv: Sequence[str] | None = None) -> int:
    from pydantic import ValidationError

    from app.audit.recorder import set_process_label
    from app.auth.security import configure_from_settings

    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:
        reasons = "; ".join(
            str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors()
        )
        print(f"error: invalid settings: {reasons}", file=sys.stderr)
        return 2
    configure_from_settings(settings)
    if _needs_database(args):
        try:
            require_database(settings.database_url)
        except NoDatabase as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    if args.command != "serve":
        set_process_label("cli")  # changes made by a command are audited as the command line's
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
