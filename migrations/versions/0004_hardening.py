"""hardening: columns as long as the schemas allow; the login throttle in the database

Revision ID: 0003_hardening
Revises: 0003_import_external_ref
Create Date: 2026-12-01 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_hardening"
down_revision: str | None = "0003_import_external_ref"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_login_failures_failed_at"), ["failed_at"], unique=False
        )
    # The schemas accept names of up to 200 characters (app.schemas.Name).
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "full_name", existing_type=sa.String(length=120), type_=sa.String(length=200)
        )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.alter_column(
            "name", existing_type=sa.String(length=100), type_=sa.String(length=200)
        )


def downgrade() -> None:
    op.drop_table("login_failures")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.alter_column(
            "name", existing_type=sa.String(length=200), type_=sa.String(length=100)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "full_name", existing_type=sa.String(length=200), type_=sa.String(length=120)
        )
