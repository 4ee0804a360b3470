"""Rescoring runs and the suggestions they store.

Starting a run plans it in the request (so a bad vacancy id is a 422 at once) and scores it in a
background thread of this process with joblib's threading backend; its progress is in the store,
so any poller sees it. A run left running by a stopped service is resumed with ``/resume``; for big
runs on several machines use the worker (``python -m matcher.batch.worker``) instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response, status

from matcher.app import LivePool, oversight, rescoring
from matcher.app.errors import NotFound

from ..deps import MAX_ROW, RowId, RunReader, RunStarter, State
from ..errors import FieldError
from ..schemas import RunAllocation, RunPublic, RunRequest, StoredSuggestion, StoredSuggestions
from . import CONFLICT, ERRORS, NOT_FOUND

router = APIRouter(tags=["rescoring"], responses=ERRORS)


def _run_or_404(state: LivePool, run_id: int) -> RunPublic:
    return RunPublic.model_validate(rescoring.run_public(rescoring.get_run(state.store, run_id)))


@router.post(
    "/rescoring/runs",
    response_model=RunPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses=CONFLICT,
    summary="Start a rescoring run over every vacancy, or over the ones given",
)
def start_rescoring(
    state: State, key: RunStarter, response: Response, request: Annotated[RunRequest | None, Body()] = None
) -> RunPublic:
    """Answers at once with the planned run (poll its ``Location``); 409 naming the run while another runs."""
    request = request or RunRequest()
    run = rescoring.start_in_background(state, key, request.vacancy_ids, request.today, request.allocate)
    response.headers["Location"] = f"/rescoring/runs/{run.id}"
    return RunPublic.model_validate(rescoring.run_public(run))


@router.get("/rescoring/runs", response_model=list[RunPublic], summary="Rescoring runs, newest first")
def list_runs(
    state: State,
    key: RunReader,
    run_status: Annotated[str | None, Query(alias="status", pattern="^(running|completed|failed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[RunPublic]:
    return [
        RunPublic.model_validate(rescoring.run_public(r)) for r in state.store.list_runs(status=run_status, limit=limit)
    ]


@router.get(
    "/rescoring/runs/{run_id}",
    response_model=RunPublic,
    responses=NOT_FOUND,
    summary="A rescoring run and its progress",
)
def get_run(state: State, key: RunReader, run_id: RowId) -> RunPublic:
    return _run_or_404(state, run_id)


@router.get(
    "/rescoring/runs/{run_id}/allocation",
    response_model=RunAllocation,
    responses=NOT_FOUND,
    summary="A completed run's spread suggestions and both rankings' figures (runs started with allocate)",
)
def get_allocation(state: State, key: RunReader, run_id: RowId) -> RunAllocation:
    allocation = oversight.run_allocation(state.store, run_id)
    return RunAllocation.model_validate({"run_id": run_id, **allocation})


@router.post(
    "/rescoring/runs/{run_id}/resume",
    response_model=RunPublic,
    status_code=status.HTTP_202_ACCEPTED,
    responses={**NOT_FOUND, **CONFLICT},
    summary="Resume a run that stopped before it completed",
)
def resume_run(state: State, key: RunStarter, run_id: RowId, response: Response) -> RunPublic:
    response.headers["Location"] = f"/rescoring/runs/{run_id}"
    return RunPublic.model_validate(rescoring.run_public(rescoring.resume_in_background(state, key, run_id)))


@router.get(
    "/suggestions",
    response_model=StoredSuggestions,
    responses=NOT_FOUND,
    summary="Stored top-k of a rescoring run: candidates for a vacancy, or vacancies for a candidate",
)
def stored_suggestions(
    state: State,
    key: RunReader,
    vacancy_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    candidate_id: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    run_id: Annotated[int | None, Query(ge=1, le=MAX_ROW, description="default: the latest completed run")] = None,
) -> StoredSuggestions:
    """Give exactly one of ``vacancy_id`` (its best candidates) and ``candidate_id`` (their best vacancies)."""
    if (vacancy_id is None) == (candidate_id is None):
        raise FieldError("vacancy_id", "give exactly one of vacancy_id and candidate_id", location="query")
    if vacancy_id is not None and state.store.get_vacancy(vacancy_id) is None:
        raise NotFound.profile("vacancy", vacancy_id)
    if candidate_id is not None and state.store.get_candidate(candidate_id) is None:
        raise NotFound.profile("candidate", candidate_id)
    if run_id is not None:
        rescoring.get_run(state.store, run_id)
    rows = rescoring.stored_suggestions(state, vacancy_id=vacancy_id, candidate_id=candidate_id, run_id=run_id)
    direction = "candidates" if vacancy_id is not None else "vacancies"
    query_id = vacancy_id if vacancy_id is not None else candidate_id
    state.store.audit(
        "serve_stored_suggestions",
        key,
        target=query_id,
        detail={
            "direction": direction,
            "run_id": rows[0].run_id if rows else run_id,
            "model_version": sorted({r.model_version for r in rows}),
            "served": [r.candidate_id if direction == "candidates" else r.vacancy_id for r in rows],
        },
    )
    return StoredSuggestions(
        direction=direction,
        query_id=query_id or "",
        run_id=rows[0].run_id if rows else run_id,
        suggestions=[StoredSuggestion.model_validate(r, from_attributes=True) for r in rows],
    )
