"""Test fixtures: a migrated database (SQLite, or PostgreSQL when TECHMATCH_TEST_DATABASE_URL is
set), an application per test, and a small client that speaks the API like a user would.

On PostgreSQL the suite creates its own throw-away database on the given server and drops it at
the end, so the server's databases are left exactly as they were found.
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import migrate
from app.auth.service import create_department_admin
from app.config import Settings
from app.db import make_engine, make_session_factory, session_scope
from app.main import create_app
from app.models import Base

PG_ENV = "TECHMATCH_TEST_DATABASE_URL"
PASSWORD = "correct horse battery"

# Cheap Argon2 for the suite (a strong hash costs ~0.1 s of CPU and the suite makes hundreds).
# Set in the environment so that in-process and subprocess runs of the CLI get them too; the
# production floor itself is tested in tests/auth/test_password_hashing.py.
TEST_HASHING = {
    "TECHMATCH_PASSWORD_HASH_TIME_COST": "1",
    "TECHMATCH_PASSWORD_HASH_MEMORY_KIB": "8",
    "TECHMATCH_PASSWORD_HASH_PARALLELISM": "1",
    "TECHMATCH_ALLOW_WEAK_PASSWORD_HASHING": "true",
}
os.environ.update(TEST_HASHING)


class TempDatabases:
    """Creates empty databases for the run and removes them afterwards."""

    def __init__(self, tmp_dir: Path) -> None:
        self.server_url = os.environ.get(PG_ENV)
        self.tmp_dir = tmp_dir
        self.created: list[str] = []

    @property
    def is_postgres(self) -> bool:
        return bool(self.server_url)

    def new(self) -> str:
        if not self.server_url:
            return f"sqlite:///{self.tmp_dir / f'{uuid.uuid4().hex}.db'}"
        name = f"techmatch_test_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.created.append(name)
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.server_url:
            return
        admin = create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TempDatabases]:
    dbs = TempDatabases(tmp_path_factory.mktemp("db"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(scope="session")
def database_url(databases: TempDatabases) -> str:
    """One database for the run, built by running the migrations (never ``create_all``)."""
    url = databases.new()
    migrate.upgrade(url)
    return url


def _wipe(url: str) -> None:
    engine = make_engine(url)
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name != "index_state"]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
        connection.execute(text("UPDATE index_state SET version = 0"))
    engine.dispose()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "review_required": True,
        "log_level": "WARNING",
        "login_rate_limit_per_minute": 1000,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """A fresh application on the shared database; every row is removed afterwards."""
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    _wipe(settings.database_url)


@pytest.fixture(scope="session")
def shared_database_url(databases: TempDatabases) -> str:
    """A second migrated database, for the applications that read-only tests share."""
    url = databases.new()
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="module")
def shared_api(shared_database_url: str) -> "Iterator[Api]":
    """One application and client for the read-only tests of a module (wiped at its end).

    Only for tests that change nothing another test of the module reads (GETs, refused
    requests): they then share one setup (accounts, listings) instead of building it each time.
    """
    settings = make_settings(shared_database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client, settings)
    _wipe(shared_database_url)


class Api:
    """Drives the HTTP API the way a client would."""

    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self._tax_serial = 0

    def url(self, path: str) -> str:
        bare = path.split("?")[0] in ("/healthz", "/readyz", "/openapi.json", "/docs")
        return path if bare else f"/api/v1{path}"

    def get(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.client.get(self.url(path), headers=self.auth(token, kw), **kw)

    def post(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.client.post(self.url(path), headers=self.auth(token, kw), **kw)

    def patch(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.client.patch(self.url(path), headers=self.auth(token, kw), **kw)

    def delete(self, path: str, token: str | None = None, **kw: Any) -> Any:
        return self.client.delete(self.url(path), headers=self.auth(token, kw), **kw)

    @staticmethod
    def auth(token: str | None, kw: dict[str, Any]) -> dict[str, str]:
        headers = dict(kw.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def next_tax_code(self) -> str:
        from app.organizations.tax_code import check_digit

        while True:
            self._tax_serial += 1
            stem = f"26{self._tax_serial:07d}"
            digit = check_digit(stem)
            if digit is not None:
                return f"{stem}{digit}"

    def login(self, email: str, password: str = PASSWORD) -> str:
        response = self.client.post(
            "/api/v1/auth/token", data={"username": email, "password": password}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def department(self) -> str:
        """A department account's token."""
        email = f"dept-{uuid.uuid4().hex[:8]}@sokhcn.example.vn"
        factory = make_session_factory(self.client.app.state.engine)  # type: ignore[attr-defined]
        for session in session_scope(factory):
            create_department_admin(session, email=email, password=PASSWORD, full_name="Cán bộ Sở")
        return self.login(email)

    def register(
        self, kind: str = "institute", name: str | None = None, province_code: str = "25"
    ) -> dict[str, Any]:
        email = f"user-{uuid.uuid4().hex[:8]}@example.vn"
        body = {
            "organization": {
                "name": name or f"Tổ chức {uuid.uuid4().hex[:6]}",
                "kind": kind,
                "tax_code": self.next_tax_code(),
                "province_code": province_code,
                "contact_name": "Nguyễn Thị Hoa",
                "contact_email": f"lienhe-{uuid.uuid4().hex[:6]}@example.vn",
                "contact_phone": "0210 3846 215",
            },
            "user": {"email": email, "password": PASSWORD, "full_name": "Nguyễn Văn An"},
        }
        response = self.post("/auth/register", json=body)
        assert response.status_code == 201, response.text
        data: dict[str, Any] = response.json()
        data["email"] = email
        data["token"] = self.login(email)
        return data

    def verified_org(self, dept_token: str, kind: str = "institute", **kw: Any) -> dict[str, Any]:
        org = self.register(kind, **kw)
        response = self.post(f"/organizations/{org['organization']['id']}/verify", dept_token)
        assert response.status_code == 200, response.text
        return org

    def published(
        self, kind: str, owner_token: str, dept_token: str, **fields: Any
    ) -> dict[str, Any]:
        """Create, submit and publish an offer or need."""
        body = offer_body(**fields) if kind == "offers" else need_body(**fields)
        created = self.post(f"/{kind}", owner_token, json=body)
        assert created.status_code == 201, created.text
        listing_id = created.json()["id"]
        assert self.post(f"/{kind}/{listing_id}/submit", owner_token).status_code == 200
        response = self.post(f"/{kind}/{listing_id}/publish", dept_token)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


def offer_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Công nghệ sấy bơm nhiệt cho chè xanh",
        "summary": "Máy sấy bơm nhiệt giữ màu và hương chè.",
        "description": "Thiết bị sấy ở nhiệt độ thấp, tiết kiệm điện năng.",
        "keywords": ["máy sấy", "bơm nhiệt", "chè"],
        "field_code": "203",
        "province_code": "25",
        "trl": 7,
        "ip_status": "utility_solution",
        "transfer_forms": ["licence", "technical_service"],
        "transfer_methods": ["training"],
        "price_min_vnd": 200_000_000,
        "price_max_vnd": 400_000_000,
        "price_type": "indicative",
    }
    body.update(fields)
    return body


def need_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Cần máy sấy chè tiết kiệm năng lượng",
        "summary": "Thay lò sấy đốt củi bằng thiết bị sấy hiện đại.",
        "description": "Nhà máy chè cần thiết bị sấy giữ màu xanh, công suất 3 tấn/ngày.",
        "keywords": ["sấy chè", "máy sấy"],
        "field_code": "203",
        "province_code": "25",
        "desired_trl_min": 6,
        "budget_max_vnd": 500_000_000,
        "transfer_forms": ["licence"],
        "confidential": False,
    }
    body.update(fields)
    return body


@pytest.fixture
def api(app_client: TestClient, settings: Settings) -> Api:
    return Api(app_client, settings)
