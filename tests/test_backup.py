"""`techmatch backup` and `techmatch restore`, run as the installed command on real databases.

The restore goes into a fresh, empty database; every table's row count and a sample of rows
must come back identical.
"""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.db import make_engine
from app.models import Base
from tests.conftest import Api, TempDatabases

TECHMATCH = str(Path(sys.executable).parent / "techmatch")


def _run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TECHMATCH_DATABASE_URL": database_url}
    return subprocess.run(
        [TECHMATCH, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _snapshot(database_url: str) -> dict[str, Any]:
    """Row counts of every table and its first rows by primary key, every column."""
    engine = make_engine(database_url)
    found: dict[str, Any] = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            found[table.name] = (len(rows), [tuple(r) for r in rows[:5]])
        found["alembic_version"] = connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).all()
    engine.dispose()
    return found


def _populate(api: Api) -> None:
    dept = api.department()
    institute = api.verified_org(dept)
    enterprise = api.verified_org(dept, "enterprise", name="Hợp tác xã Chè Phú Thọ")
    offer = api.published("offers", institute["token"], dept)
    need = api.published("needs", enterprise["token"], dept)
    opened = api.post(
        "/connections",
        enterprise["token"],
        json={"need_id": need["id"], "offer_id": offer["id"], "message": "Xin liên hệ."},
    )
    assert opened.status_code == 201, opened.text


def test_backup_then_restore_into_a_fresh_database(
    api: Api, databases: TempDatabases, tmp_path: Path
) -> None:
    _populate(api)
    source = api.settings.database_url
    before = _snapshot(source)
    assert before["offers"][0] == 1 and before["connections"][0] == 1
    assert before["audit_entries"][0] > 0

    file = tmp_path / "techmatch.backup"
    made = _run(source, "backup", "--output", str(file))
    assert made.returncode == 0, made.stderr
    assert file.stat().st_size > 0

    fresh = databases.new()
    restored = _run(fresh, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert _snapshot(fresh) == before

    # a second restore over data is refused unless forced
    again = _run(fresh, "restore", str(file))
    assert again.returncode == 1 and "--force" in again.stderr
    assert _run(fresh, "restore", "--force", str(file)).returncode == 0
    assert _snapshot(fresh) == before


def test_backup_errors_are_one_line(databases: TempDatabases, tmp_path: Path) -> None:
    empty = databases.new()
    result = _run(empty, "backup", "--output", str(tmp_path / "x.backup"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert any(w in result.stderr for w in ("migrated", "db upgrade", "not ready"))
    assert not (tmp_path / "x.backup").exists()

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    result = _run(empty, "restore", str(junk))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    missing = _run(empty, "restore", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "no such backup file" in missing.stderr


def test_command_line_changes_are_audited_as_cli(databases: TempDatabases) -> None:
    url = databases.new()
    assert _run(url, "db", "upgrade").returncode == 0
    made = _run(url, "create-admin", "--email", "admin@sokhcn.example.vn", "--password", "x" * 12)
    assert made.returncode == 0, made.stderr
    engine = make_engine(url)
    with engine.connect() as connection:
        labels = (
            connection.exec_driver_sql("SELECT DISTINCT actor_label FROM audit_entries")
            .scalars()
            .all()
        )
    engine.dispose()
    assert labels == ["cli"]
