"""Replaced profiles: the version an update or delete took away, for incremental rescoring.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replaced_profiles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("profile_id", sa.String(length=100), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("profile", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replaced_profiles")),
    )
    op.create_index(op.f("ix_replaced_profiles_replaced_at"), "replaced_profiles", ["replaced_at"])
    op.create_index("ix_replaced_profiles_kind_profile", "replaced_profiles", ["kind", "profile_id"])


def downgrade() -> None:
    op.drop_index("ix_replaced_profiles_kind_profile", table_name="replaced_profiles")
    op.drop_index(op.f("ix_replaced_profiles_replaced_at"), table_name="replaced_profiles")
    op.drop_table("replaced_profiles")
