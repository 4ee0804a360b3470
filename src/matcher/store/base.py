"""Connecting to the database and migrating it: the part of the store that knows about engines.

One URL picks the database: a SQLite file (the embedded default) or PostgreSQL through psycopg 3.
Everything above this module is plain SQLAlchemy Core that runs unchanged on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.engine.url import URL

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_SECONDS = 30


def normalise_url(url: str) -> URL:
    """Parse a database URL; plain ``postgresql://`` means psycopg 3, the driver matcher installs."""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with little context
        raise ValueError(
            f"not a database URL: {url!r} (use sqlite:///path/to/file.sqlite3 or postgresql://user@host:5432/dbname)"
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"unsupported database {parsed.get_backend_name()!r} in MATCHER_DATABASE_URL; "
            f"use sqlite:///... or postgresql://..."
        )
    return parsed


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time the store writes is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: a failing statement's error and log line never carry its values (personal data)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # WAL lets a reader (the progress poller, the API) run while a rescoring run writes;
        # foreign keys are off by default in SQLite.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            # in WAL, NORMAL syncs at checkpoints, not per commit: a crash cannot corrupt the file, and
            # a run's block commits (bulk suggestion rows) write ~10% faster
            cursor.execute("PRAGMA synchronous=NORMAL")
            # a block commit writes ~25 MB of pages: a 32 MB page cache and a checkpoint every ~40 MB of WAL
            # (not every 4 MB) write an index page once for several blocks; ~10% more rows per second
            cursor.execute("PRAGMA cache_size=-32768")
            cursor.execute("PRAGMA wal_autocheckpoint=10000")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.close()

    return engine


class StoreBase:
    """The engine and the transaction helpers that the store's parts share.

    Parameters
    ----------
    engine : a SQLAlchemy engine on SQLite or PostgreSQL; use :meth:`from_url` to make one.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str) -> Self:
        """Open the database at ``url`` (nothing is created until :meth:`migrate`)."""
        parsed = normalise_url(url)
        if parsed.get_backend_name() == "sqlite":
            return cls(_sqlite_engine(parsed))
        return cls(create_engine(parsed, pool_pre_ping=True, hide_parameters=True))

    @property
    def url(self) -> str:
        """The URL with its password, so a worker process can open the same database."""
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` with the packaged Alembic migrations (idempotent)."""
        from alembic import command

        with self.engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at, or None before the first :meth:`migrate`."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def dispose(self) -> None:
        """Close pooled connections (before a fork, or at the end of a test)."""
        self.engine.dispose()

    def _put_block_payload(self, table: Table, run_id: int, block_no: int, payload: bytes) -> None:
        """Keep one block's binary payload in a run-scoped ``table`` (run_id, block_no, payload); a block
        scored again (after a crash) replaces what it left."""
        with self.engine.begin() as conn:
            conn.execute(table.delete().where(table.c.run_id == run_id, table.c.block_no == block_no))
            conn.execute(table.insert().values(run_id=run_id, block_no=block_no, payload=payload))

    def _block_payloads(self, table: Table, run_id: int) -> list[bytes]:
        """A run's payloads in ``table``, in block order."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                table.select()
                .with_only_columns(table.c.payload)
                .where(table.c.run_id == run_id)
                .order_by(table.c.block_no)
            )
            return [bytes(row.payload) for row in rows]

    def _upsert(
        self,
        connection: Connection,
        table: Table,
        rows: Sequence[dict[str, Any]],
        keys: Iterable[str],
        keep: Iterable[str] = ("created_at",),
    ) -> None:
        """Insert rows, or update them where the key exists (one statement, executed for every row).

        ``keep`` lists the columns an update leaves alone (the creation time).
        """
        if not rows:
            return
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        keys, keep = list(keys), set(keep)
        statement = dialect_insert(table)
        changed = {c: statement.excluded[c] for c in rows[0] if c not in keys and c not in keep}
        # one statement with a parameter list: compiled once (SQLAlchemy batches the rows itself),
        # where a VALUES clause of 500 rows was compiled anew for every batch
        connection.execute(
            statement.on_conflict_do_update(index_elements=keys, set_=changed)
            if changed
            else statement.on_conflict_do_nothing(index_elements=keys),
            list(rows),
        )


def alembic_config(connection: Connection | None = None):
    """An Alembic config for the packaged migrations, bound to ``connection`` when given."""
    from alembic.config import Config

    config = Config()  # no ini file: migrations/alembic.ini is for the alembic command line only
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config
