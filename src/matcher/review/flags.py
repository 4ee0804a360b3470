"""Requirement inflation: where a vacancy asks more than ESCO says the occupation needs.

Tables, and why:

* **Dutch level by ISCO-08 skill level** (:data:`EXPECTED_LANGUAGE_LEVEL`). The ILO's four skill
  levels describe the tasks of an occupation; CEFR describes what a speaker can do. Level 1
  (elementary occupations, major group 9: cleaning, order picking, kitchen help) means simple
  routine tasks and instructions: CEFR A2 ("understands sentences about immediate needs, routine
  tasks") suffices, with coaching on the job. Level 2 (major groups 4–8: clerks, care and sales
  workers, crafts, operators, drivers) means reading instructions, safety rules and short
  reports: B1. Level 3 (major group 3: technicians and associate professionals) means technical
  documents and discussions: B2. Level 4 (major groups 1–2: managers and professionals) means
  complex professional communication: C1. Health, teaching and legal professionals (sub-major
  groups 22, 23, 26) and customer-facing clerks (42) are listed explicitly: they are already at
  the top of their level's range, so the table states their level rather than raising all.
* **Experience by skill level** (:data:`EXPECTED_EXPERIENCE_MONTHS`): the on-the-job learning time
  the ILO associates with each level: level 1 is learnt in weeks (a few months at most), level 2
  within about a year, level 3 in two to three years, level 4 around five.
* **Diplomas**: occupations of major group 9 need no formal education (ISCO-08 skill level 1,
  "completion of primary education" at most), so any diploma requirement there is inflation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..profiles import CEFR, EducationLevel, Importance, RequirementKind, Vacancy
from ..taxonomy import Taxonomy, isco_skill_level

EXPECTED_LANGUAGE_LEVEL = {1: CEFR.A2, 2: CEFR.B1, 3: CEFR.B2, 4: CEFR.C1}
LANGUAGE_LEVEL_BY_SUBMAJOR = {"22": CEFR.C1, "23": CEFR.C1, "26": CEFR.C1, "42": CEFR.B1}
EXPECTED_EXPERIENCE_MONTHS = {1: 6, 2: 12, 3: 36, 4: 60}


@dataclass(frozen=True)
class Flag:
    """One inflated requirement: ``code`` for machines, ``params`` to phrase it in any language."""

    code: str  # competence_optional, competence_not_in_esco, language_above_need, ...
    position: int  # index in the vacancy's requirements
    params: dict


def expected_language_level(isco_group: str) -> CEFR:
    return LANGUAGE_LEVEL_BY_SUBMAJOR.get(isco_group[:2], EXPECTED_LANGUAGE_LEVEL[isco_skill_level(isco_group)])


def inflation_flags(vacancy: Vacancy, taxonomy: Taxonomy) -> list[Flag]:
    """Flags for the must-requirements that exceed what the vacancy's occupation needs."""
    if vacancy.occupation_uri is None or not taxonomy.is_occupation(vacancy.occupation_uri):
        return []
    occupation = taxonomy.occupation(vacancy.occupation_uri)
    essential, optional = set(occupation.essential_skills), set(occupation.optional_skills)
    level = isco_skill_level(occupation.isco_group)
    flags: list[Flag] = []
    for position, req in enumerate(vacancy.requirements):
        if req.importance is not Importance.must:
            continue
        base = {"occupation": occupation.uri, "isco_group": occupation.isco_group}
        if req.kind is RequirementKind.competence and req.value and not req.trainable:
            if req.value in optional and req.value not in essential:
                flags.append(Flag("competence_optional", position, {**base, "skill": req.value}))
            elif req.value not in essential and taxonomy.is_skill(req.value):
                flags.append(Flag("competence_not_in_esco", position, {**base, "skill": req.value}))
        elif req.kind is RequirementKind.language and req.value == vacancy.workplace_language:
            need = expected_language_level(occupation.isco_group)
            if req.level is not None and req.level > need:
                flags.append(
                    Flag(
                        "language_above_need",
                        position,
                        {**base, "language": req.value, "asked": req.level.name, "expected": need.name},
                    )
                )
        elif req.kind is RequirementKind.education and occupation.isco_major_group == 9:
            if EducationLevel[req.value] > EducationLevel.none:
                flags.append(Flag("diploma_for_elementary", position, {**base, "level": req.value}))
        elif req.kind is RequirementKind.experience:
            expected = EXPECTED_EXPERIENCE_MONTHS[level]
            if (req.months or 0) > expected:
                flags.append(
                    Flag(
                        "experience_above_need",
                        position,
                        {**base, "asked_months": req.months, "expected_months": expected},
                    )
                )
    return flags
