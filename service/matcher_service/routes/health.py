"""Liveness, readiness and "who am I": what a load balancer and a new user check first."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import Key, State
from ..errors import error_response
from ..schemas import ErrorResponse, Health, Me, Readiness
from . import ERRORS

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness: the process answers")
def health() -> Health:
    return Health()


@router.get(
    "/ready",
    response_model=Readiness,
    summary="Readiness: the database answers and the pools are loaded",
    responses={503: {"model": ErrorResponse, "description": "the database does not answer"}},
)
def ready(state: State) -> Readiness | JSONResponse:
    try:
        revision = state.store.schema_revision()
    except Exception as exc:  # any driver error means: not ready, say why
        return error_response(
            503,
            f"the database does not answer ({type(exc).__name__}); check "
            f"MATCHER_DATABASE_URL and that the database is up",
        )
    with state.lock.reading():
        candidates, vacancies = len(state.ranker.candidates), len(state.ranker.vacancies)
    return Readiness(
        database=state.store.dialect,
        schema_revision=revision,
        candidates=candidates,
        vacancies=vacancies,
        model_version=state.model_version,
    )


@router.get("/me", response_model=Me, responses=ERRORS, summary="The role and employer of the key you send")
def me(key: Key) -> Me:
    return Me(key_id=key.id, role=key.role.value, employer_id=key.employer_id, label=key.label)
