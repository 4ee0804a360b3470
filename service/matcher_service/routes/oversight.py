"""Human oversight: a broker's decisions and the outcomes of suggestions, and the disparate-impact audit.

Decisions (proposed, not suitable with a reason, candidate not interested) and outcomes (hired,
not hired, left within six months) are recorded with the broker's key, the model version of the
suggestion and the time; they are the record the EU AI Act asks for and future training data.
The audit of a rescoring run's suggestions is for admins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from matcher.app import decisions, oversight
from matcher.store import ApiKey
from matcher.store.decisions import DecisionRecord

from ..deps import MAX_ROW, BrokerKey, State, require
from . import ERRORS, NOT_FOUND

router = APIRouter(tags=["oversight"], responses=ERRORS)


class _Pair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vacancy_id: str = Field(min_length=1, max_length=100)
    candidate_id: str = Field(min_length=1, max_length=100)


class DecisionMade(_Pair):
    """The broker proposed the candidate, or the candidate is not interested."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"vacancy_id": "vac-00017", "candidate_id": "cand-000412", "kind": "decision", "value": "proposed"}
            ]
        },
    )

    kind: Literal["decision"] = "decision"
    value: Literal["proposed", "not_interested"]
    reason: str | None = Field(default=None, max_length=2000)


class NotSuitable(_Pair):
    """The broker judged the candidate not suitable: the reason is part of the record."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "vacancy_id": "vac-00017",
                    "candidate_id": "cand-000513",
                    "kind": "decision",
                    "value": "not_suitable",
                    "reason": "geen rijbewijs C voor de vrachtwagen",
                }
            ]
        },
    )

    kind: Literal["decision"] = "decision"
    value: Literal["not_suitable"]
    reason: str = Field(min_length=1, max_length=2000, pattern=r"\S", description="why, in a sentence")


class Outcome(_Pair):
    """What came of a proposal."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"vacancy_id": "vac-00017", "candidate_id": "cand-000412", "kind": "outcome", "value": "hired"}
            ]
        },
    )

    kind: Literal["outcome"]
    value: Literal["hired", "not_hired", "left_within_6_months"]
    reason: str | None = Field(default=None, max_length=2000)


DecisionIn = Annotated[DecisionMade | NotSuitable | Outcome, Field(discriminator="value")]
DECISION_EXAMPLES = [
    {"vacancy_id": "vac-00017", "candidate_id": "cand-000412", "kind": "decision", "value": "proposed"},
    {
        "vacancy_id": "vac-00017",
        "candidate_id": "cand-000513",
        "kind": "decision",
        "value": "not_suitable",
        "reason": "geen rijbewijs C voor de vrachtwagen",
    },
    {"vacancy_id": "vac-00017", "candidate_id": "cand-000412", "kind": "outcome", "value": "hired"},
]


class DecisionOut(BaseModel):
    id: int
    at: datetime
    kind: str
    value: str
    reason: str | None
    vacancy_id: str
    candidate_id: str
    model_version: str | None = Field(description="the model of the newest stored suggestion of the pair")
    key_id: str | None
    role: str | None


def _out(record: DecisionRecord) -> DecisionOut:
    return DecisionOut.model_validate(record, from_attributes=True)


@router.post(
    "/decisions",
    response_model=DecisionOut,
    status_code=status.HTTP_201_CREATED,
    responses=NOT_FOUND,
    summary="Record a broker's decision on a suggestion, or its outcome",
)
def record_decision(
    state: State,
    key: BrokerKey,
    body: Annotated[DecisionIn, Body(openapi_examples={str(e["value"]): {"value": e} for e in DECISION_EXAMPLES})],
) -> DecisionOut:
    record = decisions.record(state.store, key, body.vacancy_id, body.candidate_id, body.kind, body.value, body.reason)
    return _out(record)


@router.get("/decisions", response_model=list[DecisionOut], summary="Decisions and outcomes, oldest first")
def list_decisions(
    state: State,
    key: BrokerKey,
    vacancy_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    candidate_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
) -> list[DecisionOut]:
    return [_out(r) for r in state.store.decisions(vacancy_id=vacancy_id, candidate_id=candidate_id)]


AdminKey = Annotated[ApiKey, Depends(require())]


@router.get(
    "/audit/fairness",
    responses=NOT_FOUND,
    summary="Disparate-impact audit of a rescoring run's suggestions (admins)",
)
async def fairness_audit(
    state: State,
    key: AdminKey,
    run_id: Annotated[int | None, Query(ge=1, le=MAX_ROW, description="default: the latest completed run")] = None,
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    """Per group (coaching need, Dutch level band, wants language training, region): selection rate into the
    top-k, the disparate-impact ratio against the best-treated group (flagged below 0.8), exposure share and the
    mean score gap, with bootstrap intervals. Audit attributes (age, gender, nationality) are never stored with
    profiles: use ``matcher audit --attributes FILE`` for those."""
    report, _ = await run_in_threadpool(oversight.audit_run, state.settings, run_id, None, k, None)
    body: dict[str, Any] = report.to_dict()
    return body
