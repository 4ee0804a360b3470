"""A run's allocation: the pairs its vacancy blocks keep for it, and the allocated lists with their metrics.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_allocation_pairs",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("block_no", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["rescoring_runs.id"],
            name=op.f("fk_run_allocation_pairs_run_id_rescoring_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "block_no", name=op.f("pk_run_allocation_pairs")),
    )
    op.create_table(
        "run_allocations",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("metrics", JSON_TYPE, nullable=False),
        sa.Column("lists", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["rescoring_runs.id"],
            name=op.f("fk_run_allocations_run_id_rescoring_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_allocations")),
    )


def downgrade() -> None:
    op.drop_table("run_allocations")
    op.drop_table("run_allocation_pairs")
