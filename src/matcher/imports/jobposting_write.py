"""Write vacancies as one schema.org JSON-LD document (``@context`` once, the postings in ``@graph``).

Every field of a :class:`Vacancy` is written, standard properties where schema.org has them and
``matcher:`` extensions elsewhere, so :mod:`.jobposting` reads back exactly what was written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from ..profiles import Requirement, RequirementKind, Vacancy
from .jobposting import CONTEXT, SUPPORT_KEYS


def _flags(req: Requirement) -> dict[str, Any]:
    flags: dict[str, Any] = {"matcher:importance": req.importance.value}
    if req.trainable:
        flags["matcher:trainable"] = True
    if req.training_weeks is not None:
        flags["matcher:trainingWeeks"] = req.training_weeks
    if req.match_score is not None:
        flags["matcher:matchScore"] = req.match_score
    return flags


def _skill(req: Requirement) -> dict[str, Any]:
    term: dict[str, Any] = {"@type": "DefinedTerm"}
    if req.value:
        term["@id"] = req.value
        term["inDefinedTermSet"] = "http://data.europa.eu/esco/skill"
    if req.text is not None:
        term["name"] = req.text
    return {**term, **_flags(req)}


def _requirements(vacancy: Vacancy) -> dict[str, Any]:
    out: dict[str, list[Any]] = {
        "skills": [],
        "matcher:languageRequirements": [],
        "experienceRequirements": [],
        "educationRequirements": [],
    }
    for req in vacancy.requirements:
        if req.kind is RequirementKind.competence:
            out["skills"].append(_skill(req))
        elif req.kind is RequirementKind.language:
            assert req.level is not None  # Requirement's validator demands a level on a language requirement
            out["matcher:languageRequirements"].append({"language": req.value, "level": req.level.name, **_flags(req)})
        elif req.kind is RequirementKind.experience:
            item = {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": req.months}
            if req.value:
                item["matcher:occupation"] = req.value
            out["experienceRequirements"].append({**item, **_flags(req)})
        else:
            category = req.value if req.kind is RequirementKind.education else f"rijbewijs {req.value}"
            out["educationRequirements"].append(
                {"@type": "EducationalOccupationalCredential", "credentialCategory": category, **_flags(req)}
            )
    return {k: v for k, v in out.items() if v}


def _hours(vacancy: Vacancy) -> str:
    low, high = (f"{h:g}" for h in (vacancy.hours_min, vacancy.hours_max))
    return low if low == high else f"{low}-{high}"


def posting(vacancy: Vacancy) -> dict[str, Any]:
    """One vacancy as a JobPosting object (without ``@context``; the document carries it)."""
    support = vacancy.support.model_dump(mode="json")
    obj: dict[str, Any] = {
        "@type": "JobPosting",
        "identifier": vacancy.id,
        "title": vacancy.title,
        "hiringOrganization": {"@type": "Organization", "identifier": vacancy.employer_id},
        "jobLocation": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "postalCode": vacancy.postcode, "addressCountry": "BE"},
        },
        "workHours": _hours(vacancy),
        "employmentType": "FULL_TIME" if vacancy.hours_min >= 36 else "PART_TIME",
        "totalJobOpenings": vacancy.positions,
    }
    if vacancy.description is not None:
        obj["description"] = vacancy.description
    if vacancy.remote:
        obj["jobLocationType"] = "TELECOMMUTE"
    if vacancy.valid_through is not None:
        obj["validThrough"] = vacancy.valid_through.isoformat()
    if vacancy.occupation_uri is not None:
        obj["occupationalCategory"] = {
            "@type": "CategoryCode",
            "@id": vacancy.occupation_uri,
            "inCodeSet": "http://data.europa.eu/esco/occupation",
        }
    if vacancy.occupation_match_score is not None:
        obj["matcher:occupationMatchScore"] = vacancy.occupation_match_score
    obj.update(_requirements(vacancy))
    obj["matcher:supportOffered"] = {camel: support[snake] for camel, snake in SUPPORT_KEYS.items()}
    obj["matcher:shifts"] = [s.value for s in vacancy.shifts]
    obj["matcher:workplaceLanguage"] = vacancy.workplace_language
    obj["matcher:contactLanguages"] = vacancy.contact_languages
    return obj


def write_vacancies(vacancies: Sequence[Vacancy], out: IO[str]) -> None:
    """A JSON-LD document, one posting per line inside ``@graph`` so line numbers stay useful."""
    out.write('{"@context": ' + json.dumps(CONTEXT) + ',\n "@graph": [\n')
    for n, vacancy in enumerate(vacancies):
        out.write("  " + json.dumps(posting(vacancy), ensure_ascii=False) + (",\n" if n < len(vacancies) - 1 else "\n"))
    out.write("]}\n")
