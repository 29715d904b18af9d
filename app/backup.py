"""Whole-database backups: SQLite's online backup API, or ``pg_dump -Fc`` / ``pg_restore``.

A backup is taken while the service runs (SQLite copies a consistent snapshot page by page;
``pg_dump`` reads in one repeatable-read transaction). A restore replaces the whole content of
the target database, so it refuses a target that already holds data unless forced.
"""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from app.db import make_engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why in one line."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password travels in the environment."""
    args = ["--dbname", url.database or "postgres"]
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (PostgreSQL client tools)")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{command[0]}: {last}")


def _has_schema(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        return "alembic_version" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def _holds_data(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        if "organizations" not in tables:
            return bool(tables - {"alembic_version"})
        with engine.connect() as connection:
            return bool(connection.execute(text("SELECT count(*) FROM organizations")).scalar())
    finally:
        engine.dispose()


def backup(database_url: str, output: Path) -> Path:
    """Write a backup of ``database_url`` to ``output`` (replaced only once complete)."""
    url = make_url(database_url)
    if not _has_schema(database_url):
        raise BackupError("no migrated techmatch database at TECHMATCH_DATABASE_URL")
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=".backup-", dir=output.parent)
    os.close(handle)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_copy(sqlite3.connect(_sqlite_path(url)), partial)
        else:
            args, env = _libpq(url)
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", partial, *args], env)
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return output


def _sqlite_copy(source: sqlite3.Connection, target_path: str | Path) -> None:
    """Copy a whole SQLite database with its online backup API (readers may go on)."""
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def restore(database_url: str, backup_file: Path, *, force: bool = False) -> None:
    """Replace the content of ``database_url`` with ``backup_file``."""
    url = make_url(database_url)
    if not backup_file.is_file():
        raise BackupError(f"no such backup file: {backup_file}")
    with backup_file.open("rb") as handle:
        magic = handle.read(16)
    is_sqlite = url.get_backend_name() == "sqlite"
    if is_sqlite and not magic.startswith(SQLITE_MAGIC):
        raise BackupError("this is not a SQLite backup; restore it into a SQLite database")
    if not is_sqlite and not magic.startswith(PG_CUSTOM_MAGIC):
        raise BackupError("this is not a pg_dump -Fc backup; restore it into PostgreSQL")
    if not force and _holds_data(database_url):
        raise BackupError("the target database already holds data; add --force to replace it")
    if is_sqlite:
        _sqlite_copy(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True), _sqlite_path(url))
    else:
        args, env = _libpq(url)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                *args,
                str(backup_file),
            ],
            env,
        )
