"""Demo candidates: job seekers of the four groups in :mod:`.shares`, drawn as arrays at once.

Every trait (group, Dutch level, occupation, months of experience, postcode, licence, hours…) is
drawn for all candidates in one vectorised call per trait; only the final assembly into
:class:`~matcher.profiles.Candidate` objects loops over people. A person's competences are a
partial random subset of the ESCO essential (and a few optional) skills of their main occupation,
plus half as many from a second one; a quarter are written as free text (see
:data:`.shares.FREE_TEXT_SHARE`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from ..profiles import (
    CEFR,
    DRIVING_LICENCES,
    Candidate,
    CoachingNeed,
    Competence,
    EducationLevel,
    Experience,
    LanguageLevel,
    Shift,
)
from .catalogue import LABEL, TYPO, Catalogue
from .places import PostcodeSampler
from .sampling import categorical, draw_subsets, integers_between, per_row
from .shares import (
    CAPITALISED_SHARE,
    EDUCATION_FOR_SKILL_LEVEL,
    FREE_TEXT_SHARE,
    GROUPS,
    NEWCOMER,
    NEWCOMER_LANGUAGES,
    REFERENCE_DATE,
    SETTLED_ORIGINS,
    SYNONYM_SHARE,
    TYPO_SHARE,
)

NO_OCCUPATION = -1
#: Professional licences (and the ones they build on) held by people experienced in a job needing them.
PROFESSIONAL_LICENCES: dict[str, tuple[str, ...]] = {"C": ("B", "C"), "CE": ("B", "C", "CE"), "D": ("B", "D")}


@dataclass(frozen=True)
class CandidateTraits:
    """The drawn traits of all candidates, one array element per candidate."""

    group: np.ndarray
    origin: list[str]  # family language, a key of ``names.NAMES``
    female: np.ndarray
    age: np.ndarray
    dutch: np.ndarray  # CEFR step
    coaching_need: np.ndarray
    education: np.ndarray
    main_occupation: np.ndarray  # index into the catalogue
    second_occupation: np.ndarray  # index, or NO_OCCUPATION
    main_months: np.ndarray  # 0 when no experience in it
    second_months: np.ndarray
    licences: list[list[str]]
    has_car: np.ndarray
    max_commute_km: np.ndarray
    hours_min: np.ndarray
    hours_max: np.ndarray
    shifts: np.ndarray  # (n, 4) booleans: day, evening, night, weekend
    available_in_days: np.ndarray
    work_permit: np.ndarray
    wants_language_training: np.ndarray
    postcode: np.ndarray  # index into the postcode sampler

    @property
    def settled(self) -> np.ndarray:
        return self.group != GROUPS.index(NEWCOMER)


def draw_traits(rng: np.random.Generator, n: int, catalogue: Catalogue, places: PostcodeSampler) -> CandidateTraits:
    """Draw every trait of ``n`` candidates; each trait is one vectorised draw."""
    group = categorical(rng, np.array([[g.share for g in GROUPS]]), np.zeros(n, dtype=np.int64))
    female = rng.random(n) < _of_group("female", group)
    age = _between(rng, "age", group)
    dutch = categorical(rng, np.array([g.dutch for g in GROUPS]), group)
    main, second = _draw_occupations(rng, group, catalogue)
    main_months, second_months = _draw_experience(rng, group, age, second)
    has_licence_b = rng.random(n) < _of_group("licence_b", group)
    licences = _licences(has_licence_b, main, main_months, catalogue)
    has_car = np.array([("B" in held) for held in licences], dtype=bool) & (
        rng.random(n) < _of_group("car_if_licence", group)
    )
    hours_min, hours_max = _draw_hours(rng, group)
    return CandidateTraits(
        group=group,
        origin=_draw_origins(rng, group),
        female=female,
        age=age,
        dutch=dutch,
        coaching_need=categorical(rng, np.array([g.coaching_need for g in GROUPS]), group),
        education=_draw_education(rng, group, main, main_months, catalogue),
        main_occupation=main,
        second_occupation=second,
        main_months=main_months,
        second_months=second_months,
        licences=licences,
        has_car=has_car,
        max_commute_km=_draw_commute(rng, has_car),
        hours_min=hours_min,
        hours_max=hours_max,
        shifts=_draw_shifts(rng, group),
        available_in_days=np.where(rng.random(n) < _of_group("available_now", group), 0, rng.integers(1, 121, n)),
        work_permit=rng.random(n) >= _of_group("no_work_permit", group),
        wants_language_training=np.where(
            dutch < CEFR.B2, rng.random(n) < _of_group("wants_language_training", group), rng.random(n) < 0.03
        ),
        postcode=places.draw(rng, _of_group("city_boost", group)),
    )


def _of_group(attribute: str, group: np.ndarray) -> np.ndarray:
    """A :class:`~.shares.GroupProfile` attribute, one value per candidate of ``group``."""
    return per_row([getattr(profile, attribute) for profile in GROUPS], group)


def _between(rng: np.random.Generator, attribute: str, group: np.ndarray) -> np.ndarray:
    """Integers uniform in a group's inclusive ``(low, high)`` range attribute, one per candidate."""
    bounds = _of_group(attribute, group)
    return integers_between(rng, bounds[:, 0], bounds[:, 1])


def _draw_origins(rng: np.random.Generator, group: np.ndarray) -> list[str]:
    """Newcomers by mother tongue; the others by family background (mostly Flemish)."""
    newcomer_keys, settled_keys = list(NEWCOMER_LANGUAGES), list(SETTLED_ORIGINS)
    zeros = np.zeros(len(group), dtype=np.int64)
    as_newcomer = categorical(rng, np.array([list(NEWCOMER_LANGUAGES.values())]), zeros)
    as_settled = categorical(rng, np.array([list(SETTLED_ORIGINS.values())]), zeros)
    is_newcomer = group == GROUPS.index(NEWCOMER)
    return [
        newcomer_keys[a] if new else settled_keys[b]
        for new, a, b in zip(is_newcomer.tolist(), as_newcomer.tolist(), as_settled.tolist(), strict=False)
    ]


def _draw_occupations(
    rng: np.random.Generator, group: np.ndarray, catalogue: Catalogue
) -> tuple[np.ndarray, np.ndarray]:
    """Main and (sometimes) second occupation, weighted by vacancies and the group's skill level."""
    preference = np.array([g.skill_level_preference for g in GROUPS])[:, catalogue.skill_level - 1]
    table = catalogue.weights[None, :] * preference
    main = categorical(rng, table, group)
    second = categorical(rng, table, group)
    has_second = rng.random(len(group)) < _of_group("second_occupation", group)
    return main, np.where(has_second & (second != main), second, NO_OCCUPATION)


def _draw_experience(
    rng: np.random.Generator, group: np.ndarray, age: np.ndarray, second: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Months in the main and second occupation; nobody has worked longer than since age 16.

    Half as many people have experience in their second occupation, for half as long.
    """
    n = len(group)
    bounds = _of_group("experience_months", group)
    low, high = bounds[:, 0], bounds[:, 1]
    share = _of_group("experience", group)
    career = np.maximum(age - 16, 1) * 12
    main = np.where(rng.random(n) < share, np.minimum(integers_between(rng, low, high), career), 0)
    second_months = np.minimum(integers_between(rng, np.maximum(low // 2, 1), np.maximum(high // 2, 1)), career)
    has_second = (second != NO_OCCUPATION) & (rng.random(n) < share / 2)
    return main, np.where(has_second, second_months, 0)


def _draw_education(
    rng: np.random.Generator, group: np.ndarray, main: np.ndarray, main_months: np.ndarray, catalogue: Catalogue
) -> np.ndarray:
    """Highest diploma; settled people experienced in a skilled job hold the diploma it needs.

    Newcomers are left as drawn (a foreign diploma that is not recognised or used is their story),
    and young people have none by definition.
    """
    drawn = categorical(rng, np.array([g.education for g in GROUPS]), group)
    needed = np.asarray(EDUCATION_FOR_SKILL_LEVEL)[catalogue.skill_level[main] - 1]
    raise_it = _of_group("diploma_follows_job", group) & (main_months > 0)
    return np.where(raise_it, np.maximum(drawn, needed), drawn)


def _licences(has_b: np.ndarray, main: np.ndarray, main_months: np.ndarray, catalogue: Catalogue) -> list[list[str]]:
    """Driving licences: B by the group's share; drivers experienced in a job needing C, CE or D hold it."""
    job_licence = [catalogue.rows[o].licence for o in main.tolist()]
    held_lists = []
    for b, needed, months in zip(has_b.tolist(), job_licence, main_months.tolist(), strict=False):
        held = set(PROFESSIONAL_LICENCES.get(needed, (needed,))) if needed and months > 0 else set()
        if b:
            held.add("B")
        held_lists.append([category for category in DRIVING_LICENCES if category in held])
    return held_lists


def _draw_commute(rng: np.random.Generator, has_car: np.ndarray) -> np.ndarray:
    """Maximum commute in whole km: about 30 km by car, 15 km by bike and public transport."""
    by_car = np.minimum(10 + rng.gamma(2.0, 10.0, len(has_car)), 80)
    without_car = np.minimum(5 + rng.gamma(2.0, 5.0, len(has_car)), 40)
    return np.round(np.where(has_car, by_car, without_car))


def _draw_hours(rng: np.random.Generator, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weekly hours: part-time seekers want 12-19 to 24-30 hours; the others 19-30 to 38-40."""
    n = len(group)
    part_time = rng.random(n) < _of_group("part_time", group)
    part_min, part_max = rng.choice([12, 16, 19], n), rng.choice([24, 30], n)
    full_min, full_max = rng.choice([19, 30], n, p=[0.4, 0.6]), rng.choice([38, 40], n, p=[0.8, 0.2])
    return np.where(part_time, part_min, full_min).astype(float), np.where(part_time, part_max, full_max).astype(float)


def _draw_shifts(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    """Everyone works days; evening, night and weekend work by the group's willingness."""
    n = len(group)
    willing = np.column_stack([_of_group(shift, group) for shift in ("evening", "night", "weekend")])
    return np.column_stack([np.ones(n, dtype=bool), rng.random((n, 3)) < willing])


CORE_SHARE = 0.67


def draw_competences(rng: np.random.Generator, traits: CandidateTraits, catalogue: Catalogue) -> list[list[Competence]]:
    """Each candidate's competences: a partial subset of their occupations' ESCO skills.

    About two thirds of the essential skills a person holds come from the occupation's core
    (:func:`~matcher.demo.catalogue.core_skills`), the rest from its other essential skills.
    """
    group = traits.group
    essential_count = _between(rng, "essential_skills", group)
    optional_count = _between(rng, "optional_skills", group)
    core_count = np.ceil(essential_count * CORE_SHARE).astype(np.int64)
    main_core = draw_subsets(rng, catalogue.core, traits.main_occupation, core_count)
    main_other = draw_subsets(rng, catalogue.other_essential, traits.main_occupation, essential_count - core_count)
    main_essential = [np.concatenate([a, b]) for a, b in zip(main_core, main_other, strict=False)]
    main_optional = draw_subsets(rng, catalogue.optional, traits.main_occupation, optional_count)
    second_essential = draw_subsets(rng, catalogue.essential, traits.second_occupation, (essential_count + 1) // 2)
    held = [
        list(dict.fromkeys(np.concatenate([a, b, c]).tolist()))
        for a, b, c in zip(main_essential, main_optional, second_essential, strict=False)
    ]
    as_text = rng.random(sum(len(skills) for skills in held)) < FREE_TEXT_SHARE
    flat = np.fromiter((s for skills in held for s in skills), dtype=np.int64, count=len(as_text))
    written = iter(_phrase(rng.spawn(1)[0], flat[as_text].tolist(), catalogue))
    uris, flags = catalogue.skill_uris, as_text.tolist()
    competences, position = [], 0
    for skills in held:
        competences.append(
            [
                Competence(text=next(written)) if flag else Competence(uri=uris[s])
                for s, flag in zip(skills, flags[position : position + len(skills)], strict=False)
            ]
        )
        position += len(skills)
    return competences


def _phrase(rng: np.random.Generator, skills: list[int], catalogue: Catalogue) -> list[str]:
    """How each skill would be written as free text (the draws come from a child generator, so
    that choosing a phrasing leaves the rest of the pool as it was)."""
    n = len(skills)
    use_synonym, typo = rng.random(n) < SYNONYM_SHARE, rng.random(n) < TYPO_SHARE
    capital = rng.random(n) < CAPITALISED_SHARE
    pick = rng.random(n)
    texts = []
    for i, s in enumerate(skills):
        phrasings = catalogue.skill_phrasings[s]
        synonyms = phrasings[TYPO + 1 :]
        if synonyms and use_synonym[i]:
            text = synonyms[int(pick[i] * len(synonyms))]
        else:
            text = phrasings[TYPO if typo[i] else LABEL]
        texts.append(text[:1].upper() + text[1:] if capital[i] else text)
    return texts


def draw_languages(rng: np.random.Generator, traits: CandidateTraits) -> list[list[LanguageLevel]]:
    """Dutch at the drawn level; the family language; English and French by the group's shares.

    A newcomer speaks the mother tongue at C2, English B1-C1 and French A2-B2; a settled person
    speaks a family language other than Dutch at B2-C2, English and French at A2-C1.
    """
    n = len(traits.group)
    settled = traits.settled
    english = (rng.random(n) < _of_group("english", traits.group)).tolist()
    french = (rng.random(n) < _of_group("french", traits.group)).tolist()
    family_level = np.where(settled, rng.integers(CEFR.B2, CEFR.C2 + 1, n), CEFR.C2).tolist()
    english_level = np.where(
        settled, rng.integers(CEFR.A2, CEFR.C1 + 1, n), rng.integers(CEFR.B1, CEFR.C1 + 1, n)
    ).tolist()
    french_level = np.where(
        settled, rng.integers(CEFR.A2, CEFR.C1 + 1, n), rng.integers(CEFR.A2, CEFR.B2 + 1, n)
    ).tolist()
    dutch = traits.dutch.tolist()
    levels = list(CEFR)
    languages = []
    for i, origin in enumerate(traits.origin):
        spoken = [LanguageLevel(language="nl", level=levels[dutch[i]])]
        if origin != "nl":
            spoken.append(LanguageLevel(language=origin, level=levels[family_level[i]]))
        if english[i] and origin != "en":
            spoken.append(LanguageLevel(language="en", level=levels[english_level[i]]))
        if french[i] and origin != "fr":
            spoken.append(LanguageLevel(language="fr", level=levels[french_level[i]]))
        languages.append(spoken)
    return languages


def build_candidates(
    ids: list[str],
    traits: CandidateTraits,
    competences: list[list[Competence]],
    languages: list[list[LanguageLevel]],
    catalogue: Catalogue,
    places: PostcodeSampler,
) -> list[Candidate]:
    """Assemble and validate the :class:`Candidate` objects from the drawn traits.

    Objects are validated bottom-up: the nested competences, languages and experience are
    already validated instances, which pydantic accepts without revalidating. Measured with
    pydantic 2.14, that is faster than ``model_construct`` (which runs in Python) and far
    faster than validating one nested dict per candidate, so every record is checked for free.
    """
    occupations = catalogue.occupations
    shifts, needs, levels = list(Shift), list(CoachingNeed), list(EducationLevel)
    columns = {
        name: getattr(traits, name).tolist()
        for name in (
            "main_occupation",
            "second_occupation",
            "main_months",
            "second_months",
            "postcode",
            "wants_language_training",
            "coaching_need",
            "max_commute_km",
            "has_car",
            "hours_min",
            "hours_max",
            "shifts",
            "available_in_days",
            "work_permit",
            "education",
        )
    }
    candidates = []
    for i, candidate_id in enumerate(ids):
        main, second = columns["main_occupation"][i], columns["second_occupation"][i]
        experience = [
            Experience(occupation_uri=occupations[o].uri, title=occupations[o].label("nl"), months=months)
            for o, months in ((main, columns["main_months"][i]), (second, columns["second_months"][i]))
            if months > 0
        ]
        candidates.append(
            Candidate(
                id=candidate_id,
                postcode=places.postcodes[columns["postcode"][i]],
                competences=competences[i],
                experience=experience,
                languages=languages[i],
                wants_language_training=columns["wants_language_training"][i],
                coaching_need=needs[columns["coaching_need"][i]],
                max_commute_km=columns["max_commute_km"][i],
                driving_licences=traits.licences[i],
                has_car=columns["has_car"][i],
                hours_min=columns["hours_min"][i],
                hours_max=columns["hours_max"][i],
                shifts=[shift for shift, on in zip(shifts, columns["shifts"][i], strict=False) if on],
                available_from=REFERENCE_DATE + timedelta(days=columns["available_in_days"][i]),
                work_permit=columns["work_permit"][i],
                education=levels[columns["education"][i]],
                desired_occupations=[occupations[o].uri for o in (main, second) if o != NO_OCCUPATION],
            )
        )
    return candidates
