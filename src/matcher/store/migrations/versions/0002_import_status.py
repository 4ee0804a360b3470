"""Import status: an import record is written first (running) and finished last (completed), so a
crash in between leaves a visible interrupted import instead of records with no import or audit.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(sa.Column("status", sa.String(length=20), nullable=False, server_default="completed"))
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("finished_at")
        batch.drop_column("updated_at")
        batch.drop_column("status")
