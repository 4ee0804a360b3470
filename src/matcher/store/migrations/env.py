"""Alembic environment: migrate the connection Store.migrate() passes in, or MATCHER_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from matcher.store.schema import metadata


def _run(connection) -> None:
    # Batch mode lets later migrations alter columns on SQLite, which has no ALTER COLUMN.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from matcher.settings import Settings
    from matcher.store.base import StoreBase

    engine = StoreBase.from_url(Settings().database_url).engine
    with engine.begin() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("matcher's migrations run online only: set MATCHER_DATABASE_URL and run 'alembic upgrade head'")
run_online()
