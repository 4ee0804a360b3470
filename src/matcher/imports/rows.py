"""One CSV row ↔ one profile, for vacancies and for candidates: the documented columns and their cells.

Scalar columns carry the model field of the same name. List columns use the grammar of
:mod:`.cells`. Requirements are spread over one column per kind (``skills``, ``languages``,
``experience``, ``education``, ``licences``), so they come back grouped by kind in that order.
"""

from __future__ import annotations

from typing import Any

from ..profiles import Candidate, PersonalData, Requirement, RequirementKind, Vacancy
from .cells import CellError, Item, escape, format_item, parse_item, requirement_flags, split_list, unescape

VACANCY_SCALARS = (
    "id",
    "employer_id",
    "title",
    "occupation_uri",
    "occupation_match_score",
    "postcode",
    "remote",
    "hours_min",
    "hours_max",
    "positions",
    "valid_through",
    "workplace_language",
)
REQUIREMENT_COLUMNS = {
    "skills": RequirementKind.competence,
    "languages": RequirementKind.language,
    "experience": RequirementKind.experience,
    "education": RequirementKind.education,
    "licences": RequirementKind.licence,
}
SUPPORT_COLUMNS = (
    "language_support",
    "workplace_coaching",
    "coaching_capacity",
    "coaching_places_taken",
    "training_on_the_job",
)
VACANCY_COLUMNS = (
    *VACANCY_SCALARS,
    "shifts",
    "contact_languages",
    *REQUIREMENT_COLUMNS,
    *SUPPORT_COLUMNS,
    "description",
)
VACANCY_REQUIRED = ("id", "employer_id", "title", "postcode")

CANDIDATE_SCALARS = (
    "id",
    "postcode",
    "wants_language_training",
    "coaching_need",
    "max_commute_km",
    "has_car",
    "hours_min",
    "hours_max",
    "available_from",
    "work_permit",
    "education",
)
CANDIDATE_LISTS = ("competences", "experience", "languages", "driving_licences", "shifts", "desired_occupations")
PERSONAL_COLUMNS = ("name", "email", "phone", "gender", "nationality", "birth_date")
CANDIDATE_COLUMNS = (
    *CANDIDATE_SCALARS[:2],
    *CANDIDATE_LISTS[:3],
    *CANDIDATE_SCALARS[2:],
    *CANDIDATE_LISTS[3:],
    *PERSONAL_COLUMNS,
)
CANDIDATE_REQUIRED = ("id", "postcode")

_TRUE, _FALSE = {"ja", "waar", "yes", "true", "1", "y", "j"}, {"nee", "onwaar", "no", "false", "0", "n"}
_YES_NO = _TRUE | _FALSE
_NUMBERS = {"occupation_match_score", "hours_min", "hours_max", "max_commute_km"}
_BOOLEANS = {"remote", "training_on_the_job", "wants_language_training", "has_car", "work_permit"}


def _scalar(column: str, cell: str) -> Any:
    """A cell as the model expects it: Dutch yes/no words as booleans, a decimal comma as a point."""
    if column in _BOOLEANS and cell.lower() in _YES_NO:
        return cell.lower() in _TRUE
    if column in _NUMBERS and cell.count(",") == 1 and "." not in cell:
        return cell.replace(",", ".")
    return cell


def _no_flags(item: Item, column: str, index: int, allowed: tuple[str, ...] = ()) -> None:
    """Refuse a flag that means nothing for this column, rather than ignore it."""
    extra = [written for kind, written in item.flags if kind not in allowed]
    if extra:
        raise CellError(
            f"{column}[{index}] takes no flag {extra[0]!r}" + (f"; only {', '.join(allowed)}" if allowed else "")
        )


_REQUIREMENT_FLAGS = {
    RequirementKind.competence: ("importance", "trainable", "score"),
    RequirementKind.experience: ("importance", "trainable", "months"),
}


def _language(item: Item, column: str, index: int) -> tuple[str, str]:
    code, sep, level = (item.text or "").partition(":")
    if not sep or not code.strip() or not level.strip():
        raise CellError(f"{column}[{index}] {item.text!r} must be a language code and a CEFR level, e.g. nl:B1")
    return code.strip(), level.strip()


def vacancy_data(row: dict[str, str]) -> tuple[dict[str, Any], dict[str, str], list[tuple[str, str]]]:
    """A row as :class:`Vacancy` input, the source column of each requirement, and cell problems."""
    data: dict[str, Any] = {c: _scalar(c, row[c]) for c in (*VACANCY_SCALARS, "description") if row.get(c)}
    for column in ("shifts", "contact_languages"):
        if row.get(column):
            data[column] = [unescape(i) for i in split_list(row[column])]
    support = {c: _scalar(c, row[c]) for c in SUPPORT_COLUMNS if row.get(c)}
    if support:
        data["support"] = support
    origins = {f"support.{c}": c for c in SUPPORT_COLUMNS}
    problems: list[tuple[str, str]] = []
    requirements: list[dict[str, Any]] = []
    for column, kind in REQUIREMENT_COLUMNS.items():
        for index, raw in enumerate(split_list(row.get(column) or "")):
            try:
                requirements.append(_requirement(kind, parse_item(raw), column, index))
            except CellError as exc:
                problems.append((f"{column}[{index}]", str(exc)))
                continue
            origins[f"requirements[{len(requirements) - 1}]"] = f"{column}[{index}]"
    if requirements:
        data["requirements"] = requirements
    return data, origins, problems


def _requirement(kind: RequirementKind, item: Item, column: str, index: int) -> dict[str, Any]:
    _no_flags(item, column, index, _REQUIREMENT_FLAGS.get(kind, ("importance", "trainable")))
    req: dict[str, Any] = {"kind": kind.value, "importance": item.importance or "must", "trainable": item.trainable}
    if item.training_weeks is not None:
        req["training_weeks"] = item.training_weeks
    if kind is RequirementKind.competence:
        req.update(value=item.uri or "", text=item.text, match_score=item.score)
    elif kind is RequirementKind.language:
        req["value"], req["level"] = _language(item, column, index)
    elif kind is RequirementKind.experience:
        req.update(value=item.uri or "", months=item.months)
        if item.text:
            raise CellError(
                f"{column}[{index}] {item.text!r}: give months as a flag and the occupation as a URI, "
                f"e.g. <http://data.europa.eu/esco/occupation/…> [24 months]"
            )
    else:
        req["value"] = item.text or item.uri or ""
    return {k: v for k, v in req.items() if v is not None}


def vacancy_row(vacancy: Vacancy) -> dict[str, str]:
    """The inverse of :func:`vacancy_data`."""
    data = vacancy.model_dump(mode="json", exclude_none=True)
    row = {c: _cell(data[c]) for c in (*VACANCY_SCALARS, "description") if c in data}
    row["shifts"] = "|".join(data["shifts"])
    row["contact_languages"] = "|".join(data["contact_languages"])
    row.update({c: _cell(data["support"][c]) for c in SUPPORT_COLUMNS})
    columns = {kind: column for column, kind in REQUIREMENT_COLUMNS.items()}
    cells: dict[str, list[str]] = {column: [] for column in REQUIREMENT_COLUMNS}
    for req in vacancy.requirements:
        cells[columns[req.kind]].append(_requirement_item(req))
    row.update({column: "|".join(items) for column, items in cells.items()})
    return row


def _requirement_item(req: Requirement) -> str:
    kind = req.kind
    months = req.months if kind is RequirementKind.experience else None
    flags = requirement_flags(req.importance.value, req.trainable, req.training_weeks, months, req.match_score)
    if kind is RequirementKind.competence:
        return format_item(req.text, req.value or None, flags)
    if kind is RequirementKind.language:
        assert req.level is not None  # Requirement's validator demands a level on a language requirement
        return format_item(f"{req.value}:{req.level.name}", None, flags)
    if kind is RequirementKind.experience:
        return format_item(None, req.value or None, flags)
    return format_item(req.value, None, flags)


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def candidate_data(row: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any], list[tuple[str, str]]]:
    """A row as :class:`Candidate` input, its personal data, and cell problems."""
    data: dict[str, Any] = {c: _scalar(c, row[c]) for c in CANDIDATE_SCALARS if row.get(c)}
    for column in ("driving_licences", "shifts", "desired_occupations"):
        if row.get(column):
            data[column] = [unescape(i) for i in split_list(row[column])]
    problems: list[tuple[str, str]] = []
    for column in ("competences", "experience", "languages"):
        values = []
        for index, raw in enumerate(split_list(row.get(column) or "")):
            try:
                values.append(_candidate_item(column, parse_item(raw), index))
            except CellError as exc:
                problems.append((f"{column}[{index}]", str(exc)))
        if values:
            data[column] = values
    personal = {c: row[c] for c in PERSONAL_COLUMNS if row.get(c)}
    return data, personal, problems


def _candidate_item(column: str, item: Item, index: int) -> dict[str, Any]:
    if column == "competences":
        _no_flags(item, column, index, ("score",))
        found = {"uri": item.uri, "text": item.text, "match_score": item.score}
    elif column == "experience":
        _no_flags(item, column, index, ("score", "months"))
        if item.months is None:
            raise CellError(f"{column}[{index}] needs its months as a flag, e.g. 'heftruckchauffeur [24 months]'")
        found = {"title": item.text, "occupation_uri": item.uri, "months": item.months, "match_score": item.score}
    else:
        _no_flags(item, column, index)
        code, level = _language(item, column, index)
        found = {"language": code, "level": level}
    return {k: v for k, v in found.items() if v is not None}


def candidate_row(candidate: Candidate, personal: PersonalData | None) -> dict[str, str]:
    """The inverse of :func:`candidate_data`."""
    data = candidate.model_dump(mode="json", exclude_none=True)
    row = {c: _cell(data[c]) for c in CANDIDATE_SCALARS if c in data}
    row["competences"] = "|".join(
        format_item(c.text, c.uri, [f"score {c.match_score!r}"] if c.match_score is not None else None)
        for c in candidate.competences
    )
    row["experience"] = "|".join(
        format_item(
            e.title,
            e.occupation_uri,
            [f"{e.months} months"] + ([f"score {e.match_score!r}"] if e.match_score is not None else []),
        )
        for e in candidate.experience
    )
    row["languages"] = "|".join(f"{lang.language}:{lang.level.name}" for lang in candidate.languages)
    for column in ("driving_licences", "shifts", "desired_occupations"):
        row[column] = "|".join(escape(v) for v in data[column])
    if personal is not None:
        row.update(
            {
                c: _cell(v)
                for c, v in personal.model_dump(mode="json", exclude_none=True).items()
                if c in PERSONAL_COLUMNS
            }
        )
    return row
