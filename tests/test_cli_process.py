"""The installed ``techmatch`` command, run as a real process on a fresh migrated database.

In-process tests (``cli.main``) share the test process's imports, which hid that
``techmatch import`` crashed on every file (``NoReferencedTableError``: only a real process
imports exactly what the command imports). Every subcommand runs here at least once.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import TempDatabases

TECHMATCH = str(Path(sys.executable).with_name("techmatch"))


class Techmatch:
    def __init__(self, url: str, cwd: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TECHMATCH_")}
        self.env.update({k: v for k, v in os.environ.items() if "PASSWORD_HASH" in k})
        self.env["TECHMATCH_ALLOW_WEAK_PASSWORD_HASHING"] = "true"
        self.env["TECHMATCH_DATABASE_URL"] = url
        self.env["TECHMATCH_LOG_LEVEL"] = "WARNING"
        self.cwd = cwd

    def __call__(self, *argv: str, env: dict[str, str] | None = None) -> Any:
        return subprocess.run(
            [TECHMATCH, *argv],
            cwd=self.cwd,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=180,
        )


@pytest.fixture(scope="module")
def tm(databases: TempDatabases, tmp_path_factory: pytest.TempPathFactory) -> Techmatch:
    """A fresh database made by ``techmatch db upgrade`` and loaded by ``seed-demo``."""
    command = Techmatch(databases.new(), tmp_path_factory.mktemp("cli"))
    done = command("db", "upgrade")
    assert done.returncode == 0, done.stderr
    done = command("seed-demo")
    assert done.returncode == 0, done.stderr
    assert "demo data loaded" in done.stdout
    return command


def test_db_status_create_admin_reindex_expire_webhooks(tm: Techmatch) -> None:
    status = tm("db", "status")
    assert status.returncode == 0 and "'ready': True" in status.stdout
    assert tm("seed-demo").stdout.startswith("demo data skipped")
    made = tm("create-admin", "--email", "can-bo@so.example.vn", "--password", "mat-khau-du-dai")
    assert made.returncode == 0 and "can-bo@so.example.vn" in made.stdout
    again = tm("create-admin", "--email", "can-bo@so.example.vn", "--password", "mat-khau-du-dai")
    assert again.returncode == 1 and "Traceback" not in again.stderr
    reindex = tm("reindex")
    assert reindex.returncode == 0 and "index rebuilt" in reindex.stdout
    assert tm("expire").stdout.startswith("expired listings:")
    assert tm("deliver-webhooks").stdout.startswith("webhook deliveries attempted:")


def test_export_then_import_dry_run_and_for_real(tm: Techmatch) -> None:
    for what in ("offers", "needs", "matches"):
        out = tm.cwd / f"{what}.xlsx"
        done = tm("export", what, "--output", str(out))
        assert done.returncode == 0, done.stderr
        assert load_workbook(out).worksheets[0].max_row > 1
    sheet = load_workbook(tm.cwd / "offers.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    assert "Tên công nghệ" in header
    org_id = sheet.cell(row=2, column=header.index("Mã tổ chức") + 1).value
    path = tm.cwd / "new.csv"
    path.write_text(
        "Tên công nghệ,Lĩnh vực công nghệ,Tỉnh/thành công nghệ,TRL\n"
        "Máy tách hạt sen,203 – Kỹ thuật cơ khí,Vĩnh Phúc,6\n",
        encoding="utf-8",
    )
    dry = tm("import", "offers", str(path), "--organization-id", org_id, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dòng 2: tạo mới «Máy tách hạt sen»" in dry.stdout and "không ghi gì" in dry.stdout
    real = tm("import", "offers", str(path), "--organization-id", org_id)
    assert real.returncode == 0, real.stderr
    assert "1 tạo mới" in real.stdout and "100%" in real.stderr
    assert "Traceback" not in real.stderr
    mine = tm.cwd / "mine.csv"
    assert (
        tm("export", "offers", "--organization-id", org_id, "--output", str(mine)).returncode == 0
    )
    assert "Máy tách hạt sen" in mine.read_text(encoding="utf-8-sig")
    again = tm("import", "offers", str(mine), "--organization-id", org_id)
    assert again.returncode == 0 and "0 tạo mới" in again.stdout


def test_serve_answers_health_checks(tm: Techmatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [TECHMATCH, "serve", "--port", str(port)],
        cwd=tm.cwd,
        env=tm.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not become ready"
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_db_downgrade_and_upgrade(databases: TempDatabases, tmp_path: Path) -> None:
    tm = Techmatch(databases.new(), tmp_path)
    assert tm("db", "upgrade").returncode == 0
    assert tm("db", "downgrade", "0002").returncode == 0
    stale = tm("reindex")
    assert stale.returncode == 1 and "not ready" in stale.stderr
    assert stale.stderr.count("\n") == 1 and "db upgrade" in stale.stderr
    assert tm("db", "upgrade").returncode == 0
    assert tm("reindex").returncode == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "offers", "x.csv", "--organization-id", "x"],
        ["export", "offers", "--output", "o.csv"],
        ["db", "status"],
        ["serve"],
    ],
)
def test_no_database_here_says_so_in_one_line(tmp_path: Path, argv: list[str]) -> None:
    """Run where there is no techmatch.db: one line, exit 1, and no empty file left behind."""
    tm = Techmatch("sqlite:///./techmatch.db", tmp_path)
    env = dict(tm.env)
    del env["TECHMATCH_DATABASE_URL"]  # the default: ./techmatch.db
    done = tm(*argv, env=env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no techmatch database" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "techmatch.db").exists()
    assert list(tmp_path.iterdir()) == []
