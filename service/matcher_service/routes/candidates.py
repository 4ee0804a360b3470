"""Candidates, for brokers and admins: profiles with their personal data, and live vacancy suggestions.

Employer and batch keys get 403 on every route here: candidates are never shown to employers, and
batch operators load them through :mod:`.imports`. Reading a candidate is audited, since the
response carries personal data.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Response, status

from matcher.app import serve_vacancies
from matcher.app.links import normalise_candidate
from matcher.profiles import Candidate, PersonalData
from matcher.store import Store

from ..deps import BrokerKey, CandidateId, Language, Offset, State, not_found
from ..errors import FieldError
from ..schemas import (
    CandidateIn,
    CandidatePage,
    CandidatePublic,
    Deleted,
    PersonalDataPublic,
    VacanciesForCandidate,
    next_page,
)
from . import CONFLICT, ERRORS, NOT_FOUND

router = APIRouter(prefix="/candidates", tags=["candidates"], responses=ERRORS)


def _with_personal(profile: Candidate, personal: PersonalData | None) -> CandidatePublic:
    return CandidatePublic(
        **profile.model_dump(), personal=PersonalDataPublic(**personal.model_dump()) if personal else None
    )


def _public(store: Store, candidate_id: str) -> CandidatePublic | None:
    profile = store.get_candidate(candidate_id)
    return None if profile is None else _with_personal(profile, store.get_personal(candidate_id))


@router.get("", response_model=CandidatePage, summary="List candidates with their personal data")
def list_candidates(
    state: State, key: BrokerKey, limit: Annotated[int, Query(ge=1, le=100)] = 50, offset: Offset = 0
) -> CandidatePage:
    profiles = state.store.list_candidates(limit=limit, offset=offset)
    ids = [c.id for c in profiles]
    personal = state.store.get_personals(ids)
    items = [_with_personal(c, personal.get(c.id)) for c in profiles]
    state.store.audit("list_candidates", key, detail={"limit": limit, "offset": offset, "ids": ids})
    total = state.store.count_candidates()
    return CandidatePage(
        items=items, limit=limit, offset=offset, total=total, next=next_page("/candidates", total, limit, offset)
    )


@router.post(
    "",
    response_model=CandidatePublic,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Create a candidate (personal data optional, stored apart)",
)
def create_candidate(state: State, key: BrokerKey, candidate: CandidateIn, response: Response) -> CandidatePublic:
    if state.store.get_candidate(candidate.id) is not None:
        raise HTTPException(
            409,
            f"a candidate with id {candidate.id!r} exists; choose another id, or replace it "
            f"with PUT /candidates/{candidate.id}",
        )
    profile, personal = candidate.split()
    profile = normalise_candidate(state, profile)
    state.put_candidates([profile], [personal] if personal else [])
    state.store.audit("create_candidate", key, target=candidate.id)
    response.headers["Location"] = f"/candidates/{quote(candidate.id, safe='')}"
    return _public_or_404(state.store, candidate.id)


@router.get("/{candidate_id}", response_model=CandidatePublic, responses=NOT_FOUND, summary="Get a candidate")
def get_candidate(state: State, key: BrokerKey, candidate_id: CandidateId) -> CandidatePublic:
    found = _public_or_404(state.store, candidate_id)
    state.store.audit("read_candidate", key, target=candidate_id)
    return found


@router.put(
    "/{candidate_id}",
    response_model=CandidatePublic,
    responses=NOT_FOUND,
    summary="Replace a candidate; personal data is replaced only when given",
)
def replace_candidate(
    state: State, key: BrokerKey, candidate_id: CandidateId, candidate: CandidateIn
) -> CandidatePublic:
    if candidate.id != candidate_id:
        raise FieldError(
            "id",
            f"the body's id {candidate.id!r} differs from the path's {candidate_id!r}; an id "
            f"cannot change (create a new candidate instead)",
        )
    if state.store.get_candidate(candidate_id) is None:
        raise not_found("candidate", candidate_id)
    profile, personal = candidate.split()
    profile = normalise_candidate(state, profile)
    state.put_candidates([profile], [personal] if personal else [])
    state.store.audit("update_candidate", key, target=candidate_id)
    return _public_or_404(state.store, candidate_id)


@router.delete(
    "/{candidate_id}", response_model=Deleted, responses=NOT_FOUND, summary="Delete a candidate and their personal data"
)
def delete_candidate(state: State, key: BrokerKey, candidate_id: CandidateId) -> Deleted:
    if not state.delete_candidate(candidate_id):
        raise not_found("candidate", candidate_id)
    state.store.audit("delete_candidate", key, target=candidate_id)
    return Deleted(id=candidate_id)


@router.get(
    "/{candidate_id}/vacancies",
    response_model=VacanciesForCandidate,
    responses=NOT_FOUND,
    summary="Best vacancies for a candidate, explained, with stretch matches",
)
def candidate_vacancies(
    state: State,
    key: BrokerKey,
    candidate_id: CandidateId,
    lang: Language,
    k: Annotated[int, Query(ge=1, le=100, description="how many suggestions")] = 10,
) -> VacanciesForCandidate:
    return VacanciesForCandidate.model_validate(serve_vacancies(state, key, candidate_id, k, lang))


def _public_or_404(store: Store, candidate_id: str) -> CandidatePublic:
    found = _public(store, candidate_id)
    if found is None:
        raise not_found("candidate", candidate_id)
    return found
