"""indexes for list pages at scale (newest first by status or owner, field prefix)

Revision ID: 0008_scale
Revises: 0007_audit
Create Date: 2026-12-02 00:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_scale"
down_revision: str | None = "0007_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("offers", "needs")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_created_at_id", table, ["created_at", "id"])
        op.create_index(f"ix_{table}_status_created_at_id", table, ["status", "created_at", "id"])
        op.create_index(
            f"ix_{table}_organization_id_created_at", table, ["organization_id", "created_at"]
        )
        op.create_index(
            f"ix_{table}_field_code_prefix",
            table,
            ["field_code"],
            postgresql_ops={"field_code": "text_pattern_ops"},
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_field_code_prefix", table_name=table)
        op.drop_index(f"ix_{table}_organization_id_created_at", table_name=table)
        op.drop_index(f"ix_{table}_status_created_at_id", table_name=table)
        op.drop_index(f"ix_{table}_created_at_id", table_name=table)
