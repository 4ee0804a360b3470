"""The store's tables, in SQLAlchemy Core, identical on SQLite and PostgreSQL.

Profiles are stored whole as JSON (the pydantic model is the schema) beside a few indexed columns
that queries filter on, plus a ``digest`` of the profile so a rescoring run can tell whether the
data it started from has changed. Personal data sits in its own table, never joined by scoring.

The Alembic migrations in :mod:`matcher.store.migrations` create exactly these tables; a test
compares the two, so a change here without a migration fails.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        # Named constraints, so a later migration can drop or alter them on both databases.
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = JSON().with_variant(JSONB(), "postgresql")
When = DateTime(timezone=True)
Id = String(100)  # profile ids are at most 100 characters (matcher.profiles)

employers = Table(
    "employers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(300)),
    Column("created_at", When, nullable=False),
    Column("updated_at", When, nullable=False),
)

candidates = Table(
    "candidates",
    metadata,
    Column("id", Id, primary_key=True),
    Column("postcode", String(4), nullable=False, index=True),
    Column("coaching_need", String(20), nullable=False),
    Column("available_from", Date),
    Column("profile", Json, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("created_at", When, nullable=False),
    Column("updated_at", When, nullable=False),
)

personal_data = Table(
    "personal_data",
    metadata,
    Column("candidate_id", Id, ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True),
    Column("data", Json, nullable=False),
    Column("updated_at", When, nullable=False),
)

vacancies = Table(
    "vacancies",
    metadata,
    Column("id", Id, primary_key=True),
    Column("employer_id", Id, ForeignKey("employers.id"), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("postcode", String(4), nullable=False, index=True),
    Column("valid_through", Date),
    Column("profile", Json, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("created_at", When, nullable=False),
    Column("updated_at", When, nullable=False),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # candidates | vacancies
    Column("source", Text, nullable=False),  # file name or upload label
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("record_ids", Json, nullable=False),  # ids of the accepted records, for a follow-up rescoring
    Column("created_at", When, nullable=False),
    # running while batches are written (updated_at beats with each), completed at the end; a running
    # import whose beat stopped is shown as interrupted (migration 0002)
    Column("status", String(20), nullable=False, server_default="completed"),
    Column("updated_at", When),
    Column("finished_at", When),
)

import_rejections = Table(
    "import_rejections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("import_id", Integer, ForeignKey("import_runs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("line", Integer),
    Column("reason", Text, nullable=False),
    Column("detail", Json, nullable=False),
)

rescoring_runs = Table(
    "rescoring_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("status", String(20), nullable=False, index=True),  # running | completed | failed
    Column("scope", String(20), nullable=False),  # all | selected
    Column("params", Json, nullable=False),
    Column("model_version", String(100), nullable=False),
    Column("snapshot", String(64), nullable=False),  # digest of the profiles the run scores
    Column("total_blocks", Integer, nullable=False),
    Column("done_blocks", Integer, nullable=False),
    Column("pairs", Integer, nullable=False),
    Column("error", Text),
    Column("created_at", When, nullable=False),
    Column("updated_at", When, nullable=False),
)

rescoring_blocks = Table(
    "rescoring_blocks",
    metadata,
    Column("run_id", Integer, ForeignKey("rescoring_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("block_no", Integer, primary_key=True),
    Column("direction", String(20), nullable=False),  # candidates (per vacancy) | vacancies (per candidate)
    Column("query_ids", Json, nullable=False),
    Column("status", String(20), nullable=False),  # pending | done
    Column("pairs", Integer),
    Column("finished_at", When),
)

suggestion_lists = Table(
    "suggestion_lists",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("rescoring_runs.id", ondelete="CASCADE")),
    Column("direction", String(20), nullable=False),
    Column("query_id", Id, nullable=False),
    Column("strict_count", Integer, nullable=False),
    Column("stretch_count", Integer, nullable=False),
    Column("created_at", When, nullable=False),
    UniqueConstraint("run_id", "direction", "query_id"),
    Index("ix_suggestion_lists_query", "direction", "query_id"),
)

suggestions = Table(
    # Written in bulk, millions of rows a run (migration 0009): ``run_id`` has no foreign key, whose
    # check is a lookup per row (a trigger on rescoring_runs deletes a run's rows with it), the
    # explanation is plain JSON on PostgreSQL, read back whole and never queried into, and no
    # index serves a read that the lists' key can serve.
    "suggestions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer),  # the rescoring run; None for a list served outside a run
    Column("direction", String(20), nullable=False),
    Column("query_id", Id, nullable=False),  # the vacancy (direction candidates) or the candidate
    Column("vacancy_id", Id, nullable=False),
    Column("candidate_id", Id, nullable=False),
    Column("rank", Integer, nullable=False),
    Column("score", Float(precision=53), nullable=False),
    Column("stretch", Boolean, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("distance_km", Float(precision=53), nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("model_version", String(100), nullable=False),
    Column("created_at", When, nullable=False),
    # every read goes through the lists' key, a decision's pair too (matcher.store.decisions)
    UniqueConstraint("run_id", "direction", "query_id", "rank"),
    # pruning served logs by age, exports by period; rows are appended in time order, so on
    # PostgreSQL a BRIN index (a summary per range of pages) finds them, at no cost per row
    Index("ix_suggestions_created_at", "created_at", postgresql_using="brin"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("secret_hash", String(64), nullable=False),
    Column("role", String(20), nullable=False),
    Column("employer_id", Id, ForeignKey("employers.id")),
    Column("label", String(200), nullable=False),
    Column("created_at", When, nullable=False),
    Column("revoked", Boolean, nullable=False),
    Column("revoked_at", When),
    Column("expires_at", When),  # None: never expires
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", When, nullable=False, index=True),
    Column("key_id", String(32), index=True),
    Column("role", String(20)),
    Column("action", String(100), nullable=False),
    Column("target", String(300)),
    Column("detail", Json, nullable=False),
)

store_meta = Table(
    # Small named values the whole store shares: ``data_version`` (bumped on every change to the
    # profiles, so each serving process can tell cheaply that it must reload) and ``handle_secret``
    # (keys the employers' per-vacancy candidate handles, the same in every process).
    "store_meta",
    metadata,
    Column("name", String(50), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", When, nullable=False),
)

replaced_profiles = Table(
    # The version of a candidate or vacancy that an update replaced or a delete removed, kept so an
    # incremental rescoring can take out exactly what the old version contributed to the stored
    # lists (migration 0006). Pruned with the runs that no longer need it.
    "replaced_profiles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # candidates | vacancies
    Column("profile_id", Id, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("profile", Json, nullable=False),
    Column("replaced_at", When, nullable=False, index=True),
    Index("ix_replaced_profiles_kind_profile", "kind", "profile_id"),
)
