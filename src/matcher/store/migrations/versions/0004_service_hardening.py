"""Service hardening: store_meta (data version, handle secret), API key expiry, an index to prune served logs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    meta = op.create_table(
        "store_meta",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_store_meta")),
    )
    op.bulk_insert(meta, [{"name": "data_version", "value": "0", "updated_at": datetime.now(UTC)}])
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f("ix_suggestions_created_at"), "suggestions", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestions_created_at"), table_name="suggestions")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("expires_at")
    op.drop_table("store_meta")
