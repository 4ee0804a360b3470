"""The hand-made seed the live service and page tests share: two employers, three vacancies, twelve candidates.

The page tests add a title, a coaching capacity and two free-text requirements (an unrecognised
one and one to confirm) to employer A's vacancies, and keep less personal data; the rest is one
seed, so both suites test the same pool.
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher.profiles import Candidate, PersonalData, Requirement, SupportOffered, Vacancy
from profiles_factory import SKILLS, candidate, vacancy

EMPLOYER_A, EMPLOYER_B = "emp-a", "emp-b"
VACANCY_A, VACANCY_A2, VACANCY_B = "vac-a1", "vac-a2", "vac-b1"


def seed_vacancies(
    support_a: SupportOffered | None = None,
    extra_requirements_a2: Sequence[Requirement] = (),
    **vacancy_a: object,
) -> list[Vacancy]:
    """Employer A's forklift vacancy (``vacancy_a``: extra fields) and warehouse job, employer B's forklift vacancy."""
    must = tuple(SKILLS[:3])
    return [
        vacancy(
            VACANCY_A,
            must_skills=must,
            employer_id=EMPLOYER_A,
            support=support_a or SupportOffered(language_support="on_the_job", workplace_coaching="mentor"),
            **vacancy_a,
        ),
        vacancy(
            VACANCY_A2,
            postcode="9050",
            must_skills=must[:1],
            dutch="B2",
            employer_id=EMPLOYER_A,
            title="Magazijnier",
            requirements=[Requirement(kind="licence", value="B"), *extra_requirements_a2],
        ),
        vacancy(
            VACANCY_B,
            postcode="2000",
            must_skills=must[1:],
            employer_id=EMPLOYER_B,
            title="Heftruckchauffeur Antwerpen",
        ),
    ]


def seed_candidates(contact: bool = True) -> tuple[list[Candidate], list[PersonalData]]:
    """Twelve candidates near Ghent: full fits, fits with a gap, and stretch matches.

    ``contact``: besides a name and email, a phone number, nationality and gender (which must never
    reach a score or an employer).
    """
    people, personal = [], []
    for i in range(12):
        skills = tuple(SKILLS[: 3 - (i % 3)]) + tuple(SKILLS[3 + i : 5 + i])
        cand_id = f"cand-{i:03d}"
        people.append(
            candidate(
                cand_id,
                postcode=("9000", "9050", "9100")[i % 3],
                skills=skills,
                dutch=("A2", "B1", "B2")[i % 3],
                coaching_need=("none", "light", "intensive")[i % 3],
                driving_licences=["B"] if i % 2 else [],
            )
        )
        extra = {"phone": f"+32 470 00 00 {i:02d}", "nationality": "BE", "gender": "x"} if contact else {}
        personal.append(
            PersonalData(candidate_id=cand_id, name=f"Persoon Nummer{i}", email=f"persoon{i}@example.org", **extra)
        )
    return people, personal
