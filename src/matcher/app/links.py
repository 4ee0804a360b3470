"""Free text in profiles written through the API, linked to ESCO exactly as an import links it.

``POST``/``PUT /vacancies`` and ``/candidates`` call :func:`normalise_vacancy` and
:func:`normalise_candidate`, so a requirement given as text ("heftruck rijden") gets its ESCO skill,
an unsure link is marked *to confirm* with its alternatives, and text that links to nothing stays as
an unrecognised requirement; a broker confirms or replaces a link with :func:`confirm_link`.
"""

from __future__ import annotations

from ..normalise import Normalised, normalise_candidates, normalise_vacancies
from ..profiles import ESCO_SKILL_PREFIX, Candidate, RequirementKind, Vacancy
from ..store import ApiKey, Role
from .errors import InvalidInput, NotFound
from .live import LivePool


def _only(result: Normalised[Vacancy] | Normalised[Candidate], what: str) -> Vacancy | Candidate:
    if result.rejections:
        first = result.rejections[0]
        raise InvalidInput(first.field, first.message)
    if not result.records:
        raise InvalidInput("body", f"the {what} could not be read")
    return result.records[0]


def normalise_vacancy(live: LivePool, vacancy: Vacancy) -> Vacancy:
    """The vacancy with its free-text requirements and title linked to ESCO (a URI ESCO lacks is a 422)."""
    found = _only(normalise_vacancies([vacancy], live.taxonomy, live.settings), "vacancy")
    assert isinstance(found, Vacancy)  # normalise_vacancies returns what it was given
    return found


def normalise_candidate(live: LivePool, candidate: Candidate) -> Candidate:
    """The candidate with free-text competences and experience titles linked to ESCO."""
    found = _only(normalise_candidates([candidate], live.taxonomy, live.settings), "candidate")
    assert isinstance(found, Candidate)  # normalise_candidates returns what it was given
    return found


def confirm_link(live: LivePool, key: ApiKey, vacancy_id: str, position: int, value: str) -> Vacancy:
    """A broker confirms a requirement's ESCO skill (the same or another one); the choice is kept with who made it."""
    current = live.store.get_vacancy(vacancy_id)
    if current is None or (key.role is Role.employer and current.employer_id != key.employer_id):
        raise NotFound.profile("vacancy", vacancy_id)
    if not 0 <= position < len(current.requirements):
        raise InvalidInput(
            "position", f"the vacancy has {len(current.requirements)} requirements; position {position} is none of them"
        )
    req = current.requirements[position]
    if req.kind is not RequirementKind.competence:
        raise InvalidInput("position", f"requirement {position} is a {req.kind.value} requirement, not a competence")
    if not value.startswith(ESCO_SKILL_PREFIX) or not live.taxonomy.is_skill(value):
        raise InvalidInput("value", f"{value!r} is not an ESCO skill URI of ESCO v1.1.1")
    confirmed = req.model_copy(
        update={"value": value, "to_confirm": False, "alternatives": [], "confirmed_by": key.id, "match_score": None}
    )
    requirements = [*current.requirements[:position], confirmed, *current.requirements[position + 1 :]]
    vacancy = current.model_copy(update={"requirements": requirements})
    live.put_vacancies([vacancy])
    live.store.audit(
        "confirm_link", key, target=vacancy_id, detail={"position": position, "value": value, "was": req.value}
    )
    return vacancy
