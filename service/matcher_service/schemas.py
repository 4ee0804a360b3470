"""Request and response models, chosen per role.

What leaves the API is picked on purpose: an employer's models have no field that could carry a
candidate's id or personal data, so no code path can put one there. Brokers and admins get
:class:`CandidatePublic` and :class:`SuggestionForBroker`; employers get
:class:`SuggestionForEmployer` (rank, score and an anonymous explanation) and :class:`EmployerReview`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlencode

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from matcher.app.limits import violations
from matcher.profiles import Candidate, PersonalData, Vacancy

from . import examples

Lang = Literal["nl", "en"]
P = TypeVar("P", Candidate, Vacancy, PersonalData)


def stored_form(model: type[P], data: dict[str, Any]) -> P:
    """``data`` as ``model``, validated from its JSON form, exactly as the store will read it back.

    Some validators normalise (strip, lower-case) after checking a length, so a value can pass once
    and fail when read again; checking the stored form here turns that into a 422 naming the field,
    instead of a profile the store holds but cannot load.
    """
    try:
        return model.model_validate_json(model.model_validate(data).model_dump_json())
    except ValidationError as exc:
        raise _in_body(exc) from exc


def _in_body(exc: ValidationError) -> RequestValidationError:
    """The model's errors located in the request body, as FastAPI reports them."""
    return RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()])


def within_limits(data: Any) -> Any:
    """Refuse a profile with a list or string over its maximum (:mod:`matcher.app.limits`) before parsing it.

    Raised as a request validation error (not a ValueError), so the 422 names each field and limit.
    """
    found = list(violations(data))
    if found:
        raise RequestValidationError(
            [
                {"type": "too_long", "loc": ("body", *path), "msg": message, "input": None}
                for path, message in found[:20]
            ]
        )
    return data


# --- errors ---------------------------------------------------------------------------------


class ErrorField(BaseModel):
    field: str = Field(description="dotted path of the field, e.g. 'requirements.0.value' or 'k'")
    location: str = Field(description="body, query, path or header")
    message: str


class ErrorDetail(BaseModel):
    status: int
    message: str = Field(description="what went wrong and what to do about it")
    fields: list[ErrorField] = Field(default_factory=list)
    run_id: int | None = Field(default=None, description="on a 409 from rescoring: the run it clashes with")


class ErrorResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ERROR]})

    error: ErrorDetail


def next_page(path: str, total: int, limit: int, offset: int, **filters: str | None) -> str | None:
    """The link to the page after ``offset``, or None when this page is the last."""
    if offset + limit >= total:
        return None
    query = urlencode({**{k: v for k, v in filters.items() if v is not None}, "limit": limit, "offset": offset + limit})
    return f"{path}?{query}"


# --- profiles -------------------------------------------------------------------------------


class PersonalDataIn(PersonalData):
    """A candidate's personal data; ``candidate_id`` is taken from the candidate."""

    candidate_id: str | None = Field(default=None, min_length=1, max_length=100)  # type: ignore[assignment]


class PersonalDataPublic(PersonalData):
    """A candidate's personal data, for brokers and admins only."""


class CandidateIn(Candidate):
    """A candidate profile with, optionally, the personal data kept apart from it (as in the JSONL import)."""

    personal: PersonalDataIn | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [examples.CANDIDATE]})

    _limits = model_validator(mode="before")(within_limits)

    def split(self) -> tuple[Candidate, PersonalData | None]:
        """The profile and the personal data, each in the form the store keeps (422 if that fails)."""
        profile = stored_form(Candidate, self.model_dump(exclude={"personal"}))
        if self.personal is None:
            return profile, None
        return profile, stored_form(PersonalData, {**self.personal.model_dump(), "candidate_id": self.id})


class CandidatePublic(Candidate):
    """A candidate as a broker sees it: the profile and, apart, the personal data."""

    personal: PersonalDataPublic | None = None


class CandidatePage(BaseModel):
    items: list[CandidatePublic]
    limit: int
    offset: int
    total: int = Field(description="how many there are in all (with the filters given)")
    next: str | None = Field(default=None, description="the next page, or null on the last one")


class VacancyIn(Vacancy):
    """A vacancy as sent by an employer, a broker or an admin."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.VACANCY]})

    _limits = model_validator(mode="before")(within_limits)

    def profile(self) -> Vacancy:
        """The vacancy in the form the store keeps (422 if that fails)."""
        return stored_form(Vacancy, self.model_dump())


class VacancyPublic(Vacancy):
    """A vacancy as any role allowed to see it gets it (vacancies hold no personal data)."""


class VacancyPage(BaseModel):
    items: list[VacancyPublic]
    limit: int
    offset: int
    total: int = Field(description="how many there are in all (with the filters given)")
    next: str | None = Field(default=None, description="the next page, or null on the last one")


class Deleted(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.DELETED]})

    id: str
    deleted: bool = True


# --- explanations and suggestions -----------------------------------------------------------


class CompetenceNote(BaseModel):
    uri: str
    label: str
    status: str = Field(description="met, near, trainable, missing, or unrecognised (check it yourself)")
    importance: str
    training_weeks: int | None = None
    to_confirm: bool = Field(default=False, description="a link from free text a broker should confirm")
    alternatives: list[str] = Field(default_factory=list, description="labels of the next best links")


class LanguageNote(BaseModel):
    language: str
    candidate_level: str
    asked_level: str
    status: str = Field(description="met, bridged, contact_language or missing")
    importance: str
    bridged_by: str | None = None
    declined_training: bool = Field(
        default=False, description="the support offered would bridge the gap, but the candidate wants no training"
    )


class EmployerLanguageNote(BaseModel):
    """A language requirement as an employer sees it: met or not, never the candidate's level."""

    language: str
    asked_level: str = Field(description="the level the vacancy asks")
    importance: str
    status: Literal["met", "bridged", "not_met"]
    band: str = Field(description="the status in words: voldoet / overbrugd met taalcoaching / niet")


class ExplanationForEmployer(BaseModel):
    """Why an anonymous candidate fits, per requirement of the vacancy, in coarse bands.

    Left out on purpose: exact experience and language levels (together they single a person out
    across vacancies), the commute (with the postcode of the vacancy it narrows down where a person
    lives), the broker's assessment of the person's coaching need, and the full text.
    """

    lang: Lang
    score: float
    stretch: bool
    summary: str
    competences: list[CompetenceNote]
    languages: list[EmployerLanguageNote]
    coaching_offered: str
    other: list[str] = Field(description="experience (in bands: < 1 jaar, 1–3 jaar, 3+ jaar), education, licence")
    would_fit_if: list[str]


class Explanation(BaseModel):
    """The broker's explanation: per requirement with exact values, coaching need, commute and the text."""

    lang: Lang
    score: float
    stretch: bool
    summary: str
    competences: list[CompetenceNote]
    languages: list[LanguageNote]
    coaching_offered: str
    coaching_met: bool
    other: list[str]
    would_fit_if: list[str]
    coaching_need: str
    commute_km: float
    max_commute_km: float
    text: str


class SuggestionForBroker(BaseModel):
    rank: int
    candidate_id: str
    score: float
    stretch: bool = Field(description="true: fits if one requirement is relaxed; see explanation.would_fit_if")
    explanation: Explanation


class SuggestionForEmployer(BaseModel):
    """A suggested candidate without identity: no id, no personal data, no commute."""

    rank: int
    handle: str = Field(
        description="an anonymous name for this candidate in this vacancy's list: stable for the vacancy, "
        "unrelated across vacancies"
    )
    score: float
    stretch: bool
    explanation: ExplanationForEmployer


class _RankedList(BaseModel):
    model_version: str
    lang: Lang
    strict_pool: int = Field(description="candidates (or vacancies) meeting every hard constraint and must-requirement")
    stretch_pool: int = Field(description="pairs that fail exactly one check")


class CandidatesForBroker(_RankedList):
    view: Literal["broker"] = "broker"
    vacancy_id: str
    suggestions: list[SuggestionForBroker]


class CandidatesForEmployer(_RankedList):
    view: Literal["employer"] = "employer"
    vacancy_id: str
    suggestions: list[SuggestionForEmployer]


class VacancySuggestion(BaseModel):
    rank: int
    vacancy_id: str
    employer_id: str
    title: str
    score: float
    stretch: bool
    explanation: Explanation


class VacanciesForCandidate(_RankedList):
    candidate_id: str
    suggestions: list[VacancySuggestion]


# --- white-raven review ---------------------------------------------------------------------


class ReviewOption(BaseModel):
    key: str
    kind: str = Field(description="relaxation or lever")
    action: str
    params: dict[str, Any]
    text: str


class ReviewGain(BaseModel):
    options: list[ReviewOption]
    gain: int = Field(description="extra candidates over the strict pool")
    pool: int = Field(description="strict pool with these options applied")
    lower_bound: bool = Field(default=False, description="true: the search stopped early; the gain is at least this")
    hidden_reason: str | None = Field(default=None, description="why a gain-0 option is hidden in the text output")
    hidden_reason_text: str | None = None


class ReviewPathStep(BaseModel):
    key: str
    action: str
    params: dict[str, Any]
    cost: float
    text: str
    pool_before: int
    pool_after: int


class ReviewPath(BaseModel):
    """The cheapest set of changes that brings the fitting pool to the target, step by step."""

    target: int
    reached: bool
    cost: float
    best_pool: int = Field(description="the largest pool the allowed changes reach")
    lower_bound: bool
    steps: list[ReviewPathStep]


class ReviewHardConstraint(BaseModel):
    constraint: str = Field(description="work_permit, commute, hours, availability, mobility, ...")
    candidates: int
    earliest: date | None = Field(default=None, description="for availability: the earliest date one is free")
    text: str


class ReviewUnrecognised(BaseModel):
    position: int
    text: str | None
    importance: str


class ReviewAlternative(BaseModel):
    value: str
    label: str


class ReviewToConfirm(BaseModel):
    position: int
    kind: str
    value: str
    label: str
    text: str | None
    alternatives: list[ReviewAlternative]


class ReviewCheck(BaseModel):
    position: int
    kind: str
    requirement: str
    failing: int
    failing_only_this: int
    text: str
    options: list[ReviewGain]


class ReviewFlag(BaseModel):
    code: str
    position: int
    text: str


class EmployerReview(BaseModel):
    """Why a vacancy stays open, in counts and reasons only: the same for employers and brokers."""

    vacancy_id: str
    title: str
    lang: Lang
    candidates_in_pool: int
    fit_threshold: float
    model_version: str
    expired_on: date | None = Field(description="set when the vacancy has expired: nobody can fill it")
    positions: int
    target: int = Field(description="the workable pool: 3 per opening, at least 5")
    reachable: int
    strict: int
    failing_exactly_one: int
    white_raven_index: float
    explained: dict[str, str] = Field(description="what the index and the bracketed numbers mean")
    hard_constraints: list[ReviewHardConstraint]
    unrecognised_requirements: list[ReviewUnrecognised]
    to_confirm: list[ReviewToConfirm]
    checks: list[ReviewCheck]
    levers: list[ReviewGain]
    hard_options: list[ReviewGain]
    best_combination: ReviewGain | None
    path: ReviewPath | None = Field(description="absent when the fitting pool already reaches the target")
    flags: list[ReviewFlag]
    suggestions: list[ReviewGain]
    pool_is_comfortable: bool = Field(description="true: enough candidates fit, so no relaxation is suggested")


# --- imports --------------------------------------------------------------------------------


class Rejection(BaseModel):
    """One problem that keeps a record out: where (record number from 1, line), which field, what to change."""

    model_config = ConfigDict(extra="allow")

    record: int | None = None
    line: int | None = None
    field: str | None = None
    reason: str
    message: str = Field(default="", description="the same as reason: every problem and warning has a message")
    id: str | None = Field(default=None, description="the record's id, when it has one")

    @model_validator(mode="after")
    def _message_is_the_reason(self) -> Rejection:
        self.message = self.message or self.reason
        return self


class ImportNote(BaseModel):
    """Something accepted but worth a look, e.g. a free-text skill left unresolved."""

    model_config = ConfigDict(extra="allow")

    record: int | None = None
    line: int | None = None
    field: str | None = None
    message: str


class ImportReport(BaseModel):
    """What an upload did: every good record is stored, every bad one is listed with its line and reason."""

    import_id: int
    kind: Literal["candidates", "vacancies"]
    format: str | None
    source: str
    accepted: int
    rejected: int
    record_ids: list[str]
    rejections: list[Rejection]
    warnings: list[ImportNote]


class ImportSummary(BaseModel):
    id: int
    kind: str
    source: str
    accepted: int
    rejected: int
    created_at: datetime


class ImportDetail(ImportSummary):
    rejections: list[Rejection]


# --- rescoring ------------------------------------------------------------------------------


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.RUN_REQUEST, {}]})

    vacancy_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] | None = Field(
        default=None,
        min_length=1,
        max_length=100_000,
        description="rescore only these vacancies (e.g. tonight's import); omit to rescore everything",
    )
    today: date | None = Field(default=None, description="reference date for vacancy expiry; default today")
    allocate: bool = Field(
        default=False,
        description="end the run by spreading its suggestions over openings and candidates' attention "
        "(read the result at /rescoring/runs/{id}/allocation)",
    )


class RunPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.RUN]})

    id: int
    status: str = Field(description="running, completed or failed")
    scope: str
    model_version: str
    total_blocks: int
    done_blocks: int
    progress: float = Field(description="share of planned blocks stored, 0 to 1")
    pairs: int
    error: str | None
    created_at: datetime
    updated_at: datetime


class StoredSuggestion(BaseModel):
    run_id: int | None
    direction: str
    query_id: str
    vacancy_id: str
    candidate_id: str
    rank: int
    score: float
    stretch: bool
    distance_km: float
    explanation: dict[str, Any]
    model_version: str
    created_at: datetime


class StoredSuggestions(BaseModel):
    direction: str
    query_id: str
    run_id: int | None
    suggestions: list[StoredSuggestion]


class RunAllocation(BaseModel):
    """A run's spread suggestions and the figures of both rankings (relevance-only and allocated)."""

    run_id: int
    metrics: dict[str, Any] = Field(description="coverage, exposure, congestion and relevance kept, both rankings")
    lists: dict[str, list[tuple[str, float]]] = Field(description="per vacancy id: [candidate id, score], best first")
    created_at: datetime


# --- audit ----------------------------------------------------------------------------------


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    key_id: str | None
    role: str | None
    action: str
    target: str | None
    detail: dict[str, Any]


class AuditPage(BaseModel):
    items: list[AuditEntryPublic]
    limit: int
    next: str | None = Field(description="the next (older) page, or null")


# --- health ---------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    """Without a key: only the status. With a valid key: what is loaded, too."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.READY]})

    status: Literal["ready"] = "ready"
    database: str | None = None
    schema_revision: str | None = None
    candidates: int | None = None
    vacancies: int | None = None
    model_version: str | None = None


class Me(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ME]})

    key_id: str
    role: str
    employer_id: str | None
    label: str
