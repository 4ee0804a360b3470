"""One index on a suggestion's pair instead of one on each id: stored rows are written about twice as fast.

The only reader that looks suggestions up by id is the decision log's "which model suggested this
pair" (vacancy and candidate both given); the lists are read through the unique (run, direction,
query, rank) key. Two single-column indexes on random ids cost half of a bulk insert's time on
PostgreSQL and a third on SQLite; the composite serves the same lookup.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 14:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_suggestions_pair", "suggestions", ["vacancy_id", "candidate_id"])
    op.drop_index(op.f("ix_suggestions_candidate_id"), table_name="suggestions")
    op.drop_index(op.f("ix_suggestions_vacancy_id"), table_name="suggestions")


def downgrade() -> None:
    op.create_index(op.f("ix_suggestions_vacancy_id"), "suggestions", ["vacancy_id"], unique=False)
    op.create_index(op.f("ix_suggestions_candidate_id"), "suggestions", ["candidate_id"], unique=False)
    op.drop_index("ix_suggestions_pair", table_name="suggestions")
