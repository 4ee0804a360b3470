"""schema.org ``JobPosting`` (JSON-LD) → :class:`Vacancy`: the standard properties, plus ``matcher:``
extension properties for what schema.org cannot say (language requirements, support offered,
importance and trainability of requirements, shifts, contact languages).

Extension keys are compact IRIs with the prefix ``matcher`` (see :data:`NAMESPACE`); they are
read by that prefix or by their full IRI, so a file need not repeat the ``@context``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..profiles import ESCO_OCCUPATION_PREFIX, ESCO_SKILL_PREFIX
from .html_text import html_to_text, looks_like_html
from .jsondoc import JsonRecord
from .pipeline import Draft
from .salary import salary_from_schema
from .vocab import education_of, licence_of, months_of

FORMAT = "jobposting"
NAMESPACE = "urn:matcher:"
CONTEXT: list[Any] = ["https://schema.org/", {"matcher": NAMESPACE}]
EXTENSIONS = (
    "occupationMatchScore",
    "languageRequirements",
    "supportOffered",
    "shifts",
    "contactLanguages",
    "workplaceLanguage",
    "importance",
    "trainable",
    "trainingWeeks",
    "matchScore",
    "occupation",
)
SUPPORT_KEYS = {
    "languageSupport": "language_support",
    "workplaceCoaching": "workplace_coaching",
    "coachingCapacity": "coaching_capacity",
    "coachingPlacesTaken": "coaching_places_taken",
    "trainingOnTheJob": "training_on_the_job",
}
ORIGINS = {
    "id": "identifier",
    "employer_id": "hiringOrganization.identifier",
    "title": "title",
    "description": "description",
    "postcode": "jobLocation.address.postalCode",
    "remote": "jobLocationType",
    "occupation_uri": "occupationalCategory",
    "occupation_match_score": "matcher:occupationMatchScore",
    "hours_min": "workHours",
    "hours_max": "workHours",
    "positions": "totalJobOpenings",
    "valid_through": "validThrough",
    "salary": "baseSalary",
    "description_html": "description",
    "shifts": "matcher:shifts",
    "contact_languages": "matcher:contactLanguages",
    "workplace_language": "matcher:workplaceLanguage",
    "support": "matcher:supportOffered",
    **{f"support.{snake}": f"matcher:supportOffered.{camel}" for camel, snake in SUPPORT_KEYS.items()},
}
FULL_TIME_HOURS = 38


def ext(obj: dict[str, Any], name: str) -> Any:
    """An extension property, written ``matcher:name`` or with its full IRI."""
    return obj.get(f"matcher:{name}", obj.get(NAMESPACE + name))


def as_list(value: Any) -> list[Any]:
    return [] if value is None else value if isinstance(value, list) else [value]


def identifier(value: Any) -> str | None:
    """A schema.org identifier: text, a number, or a ``PropertyValue`` with ``value``."""
    if isinstance(value, dict):
        value = value.get("value", value.get("@value"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() if isinstance(value, str) and value.strip() else None


def split_text(text: str) -> list[str]:
    """A skills text split at commas, semicolons and new lines that are not inside brackets."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;\n" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def drafts(records: Iterable[JsonRecord]) -> Iterator[Draft]:
    for rec in records:
        draft = Draft(rec.record, rec.line, origins=ORIGINS)
        if rec.error is not None:
            draft.problems.append((None, rec.error))
        elif not isinstance(rec.value, dict):
            draft.problems.append((None, "a JobPosting must be a JSON object"))
        else:
            try:
                draft.data = _vacancy(rec.value, draft)
            except Exception as exc:  # one posting's content may not end the file's import
                draft.data, draft.problems = None, [(None, f"the posting cannot be read ({type(exc).__name__})")]
        yield draft


def _vacancy(obj: dict[str, Any], draft: Draft) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": identifier(obj.get("identifier")) or identifier(obj.get("@id")),
        "title": obj.get("title"),
        **_description(obj.get("description"), draft),
        "employer_id": _employer(obj.get("hiringOrganization"), draft),
        "postcode": _postcode(obj.get("jobLocation"), draft),
        "positions": obj.get("totalJobOpenings"),
        "valid_through": _date(obj.get("validThrough")),
        "occupation_match_score": ext(obj, "occupationMatchScore"),
        "shifts": ext(obj, "shifts"),
        "contact_languages": ext(obj, "contactLanguages"),
        "workplace_language": ext(obj, "workplaceLanguage"),
    }
    if obj.get("baseSalary") is not None:
        salary, problem = salary_from_schema(obj["baseSalary"])
        if salary is not None:
            data["salary"] = salary
        else:
            draft.warnings.append(("baseSalary", problem or "baseSalary was not imported"))
    if "TELECOMMUTE" in as_list(obj.get("jobLocationType")):
        data["remote"] = True
    data["occupation_uri"] = _occupation(obj.get("occupationalCategory"), draft)
    data.update(_hours(obj.get("workHours"), as_list(obj.get("employmentType")), draft))
    support = ext(obj, "supportOffered")
    if isinstance(support, dict):
        data["support"] = {SUPPORT_KEYS.get(k, k): v for k, v in support.items()}
    elif support is not None:
        draft.problems.append(("matcher:supportOffered", "matcher:supportOffered must be an object"))
    data["requirements"] = _requirements(obj, draft)
    unknown = sorted(
        k
        for k in obj
        if k.startswith(("matcher:", NAMESPACE))
        and k.removeprefix("matcher:").removeprefix(NAMESPACE) not in EXTENSIONS
    )
    draft.warnings += [(k, f"{k} is not a matcher extension property and was not imported") for k in unknown]
    return {k: v for k, v in data.items() if v is not None}


def _employer(organisation: Any, draft: Draft) -> str | None:
    if isinstance(organisation, dict):
        found = identifier(organisation.get("identifier")) or identifier(organisation.get("@id"))
        if found:
            return found
        organisation = organisation.get("name")
    if isinstance(organisation, str) and organisation.strip():
        draft.warnings.append(
            (
                "hiringOrganization.identifier",
                f"no identifier for the employer; its name {organisation.strip()!r} is used as employer_id",
            )
        )
        return organisation.strip()
    return None


def _description(value: Any, draft: Draft) -> dict[str, Any]:
    """The description as text; HTML (``<p>…&amp;…``) converted, the original kept in ``description_html``."""
    if not isinstance(value, str) or not looks_like_html(value):
        return {"description": value}
    text = html_to_text(value)
    draft.warnings.append(("description", "description is HTML; it was converted to text and the original kept"))
    return {"description": text, "description_html": value}


def _postcode(location: Any, draft: Draft) -> Any:
    """The first location's postal code; without one, its ``addressLocality`` is read as a place name."""
    places = as_list(location)
    if len(places) > 1:
        draft.warnings.append(("jobLocation", f"{len(places)} job locations; only the first is imported"))
    place = places[0] if places else None
    address = place.get("address") if isinstance(place, dict) else None
    code = address.get("postalCode") if isinstance(address, dict) else None
    if code in (None, "") and isinstance(address, dict) and isinstance(address.get("addressLocality"), str):
        draft.place, draft.place_field = address["addressLocality"], "jobLocation.address.addressLocality"
    return str(code) if isinstance(code, int) else code


def _date(value: Any) -> Any:
    """The date part of a schema.org date or date-time ("2026-12-31T23:59:59+01:00")."""
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        return value[:10]
    return value


def _occupation(category: Any, draft: Draft) -> str | None:
    for item in as_list(category):
        uri = (
            item
            if isinstance(item, str)
            else next(
                (
                    item.get(k)
                    for k in ("@id", "url", "codeValue", "termCode")
                    if isinstance(item, dict) and str(item.get(k, "")).startswith(ESCO_OCCUPATION_PREFIX)
                ),
                None,
            )
        )
        if isinstance(uri, str) and uri.startswith(ESCO_OCCUPATION_PREFIX):
            return uri
    if category is not None:
        draft.warnings.append(
            (
                "occupationalCategory",
                f"occupationalCategory {category!r} is not an ESCO occupation "
                f"URI; the occupation is found from the title instead",
            )
        )
    return None


def _hours(work_hours: Any, employment: list[Any], draft: Draft) -> dict[str, Any]:
    """Weekly hours from ``workHours`` ("38", "19-30 uur"), else from ``employmentType`` FULL_TIME."""
    if isinstance(work_hours, (int, float)):
        return {"hours_min": work_hours, "hours_max": work_hours}
    if isinstance(work_hours, str) and work_hours.strip():
        numbers = [float(n.replace(",", ".")) for n in re.findall(r"\d+(?:[.,]\d+)?", work_hours)]
        if len(numbers) in (1, 2):
            return {"hours_min": min(numbers), "hours_max": max(numbers)}
        if re.search(r"voltijd|full.?time|temps plein", work_hours, re.IGNORECASE):
            return {"hours_min": FULL_TIME_HOURS, "hours_max": FULL_TIME_HOURS}
        draft.problems.append(
            ("workHours", f"workHours {work_hours!r} gives no weekly hours; write them as '38' or '19-30'")
        )
        return {}
    if "FULL_TIME" in employment:
        return {"hours_min": FULL_TIME_HOURS, "hours_max": FULL_TIME_HOURS}
    if employment:
        draft.problems.append(
            (
                "workHours",
                f"employmentType {', '.join(map(str, employment))} needs workHours with the weekly hours, e.g. '19-24'",
            )
        )
    else:
        draft.warnings.append(
            ("workHours", f"no workHours or employmentType; taken as full time, {FULL_TIME_HOURS} hours a week")
        )
    return {}


def _flags(obj: Any) -> dict[str, Any]:
    """The extension flags a requirement object may carry."""
    if not isinstance(obj, dict):
        return {}
    found = {
        "importance": ext(obj, "importance"),
        "trainable": ext(obj, "trainable"),
        "training_weeks": ext(obj, "trainingWeeks"),
        "match_score": ext(obj, "matchScore"),
    }
    return {k: v for k, v in found.items() if v is not None}


def _requirements(obj: dict[str, Any], draft: Draft) -> list[dict[str, Any]]:
    """Requirements in the order competence, language, experience, education/licence."""
    found: list[tuple[str, dict[str, Any]]] = []
    for key in ("skills", "qualifications"):
        for i, item in enumerate(as_list(obj.get(key))):
            found += [(f"{key}[{i}]", req) for req in _skill(item)]
    for i, item in enumerate(as_list(ext(obj, "languageRequirements"))):
        source = f"matcher:languageRequirements[{i}]"
        if isinstance(item, dict):
            found.append(
                (
                    source,
                    {"kind": "language", "value": item.get("language"), "level": item.get("level"), **_flags(item)},
                )
            )
        else:
            draft.problems.append(
                (source, 'a language requirement must be an object like {"language": "nl", "level": "B1"}')
            )
    for i, item in enumerate(as_list(obj.get("experienceRequirements"))):
        found += _experience(item, f"experienceRequirements[{i}]", draft)
    for i, item in enumerate(as_list(obj.get("educationRequirements"))):
        found += _education(item, f"educationRequirements[{i}]", draft)
    given = {(r.get("kind"), r.get("value")) for _, r in found}
    given |= {("competence:text", r["text"]) for _, r in found if r.get("kind") == "competence" and r.get("text")}
    found += _from_free_text(obj, given, draft)
    draft.origins = {**draft.origins, **{f"requirements[{n}]": source for n, (source, _) in enumerate(found)}}
    return [req for _, req in found]


def _from_free_text(obj: dict[str, Any], given: set[tuple[Any, Any]], draft: Draft) -> list[tuple[str, dict[str, Any]]]:
    """Language, licence, experience and education requirements stated in the description and
    responsibilities (matcher.text), unless the posting already gives one of that kind and value.
    Skills in those texts need the taxonomy: see matcher.text.requirements_from_jobposting_fields."""
    from ..text.extract import rule_spans
    from ..text.plain import plain_text
    from ..text.requirements import requirements_from_spans

    for text in [t for kind, t in given if kind == "competence:text"]:  # "Je spreekt vlot Nederlands"
        given |= {(r.kind.value, r.value) for r in requirements_from_spans(rule_spans(text), skills=False)}
    found: list[tuple[str, dict[str, Any]]] = []
    for key in ("description", "responsibilities"):
        if not isinstance(obj.get(key), str):
            continue
        for req in requirements_from_spans(rule_spans(plain_text(obj[key])), skills=False):
            data = req.model_dump(mode="json", exclude_defaults=True)
            if (data.get("kind"), data.get("value", "")) in given or any(data["kind"] == r["kind"] for _, r in found):
                continue
            found.append((key, data))
            draft.warnings.append((key, f"read a {data['kind']} requirement from the text: '{req.text}'"))
    return found


def _skill(item: Any) -> list[dict[str, Any]]:
    if isinstance(item, str):
        texts = [item.strip()] if item.strip().startswith(ESCO_SKILL_PREFIX) else split_text(item)
        return [
            {"kind": "competence", "value": t} if t.startswith(ESCO_SKILL_PREFIX) else {"kind": "competence", "text": t}
            for t in texts
        ]
    if isinstance(item, dict):
        uri = next(
            (item[k] for k in ("@id", "url", "termCode") if str(item.get(k, "")).startswith(ESCO_SKILL_PREFIX)), ""
        )
        return [{"kind": "competence", "value": uri, "text": item.get("name"), **_flags(item)}]
    return [{"kind": "competence", "text": str(item)}]


def _experience(item: Any, source: str, draft: Draft) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(item, dict):
        return [
            (
                source,
                {
                    "kind": "experience",
                    "value": ext(item, "occupation") or "",
                    "months": item.get("monthsOfExperience"),
                    **_flags(item),
                },
            )
        ]
    months = item if isinstance(item, int) and not isinstance(item, bool) else months_of(str(item))
    if months is None:
        draft.warnings.append(
            (
                source,
                f"experienceRequirements {item!r} names no duration; not imported as a "
                f'requirement: give {{"@type": "OccupationalExperienceRequirements", '
                f'"monthsOfExperience": 24}}',
            )
        )
        return []
    return [(source, {"kind": "experience", "value": "", "months": months})]


def _education(item: Any, source: str, draft: Draft) -> list[tuple[str, dict[str, Any]]]:
    text = item if isinstance(item, str) else None
    flags = _flags(item)
    if isinstance(item, dict):
        text = item.get("credentialCategory") or item.get("educationalLevel")
        if str(text).lower() in ("license", "licence") and item.get("name"):
            text = f"licence {item['name']}"
    licence = licence_of(str(text)) if text else None
    if licence:
        return [(source, {"kind": "licence", "value": licence, **flags})]
    level = education_of(str(text)) if text else None
    if level is None:
        draft.warnings.append(
            (
                source,
                f"education requirement {str(text)[:80]!r} is not a level matcher knows and was not imported "
                f"as a requirement; use secundair onderwijs, graduaat, bachelor, master (see "
                f"docs/import-formats.md) or 'rijbewijs B' for a driving licence",
            )
        )
        return []
    return [(source, {"kind": "education", "value": level.name, **flags})]
