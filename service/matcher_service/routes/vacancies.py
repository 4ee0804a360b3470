"""Vacancies: create, read, replace, delete; live candidate suggestions; the white-raven review.

An employer key sees and changes only its own employer's vacancies; for any other vacancy it gets
the same 404 as for one that does not exist. Its candidate suggestions are anonymous.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Response, status
from fastapi import Path as FastApiPath
from pydantic import BaseModel, ConfigDict, Field

from matcher.app import serve_candidates, serve_review
from matcher.app.links import confirm_link, normalise_vacancy
from matcher.app.vacancy_ids import check_new_vacancy_id
from matcher.store import ApiKey, Role

from ..deps import Language, Offset, State, VacancyId, VacancyReader, VacancyWriter, may_see, not_found
from ..errors import FieldError
from ..schemas import (
    CandidatesForBroker,
    CandidatesForEmployer,
    Deleted,
    EmployerReview,
    VacancyIn,
    VacancyPage,
    VacancyPublic,
    next_page,
)
from . import CONFLICT, ERRORS, NOT_FOUND

router = APIRouter(prefix="/vacancies", tags=["vacancies"], responses=ERRORS)

K = Annotated[int, Query(ge=1, le=100, description="how many suggestions (strict first, then stretch matches)")]


def _check_tenant(key: ApiKey, employer_id: str) -> None:
    if key.role is Role.employer and employer_id != key.employer_id:
        raise HTTPException(
            403,
            f"an employer key may only write vacancies of its own employer "
            f"({key.employer_id!r}); employer_id was {employer_id!r}",
        )


@router.get("", response_model=VacancyPage, summary="List vacancies (an employer key: its own only)")
def list_vacancies(
    state: State,
    key: VacancyReader,
    employer_id: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> VacancyPage:
    if key.role is Role.employer:
        if employer_id is not None and employer_id != key.employer_id:
            raise HTTPException(403, f"an employer key lists only its own vacancies (employer {key.employer_id!r})")
        employer_id = key.employer_id
    items = state.store.list_vacancies(employer_id=employer_id, limit=limit, offset=offset)
    total = state.store.count_vacancies(employer_id)
    return VacancyPage(
        items=[VacancyPublic.model_validate(v.model_dump()) for v in items],
        limit=limit,
        offset=offset,
        total=total,
        next=next_page("/vacancies", total, limit, offset, employer_id=employer_id),
    )


@router.post(
    "",
    response_model=VacancyPublic,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT,
    summary="Create a vacancy",
)
def create_vacancy(state: State, key: VacancyWriter, vacancy: VacancyIn, response: Response) -> VacancyPublic:
    _check_tenant(key, vacancy.employer_id)
    profile = normalise_vacancy(state, vacancy.profile())
    check_new_vacancy_id(state.store, key, vacancy.id)
    state.put_vacancies([profile])
    state.store.audit("create_vacancy", key, target=vacancy.id, detail={"employer_id": vacancy.employer_id})
    response.headers["Location"] = f"/vacancies/{quote(vacancy.id, safe='')}"
    return VacancyPublic.model_validate(profile.model_dump())


@router.get("/{vacancy_id}", response_model=VacancyPublic, responses=NOT_FOUND, summary="Get a vacancy")
def get_vacancy(state: State, key: VacancyReader, vacancy_id: VacancyId) -> VacancyPublic:
    vacancy = state.store.get_vacancy(vacancy_id)
    if vacancy is None or not may_see(key, vacancy):
        raise not_found("vacancy", vacancy_id)
    return VacancyPublic.model_validate(vacancy.model_dump())


@router.put("/{vacancy_id}", response_model=VacancyPublic, responses=NOT_FOUND, summary="Replace a vacancy")
def replace_vacancy(state: State, key: VacancyWriter, vacancy_id: VacancyId, vacancy: VacancyIn) -> VacancyPublic:
    if vacancy.id != vacancy_id:
        raise FieldError(
            "id",
            f"the body's id {vacancy.id!r} differs from the path's {vacancy_id!r}; an id cannot "
            f"change (create a new vacancy instead)",
        )
    current = state.store.get_vacancy(vacancy_id)
    if current is None or not may_see(key, current):
        raise not_found("vacancy", vacancy_id)
    _check_tenant(key, vacancy.employer_id)
    profile = normalise_vacancy(state, vacancy.profile())
    state.put_vacancies([profile])
    state.store.audit("update_vacancy", key, target=vacancy_id, detail={"employer_id": vacancy.employer_id})
    return VacancyPublic.model_validate(profile.model_dump())


@router.delete("/{vacancy_id}", response_model=Deleted, responses=NOT_FOUND, summary="Delete a vacancy")
def delete_vacancy(state: State, key: VacancyWriter, vacancy_id: VacancyId) -> Deleted:
    current = state.store.get_vacancy(vacancy_id)
    if current is None or not may_see(key, current):
        raise not_found("vacancy", vacancy_id)
    state.delete_vacancy(vacancy_id)
    state.store.audit("delete_vacancy", key, target=vacancy_id, detail={"employer_id": current.employer_id})
    return Deleted(id=vacancy_id)


@router.get(
    "/{vacancy_id}/candidates",
    response_model=CandidatesForBroker | CandidatesForEmployer,
    responses=NOT_FOUND,
    summary="Best candidates for a vacancy, explained (anonymous for employers)",
)
def vacancy_candidates(
    state: State, key: VacancyWriter, vacancy_id: VacancyId, lang: Language, k: K = 10
) -> CandidatesForBroker | CandidatesForEmployer:
    """Brokers and admins get candidate ids (``view: broker``); an employer gets, for its own vacancy,
    rank, score and an explanation per requirement, without who the candidate is (``view: employer``).
    Every served list is logged with its model version."""
    body = serve_candidates(state, key, vacancy_id, k, lang)
    if body["view"] == "employer":
        return CandidatesForEmployer.model_validate(body)
    return CandidatesForBroker.model_validate(body)


@router.get(
    "/{vacancy_id}/review",
    response_model=EmployerReview,
    responses=NOT_FOUND,
    summary="White-raven review: which requirements shrink the pool, and what would relax them",
)
def vacancy_review(state: State, key: VacancyWriter, vacancy_id: VacancyId, lang: Language) -> EmployerReview:
    return EmployerReview.model_validate(serve_review(state, key, vacancy_id, lang))


class LinkIn(BaseModel):
    """The ESCO skill a requirement means: the one proposed (confirming it) or another one."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"value": "http://data.europa.eu/esco/skill/b9b86f4d-47b4-4a7e-9b69-0b3a1b3b1b7e"}]
        },
    )

    value: str = Field(min_length=1, max_length=200, description="an ESCO skill URI")


@router.put(
    "/{vacancy_id}/requirements/{position}/link",
    response_model=VacancyPublic,
    responses=NOT_FOUND,
    summary="Confirm or replace the ESCO skill of a competence requirement (a link to confirm, or any other)",
)
def confirm_requirement_link(
    state: State,
    key: VacancyWriter,
    vacancy_id: VacancyId,
    position: Annotated[int, FastApiPath(ge=0, le=1000, description="the requirement's position, from 0")],
    body: LinkIn,
) -> VacancyPublic:
    """The requirement keeps its text and importance; its link is marked confirmed by this key."""
    vacancy = confirm_link(state, key, vacancy_id, position, body.value)
    return VacancyPublic.model_validate(vacancy.model_dump())
