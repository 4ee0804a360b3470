"""A broker's decision on a suggestion and the later outcome: the human-oversight record.

Every decision (proposed; not suitable, with a reason; candidate not interested) and outcome
(hired; not hired; left within six months) is a row of the store's decision table
(:mod:`matcher.store.decisions`) with the broker's key and role, the model version of the
suggestion and the time. Pages, the API and ``matcher export-records`` read the same rows; the
newest decision and the newest outcome of a pair are what a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..store import ApiKey, Store
from ..store.decisions import DECISIONS, OUTCOMES, DecisionRecord
from .errors import InvalidInput, NotFound
from .live import LivePool

__all__ = ["DECISIONS", "OUTCOMES", "Decision", "decisions", "record", "record_decision", "record_outcome"]

REASON_MAX = 500


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


def record(
    store: Store,
    key: ApiKey | None,
    vacancy_id: str,
    candidate_id: str,
    kind: str,
    value: str,
    reason: str | None = None,
    by: str | None = None,
    model_version: str | None = None,
) -> DecisionRecord:
    """Record a decision (``kind="decision"``) or an outcome on a pair, with who and when.

    ``model_version`` is the model that served the suggestion when no stored suggestion of the
    pair says so (a live ranking, not a rescoring run).
    """
    allowed = DECISIONS if kind == "decision" else OUTCOMES if kind == "outcome" else None
    if allowed is None:
        raise InvalidInput("kind", f"kind must be decision or outcome; got {kind!r}")
    if value not in allowed:
        raise InvalidInput(kind, f"{kind} must be one of {', '.join(allowed)}; got {value!r}")
    reason = (reason or "").strip()[:REASON_MAX] or None
    if value == "not_suitable" and not reason:
        raise InvalidInput("reason", "say why the candidate is not suitable")
    if store.get_vacancy(vacancy_id) is None:
        raise NotFound.profile("vacancy", vacancy_id)
    if store.get_candidate(candidate_id) is None:
        raise NotFound.profile("candidate", candidate_id)
    detail = {"served_by_model": model_version} if model_version else {}
    try:
        return store.record_decision(vacancy_id, candidate_id, value, reason, key=key, by=by, kind=kind, detail=detail)
    except ValueError as exc:
        raise InvalidInput(kind, str(exc)) from exc


def _in_pool(live: LivePool, vacancy_id: str, candidate_id: str) -> None:
    if vacancy_id not in live.ranker.vacancies.row_of:
        raise InvalidInput("vacancy_id", f"no vacancy with id {vacancy_id!r}")
    if candidate_id not in live.ranker.candidates.row_of:
        raise InvalidInput("candidate_id", f"no candidate with id {candidate_id!r}")


def record_decision(
    live: LivePool, key: ApiKey, vacancy_id: str, candidate_id: str, decision: str, reason: str = ""
) -> DecisionRecord:
    """A decision on a suggestion the live pool served; "not suitable" needs a reason."""
    if decision not in DECISIONS:
        raise InvalidInput("decision", f"decision must be one of {', '.join(DECISIONS)}; got {decision!r}")
    if decision == "not_suitable" and not reason.strip():
        raise InvalidInput("reason", "say why the candidate is not suitable")
    _in_pool(live, vacancy_id, candidate_id)
    return record(
        live.store, key, vacancy_id, candidate_id, "decision", decision, reason, model_version=live.model_version
    )


def record_outcome(live: LivePool, key: ApiKey, vacancy_id: str, candidate_id: str, outcome: str) -> DecisionRecord:
    """The outcome of a proposal (hired, not hired, left within six months)."""
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", f"outcome must be one of {', '.join(OUTCOMES)}; got {outcome!r}")
    _in_pool(live, vacancy_id, candidate_id)
    return record(live.store, key, vacancy_id, candidate_id, "outcome", outcome, model_version=live.model_version)


def decisions(
    store: Store, vacancy_id: str | None = None, candidate_id: str | None = None
) -> dict[tuple[str, str], Decision]:
    """The latest decision and outcome per (vacancy, candidate), for one vacancy or candidate or all."""
    latest: dict[tuple[str, str], dict[str, object]] = {}
    for row in reversed(store.decisions(vacancy_id=vacancy_id, candidate_id=candidate_id)):  # newest first
        pair = (row.vacancy_id, row.candidate_id)
        found = latest.setdefault(
            pair,
            {
                "at": row.at,
                "key_id": row.key_id,
                "model_version": row.model_version or row.detail.get("served_by_model"),
            },
        )
        if row.kind == "decision" and "decision" not in found:
            found.update(decision=row.value, reason=row.reason or "")
        if row.kind == "outcome" and "outcome" not in found:
            found["outcome"] = row.value
    return {
        pair: Decision(
            vacancy_id=pair[0],
            candidate_id=pair[1],
            decision=found.get("decision"),  # type: ignore[arg-type]
            reason=str(found.get("reason", "")),
            outcome=found.get("outcome"),  # type: ignore[arg-type]
            key_id=found["key_id"],  # type: ignore[arg-type]
            model_version=found["model_version"],  # type: ignore[arg-type]
            at=found["at"],  # type: ignore[arg-type]
        )
        for pair, found in latest.items()
    }
