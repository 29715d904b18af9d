"""hardening: columns as long as the schemas allow

Revision ID: 0003_hardening
Revises: 0002
Create Date: 2026-12-01 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_hardening"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.alter_column(
            "name", existing_type=sa.String(length=200), type_=sa.String(length=100)
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "full_name", existing_type=sa.String(length=200), type_=sa.String(length=120)
        )
