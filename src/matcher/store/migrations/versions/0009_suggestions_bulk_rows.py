"""Stored suggestions without a per-row foreign key check or JSONB parse: PostgreSQL takes ~2.5× the rows.

Measured on PostgreSQL (server CPU per row copied into a table already holding as many rows,
benchmarks/bench_batch.py ``--store-costs``): the foreign key on ``run_id`` was half of it, a
trigger that looks the run up once per row; parsing each explanation into JSONB a tenth; the
``id`` sequence, locked and WAL-logged per value, another tenth. So:

* the foreign key goes. Every writer already names a run that exists: a block's rows are written
  in the transaction that flipped one of the run's blocks (which has its own key to the run),
  copied lists go to the run being made, served logs have no run. Its ``ON DELETE CASCADE`` is
  kept as a trigger on ``rescoring_runs``: deleting a run still deletes its suggestions.
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
    if op.get_context().dialect.name == "postgresql":
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
        return
    with op.batch_alter_table("suggestions") as batch:
        batch.create_foreign_key(FK, "rescoring_runs", ["run_id"], ["id"], ondelete="CASCADE")
