"""Rescoring runs, their blocks, and the suggestions they store.

A block is stored in one transaction that first flips the block from pending to done and then
writes its suggestions; if the flip finds the block already done (another worker, or a resumed
run racing an old one) nothing is written. So a block's results are in the store entirely or not
at all, and never twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.exc import IntegrityError

from .base import StoreBase, as_utc, utcnow
from .bulk import SuggestionArrays, created_at_value, insert_lists, insert_rows
from .records import DIRECTIONS, Block, RunInfo, StoredSuggestion, SuggestionList
from .schema import rescoring_blocks, rescoring_runs, suggestion_lists, suggestions

RUN_STATUSES = ("running", "completed", "failed")


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}; got {direction!r}")


class RunStore(StoreBase):
    """Create and resume rescoring runs; store and list suggestions."""

    def create_run(
        self,
        scope: str,
        params: dict[str, Any],
        model_version: str,
        snapshot: str,
        blocks: Sequence[tuple[str, list[str]]],
    ) -> int:
        """A new run with its first blocks planned, numbered from 0 in the order given."""
        if scope not in ("all", "selected", "incremental"):
            raise ValueError(f"scope must be 'all', 'selected' or 'incremental'; got {scope!r}")
        now = utcnow()
        with self.engine.begin() as conn:
            inserted = conn.execute(
                rescoring_runs.insert().values(
                    status="running",
                    scope=scope,
                    params=params,
                    model_version=model_version,
                    snapshot=snapshot,
                    total_blocks=0,
                    done_blocks=0,
                    pairs=0,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key
            assert inserted is not None  # an autoincrement insert always has a key
            run_id = inserted[0]
            self._insert_blocks(conn, int(run_id), 0, blocks)
        return int(run_id)

    def add_blocks(self, run_id: int, blocks: Sequence[tuple[str, list[str]]]) -> bool:
        """Plan more blocks once (the candidate side); False when a racing process already did."""
        directions = {direction for direction, _ in blocks}
        try:
            with self.engine.begin() as conn:
                planned = conn.scalar(
                    select(func.count()).where(
                        rescoring_blocks.c.run_id == run_id, rescoring_blocks.c.direction.in_(directions)
                    )
                )
                if planned:
                    return False
                first = conn.scalar(
                    select(func.coalesce(func.max(rescoring_blocks.c.block_no) + 1, 0)).where(
                        rescoring_blocks.c.run_id == run_id
                    )
                )
                self._insert_blocks(conn, run_id, int(first), blocks)
        except IntegrityError:
            return False  # the same blocks were planned by another process in the meantime
        return True

    def _insert_blocks(
        self, conn: Connection, run_id: int, first: int, blocks: Sequence[tuple[str, list[str]]]
    ) -> None:
        for direction, _ in blocks:
            _check_direction(direction)
        if blocks:
            conn.execute(
                rescoring_blocks.insert(),
                [
                    {
                        "run_id": run_id,
                        "block_no": first + i,
                        "direction": direction,
                        "query_ids": list(ids),
                        "status": "pending",
                    }
                    for i, (direction, ids) in enumerate(blocks)
                ],
            )
        conn.execute(
            update(rescoring_runs)
            .where(rescoring_runs.c.id == run_id)
            .values(total_blocks=rescoring_runs.c.total_blocks + len(blocks), updated_at=utcnow())
        )

    def blocks(self, run_id: int, status: str | None = None, direction: str | None = None) -> list[Block]:
        query = (
            select(rescoring_blocks).where(rescoring_blocks.c.run_id == run_id).order_by(rescoring_blocks.c.block_no)
        )
        if status is not None:
            query = query.where(rescoring_blocks.c.status == status)
        if direction is not None:
            query = query.where(rescoring_blocks.c.direction == direction)
        with self.engine.connect() as conn:
            return [
                Block(r["run_id"], r["block_no"], r["direction"], list(r["query_ids"]), r["status"])
                for r in conn.execute(query).mappings()
            ]

    def pending_blocks(self, run_id: int, direction: str | None = None) -> list[Block]:
        """The blocks still to score: on resume, exactly these run again."""
        return self.blocks(run_id, status="pending", direction=direction)

    def complete_block(
        self,
        run_id: int,
        block_no: int,
        lists: Sequence[SuggestionList],
        pairs: int,
        model_version: str | None = None,
        arrays: Sequence[SuggestionArrays] = (),
    ) -> bool:
        """Store a block's suggestion lists and mark it done, atomically; False if it was done already.

        ``model_version`` is the run's (a block task carries it); None reads it from the run.
        ``arrays``: lists as flat arrays (a batch block), written in bulk (:mod:`.bulk`).
        """
        if model_version is None:
            run = self.get_run(run_id)
            if run is None:
                raise KeyError(f"no rescoring run {run_id}")
            model_version = run.model_version
        now = utcnow()
        with self.engine.begin() as conn:
            flipped = conn.execute(
                update(rescoring_blocks)
                .where(
                    rescoring_blocks.c.run_id == run_id,
                    rescoring_blocks.c.block_no == block_no,
                    rescoring_blocks.c.status == "pending",
                )
                .values(status="done", pairs=pairs, finished_at=now)
            ).rowcount
            if flipped != 1:
                return False
            self._insert_lists(conn, run_id, lists, model_version, now)
            for part in arrays:
                self._insert_arrays(conn, run_id, part, model_version, now)
            conn.execute(
                update(rescoring_runs)
                .where(rescoring_runs.c.id == run_id)
                .values(
                    done_blocks=rescoring_runs.c.done_blocks + 1, pairs=rescoring_runs.c.pairs + pairs, updated_at=now
                )
            )
        return True

    def log_suggestions(self, lists: Sequence[SuggestionList], model_version: str) -> None:
        """Log suggestions served outside a run (a live request), with their model version."""
        with self.engine.begin() as conn:
            self._insert_lists(conn, None, lists, model_version, utcnow())

    def _insert_lists(
        self, conn: Connection, run_id: int | None, lists: Sequence[SuggestionList], model_version: str, now: Any
    ) -> None:
        list_rows, rows = [], []
        for ranked in lists:
            _check_direction(ranked.direction)
            list_rows.append(
                {
                    "run_id": run_id,
                    "direction": ranked.direction,
                    "query_id": ranked.query_id,
                    "strict_count": ranked.strict_count,
                    "stretch_count": ranked.stretch_count,
                    "created_at": now,
                }
            )
            rows += [
                {
                    "run_id": run_id,
                    "direction": ranked.direction,
                    "query_id": ranked.query_id,
                    "vacancy_id": s.vacancy_id,
                    "candidate_id": s.candidate_id,
                    "rank": s.rank,
                    "score": s.score,
                    "stretch": s.stretch,
                    "failed": s.failed,
                    "distance_km": s.distance_km,
                    "explanation": s.explanation,
                    "model_version": model_version,
                    "created_at": now,
                }
                for s in ranked.rows
            ]
        if list_rows:
            conn.execute(suggestion_lists.insert(), list_rows)
        if rows:
            conn.execute(suggestions.insert(), rows)

    def _insert_arrays(
        self, conn: Connection, run_id: int | None, arrays: SuggestionArrays, model_version: str, now: Any
    ) -> None:
        _check_direction(arrays.direction)
        created_at = created_at_value(conn, now)
        insert_lists(conn, arrays.list_tuples(run_id, created_at))
        insert_rows(conn, arrays.row_tuples(run_id, model_version, created_at))

    def set_run_status(self, run_id: int, status: str, error: str | None = None) -> None:
        if status not in RUN_STATUSES:
            raise ValueError(f"status must be one of {', '.join(RUN_STATUSES)}; got {status!r}")
        with self.engine.begin() as conn:
            conn.execute(
                update(rescoring_runs)
                .where(rescoring_runs.c.id == run_id)
                .values(status=status, error=error, updated_at=utcnow())
            )

    def get_run(self, run_id: int) -> RunInfo | None:
        """A run with its progress (done and planned blocks, pairs scored)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(rescoring_runs).where(rescoring_runs.c.id == run_id)).mappings().first()
        return None if row is None else _run_info(row)

    def list_runs(self, status: str | None = None, limit: int = 50) -> list[RunInfo]:
        query = select(rescoring_runs).order_by(rescoring_runs.c.id.desc()).limit(limit)
        if status is not None:
            query = query.where(rescoring_runs.c.status == status)
        with self.engine.connect() as conn:
            return [_run_info(r) for r in conn.execute(query).mappings()]

    def list_suggestions(
        self,
        vacancy_id: str | None = None,
        candidate_id: str | None = None,
        direction: str | None = None,
        run_id: int | None = None,
    ) -> list[StoredSuggestion]:
        """A stored ranked list, best first.

        ``direction="candidates"`` lists the candidates for ``vacancy_id``, ``"vacancies"`` the
        vacancies for ``candidate_id``; the direction follows from the id when only one is given.
        Giving both ids keeps only that pair. Without ``run_id`` the list comes from the latest
        completed run that ranked this query.
        """
        if direction is None:
            if (vacancy_id is None) == (candidate_id is None):
                raise ValueError("give direction, or exactly one of vacancy_id and candidate_id")
            direction = "candidates" if vacancy_id is not None else "vacancies"
        _check_direction(direction)
        query_id = vacancy_id if direction == "candidates" else candidate_id
        if query_id is None:
            needed = "vacancy_id" if direction == "candidates" else "candidate_id"
            raise ValueError(f"direction {direction!r} needs {needed}")
        with self.engine.connect() as conn:
            if run_id is None:
                run_id = conn.scalar(
                    select(func.max(suggestion_lists.c.run_id))
                    .join(rescoring_runs, rescoring_runs.c.id == suggestion_lists.c.run_id)
                    .where(
                        rescoring_runs.c.status == "completed",
                        suggestion_lists.c.direction == direction,
                        suggestion_lists.c.query_id == query_id,
                    )
                )
                if run_id is None:
                    return []
            query = (
                select(suggestions)
                .where(
                    suggestions.c.run_id == run_id,
                    suggestions.c.direction == direction,
                    suggestions.c.query_id == query_id,
                )
                .order_by(suggestions.c.rank)
            )
            if vacancy_id is not None and candidate_id is not None:
                other = suggestions.c.candidate_id if direction == "candidates" else suggestions.c.vacancy_id
                query = query.where(other == (candidate_id if direction == "candidates" else vacancy_id))
            return [_stored(r) for r in conn.execute(query).mappings()]

    def run_suggestions(self, run_id: int) -> list[StoredSuggestion]:
        """Every suggestion of a run in a fixed order: for exports and for comparing runs."""
        query = (
            select(suggestions)
            .where(suggestions.c.run_id == run_id)
            .order_by(suggestions.c.direction, suggestions.c.query_id, suggestions.c.rank)
        )
        with self.engine.connect() as conn:
            return [_stored(r) for r in conn.execute(query).mappings()]

    def run_lists(self, run_id: int) -> list[tuple[str, str, int, int]]:
        """(direction, query id, strict count, stretch count) of every list a run stored."""
        query = (
            select(
                suggestion_lists.c.direction,
                suggestion_lists.c.query_id,
                suggestion_lists.c.strict_count,
                suggestion_lists.c.stretch_count,
            )
            .where(suggestion_lists.c.run_id == run_id)
            .order_by(suggestion_lists.c.direction, suggestion_lists.c.query_id)
        )
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(query)]

    def run_candidate_ids(self, run_id: int) -> list[str]:
        """Distinct candidates a run suggested for its vacancies: the candidate side of a selected run."""
        query = (
            select(suggestions.c.candidate_id)
            .distinct()
            .where(suggestions.c.run_id == run_id, suggestions.c.direction == "candidates")
            .order_by(suggestions.c.candidate_id)
        )
        with self.engine.connect() as conn:
            return list(conn.scalars(query))


def _run_info(row: Any) -> RunInfo:
    return RunInfo(
        id=row["id"],
        status=row["status"],
        scope=row["scope"],
        params=dict(row["params"]),
        model_version=row["model_version"],
        snapshot=row["snapshot"],
        total_blocks=row["total_blocks"],
        done_blocks=row["done_blocks"],
        pairs=row["pairs"],
        error=row["error"],
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
    )


def _stored(row: Any) -> StoredSuggestion:
    return StoredSuggestion(
        run_id=row["run_id"],
        direction=row["direction"],
        query_id=row["query_id"],
        vacancy_id=row["vacancy_id"],
        candidate_id=row["candidate_id"],
        rank=row["rank"],
        score=row["score"],
        stretch=bool(row["stretch"]),
        failed=row["failed"],
        distance_km=row["distance_km"],
        explanation=dict(row["explanation"]),
        model_version=row["model_version"],
        created_at=as_utc(row["created_at"]),
    )
