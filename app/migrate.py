"""Running and inspecting Alembic migrations from inside the application."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url: str) -> Config:
    """The project's Alembic configuration pointed at ``database_url``."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def schema_status(engine: Engine) -> dict[str, Any]:
    """Whether the database answers and is at head."""
    head = head_revision(engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        return {
            "ready": False,
            "reason": f"database unreachable: {type(exc).__name__}",
            "revision": None,
            "head": head,
        }
    ready = current == head
    reason = None if ready else f"schema at {current}, expected {head}: run 'techmatch db upgrade'"
    return {"ready": ready, "reason": reason, "revision": current, "head": head}
