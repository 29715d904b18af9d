"""The ``techmatch`` command: create-admin, seed-demo, reindex, db."""

import pytest
from sqlalchemy import func, select

from app import cli, migrate
from app.auth.models import User
from app.db import make_engine, make_session_factory, session_scope
from app.needs.models import Need
from app.offers.models import Offer
from tests.conftest import TempDatabases


@pytest.fixture
def fresh_url(databases: TempDatabases, monkeypatch: pytest.MonkeyPatch) -> str:
    url = databases.new()
    monkeypatch.setenv("TECHMATCH_DATABASE_URL", url)
    cli.get_settings.cache_clear()
    yield url
    cli.get_settings.cache_clear()


def _count(url: str, model: type) -> int:
    for session in session_scope(make_session_factory(make_engine(url))):
        return int(session.scalar(select(func.count()).select_from(model)) or 0)
    return 0


def test_db_upgrade_then_seed_demo_once(fresh_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["db", "upgrade"]) == 0
    assert migrate.schema_status(make_engine(fresh_url))["ready"]
    assert cli.main(["seed-demo"]) == 0
    assert "demo data loaded" in capsys.readouterr().out
    for session in session_scope(make_session_factory(make_engine(fresh_url))):
        published_offers = session.scalar(
            select(func.count()).select_from(Offer).where(Offer.status == "published")
        )
        published_needs = session.scalar(
            select(func.count()).select_from(Need).where(Need.status == "published")
        )
        assert published_offers is not None and published_offers >= 30
        assert published_needs is not None and published_needs >= 15
    before = _count(fresh_url, Offer)
    assert cli.main(["seed-demo"]) == 0  # not empty any more: nothing added
    assert "skipped" in capsys.readouterr().out
    assert _count(fresh_url, Offer) == before
    assert cli.main(["reindex"]) == 0
    assert "index rebuilt" in capsys.readouterr().out
    assert cli.main(["expire"]) == 0
    assert "expired listings: 0" in capsys.readouterr().out


def test_create_admin(
    fresh_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["db", "upgrade"])
    assert (
        cli.main(
            ["create-admin", "--email", "Admin@So.example.vn", "--password", "mat-khau-du-dai"]
        )
        == 0
    )
    monkeypatch.setenv("TECHMATCH_ADMIN_PASSWORD", "mat-khau-tu-env")
    assert cli.main(["create-admin", "--email", "second@so.example.vn"]) == 0
    assert (
        cli.main(
            ["create-admin", "--email", "admin@so.example.vn", "--password", "mat-khau-du-dai"]
        )
        == 1
    )  # duplicate
    monkeypatch.delenv("TECHMATCH_ADMIN_PASSWORD")
    assert cli.main(["create-admin", "--email", "x@so.example.vn"]) == 2  # no password
    for session in session_scope(make_session_factory(make_engine(fresh_url))):
        roles = session.scalars(select(User.role)).all()
        assert roles == ["department", "department"]
