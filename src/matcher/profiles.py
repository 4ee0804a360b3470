"""Candidate and vacancy profiles: the validated data that every later stage works on.

Personal data (name, contact, gender, nationality, birth date) lives in :class:`PersonalData`,
apart from :class:`Candidate`, so that scoring code cannot read it even by accident.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"


class CEFR(IntEnum):
    """CEFR language level; A0 means no knowledge. Ordered, so levels compare and subtract."""

    A0 = 0
    A1 = 1
    A2 = 2
    B1 = 3
    B2 = 4
    C1 = 5
    C2 = 6

    @classmethod
    def parse(cls, value: Any) -> CEFR:
        """Accept a CEFR member, its name in any case ("b1") or its step number (3)."""
        return _parse_enum(cls, value)


class Importance(StrEnum):
    must = "must"
    should = "should"
    nice = "nice"


class RequirementKind(StrEnum):
    competence = "competence"
    language = "language"
    experience = "experience"
    education = "education"
    licence = "licence"


class EducationLevel(IntEnum):
    """Highest diploma, on the Flemish scale; ordered so a requirement compares with ``>=``."""

    none = 0  # no diploma of secondary education
    lower_secondary = 1  # tweede graad secundair
    secondary = 2  # diploma secundair onderwijs
    higher_vocational = 3  # graduaat / HBO5
    bachelor = 4
    master = 5

    @classmethod
    def parse(cls, value: Any) -> EducationLevel:
        return _parse_enum(cls, value)


DRIVING_LICENCES = ("AM", "A", "B", "BE", "C1", "C", "CE", "D", "DE", "G")


class CoachingNeed(IntEnum):
    """How much guidance a person needs on the job: the broker's assessment."""

    none = 0
    light = 1
    intensive = 2


class LanguageSupport(IntEnum):
    """Language support an employer offers. Ordered by how far it carries a learner."""

    none = 0
    on_the_job = 1  # language coaching while working (taalcoaching op de werkvloer)
    course = 2  # a paid language course, usually alongside coaching


class WorkplaceCoaching(IntEnum):
    """Workplace coaching an employer offers (werkplekbegeleiding). Ordered by intensity."""

    none = 0
    mentor = 1  # a buddy or mentor among colleagues
    job_coach = 2  # a trained job coach, in-house or from a partner organisation


class Shift(StrEnum):
    day = "day"
    evening = "evening"
    night = "night"
    weekend = "weekend"


def _parse_enum(enum_type: Any, value: Any) -> Any:
    """Accept a member, its name in any case, or its number, with an error listing the names."""
    if type(value) is str and value in enum_type.__members__:  # the common case, first: imports are hot
        return enum_type[value]
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str) and value.strip() in enum_type.__members__:
        return enum_type[value.strip()]
    if isinstance(value, str) and value.strip().lower() in enum_type.__members__:
        return enum_type[value.strip().lower()]
    if isinstance(value, str) and value.strip().upper() in enum_type.__members__:
        return enum_type[value.strip().upper()]
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_type(value)
        except ValueError:
            pass
    allowed = ", ".join(enum_type.__members__)
    raise ValueError(f"must be one of {allowed}; got {value!r}")


def named(enum_type: Any) -> Any:
    """Annotate an ordered int enum so it reads and writes as its name ("B1", "intensive")."""
    return Annotated[
        enum_type,
        BeforeValidator(lambda value: _parse_enum(enum_type, value)),
        PlainSerializer(lambda member: member.name, return_type=str),
        WithJsonSchema({"type": "string", "enum": list(enum_type.__members__)}),
    ]


if TYPE_CHECKING:  # to a type checker each is its enum; at run time it also reads and writes names
    CEFRLevel = CEFR
    CoachingNeedName = CoachingNeed
    LanguageSupportName = LanguageSupport
    WorkplaceCoachingName = WorkplaceCoaching
    EducationLevelName = EducationLevel
else:
    CEFRLevel = named(CEFR)
    CoachingNeedName = named(CoachingNeed)
    LanguageSupportName = named(LanguageSupport)
    WorkplaceCoachingName = named(WorkplaceCoaching)
    EducationLevelName = named(EducationLevel)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, use_enum_values=False)


class Competence(_Model):
    """A competence given as an ESCO skill URI, as free text, or both after normalisation.

    Free text keeps its original wording; normalisation adds the URI and the match score, so
    a broker can always see what the person wrote and how sure the mapping is.
    """

    uri: str | None = None
    text: str | None = None
    match_score: float | None = Field(default=None, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _uri_or_text(self) -> Competence:
        if not self.uri and not (self.text and self.text.strip()):
            raise ValueError("a competence needs an ESCO skill URI or a free-text description")
        if self.uri and not self.uri.startswith(ESCO_SKILL_PREFIX):
            raise ValueError(f"competence URI must start with {ESCO_SKILL_PREFIX}; got {self.uri!r}")
        return self

    @property
    def resolved(self) -> bool:
        return self.uri is not None


class LanguageLevel(_Model):
    """A language (ISO 639-1 code, e.g. "nl", "fr") at a CEFR level."""

    language: str = Field(pattern=r"^[a-z]{2,3}$")
    level: CEFRLevel

    @field_validator("language", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        """Strip and lower-case before checking, so what is stored validates again on reload."""
        return value.strip().lower() if isinstance(value, str) else value


class Experience(_Model):
    """Months of experience in an occupation (ESCO URI, or the title as given)."""

    occupation_uri: str | None = None
    title: str | None = None
    months: int = Field(ge=0, le=12 * 60)
    match_score: float | None = Field(default=None, ge=0.0, le=1.0)


class Requirement(_Model):
    """One requirement of a vacancy.

    ``value`` depends on ``kind``: an ESCO skill URI (competence), an ISO 639-1 code (language,
    with ``level``), an ESCO occupation URI or "" for any occupation (experience, with
    ``months``), an :class:`EducationLevel` name (education), a driving licence category
    (licence). A competence given as free text keeps it in ``text`` with ``match_score``.
    """

    kind: RequirementKind
    value: str = ""
    importance: Importance = Importance.must
    level: CEFRLevel | None = None
    months: int | None = Field(default=None, ge=0, le=12 * 60)
    text: str | None = None
    match_score: float | None = Field(default=None, ge=0.0, le=1.0)
    trainable: bool = False
    training_weeks: int | None = Field(default=None, ge=1, le=104)
    # A link from free text scored between the acceptance and the "sure" threshold: used in matching,
    # but shown as to confirm, with the next best ESCO URIs, until a broker confirms or replaces it.
    to_confirm: bool = False
    alternatives: list[str] = Field(default_factory=list, max_length=3)
    confirmed_by: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Requirement:
        kind = self.kind
        if kind is RequirementKind.competence:
            if not self.value and not (self.text and self.text.strip()):
                raise ValueError("a competence requirement needs an ESCO skill URI in 'value' or free text in 'text'")
            if self.value and not self.value.startswith(ESCO_SKILL_PREFIX):
                raise ValueError(f"competence requirement 'value' must be an ESCO skill URI; got {self.value!r}")
        elif kind is RequirementKind.language:
            if not self.value or self.level is None:
                raise ValueError("a language requirement needs 'value' (ISO 639-1 code, e.g. 'nl') and 'level' (CEFR)")
            self.__dict__["value"] = self.value.strip().lower()
        elif kind is RequirementKind.experience:
            if self.months is None:
                raise ValueError("an experience requirement needs 'months'")
        elif kind is RequirementKind.education:
            self.__dict__["value"] = _parse_enum(EducationLevel, self.value).name
        elif kind is RequirementKind.licence:
            category = self.value.strip().upper()
            if category not in DRIVING_LICENCES:
                raise ValueError(f"licence must be one of {', '.join(DRIVING_LICENCES)}; got {self.value!r}")
            self.__dict__["value"] = category
        if self.training_weeks is not None and not self.trainable:
            raise ValueError("'training_weeks' is only meaningful when 'trainable' is true")
        return self

    @property
    def is_must(self) -> bool:
        return self.importance is Importance.must

    @property
    def is_unrecognised(self) -> bool:
        """Free text that links to no ESCO concept: neither met nor failed, but shown everywhere."""
        return self.kind is RequirementKind.competence and not self.value


class SupportOffered(_Model):
    """What an employer offers to make a placement work."""

    language_support: LanguageSupportName = LanguageSupport.none
    workplace_coaching: WorkplaceCoachingName = WorkplaceCoaching.none
    coaching_capacity: int = Field(default=0, ge=0, le=1000)  # people who can be coached at once
    coaching_places_taken: int = Field(default=0, ge=0, le=1000)
    training_on_the_job: bool = False

    @model_validator(mode="before")
    @classmethod
    def _default_capacity(cls, data: Any) -> Any:
        """Offering coaching without saying for how many means one person at a time."""
        if (
            isinstance(data, dict)
            and "coaching_capacity" not in data
            and data.get("workplace_coaching") not in (None, "none", 0, WorkplaceCoaching.none)
        ):
            return {**data, "coaching_capacity": 1}
        return data

    @model_validator(mode="after")
    def _capacity(self) -> SupportOffered:
        if self.workplace_coaching is not WorkplaceCoaching.none and self.coaching_capacity == 0:
            raise ValueError(
                "workplace coaching is offered but coaching_capacity is 0; give how many people "
                "can be coached at once, or set workplace_coaching to none"
            )
        if self.coaching_places_taken > self.coaching_capacity:
            raise ValueError(
                f"coaching_places_taken ({self.coaching_places_taken}) exceeds "
                f"coaching_capacity ({self.coaching_capacity})"
            )
        return self

    @property
    def coaching_places_free(self) -> int:
        return self.coaching_capacity - self.coaching_places_taken


class Salary(_Model):
    """Pay as the vacancy states it (``unit``: hour, day, week, month, year); never a scoring input."""

    min: float | None = Field(default=None, ge=0)
    max: float | None = Field(default=None, ge=0)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    unit: Literal["hour", "day", "week", "month", "year"] | None = None


class _Place(_Model):
    postcode: str = Field(pattern=r"^\d{4}$")


class Candidate(_Place):
    """A job seeker's profile as scoring sees it: no name, contact or protected attributes."""

    id: str = Field(min_length=1, max_length=100)
    competences: list[Competence] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    languages: list[LanguageLevel] = Field(default_factory=list)
    wants_language_training: bool = True
    coaching_need: CoachingNeedName = CoachingNeed.none
    max_commute_km: float = Field(default=25.0, ge=0, le=300)
    driving_licences: list[str] = Field(default_factory=list)
    has_car: bool = False
    hours_min: float = Field(default=0, ge=0, le=60)
    hours_max: float = Field(default=38, ge=0, le=60)
    shifts: list[Shift] = Field(default_factory=lambda: [Shift.day])
    available_from: date | None = None
    work_permit: bool = True
    education: EducationLevelName = EducationLevel.none
    desired_occupations: list[str] = Field(default_factory=list)  # ESCO occupation URIs

    @field_validator("driving_licences")
    @classmethod
    def _licences(cls, value: list[str]) -> list[str]:
        upper = [v.strip().upper() for v in value]
        unknown = [v for v in upper if v not in DRIVING_LICENCES]
        if unknown:
            raise ValueError(f"unknown driving licence {unknown[0]!r}; use one of {', '.join(DRIVING_LICENCES)}")
        return upper

    @model_validator(mode="after")
    def _consistent(self) -> Candidate:
        if self.hours_min > self.hours_max:
            raise ValueError(f"hours_min ({self.hours_min}) is above hours_max ({self.hours_max})")
        seen = set()
        for lang in self.languages:
            if lang.language in seen:
                raise ValueError(f"language {lang.language!r} is listed twice")
            seen.add(lang.language)
        return self

    def language_level(self, language: str) -> CEFR:
        for lang in self.languages:
            if lang.language == language:
                return lang.level
        return CEFR.A0


class Vacancy(_Place):
    """A vacancy: what the employer asks, what it offers, where and when."""

    id: str = Field(min_length=1, max_length=100)
    employer_id: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=1, max_length=300)
    occupation_uri: str | None = None
    occupation_match_score: float | None = Field(default=None, ge=0.0, le=1.0)
    description: str | None = Field(default=None, max_length=20_000)
    requirements: list[Requirement] = Field(default_factory=list)
    support: SupportOffered = Field(default_factory=SupportOffered)
    workplace_language: str = "nl"
    contact_languages: list[str] = Field(default_factory=list)  # accepted instead of the workplace language
    remote: bool = False
    hours_min: float = Field(default=38, ge=0, le=60)
    hours_max: float = Field(default=38, ge=0, le=60)
    shifts: list[Shift] = Field(default_factory=lambda: [Shift.day])
    positions: int = Field(default=1, ge=1, le=10_000)
    valid_through: date | None = None
    salary: Salary | None = None
    description_html: str | None = Field(default=None, max_length=100_000)  # the original, when HTML was sent

    @field_validator("workplace_language")
    @classmethod
    def _workplace_language(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("contact_languages")
    @classmethod
    def _contact_languages(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]

    @field_validator("occupation_uri")
    @classmethod
    def _occupation_uri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(ESCO_OCCUPATION_PREFIX):
            raise ValueError(f"occupation_uri must be an ESCO occupation URI; got {value!r}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Vacancy:
        if self.hours_min > self.hours_max:
            raise ValueError(f"hours_min ({self.hours_min}) is above hours_max ({self.hours_max})")
        return self

    def requirements_of(self, kind: RequirementKind) -> list[Requirement]:
        return [r for r in self.requirements if r.kind is kind]


class PersonalData(_Model):
    """A candidate's personal data, stored apart and never given to scoring or employers."""

    candidate_id: str = Field(min_length=1, max_length=100)
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    gender: str | None = None
    nationality: str | None = None
    birth_date: date | None = None


PERSONAL_FIELDS = frozenset(PersonalData.model_fields) - {"candidate_id"}
