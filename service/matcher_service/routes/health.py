"""Liveness, readiness and "who am I": what a load balancer and a new user check first."""

from __future__ import annotations

from fastapi import APIRouter, Request
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
    response_model_exclude_none=True,
    summary="Readiness: the database answers and the pools are loaded",
    responses={503: {"model": ErrorResponse, "description": "the database does not answer"}},
)
def ready(request: Request, state: State) -> Readiness | JSONResponse:
    """Without a valid key only ``ready`` or ``not ready``; with one, the counts, database and model too.

    The key is optional here, so it is read from the header directly (the endpoint declares no
    security requirement).
    """
    scheme, _, secret = request.headers.get("authorization", "").partition(" ")
    key = state.store.authenticate(secret.strip()) if scheme.lower() == "bearer" and secret else None
    try:
        revision = state.store.schema_revision()
    except Exception as exc:  # any driver error means: not ready, say why (to a key holder)
        detail = f" ({type(exc).__name__}); check MATCHER_DATABASE_URL and that the database is up" if key else ""
        return error_response(503, f"not ready: the database does not answer{detail}")
    if key is None:
        return Readiness()
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
