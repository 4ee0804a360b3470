"""Stored suggestions without per-row checks they did not need: PostgreSQL takes ~2× the rows per second.

Measured on PostgreSQL (benchmarks/bench_batch.py ``--store-costs``, server CPU per row copied
into a table already holding as many rows): the foreign key on ``run_id`` was the largest part, a
trigger that looks the run up once per row; each index about a fifth of the rest; parsing each
explanation into JSONB and the ``id`` sequence (locked and WAL-logged per value) less. So:

* the foreign key goes. Every writer already names a run that exists: a block's rows are written
  in the transaction that flipped one of the run's blocks (which has its own key to the run),
  copied lists go to the run being made, served logs have no run. Its ``ON DELETE CASCADE`` is
  kept as a trigger on ``rescoring_runs``: deleting a run still deletes its suggestions.
* the pair index goes: its one reader, a decision's "which model suggested this pair", finds the
  pair through the lists of its vacancy and of its candidate (``suggestion_lists``) and the
  (run, direction, query, rank) key (:mod:`matcher.store.decisions`).
* on PostgreSQL the ``created_at`` index is a BRIN index: rows arrive in time order, so a summary
  per range of pages serves pruning served logs and exporting a period, and costs nothing per row.
* ``explanation`` is ``json`` on PostgreSQL (checked, kept as text) instead of ``jsonb``; it is read
  back whole, never queried into. SQLite stored it as text already.
* the ``id`` sequence hands each connection 1000 values at a time (PostgreSQL). Ids stay unique and
  increase within a connection, so a block's rows keep their order; ids were already interleaved
  between concurrent writers, and are not gapless (a connection's unused values are skipped).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FK = "fk_suggestions_run_id_rescoring_runs"
TRIGGER = "trg_rescoring_runs_delete_suggestions"
SEQUENCE = "suggestions_id_seq"
CREATED = "ix_suggestions_created_at"

PG_CASCADE = f"""
CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM suggestions WHERE run_id = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER {TRIGGER} AFTER DELETE ON rescoring_runs FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();
"""
SQLITE_CASCADE = f"""
CREATE TRIGGER {TRIGGER} AFTER DELETE ON rescoring_runs FOR EACH ROW
BEGIN
    DELETE FROM suggestions WHERE run_id = OLD.id;
END
"""


def upgrade() -> None:
    op.drop_index("ix_suggestions_pair", table_name="suggestions")
    if op.get_context().dialect.name == "postgresql":
        op.drop_index(CREATED, table_name="suggestions")
        op.create_index(CREATED, "suggestions", ["created_at"], postgresql_using="brin")
        op.drop_constraint(FK, "suggestions", type_="foreignkey")
        op.alter_column(
            "suggestions",
            "explanation",
            type_=sa.JSON(),
            existing_type=postgresql.JSONB(),
            existing_nullable=False,
            postgresql_using="explanation::json",
        )
        op.execute(f"ALTER SEQUENCE {SEQUENCE} CACHE 1000")
        op.execute(PG_CASCADE)
        return
    with op.batch_alter_table("suggestions") as batch:  # SQLite drops a constraint by copying the table
        batch.drop_constraint(FK, type_="foreignkey")
    op.execute(SQLITE_CASCADE)


def downgrade() -> None:
    postgres = op.get_context().dialect.name == "postgresql"
    op.execute(f"DROP TRIGGER {TRIGGER} ON rescoring_runs" if postgres else f"DROP TRIGGER {TRIGGER}")
    if postgres:
        op.execute(f"DROP FUNCTION {TRIGGER}()")
        op.execute(f"ALTER SEQUENCE {SEQUENCE} CACHE 1")
        op.alter_column(
            "suggestions",
            "explanation",
            type_=postgresql.JSONB(),
            existing_type=sa.JSON(),
            existing_nullable=False,
            postgresql_using="explanation::jsonb",
        )
        op.create_foreign_key(FK, "suggestions", "rescoring_runs", ["run_id"], ["id"], ondelete="CASCADE")
        op.drop_index(CREATED, table_name="suggestions")
        op.create_index(CREATED, "suggestions", ["created_at"])
    else:
        with op.batch_alter_table("suggestions") as batch:
            batch.create_foreign_key(FK, "rescoring_runs", ["run_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_suggestions_pair", "suggestions", ["vacancy_id", "candidate_id"])
