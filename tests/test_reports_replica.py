"""Reports read the database named by TECHMATCH_REPORTS_DATABASE_URL (a read replica)."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app import migrate
from app.config import Settings
from app.main import create_app
from tests.conftest import Api, TempDatabases, _wipe, make_settings


@pytest.fixture
def settings(settings: Settings) -> Iterator[Settings]:
    """The shared test database, emptied afterwards (these tests make their own apps)."""
    yield settings
    _wipe(settings.database_url)


def test_reports_read_the_replica_and_default_to_the_main_database(
    settings: Settings, databases: TempDatabases
) -> None:
    with TestClient(create_app(settings)) as client:
        api = Api(client, settings)
        dept = api.department()
        org = api.verified_org(dept, "enterprise")
        api.published("needs", org["token"], dept)
        assert api.get("/reports/matches", dept).json()["total_needs"] == 1

    replica = databases.new()  # migrated, but not (yet) fed by the main database
    migrate.upgrade(replica)
    split = make_settings(settings.database_url, reports_database_url=replica)
    with TestClient(create_app(split)) as client:
        api = Api(client, split)
        dept = api.department()  # accounts and tokens stay on the main database
        assert api.get("/reports/matches", dept).json()["total_needs"] == 0
        assert api.get("/reports/summary", dept).json()["unmet_demand"]["total"] == 0
        assert api.get("/offers").status_code == 200
