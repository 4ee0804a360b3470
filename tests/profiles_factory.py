"""Small realistic profiles and hypothesis strategies for pools, shared by the tests."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from matcher.profiles import (
    CEFR,
    Candidate,
    Competence,
    Experience,
    LanguageLevel,
    Requirement,
    Shift,
    SupportOffered,
    Vacancy,
)
from matcher.taxonomy import load_taxonomy

TAX = load_taxonomy()
FORKLIFT = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"  # heftruckchauffeur
WAREHOUSE = "http://data.europa.eu/esco/occupation/bea705fe-06ac-4147-b8e0-6e8ac1208d8f"  # magazijnmedewerker
CLEANER = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"  # schoonmaker gebouwen
KITCHEN = "http://data.europa.eu/esco/occupation/e1cf6897-158d-4b48-a39e-2a3a8cac216c"  # keukenhulp
OCCUPATIONS = (FORKLIFT, WAREHOUSE, CLEANER, KITCHEN)


def _skill_universe() -> list[str]:
    """Essential skills of four entry-level occupations plus their ESCO neighbours (for near credit)."""
    skills: dict[str, None] = {}
    for occ in OCCUPATIONS:
        for uri in TAX.occupation(occ).essential_skills[:10]:
            skill = TAX.skill(uri)
            skills.setdefault(uri)
            for neighbour in (*skill.broader, *skill.narrower[:2]):
                skills.setdefault(neighbour)
    return list(skills)


SKILLS = _skill_universe()
POSTCODES = ("9000", "9050", "9300", "2000", "2800", "3000", "1000", "8500", "3500", "9100")
TODAY = date(2026, 11, 23)


def candidate(
    id: str = "c1", postcode: str = "9000", skills: tuple[str, ...] = (), dutch: str = "B1", **extra
) -> Candidate:
    return Candidate(
        id=id,
        postcode=postcode,
        competences=[Competence(uri=s) for s in skills],
        languages=[LanguageLevel(language="nl", level=dutch)],
        **extra,
    )


def vacancy(
    id: str = "v1", postcode: str = "9000", must_skills: tuple[str, ...] = (), dutch: str | None = "B1", **extra
) -> Vacancy:
    reqs = [Requirement(kind="competence", value=s) for s in must_skills]
    if dutch:
        reqs.append(Requirement(kind="language", value="nl", level=dutch))
    reqs += extra.pop("requirements", [])
    return Vacancy(
        id=id,
        employer_id=extra.pop("employer_id", "e1"),
        title=extra.pop("title", "Heftruckchauffeur"),
        postcode=postcode,
        occupation_uri=extra.pop("occupation_uri", FORKLIFT),
        requirements=reqs,
        **extra,
    )


levels = st.sampled_from([lvl.name for lvl in CEFR])
shifts = st.lists(st.sampled_from(list(Shift)), min_size=1, max_size=4, unique=True)


@st.composite
def candidates(draw, id: str) -> Candidate:
    hours_min = draw(st.sampled_from([0, 10, 19, 30]))
    return Candidate(
        id=id,
        postcode=draw(st.sampled_from(POSTCODES)),
        competences=[Competence(uri=s) for s in draw(st.lists(st.sampled_from(SKILLS), max_size=8, unique=True))],
        experience=[
            Experience(occupation_uri=draw(st.sampled_from(OCCUPATIONS)), months=m)
            for m in draw(st.lists(st.integers(0, 120), max_size=2))
        ],
        languages=[
            LanguageLevel(language=lang, level=draw(levels))
            for lang in draw(st.lists(st.sampled_from(["nl", "fr", "en", "ar"]), min_size=1, max_size=3, unique=True))
        ],
        wants_language_training=draw(st.booleans()),
        coaching_need=draw(st.sampled_from(["none", "light", "intensive"])),
        max_commute_km=draw(st.sampled_from([5.0, 15.0, 30.0, 60.0, 150.0])),
        driving_licences=draw(st.lists(st.sampled_from(["B", "C", "CE", "AM"]), max_size=2, unique=True)),
        hours_min=hours_min,
        hours_max=hours_min + draw(st.sampled_from([0, 8, 20, 38])) if hours_min < 30 else 38,
        shifts=draw(shifts),
        work_permit=draw(st.sampled_from([True, True, True, False])),
        education=draw(st.sampled_from(["none", "lower_secondary", "secondary", "bachelor"])),
        desired_occupations=draw(st.lists(st.sampled_from(OCCUPATIONS), max_size=1)),
    )


@st.composite
def requirements(draw) -> list[Requirement]:
    reqs = [
        Requirement(
            kind="competence",
            value=s,
            importance=draw(st.sampled_from(["must", "must", "should"])),
            trainable=draw(st.booleans()),
        )
        for s in draw(st.lists(st.sampled_from(SKILLS), max_size=5, unique=True))
    ]
    if draw(st.booleans()):
        reqs.append(
            Requirement(
                kind="language", value="nl", level=draw(levels), importance=draw(st.sampled_from(["must", "should"]))
            )
        )
    if draw(st.booleans()):
        reqs.append(
            Requirement(
                kind="experience", value=draw(st.sampled_from(["", *OCCUPATIONS])), months=draw(st.integers(1, 60))
            )
        )
    if draw(st.booleans()):
        reqs.append(
            Requirement(kind="education", value=draw(st.sampled_from(["lower_secondary", "secondary", "bachelor"])))
        )
    if draw(st.booleans()):
        reqs.append(Requirement(kind="licence", value=draw(st.sampled_from(["B", "C", "CE"]))))
    return reqs


@st.composite
def vacancies(draw, id: str) -> Vacancy:
    hours_min = draw(st.sampled_from([10, 19, 30, 38]))
    coaching = draw(st.sampled_from(["none", "mentor", "job_coach"]))
    return Vacancy(
        id=id,
        employer_id=draw(st.sampled_from(["e1", "e2"])),
        title="Vacature",
        occupation_uri=draw(st.sampled_from(OCCUPATIONS)),
        postcode=draw(st.sampled_from(POSTCODES)),
        requirements=draw(requirements()),
        support=SupportOffered(
            language_support=draw(st.sampled_from(["none", "on_the_job", "course"])),
            workplace_coaching=coaching,
            coaching_capacity=0 if coaching == "none" else draw(st.integers(1, 3)),
            training_on_the_job=draw(st.booleans()),
        ),
        contact_languages=draw(st.lists(st.sampled_from(["fr", "en"]), max_size=1)),
        remote=draw(st.sampled_from([False, False, False, True])),
        hours_min=hours_min,
        hours_max=38,
        shifts=draw(shifts),
        valid_through=draw(st.sampled_from([None, TODAY + timedelta(days=30), TODAY - timedelta(days=1)])),
    )


@st.composite
def pools(draw, max_candidates: int = 6, max_vacancies: int = 4) -> tuple[list[Candidate], list[Vacancy]]:
    n = draw(st.integers(1, max_candidates))
    m = draw(st.integers(1, max_vacancies))
    return ([draw(candidates(f"c{i:02d}")) for i in range(n)], [draw(vacancies(f"v{j:02d}")) for j in range(m)])
