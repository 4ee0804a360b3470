"""JSON Resume (jsonresume.org) → :class:`Candidate` and :class:`PersonalData`.

``basics`` gives the personal data (name, email, phone) and the postcode; ``skills`` the
competences; ``languages`` the CEFR levels; ``work`` the experience in months; ``education`` the
diploma level. What JSON Resume has no place for (coaching need, commute, hours, work permit…)
sits in a top-level ``matcher`` object. A fluency or diploma that cannot be mapped is left out
with a warning naming the field, never guessed. A resume without ``matcher.id`` gets a stable id
derived from its content (the same resume gives the same id in every import), with a warning.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from ..profiles import ESCO_SKILL_PREFIX
from .jobposting import as_list
from .jsondoc import JsonRecord
from .pipeline import Draft
from .vocab import FLUENCY, cefr_of, education_of, language_code

FORMAT = "jsonresume"
#: ``matcher`` block keys → Candidate fields.
EXTENSION_FIELDS = {
    "id": "id",
    "coachingNeed": "coaching_need",
    "wantsLanguageTraining": "wants_language_training",
    "maxCommuteKm": "max_commute_km",
    "hoursMin": "hours_min",
    "hoursMax": "hours_max",
    "shifts": "shifts",
    "workPermit": "work_permit",
    "drivingLicences": "driving_licences",
    "hasCar": "has_car",
    "availableFrom": "available_from",
    "desiredOccupations": "desired_occupations",
    "education": "education",
}
PERSONAL_FIELDS = {"gender": "gender", "nationality": "nationality", "birthDate": "birth_date"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-\d{2})?")


def drafts(records: Iterable[JsonRecord], today: date) -> Iterator[Draft]:
    for rec in records:
        draft = Draft(rec.record, rec.line)
        if rec.error is not None:
            draft.problems.append((None, rec.error))
        elif not isinstance(rec.value, dict):
            draft.problems.append((None, "a resume must be a JSON object"))
        else:
            try:
                draft.data, draft.personal = _candidate(rec.value, draft, today)
            except Exception as exc:  # one resume's content may not end the file's import
                draft.data, draft.problems = None, [(None, f"the resume cannot be read ({type(exc).__name__})")]
        yield draft


def _candidate(obj: dict[str, Any], draft: Draft, today: date) -> tuple[dict[str, Any], dict[str, Any]]:
    basics = _object(obj, "basics")
    block = _object(obj, "matcher")
    origins: dict[str, str] = {
        "postcode": "basics.location.postalCode",
        "personal.name": "basics.name",
        "personal.email": "basics.email",
        "personal.phone": "basics.phone",
        **{snake: f"matcher.{camel}" for camel, snake in EXTENSION_FIELDS.items()},
        **{f"personal.{snake}": f"matcher.personal.{camel}" for camel, snake in PERSONAL_FIELDS.items()},
    }
    location = _object(basics, "location")
    postcode = location.get("postalCode")
    data: dict[str, Any] = {"postcode": str(postcode) if isinstance(postcode, int) else postcode}
    unknown = sorted(set(block) - set(EXTENSION_FIELDS) - {"personal"})
    draft.warnings += [
        (
            f"matcher.{k}",
            f"matcher.{k} is not a matcher extension property and was not imported; "
            f"known: {', '.join(EXTENSION_FIELDS)}, personal",
        )
        for k in unknown
    ]
    data.update({snake: block[camel] for camel, snake in EXTENSION_FIELDS.items() if camel in block})
    if data.get("id") in (None, ""):
        data["id"] = content_id(obj)
        draft.warnings.append(
            ("matcher.id", f"no matcher.id; the id {data['id']} was derived from the resume's content")
        )
    if data.get("postcode") in (None, "") and isinstance(location.get("city"), str):
        draft.place, draft.place_field = location["city"], "basics.location.city"
    data["competences"] = _competences(as_list(obj.get("skills")), origins)
    data["languages"] = _languages(as_list(obj.get("languages")), origins, draft)
    data["experience"] = _experience(as_list(obj.get("work")), origins, draft, today)
    if "education" not in data:
        level = _education(as_list(obj.get("education")), origins, draft)
        if level is not None:
            data["education"] = level
    draft.origins = origins
    person = _object(block, "personal")
    personal = {
        "name": basics.get("name"),
        "email": basics.get("email"),
        "phone": basics.get("phone"),
        **{snake: person[camel] for camel, snake in PERSONAL_FIELDS.items() if camel in person},
    }
    return (
        {k: v for k, v in data.items() if v is not None and v != []},
        {k: v for k, v in personal.items() if v is not None},
    )


def _object(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """``parent[key]`` if it is a JSON object, else an empty one."""
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def content_id(resume: dict[str, Any]) -> str:
    """``jr-`` and 16 hex digits of the SHA-256 of the resume as canonical JSON: stable across imports."""
    text = json.dumps(resume, sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return "jr-" + hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def _competences(skills: list[Any], origins: dict[str, str]) -> list[dict[str, Any]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for i, skill in enumerate(skills):
        if not isinstance(skill, dict):
            found.append((f"skills[{i}]", _competence(str(skill), {})))
            continue
        if skill.get("name"):
            extra = _object(skill, "matcher")
            found.append((f"skills[{i}].name", _competence(str(skill["name"]), extra)))
        found += [
            (f"skills[{i}].keywords[{k}]", _competence(str(word), {}))
            for k, word in enumerate(as_list(skill.get("keywords")))
        ]
    origins.update({f"competences[{n}]": source for n, (source, _) in enumerate(found)})
    return [competence for _, competence in found]


def _competence(name: str, extra: dict[str, Any]) -> dict[str, Any]:
    if name.strip().startswith(ESCO_SKILL_PREFIX) and not extra.get("uri"):
        return {"uri": name.strip()}
    found = {"text": name, "uri": extra.get("uri"), "match_score": extra.get("matchScore")}
    return {k: v for k, v in found.items() if v is not None}


def _languages(languages: list[Any], origins: dict[str, str], draft: Draft) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, entry in enumerate(languages):
        entry = entry if isinstance(entry, dict) else {"language": entry}
        name, fluency = str(entry.get("language") or ""), entry.get("fluency")
        code = language_code(name)
        if code is None:
            draft.warnings.append(
                (
                    f"languages[{i}].language",
                    f"language {name[:60]!r} is not known and was left out; give its ISO 639-1 "
                    f"code, e.g. nl, fr, ar, or its name in Dutch or English",
                )
            )
            continue
        level = cefr_of(str(fluency)) if fluency is not None else None
        if level is None:
            draft.warnings.append(
                (
                    f"languages[{i}].fluency",
                    f"fluency {str(fluency)[:60]!r} for {name[:60]} cannot be mapped to a CEFR level, so "
                    f"the language was left out; give A1…C2 or one of: "
                    f"{', '.join(sorted(FLUENCY)[:12])}, …",
                )
            )
            continue
        origins[f"languages[{len(out)}]"] = f"languages[{i}]"
        out.append({"language": code, "level": level.name})
    return out


def _months(text: Any) -> tuple[int, int] | None:
    match = _DATE.match(str(text)) if text else None
    return (int(match.group(1)), int(match.group(2) or 1)) if match else None


def _experience(work: list[Any], origins: dict[str, str], draft: Draft, today: date) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, job in enumerate(work):
        if not isinstance(job, dict):
            draft.problems.append((f"work[{i}]", "a work entry must be an object with position, startDate, endDate"))
            continue
        start = _months(job.get("startDate"))
        end = _months(job.get("endDate")) if job.get("endDate") else (today.year, today.month)
        if start is None or end is None:
            bad = "startDate" if start is None else "endDate"
            draft.problems.append(
                (f"work[{i}].{bad}", f"work[{i}].{bad} {job.get(bad)!r} must be a date like 2021-03 or 2021-03-01")
            )
            continue
        extra = _object(job, "matcher")
        found = {
            "title": job.get("position"),
            "months": (end[0] - start[0]) * 12 + end[1] - start[1],
            "occupation_uri": extra.get("occupationUri"),
            "match_score": extra.get("matchScore"),
        }
        origins[f"experience[{len(out)}]"] = f"work[{i}]"
        origins[f"experience[{len(out)}].months"] = f"work[{i}].startDate"
        out.append({k: v for k, v in found.items() if v is not None})
    return out


def _education(entries: list[Any], origins: dict[str, str], draft: Draft) -> str | None:
    """The highest level among the entries' ``studyType``."""
    levels = []
    for i, entry in enumerate(entries):
        study = entry.get("studyType") if isinstance(entry, dict) else entry
        level = education_of(str(study)) if study else None
        if level is None:
            draft.warnings.append(
                (
                    f"education[{i}].studyType",
                    f"studyType {str(study)[:80]!r} is not a diploma level matcher knows and was left "
                    f"out; use e.g. secundair onderwijs, graduaat, bachelor, master, or set matcher.education",
                )
            )
            continue
        levels.append(level)
    origins["education"] = "education"
    return max(levels).name if levels else None
