"""Bulk writes of a block's suggestions: PostgreSQL ``COPY``, SQLite ``executemany``, one transaction.

A rescoring run at Flanders scale stores about ten million suggestions. Building a dict per row
for SQLAlchemy and a rendered explanation per row cost ~190 µs a row; here a block arrives as
flat arrays (:class:`SuggestionArrays`), each row becomes one tuple, and the rows go to the
database in one ``COPY`` (psycopg 3 ``cursor.copy``) or one ``executemany``, inside the
transaction that marks the block done. The explanation column holds only what the explanation
is made from (the reference to its inputs, the language, the ESCO version and the run's day); the
text is rendered when a list is read (:mod:`matcher.app.rescoring`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection

from .schema import suggestion_lists, suggestions

ROW_COLUMNS = (
    "run_id",
    "direction",
    "query_id",
    "vacancy_id",
    "candidate_id",
    "rank",
    "score",
    "stretch",
    "failed",
    "distance_km",
    "explanation",
    "model_version",
    "created_at",
)


def inputs_ref(candidate_digest: str, vacancy_digest: str, model_version: str, lang: str) -> str:
    """What a suggestion was computed from, in 32 hex characters (the same as a served list's reference).

    The two profiles' stored digests, the model version and the language: the same inputs give the
    same reference, and a changed profile shows as a changed reference.
    """
    inputs = f"{candidate_digest}\x1f{vacancy_digest}\x1f{model_version}\x1f{lang}"
    return hashlib.sha256(inputs.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Provenance:
    """What every stored suggestion of a run records besides its score: model, ESCO, day, language."""

    model_version: str
    esco_version: str
    today: str
    lang: str

    def explanation_json(self, ref: str) -> str:
        """The compact explanation column: its inputs' reference and what to render it with."""
        return json.dumps(
            {"inputs": ref, "lang": self.lang, "esco_version": self.esco_version, "today": self.today},
            separators=(",", ":"),
        )

    def explanation_parts(self) -> tuple[str, str]:
        """``(head, tail)`` with ``head + ref + tail == explanation_json(ref)`` for a hex ``ref``.

        A run writes millions of these; ``json.dumps`` per row was most of the time spent building
        a block's rows (~4 µs a row), and a hex reference needs no escaping.
        """
        rest = json.dumps(
            {"lang": self.lang, "esco_version": self.esco_version, "today": self.today}, separators=(",", ":")
        )
        return '{"inputs":"', '",' + rest[1:]


@dataclass(frozen=True)
class SuggestionArrays:
    """One block's ranked lists as flat arrays, ids already resolved (the store knows no pool rows).

    The rows of list ``q`` are ``starts[q]:starts[q + 1]``, best first; ``explanations`` holds each
    row's compact explanation JSON (see :meth:`Provenance.explanation_json`).
    """

    direction: str
    query_ids: np.ndarray  # (Q,) str
    strict_count: np.ndarray  # (Q,)
    stretch_count: np.ndarray  # (Q,)
    starts: np.ndarray  # (Q + 1,)
    vacancy_ids: np.ndarray  # (R,) str
    candidate_ids: np.ndarray  # (R,) str
    rank: np.ndarray
    score: np.ndarray
    stretch: np.ndarray
    failed: np.ndarray
    distance_km: np.ndarray
    explanations: Sequence[str]

    def __len__(self) -> int:
        return len(self.rank)

    def list_tuples(self, run_id: int | None, created_at: Any) -> list[tuple]:
        """One row per list in :data:`LIST_COLUMNS` order, plain Python values."""
        n = len(self.query_ids)
        return list(
            zip(
                [run_id] * n,
                [self.direction] * n,
                self.query_ids.tolist(),
                self.strict_count.tolist(),
                self.stretch_count.tolist(),
                [created_at] * n,
                strict=True,
            )
        )

    def row_tuples(self, run_id: int | None, model_version: str, created_at: Any) -> list[tuple]:
        """Rows in :data:`ROW_COLUMNS` order, plain Python values (numpy scalars do not bind)."""
        query_of_row = np.repeat(self.query_ids, np.diff(self.starts))
        n = len(self)
        return list(
            zip(
                [run_id] * n,
                [self.direction] * n,
                query_of_row.tolist(),
                self.vacancy_ids.tolist(),
                self.candidate_ids.tolist(),
                self.rank.tolist(),
                self.score.tolist(),
                self.stretch.tolist(),
                self.failed.tolist(),
                self.distance_km.tolist(),
                list(self.explanations),
                [model_version] * n,
                [created_at] * n,
                strict=True,
            )
        )


# PostgreSQL types of ROW_COLUMNS for a binary COPY; the explanation's JSON text goes as text, which
# is also json's binary input (migration 0009: the column is json, checked but not parsed into jsonb)
COPY_TYPES = (
    "int4",
    "varchar",
    "varchar",
    "varchar",
    "varchar",
    "int4",
    "float8",
    "bool",
    "int4",
    "float8",
    "text",
    "varchar",
    "timestamptz",
)
LIST_COLUMNS = ("run_id", "direction", "query_id", "strict_count", "stretch_count", "created_at")
LIST_COPY_TYPES = ("int4", "varchar", "varchar", "int4", "int4", "timestamptz")


def insert_rows(conn: Connection, rows: Sequence[tuple]) -> None:
    """Rows (in :data:`ROW_COLUMNS` order) into ``suggestions``: ``COPY`` on PostgreSQL, else ``executemany``.

    Runs on the connection's transaction, so the rows commit (or not) with the block's flip. On
    PostgreSQL the ``COPY`` is binary: the server parses no text numbers or times (~1.4× the rows
    per second of a text ``COPY``); the explanation column holds compact JSON text, as it is sent.
    """
    _insert(conn, suggestions.name, ROW_COLUMNS, COPY_TYPES, rows)


def insert_lists(conn: Connection, rows: Sequence[tuple]) -> None:
    """List rows (in :data:`LIST_COLUMNS` order) into ``suggestion_lists``, as :func:`insert_rows` does.

    A block has one list per twenty rows; through SQLAlchemy (a dict per list) they took a tenth
    of a block's time on PostgreSQL.
    """
    _insert(conn, suggestion_lists.name, LIST_COLUMNS, LIST_COPY_TYPES, rows)


def _insert(conn: Connection, table: str, columns: Sequence[str], types: Sequence[str], rows: Sequence[tuple]) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]  # an open connection
        try:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(list(types))
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
        return
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))


def created_at_value(conn: Connection, now: datetime) -> Any:
    """``now`` as the driver stores it for a ``created_at`` column, converted once for all rows.

    SQLAlchemy hands SQLite the datetime and the sqlite3 module stores ``isoformat(" ")``; done
    here once, it is the same text without a conversion per row.
    """
    process = suggestions.c.created_at.type.bind_processor(conn.dialect)
    if process is not None:
        return process(now)
    return now.isoformat(" ") if conn.dialect.name == "sqlite" else now
