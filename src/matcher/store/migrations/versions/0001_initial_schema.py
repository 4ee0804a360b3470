"""Initial schema: profiles, personal data, imports, rescoring runs, suggestions, API keys, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 10:04:38.240334
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSON on SQLite, JSONB on PostgreSQL, as in matcher.store.schema.
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=True),
        sa.Column("detail", JSON_TYPE, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(op.f("ix_audit_log_key_id"), "audit_log", ["key_id"], unique=False)

    op.create_table(
        "candidates",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("postcode", sa.String(length=4), nullable=False),
        sa.Column("coaching_need", sa.String(length=20), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("profile", JSON_TYPE, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
    )
    op.create_index(op.f("ix_candidates_postcode"), "candidates", ["postcode"], unique=False)

    op.create_table(
        "employers",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("record_ids", JSON_TYPE, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_table(
        "rescoring_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("params", JSON_TYPE, nullable=False),
        sa.Column("model_version", sa.String(length=100), nullable=False),
        sa.Column("snapshot", sa.String(length=64), nullable=False),
        sa.Column("total_blocks", sa.Integer(), nullable=False),
        sa.Column("done_blocks", sa.Integer(), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescoring_runs")),
    )
    op.create_index(op.f("ix_rescoring_runs_status"), "rescoring_runs", ["status"], unique=False)

    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("employer_id", sa.String(length=100), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], name=op.f("fk_api_keys_employer_id_employers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
    )
    op.create_table(
        "import_rejections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", JSON_TYPE, nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_runs.id"],
            name=op.f("fk_import_rejections_import_id_import_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_rejections")),
    )
    op.create_index(op.f("ix_import_rejections_import_id"), "import_rejections", ["import_id"], unique=False)

    op.create_table(
        "personal_data",
        sa.Column("candidate_id", sa.String(length=100), nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_personal_data_candidate_id_candidates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("candidate_id", name=op.f("pk_personal_data")),
    )
    op.create_table(
        "rescoring_blocks",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("block_no", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("query_ids", JSON_TYPE, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("pairs", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["rescoring_runs.id"],
            name=op.f("fk_rescoring_blocks_run_id_rescoring_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("run_id", "block_no", name=op.f("pk_rescoring_blocks")),
    )
    op.create_table(
        "suggestion_lists",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("query_id", sa.String(length=100), nullable=False),
        sa.Column("strict_count", sa.Integer(), nullable=False),
        sa.Column("stretch_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["rescoring_runs.id"],
            name=op.f("fk_suggestion_lists_run_id_rescoring_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_lists")),
        sa.UniqueConstraint(
            "run_id", "direction", "query_id", name=op.f("uq_suggestion_lists_run_id_direction_query_id")
        ),
    )
    op.create_index("ix_suggestion_lists_query", "suggestion_lists", ["direction", "query_id"], unique=False)

    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("query_id", sa.String(length=100), nullable=False),
        sa.Column("vacancy_id", sa.String(length=100), nullable=False),
        sa.Column("candidate_id", sa.String(length=100), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(precision=53), nullable=False),
        sa.Column("stretch", sa.Boolean(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Float(precision=53), nullable=False),
        sa.Column("explanation", JSON_TYPE, nullable=False),
        sa.Column("model_version", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["rescoring_runs.id"], name=op.f("fk_suggestions_run_id_rescoring_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint(
            "run_id", "direction", "query_id", "rank", name=op.f("uq_suggestions_run_id_direction_query_id_rank")
        ),
    )
    op.create_index(op.f("ix_suggestions_candidate_id"), "suggestions", ["candidate_id"], unique=False)
    op.create_index(op.f("ix_suggestions_vacancy_id"), "suggestions", ["vacancy_id"], unique=False)

    op.create_table(
        "vacancies",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("employer_id", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("postcode", sa.String(length=4), nullable=False),
        sa.Column("valid_through", sa.Date(), nullable=True),
        sa.Column("profile", JSON_TYPE, nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employers.id"], name=op.f("fk_vacancies_employer_id_employers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vacancies")),
    )
    op.create_index(op.f("ix_vacancies_employer_id"), "vacancies", ["employer_id"], unique=False)
    op.create_index(op.f("ix_vacancies_postcode"), "vacancies", ["postcode"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_vacancies_postcode"), table_name="vacancies")
    op.drop_index(op.f("ix_vacancies_employer_id"), table_name="vacancies")

    op.drop_table("vacancies")
    op.drop_index(op.f("ix_suggestions_vacancy_id"), table_name="suggestions")
    op.drop_index(op.f("ix_suggestions_candidate_id"), table_name="suggestions")

    op.drop_table("suggestions")
    op.drop_index("ix_suggestion_lists_query", table_name="suggestion_lists")

    op.drop_table("suggestion_lists")
    op.drop_table("rescoring_blocks")
    op.drop_table("personal_data")
    op.drop_index(op.f("ix_import_rejections_import_id"), table_name="import_rejections")

    op.drop_table("import_rejections")
    op.drop_table("api_keys")
    op.drop_index(op.f("ix_rescoring_runs_status"), table_name="rescoring_runs")

    op.drop_table("rescoring_runs")
    op.drop_table("import_runs")
    op.drop_table("employers")
    op.drop_index(op.f("ix_candidates_postcode"), table_name="candidates")

    op.drop_table("candidates")
    op.drop_index(op.f("ix_audit_log_key_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")

    op.drop_table("audit_log")
