"""Demo vacancies: what employers ask and offer, including a realistic share of white ravens.

An ordinary vacancy asks 2-4 must, 1-3 should and 0-2 nice competences from the occupation's
ESCO skills (essential ones for must and should, optional ones for nice), part of them trainable
on the job in 1-12 weeks; Dutch at the level the work needs (one step lower or higher in 15 %
each); sometimes months of experience (35 %) or a diploma (for skilled work); the driving licence
the job needs. Support follows the employer's kind (:mod:`.shares`). English is accepted as
contact language in 60 % of ICT vacancies and 4 % of the others, French in 30 % of Brussels
vacancies (which also ask French B1 as should in 35 %); 20 % of ICT and 5 % of office jobs are
remote.

A white-raven vacancy (about 20 %, see :mod:`.shares`) is an ordinary vacancy with three of five
requirements inflated at once (:data:`INFLATABLE`): Dutch B2 or C1 (always above what the work
needs), 3-5 years of experience, a diploma above what the work needs, a B licence, or 2-4 of the
occupation's optional ESCO skills added as must; nothing trainable and no support offered. That
is how they look in practice: a sensible job with a few "while we are at it" demands on top.
Nothing in the vacancy marks it: finding it is the review engine's job. The generator
returns the planted ids separately, as ground truth for tests of that engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np

from ..profiles import CEFR, EducationLevel, LanguageSupport, Shift, Vacancy, WorkplaceCoaching
from .catalogue import Catalogue
from .employers import EmployerDraws
from .places import PostcodeSampler, is_brussels
from .sampling import categorical
from .shares import (
    EDUCATION_FOR_SKILL_LEVEL,
    EMPLOYER_KINDS,
    EXPIRED_SHARE,
    LANGUAGE_SUPPORT_BY_KIND,
    NEIGHBOUR_SECTORS,
    OFF_SECTOR_SHARE,
    PART_TIME_SECTORS,
    PART_TIME_SHARE,
    REFERENCE_DATE,
    SECTOR_SHIFTS,
    SUPPORT_SECTORS,
    TRAINING_ON_THE_JOB_BY_KIND,
    WHITE_RAVEN_BY_KIND,
    WHITE_RAVEN_DUTCH,
    WHITE_RAVEN_DUTCH_SHARES,
    WORKPLACE_COACHING_BY_KIND,
)

TRAINING_WEEKS = (1, 2, 4, 6, 8, 12)
#: Diploma white ravens ask per ISCO skill level 1..4: one step above :data:`.shares.EDUCATION_FOR_SKILL_LEVEL`.
WHITE_RAVEN_EDUCATION = (
    EducationLevel.secondary,
    EducationLevel.secondary,
    EducationLevel.higher_vocational,
    EducationLevel.master,
)
#: Title forms and their shares: the ESCO label, "(m/v/x)", the female form, an ESCO alternative
#: label, and the label with a contract word ("interim", "vast contract").
TITLE_FORMS = ("label", "gender_neutral", "female", "alternative", "contract")
TITLE_FORM_SHARES = (0.45, 0.20, 0.12, 0.13, 0.10)
CONTRACT_WORDS = ("interim", "vast contract", "voltijds")
#: Sectors whose vacancies often accept English as contact language, or may be remote.
ENGLISH_FRIENDLY_SECTORS = ("ict",)
REMOTE_SHARE = {"ict": 0.20, "kantoor": 0.05}


@dataclass(frozen=True)
class VacancyDraws:
    """Per-vacancy traits drawn as arrays, before the requirements are assembled."""

    employer: np.ndarray
    occupation: np.ndarray
    white_raven: np.ndarray
    language_support: np.ndarray
    workplace_coaching: np.ndarray
    coaching_capacity: np.ndarray
    coaching_taken: np.ndarray
    training_on_the_job: np.ndarray
    postcode: np.ndarray
    positions: np.ndarray
    valid_in_days: np.ndarray
    hours_min: np.ndarray
    hours_max: np.ndarray
    shift_keys: np.ndarray  # (n, 4) uniform keys for day, evening, night, weekend
    title_form: np.ndarray
    title_keys: np.ndarray  # uniform keys to pick an alternative label or contract word
    contact_keys: np.ndarray  # (n, 3): English contact, French contact, remote


def draw_vacancy_traits(
    rng: np.random.Generator, n: int, employers: EmployerDraws, catalogue: Catalogue, places: PostcodeSampler
) -> VacancyDraws:
    """Draw everything about ``n`` vacancies that is one value per vacancy, as arrays."""
    zeros = np.zeros(n, dtype=np.int64)
    employer = categorical(rng, employers.size[None, :], zeros)
    kind = employers.kind[employer]
    occupation = _draw_occupations(rng, employers.sector[employer], catalogue)
    white_raven = rng.random(n) < np.asarray(WHITE_RAVEN_BY_KIND)[kind]
    language_support, coaching, capacity, taken, training = _draw_support(rng, kind, white_raven)
    large = kind == EMPLOYER_KINDS.index("large")
    other_site = large & (rng.random(n) < 0.3)  # large employers recruit for several sites
    hours_min, hours_max = _draw_hours(rng, occupation, catalogue)
    expired = rng.random(n) < EXPIRED_SHARE
    return VacancyDraws(
        employer=employer,
        occupation=occupation,
        white_raven=white_raven,
        language_support=language_support,
        workplace_coaching=coaching,
        coaching_capacity=capacity,
        coaching_taken=taken,
        training_on_the_job=training,
        postcode=np.where(other_site, places.draw(rng, np.full(n, 1.5)), employers.site[employer]),
        positions=1 + np.minimum(rng.geometric(np.where(kind == EMPLOYER_KINDS.index("sme"), 0.75, 0.45)) - 1, 9),
        valid_in_days=np.where(expired, -rng.integers(1, 46, n), rng.integers(7, 91, n)),
        hours_min=hours_min,
        hours_max=hours_max,
        shift_keys=rng.random((n, len(Shift))),
        title_form=categorical(rng, np.array([TITLE_FORM_SHARES]), zeros),
        title_keys=rng.random(n),
        contact_keys=rng.random((n, 3)),
    )


def _draw_support(rng: np.random.Generator, kind: np.ndarray, white_raven: np.ndarray) -> tuple[np.ndarray, ...]:
    """Language support, workplace coaching with capacity and places taken, and training on the job.

    Shares follow the employer's kind; a white raven offers nothing. A mentor coaches 1-2 people
    at once, a job coach 2-6.
    """
    n = len(kind)
    language = categorical(rng, np.array(LANGUAGE_SUPPORT_BY_KIND), kind)
    coaching = categorical(rng, np.array(WORKPLACE_COACHING_BY_KIND), kind)
    training = rng.random(n) < np.asarray(TRAINING_ON_THE_JOB_BY_KIND)[kind]
    language = np.where(white_raven, LanguageSupport.none, language)
    coaching = np.where(white_raven, WorkplaceCoaching.none, coaching)
    training &= ~white_raven
    capacity = np.where(
        coaching == WorkplaceCoaching.job_coach,
        rng.integers(2, 7, n),
        np.where(coaching == WorkplaceCoaching.mentor, rng.integers(1, 3, n), 0),
    )
    taken = np.floor(rng.random(n) * (capacity + 1)).astype(np.int64)
    return language, coaching, capacity, taken, training


def _draw_hours(
    rng: np.random.Generator, occupation: np.ndarray, catalogue: Catalogue
) -> tuple[np.ndarray, np.ndarray]:
    """Full time (38 h) or, more often in care, cleaning, retail and hospitality, part time."""
    n = len(occupation)
    sectors = [catalogue.sectors.index(s) for s in PART_TIME_SECTORS if s in catalogue.sectors]
    share = np.where(np.isin(catalogue.sector_of[occupation], sectors), PART_TIME_SHARE[0], PART_TIME_SHARE[1])
    part_time = rng.random(n) < share
    part_min = rng.choice([16, 19, 24], n)
    part_max = np.maximum(part_min, rng.choice([24, 30, 32], n))
    return np.where(part_time, part_min, 38).astype(float), np.where(part_time, part_max, 38).astype(float)


def _draw_occupations(rng: np.random.Generator, sector: np.ndarray, catalogue: Catalogue) -> np.ndarray:
    """Mostly an occupation of the employer's sector, sometimes one of a sector that every employer
    or a neighbouring one hires from (a hospital hires cleaners, a factory forklift drivers)."""
    sector_rows = np.arange(len(catalogue.sectors))[:, None]
    in_sector = catalogue.weights[None, :] * (catalogue.sector_of[None, :] == sector_rows)
    own = categorical(rng, in_sector, sector)
    hired_from = np.zeros((len(catalogue.sectors), len(catalogue.sectors)), dtype=bool)
    for row, name in enumerate(catalogue.sectors):
        others = (*SUPPORT_SECTORS, *NEIGHBOUR_SECTORS.get(name, ()))
        hired_from[row] = [other in others and other != name for other in catalogue.sectors]
    off_sector = catalogue.weights[None, :] * hired_from[:, catalogue.sector_of]
    elsewhere = categorical(rng, off_sector, sector)
    return np.where(rng.random(len(sector)) < OFF_SECTOR_SHARE, elsewhere, own)


INFLATABLE = ("competences", "dutch", "experience", "education", "licence")


def build_vacancies(
    rng: np.random.Generator,
    ids: list[str],
    draws: VacancyDraws,
    employers: EmployerDraws,
    catalogue: Catalogue,
    places: PostcodeSampler,
) -> list[Vacancy]:
    """Assemble and validate the :class:`Vacancy` objects, drawing each one's requirements."""
    vacancies = []
    for i, vacancy_id in enumerate(ids):
        occupation = int(draws.occupation[i])
        employer = employers.employers[draws.employer[i]]
        postcode = places.postcodes[draws.postcode[i]]
        sector = catalogue.rows[occupation].sector
        title = vacancy_title(catalogue, occupation, TITLE_FORMS[draws.title_form[i]], float(draws.title_keys[i]))
        white_raven = bool(draws.white_raven[i])
        inflated = set(rng.choice(INFLATABLE, 3, replace=False).tolist()) if white_raven else set()
        trainable_share = 0.0 if white_raven else 0.45 if draws.training_on_the_job[i] else 0.15
        requirements = (
            competence_requirements(rng, catalogue, occupation, "competences" in inflated, trainable_share)
            + language_requirements(rng, catalogue, occupation, "dutch" in inflated, is_brussels(postcode))
            + experience_requirements(rng, catalogue, occupation, "experience" in inflated)
            + education_requirements(rng, catalogue, occupation, "education" in inflated)
            + licence_requirements(catalogue, occupation, "licence" in inflated)
        )
        contact_languages, remote = _contact_and_remote(sector, is_brussels(postcode), draws.contact_keys[i])
        vacancies.append(
            Vacancy.model_validate(
                {
                    "id": vacancy_id,
                    "employer_id": employer.id,
                    "title": title,
                    "occupation_uri": catalogue.occupations[occupation].uri,
                    "description": _description(
                        employer.name,
                        places.places[draws.postcode[i]],
                        catalogue.rows[occupation].label_nl,
                        int(draws.positions[i]),
                    ),
                    "requirements": requirements,
                    "support": {
                        "language_support": LanguageSupport(int(draws.language_support[i])).name,
                        "workplace_coaching": WorkplaceCoaching(int(draws.workplace_coaching[i])).name,
                        "coaching_capacity": int(draws.coaching_capacity[i]),
                        "coaching_places_taken": int(draws.coaching_taken[i]),
                        "training_on_the_job": bool(draws.training_on_the_job[i]),
                    },
                    "postcode": postcode,
                    "contact_languages": contact_languages,
                    "remote": remote,
                    "hours_min": float(draws.hours_min[i]),
                    "hours_max": float(draws.hours_max[i]),
                    "shifts": _shifts(sector, draws.shift_keys[i]),
                    "positions": int(draws.positions[i]),
                    "valid_through": REFERENCE_DATE + timedelta(days=int(draws.valid_in_days[i])),
                }
            )
        )
    return vacancies


def vacancy_title(catalogue: Catalogue, occupation: int, form: str, key: float) -> str:
    """The title as an employer writes it: "Productiemedewerker (m/v/x)", "Schoonmaakster"…"""
    row, esco = catalogue.rows[occupation], catalogue.occupations[occupation]
    label = row.label_nl
    if form == "gender_neutral":
        label = f"{label} (m/v/x)"
    elif form == "female" and row.female_form:
        label = row.female_form
    elif form == "alternative" and esco.alt_labels_nl:
        label = esco.alt_labels_nl[int(key * len(esco.alt_labels_nl))]
    elif form == "contract":
        label = f"{label} - {CONTRACT_WORDS[int(key * len(CONTRACT_WORDS))]}"
    return label[:1].upper() + label[1:]


def competence_requirements(
    rng: np.random.Generator, catalogue: Catalogue, occupation: int, white_raven: bool, trainable_share: float
) -> list[dict]:
    """Must competences from the occupation's core, should ones from its other essential skills,
    nice ones from its optional skills; an inflated set adds 2-4 optional skills as must."""
    core, other, optional = (
        catalogue.core[occupation],
        catalogue.other_essential[occupation],
        catalogue.optional[occupation],
    )
    n_must, n_should, n_nice = rng.integers(2, 5), rng.integers(1, 4), rng.integers(0, 3)
    if white_raven:
        must = np.concatenate([rng.permutation(core)[:n_must], rng.permutation(optional)[: rng.integers(2, 5)]])
        return [_competence(catalogue, skill, "must") for skill in must.tolist()]
    shuffled = np.concatenate([rng.permutation(core)[:n_must], rng.permutation(other)])
    if catalogue.skill_level[occupation] == 4:
        trainable_share /= 2  # a nurse or developer learns less of the core on the job
    asked = [(skill, "must") for skill in shuffled[:n_must].tolist()] + [
        (skill, "should") for skill in shuffled[n_must : n_must + n_should].tolist()
    ]
    trainable = rng.random(len(asked)) < trainable_share
    weeks = rng.choice(TRAINING_WEEKS, len(asked))
    requirements = [
        _competence(catalogue, skill, importance, int(w) if t else None)
        for (skill, importance), t, w in zip(asked, trainable.tolist(), weeks.tolist(), strict=False)
    ]
    nice = rng.permutation(optional)[:n_nice].tolist()
    return requirements + [_competence(catalogue, skill, "nice") for skill in nice]


def _competence(catalogue: Catalogue, skill: int, importance: str, training_weeks: int | None = None) -> dict:
    requirement: dict[str, Any] = {"kind": "competence", "value": catalogue.skill_uris[skill], "importance": importance}
    if training_weeks is not None:
        requirement |= {"trainable": True, "training_weeks": training_weeks}
    return requirement


def language_requirements(
    rng: np.random.Generator, catalogue: Catalogue, occupation: int, white_raven: bool, in_brussels: bool
) -> list[dict]:
    """Dutch at the level the work needs (white raven: B2/C1 and above it); French too in Brussels."""
    needed = int(catalogue.dutch_level[occupation])
    if white_raven:
        asked = int(rng.choice(WHITE_RAVEN_DUTCH, p=WHITE_RAVEN_DUTCH_SHARES))
        level, importance = max(asked, min(needed + 1, CEFR.C2)), "must"
    else:
        level = int(np.clip(needed + rng.choice([-1, 0, 1], p=[0.15, 0.70, 0.15]), CEFR.A1, CEFR.C2))
        importance = "must" if rng.random() < 0.75 else "should"
    requirements = [{"kind": "language", "value": "nl", "level": CEFR(level).name, "importance": importance}]
    if in_brussels and rng.random() < 0.35:
        requirements.append({"kind": "language", "value": "fr", "level": "B1", "importance": "should"})
    return requirements


def experience_requirements(
    rng: np.random.Generator, catalogue: Catalogue, occupation: int, white_raven: bool
) -> list[dict]:
    """Ordinary vacancies ask 6-24 months in 35 %; white ravens 3-5 years in the occupation, as must."""
    uri = catalogue.occupations[occupation].uri
    if white_raven:
        return [{"kind": "experience", "value": uri, "months": int(rng.choice([36, 48, 60])), "importance": "must"}]
    if rng.random() >= 0.35:
        return []
    return [
        {
            "kind": "experience",
            "value": uri if rng.random() < 0.7 else "",
            "months": int(rng.choice([6, 12, 24])),
            "importance": "must" if rng.random() < 0.3 else "should",
        }
    ]


def education_requirements(
    rng: np.random.Generator, catalogue: Catalogue, occupation: int, white_raven: bool
) -> list[dict]:
    """The diploma skilled work needs; a white raven asks one above it, even for elementary work."""
    skill_level = int(catalogue.skill_level[occupation])
    if white_raven:
        return [{"kind": "education", "value": WHITE_RAVEN_EDUCATION[skill_level - 1].name, "importance": "must"}]
    needed = EDUCATION_FOR_SKILL_LEVEL[skill_level - 1]
    if needed is not EducationLevel.none and rng.random() < 0.7:
        return [{"kind": "education", "value": needed.name, "importance": "must"}]
    if needed is EducationLevel.none and rng.random() < 0.08:
        return [{"kind": "education", "value": "secondary", "importance": "should"}]
    return []


def licence_requirements(catalogue: Catalogue, occupation: int, white_raven: bool) -> list[dict]:
    """The licence the job needs; a white raven asks a B licence whatever the job."""
    needed = catalogue.rows[occupation].licence
    categories = [needed] if needed else []
    if white_raven and "B" not in categories:
        categories.append("B")
    return [{"kind": "licence", "value": category, "importance": "must"} for category in categories]


def _contact_and_remote(sector: str, in_brussels: bool, keys: np.ndarray) -> tuple[list[str], bool]:
    """Languages accepted instead of Dutch, and remote work: English in ICT, French in Brussels."""
    english = keys[0] < (0.6 if sector in ENGLISH_FRIENDLY_SECTORS else 0.04)
    french = in_brussels and keys[1] < 0.3
    remote = keys[2] < REMOTE_SHARE.get(sector, 0.0)
    return [code for code, accepted in (("en", english), ("fr", french)) if accepted], bool(remote)


def _shifts(sector: str, keys: np.ndarray) -> list[str]:
    """The sector's first shift, and each other shift it works with 40 %."""
    worked = SECTOR_SHIFTS.get(sector, ("day",))
    order = [shift.value for shift in Shift]
    return [shift for shift in order if shift == worked[0] or (shift in worked and keys[order.index(shift)] < 0.4)]


def _description(employer: str, place: str, occupation: str, positions: int) -> str:
    wanted = f"{positions} collega's als {occupation}" if positions > 1 else f"een {occupation}"
    return f"{employer} zoekt voor de vestiging in {place} {wanted}."
