"""What changed since a rescoring run, and the stored lists an incremental rescoring starts from.

An incremental rescoring (:mod:`matcher.batch.incremental`) needs three things from the store:
the versions of profiles that updates and deletes replaced since the run it continues
(``replaced_profiles``), the latest stored list of every query (its run and pool sizes), and for a
few queries the rows of those lists. It writes a new run holding the lists it recomputed and,
for lists whose rows stay but whose pool sizes changed, a copy of the rows with the new sizes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, literal, select

from .base import StoreBase, utcnow
from .bulk import ROW_COLUMNS
from .records import RunInfo
from .schema import (
    replaced_profiles,
    rescoring_runs,
    suggestion_lists,
    suggestions,
)

CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


class ChangeStore(StoreBase):
    """Replaced profile versions and latest stored lists, for incremental rescoring."""

    def replaced_since(self, kind: str, since: datetime) -> dict[str, tuple[str, dict[str, Any]]]:
        """Per profile id, the version the first update or delete after ``since`` replaced: (digest, profile)."""
        query = (
            select(replaced_profiles.c.profile_id, replaced_profiles.c.digest, replaced_profiles.c.profile)
            .where(replaced_profiles.c.kind == kind, replaced_profiles.c.replaced_at > since)
            .order_by(replaced_profiles.c.replaced_at.desc(), replaced_profiles.c.id.desc())
        )
        with self.engine.connect() as conn:
            return {i: (d, dict(doc)) for i, d, doc in conn.execute(query)}  # the earliest wins (comes last)

    def latest_lists(self, direction: str) -> dict[str, tuple[int, int, int]]:
        """Per query, its latest completed list: (run id, strict count, stretch count)."""
        latest = (
            select(suggestion_lists.c.query_id, func.max(suggestion_lists.c.run_id).label("run_id"))
            .join(rescoring_runs, rescoring_runs.c.id == suggestion_lists.c.run_id)
            .where(rescoring_runs.c.status == "completed", suggestion_lists.c.direction == direction)
            .group_by(suggestion_lists.c.query_id)
            .subquery()
        )
        query = select(
            suggestion_lists.c.query_id,
            suggestion_lists.c.run_id,
            suggestion_lists.c.strict_count,
            suggestion_lists.c.stretch_count,
        ).join(
            latest,
            and_(
                suggestion_lists.c.query_id == latest.c.query_id,
                suggestion_lists.c.run_id == latest.c.run_id,
                suggestion_lists.c.direction == direction,
            ),
        )
        with self.engine.connect() as conn:
            return {q: (r, s, t) for q, r, s, t in conn.execute(query)}

    def list_rows(
        self, direction: str, lists: Mapping[str, int], others: Sequence[str] | None = None
    ) -> list[tuple[str, str, int, float, bool, int, float]]:
        """Rows (query id, other id, rank, score, stretch, failed, distance) of the given lists (query id → run id).

        With ``others``, only the rows that suggest one of them (e.g. the changed vacancies).
        """
        other = suggestions.c.candidate_id if direction == "candidates" else suggestions.c.vacancy_id
        cols = (
            suggestions.c.query_id,
            other,
            suggestions.c.rank,
            suggestions.c.score,
            suggestions.c.stretch,
            suggestions.c.failed,
            suggestions.c.distance_km,
        )
        by_run: dict[int, list[str]] = {}
        for q, run_id in lists.items():
            by_run.setdefault(run_id, []).append(q)
        out: list[tuple[str, str, int, float, bool, int, float]] = []
        with self.engine.connect() as conn:
            for run_id, queries in by_run.items():
                base = select(*cols).where(suggestions.c.run_id == run_id, suggestions.c.direction == direction)
                if others is not None:
                    wanted = set(queries)
                    for part in _chunks(list(others)):
                        rows = conn.execute(base.where(other.in_(part))).all()
                        out += [(q, o, r, s, bool(t), f, d) for q, o, r, s, t, f, d in rows if q in wanted]
                    continue
                for part in _chunks(queries):
                    rows = conn.execute(base.where(suggestions.c.query_id.in_(part))).all()
                    out += [(q, o, r, s, bool(t), f, d) for q, o, r, s, t, f, d in rows]
        return out

    def copy_lists(
        self, run: RunInfo, direction: str, counts: Mapping[str, tuple[int, int, int]], now: datetime | None = None
    ) -> int:
        """Copy stored lists into ``run`` with new pool sizes: query id → (source run, strict, stretch)."""
        now = now or utcnow()
        by_run: dict[int, list[str]] = {}
        for q, (source, _s, _t) in counts.items():
            by_run.setdefault(source, []).append(q)
        copied = 0
        columns = list(ROW_COLUMNS)
        with self.engine.begin() as conn:
            rows = [
                {
                    "run_id": run.id,
                    "direction": direction,
                    "query_id": q,
                    "strict_count": s,
                    "stretch_count": t,
                    "created_at": now,
                }
                for q, (_r, s, t) in counts.items()
            ]
            for start in range(0, len(rows), 5000):
                conn.execute(suggestion_lists.insert(), rows[start : start + 5000])
            for source, queries in by_run.items():
                for part in _chunks(queries):
                    picked = select(
                        literal(run.id),
                        suggestions.c.direction,
                        suggestions.c.query_id,
                        suggestions.c.vacancy_id,
                        suggestions.c.candidate_id,
                        suggestions.c.rank,
                        suggestions.c.score,
                        suggestions.c.stretch,
                        suggestions.c.failed,
                        suggestions.c.distance_km,
                        suggestions.c.explanation,
                        suggestions.c.model_version,
                        suggestions.c.created_at,
                    ).where(
                        suggestions.c.run_id == source,
                        suggestions.c.direction == direction,
                        suggestions.c.query_id.in_(part),
                    )
                    copied += conn.execute(
                        insert(suggestions).from_select([suggestions.c[c] for c in columns], picked)
                    ).rowcount
        return copied
