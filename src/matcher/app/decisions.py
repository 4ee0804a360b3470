"""A broker's decision on a suggestion and the later outcome: the human-oversight record.

Until the store has a table for them, each decision and outcome is an audit-log entry
(``decision`` / ``outcome``) carrying the vacancy, the candidate, the broker's key (the entry's
key), the model version that served the suggestion and the time; the newest entry per pair wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..store import ApiKey, AuditEntry, Store
from .errors import InvalidInput
from .live import LivePool

DECISIONS = ("proposed", "not_suitable", "not_interested")
OUTCOMES = ("hired", "not_hired")
HISTORY_LIMIT = 100_000


@dataclass(frozen=True)
class Decision:
    """The latest decision and outcome for one (vacancy, candidate) pair."""

    vacancy_id: str
    candidate_id: str
    decision: str | None
    reason: str
    outcome: str | None
    key_id: str | None
    model_version: str | None
    at: datetime


def record_decision(
    live: LivePool, key: ApiKey, vacancy_id: str, candidate_id: str, decision: str, reason: str = ""
) -> None:
    """Store a decision on a suggestion; "not suitable" needs a reason."""
    if decision not in DECISIONS:
        raise InvalidInput("decision", f"decision must be one of {', '.join(DECISIONS)}; got {decision!r}")
    reason = reason.strip()[:500]
    if decision == "not_suitable" and not reason:
        raise InvalidInput("reason", "say why the candidate is not suitable")
    _check_pair(live, vacancy_id, candidate_id)
    live.store.audit(
        "decision",
        key,
        target=f"{vacancy_id}|{candidate_id}",
        detail={
            "vacancy_id": vacancy_id,
            "candidate_id": candidate_id,
            "decision": decision,
            "reason": reason,
            "model_version": live.model_version,
        },
    )


def record_outcome(live: LivePool, key: ApiKey, vacancy_id: str, candidate_id: str, outcome: str) -> None:
    """Store the outcome of a proposal (hired or not hired)."""
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", f"outcome must be one of {', '.join(OUTCOMES)}; got {outcome!r}")
    _check_pair(live, vacancy_id, candidate_id)
    live.store.audit(
        "outcome",
        key,
        target=f"{vacancy_id}|{candidate_id}",
        detail={
            "vacancy_id": vacancy_id,
            "candidate_id": candidate_id,
            "outcome": outcome,
            "model_version": live.model_version,
        },
    )


def _check_pair(live: LivePool, vacancy_id: str, candidate_id: str) -> None:
    if vacancy_id not in live.ranker.vacancies.row_of:
        raise InvalidInput("vacancy_id", f"no vacancy with id {vacancy_id!r}")
    if candidate_id not in live.ranker.candidates.row_of:
        raise InvalidInput("candidate_id", f"no candidate with id {candidate_id!r}")


def _latest(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], Decision]:
    """Fold entries (newest first) into the latest decision and outcome per pair."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        d = entry.detail
        pair = (d.get("vacancy_id", ""), d.get("candidate_id", ""))
        row = found.setdefault(pair, {"at": entry.at, "key_id": entry.key_id, "model_version": d.get("model_version")})
        if entry.action == "decision" and "decision" not in row:
            row.update(decision=d.get("decision"), reason=d.get("reason", ""))
        if entry.action == "outcome" and "outcome" not in row:
            row["outcome"] = d.get("outcome")
    return {
        pair: Decision(
            vacancy_id=pair[0],
            candidate_id=pair[1],
            decision=row.get("decision"),
            reason=row.get("reason", ""),
            outcome=row.get("outcome"),
            key_id=row["key_id"],
            model_version=row["model_version"],
            at=row["at"],
        )
        for pair, row in found.items()
    }


def decisions(
    store: Store, vacancy_id: str | None = None, candidate_id: str | None = None
) -> dict[tuple[str, str], Decision]:
    """The latest decision and outcome per (vacancy, candidate), for one vacancy or candidate or all."""
    entries = [
        e
        for action in ("decision", "outcome")
        for e in store.list_audit(action=action, limit=HISTORY_LIMIT)
        if (vacancy_id is None or e.detail.get("vacancy_id") == vacancy_id)
        and (candidate_id is None or e.detail.get("candidate_id") == candidate_id)
    ]
    entries.sort(key=lambda e: e.id, reverse=True)
    return _latest(entries)
