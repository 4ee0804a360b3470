"""Run fitting pairs: the pairs a full run's vacancy blocks keep to rank its candidate side.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_fitting_pairs",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("block_no", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["rescoring_runs.id"],
            name=op.f("fk_run_fitting_pairs_run_id_rescoring_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "block_no", name=op.f("pk_run_fitting_pairs")),
    )


def downgrade() -> None:
    op.drop_table("run_fitting_pairs")
