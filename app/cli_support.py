"""What every ``techmatch`` subcommand shares: finding the database and opening sessions."""

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.config import get_settings
from app.db import make_engine, make_session_factory


class NoDatabase(Exception):
    """No migrated database where the settings point; the message is one line."""


def session_factory() -> "sessionmaker[Session]":
    import app.models  # noqa: F401  (every table known, so foreign keys resolve)

    return make_session_factory(make_engine(get_settings().database_url))


def require_database(url: str) -> None:
    """Raise ``NoDatabase`` unless ``url`` is a database at the latest migration.

    Checked before connecting, because connecting to a missing SQLite file creates it.
    """
    from sqlalchemy.engine import make_url

    from app import migrate

    parsed = make_url(url)
    hint = "set TECHMATCH_DATABASE_URL, or create it with 'techmatch db upgrade'"
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(str(parsed.database))
        if not path.is_file():
            raise NoDatabase(f"no techmatch database at {path.resolve()}: {hint}")
    engine = make_engine(url)
    try:
        status = migrate.schema_status(engine)
    finally:
        engine.dispose()
    if not status["ready"]:
        raise NoDatabase(
            f"the database at {parsed.render_as_string()} is not ready: {status['reason']}"
        )
