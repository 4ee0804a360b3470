"""Decisions and outcomes on suggestions, for human oversight (issue 17).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("vacancy_id", sa.String(length=100), nullable=False),
        sa.Column("candidate_id", sa.String(length=100), nullable=False),
        sa.Column("model_version", sa.String(length=100), nullable=True),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=True),
        sa.Column("detail", JSON_TYPE, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_decisions")),
    )
    op.create_index(op.f("ix_suggestion_decisions_at"), "suggestion_decisions", ["at"], unique=False)
    op.create_index(
        "ix_suggestion_decisions_pair", "suggestion_decisions", ["vacancy_id", "candidate_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_suggestion_decisions_pair", table_name="suggestion_decisions")
    op.drop_index(op.f("ix_suggestion_decisions_at"), table_name="suggestion_decisions")
    op.drop_table("suggestion_decisions")
