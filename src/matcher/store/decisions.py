"""Records for human oversight: what a broker decided on a suggestion, and what came of it.

A decision (proposed; not suitable, with a reason; candidate not interested) and an outcome (hired;
not hired; left within six months) are kept with who recorded them (API key and role, or a free
``by`` label from the CLI) and when, beside the model version of the suggestion they concern.
:meth:`DecisionStore.export_records` writes suggestions, decisions and outcomes of a period as JSON
Lines for an auditor (EU AI Act Art. 12 and 14); :meth:`DecisionStore.prune_records` enforces the
retention period.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Column, Connection, DateTime, Index, Integer, String, Table, Text, delete, or_, select

from .base import StoreBase, as_utc, utcnow
from .records import ApiKey
from .schema import Id, Json, candidates, metadata, suggestion_lists, suggestions, vacancies

DECISIONS = ("proposed", "not_suitable", "not_interested")
OUTCOMES = ("hired", "not_hired", "left_within_6_months")
KINDS = {"decision": DECISIONS, "outcome": OUTCOMES}
EXPORT_FORMAT = "matcher-records/1"

suggestion_decisions = Table(
    "suggestion_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # decision or outcome
    Column("value", String(40), nullable=False),
    Column("reason", Text),
    Column("vacancy_id", Id, nullable=False),
    Column("candidate_id", Id, nullable=False),
    Column("model_version", String(100)),  # of the newest stored suggestion of the pair, when there is one
    Column("key_id", String(32)),
    Column("role", String(20)),
    Column("recorded_by", String(200)),
    Column("detail", Json, nullable=False),
    Index("ix_suggestion_decisions_pair", "vacancy_id", "candidate_id"),
)


@dataclass(frozen=True)
class DecisionRecord:
    """One recorded decision or outcome on a candidate–vacancy pair."""

    id: int
    at: datetime
    kind: str
    value: str
    reason: str | None
    vacancy_id: str
    candidate_id: str
    model_version: str | None
    key_id: str | None
    role: str | None
    recorded_by: str | None
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["at"] = self.at.isoformat()
        return {"record": self.kind, **row}


def _check(kind: str, value: str, reason: str | None) -> None:
    allowed = KINDS.get(kind)
    if allowed is None:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if value not in allowed:
        raise ValueError(f"{kind} must be one of {', '.join(allowed)}; got {value!r}")
    if value == "not_suitable" and not (reason and reason.strip()):
        raise ValueError("a 'not_suitable' decision needs a reason")


def _pair_model_version(conn: Connection, vacancy_id: str, candidate_id: str) -> str | None:
    """The model version of the pair's latest stored suggestion (by time, then id), or None.

    A pair is suggested in its vacancy's list (direction ``candidates``) or its candidate's
    (``vacancies``); ``suggestion_lists`` says which runs hold such a list (None: a served log),
    and their rows are found on the (run, direction, query, rank) key. No index on the pair itself:
    every bulk-written row paid for one (migration 0009).
    """
    s, lists = suggestions.c, suggestion_lists.c
    latest: tuple[Any, int, str] | None = None
    for direction, query_id, other in (
        ("candidates", vacancy_id, s.candidate_id == candidate_id),
        ("vacancies", candidate_id, s.vacancy_id == vacancy_id),
    ):
        held_by = select(lists.run_id).distinct().where(lists.direction == direction, lists.query_id == query_id)
        runs = set(conn.scalars(held_by))
        if not runs:
            continue
        in_runs = [s.run_id.in_(sorted(r for r in runs if r is not None))] if runs - {None} else []
        row = conn.execute(
            select(s.created_at, s.id, s.model_version)
            .where(or_(*in_runs, *([s.run_id.is_(None)] if None in runs else [])))
            .where(s.direction == direction, s.query_id == query_id, other)
            .order_by(s.created_at.desc(), s.id.desc())
            .limit(1)
        ).first()
        # SQLite hands back the bulk rows' times with their offset and the others' without
        if row is not None and (latest is None or (as_utc(row[0]), row[1]) > latest[:2]):
            latest = (as_utc(row[0]), row[1], row[2])
    return None if latest is None else latest[2]


class DecisionStore(StoreBase):
    """Decisions and outcomes on suggestions, their export and their pruning."""

    def record_decision(
        self,
        vacancy_id: str,
        candidate_id: str,
        value: str,
        reason: str | None = None,
        key: ApiKey | None = None,
        by: str | None = None,
        kind: str = "decision",
        detail: dict[str, Any] | None = None,
        at: datetime | None = None,
    ) -> DecisionRecord:
        """Record a broker's decision (``kind="decision"``) or an outcome (``kind="outcome"``) on a pair.

        Raises ``ValueError`` (a message a user can act on) for an unknown value, a missing reason
        for ``not_suitable``, or a vacancy or candidate the store does not hold.
        """
        _check(kind, value, reason)
        when = as_utc(at) if at is not None else utcnow()
        with self.engine.begin() as conn:
            for table, name, ident in ((vacancies, "vacancy", vacancy_id), (candidates, "candidate", candidate_id)):
                if conn.execute(select(table.c.id).where(table.c.id == ident)).first() is None:
                    raise ValueError(f"unknown {name} {ident!r}")
            model_version = _pair_model_version(conn, vacancy_id, candidate_id)
            row: dict[str, Any] = {
                "at": when,
                "kind": kind,
                "value": value,
                "reason": reason.strip() if reason else None,
                "vacancy_id": vacancy_id,
                "candidate_id": candidate_id,
                "model_version": model_version,
                "key_id": key.id if key else None,
                "role": key.role.value if key else None,
                "recorded_by": by,
                "detail": detail or {},
            }
            inserted = conn.execute(suggestion_decisions.insert().values(**row)).inserted_primary_key
            assert inserted is not None  # an autoincrement insert always has a key
        return DecisionRecord(id=int(inserted[0]), **row)

    def record_outcome(self, vacancy_id: str, candidate_id: str, value: str, **kwargs: Any) -> DecisionRecord:
        """Record what came of a proposal: hired, not_hired or left_within_6_months."""
        return self.record_decision(vacancy_id, candidate_id, value, kind="outcome", **kwargs)

    def decisions(
        self,
        vacancy_id: str | None = None,
        candidate_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> list[DecisionRecord]:
        """Recorded decisions and outcomes, oldest first, filtered by pair and by ``since <= at < until``."""
        query = select(suggestion_decisions).order_by(suggestion_decisions.c.at, suggestion_decisions.c.id)
        c = suggestion_decisions.c
        if vacancy_id is not None:
            query = query.where(c.vacancy_id == vacancy_id)
        if candidate_id is not None:
            query = query.where(c.candidate_id == candidate_id)
        if since is not None:
            query = query.where(c.at >= as_utc(since))
        if until is not None:
            query = query.where(c.at < as_utc(until))
        with self.engine.connect() as conn:
            return [DecisionRecord(**{**row._mapping, "at": as_utc(row.at)}) for row in conn.execute(query)]

    def _suggestion_records(self, since: datetime | None, until: datetime | None) -> Iterator[dict[str, Any]]:
        c = suggestions.c
        query = select(suggestions).order_by(c.created_at, c.id)
        if since is not None:
            query = query.where(c.created_at >= as_utc(since))
        if until is not None:
            query = query.where(c.created_at < as_utc(until))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                record = dict(row._mapping)
                record["created_at"] = as_utc(record["created_at"]).isoformat()
                yield {"record": "suggestion", **record}

    def export_records(
        self, out: Path | IO[str], since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        """Write suggestions, decisions and outcomes with ``since <= time < until`` as JSON Lines.

        The first line is ``{"record": "meta", "format": "matcher-records/1", ...}``; returns the
        count written per record kind.
        """
        counts = {"suggestion": 0, "decision": 0, "outcome": 0}
        meta = {
            "record": "meta",
            "format": EXPORT_FORMAT,
            "since": as_utc(since).isoformat() if since else None,
            "until": as_utc(until).isoformat() if until else None,
            "exported_at": utcnow().isoformat(),
        }

        def write(handle: IO[str]) -> None:
            handle.write(json.dumps(meta, ensure_ascii=False) + "\n")
            for record in self._suggestion_records(since, until):
                handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
                counts["suggestion"] += 1
            for decision in self.decisions(since=since, until=until):
                handle.write(json.dumps(decision.to_json(), ensure_ascii=False) + "\n")
                counts[decision.kind] += 1

        if isinstance(out, (str, Path)):
            with Path(out).open("w", encoding="utf-8", newline="\n") as handle:
                write(handle)
        else:
            write(out)
        return counts

    def prune_records(self, before: datetime) -> int:
        """Delete decisions and outcomes recorded before ``before`` (the retention limit); returns how many."""
        with self.engine.begin() as conn:
            result = conn.execute(delete(suggestion_decisions).where(suggestion_decisions.c.at < as_utc(before)))
        return int(result.rowcount or 0)
