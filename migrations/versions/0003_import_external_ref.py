"""external_ref on offers and needs, unique per organisation (re-import updates, never duplicates)

Revision ID: 0003_import_external_ref
Revises: 0002
Create Date: 2026-12-01 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_import_external_ref"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("offers", "needs")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("external_ref", sa.String(length=100), nullable=True))
            batch.create_unique_constraint(
                f"uq_{table}_external_ref", ["organization_id", "external_ref"]
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_external_ref", type_="unique")
            batch.drop_column("external_ref")
