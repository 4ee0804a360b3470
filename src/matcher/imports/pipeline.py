"""The steps every format shares: validate each draft record, split off personal data, reject
duplicate ids, normalise free text to ESCO in one batch, and collect the report.

A format module only turns its file into :class:`Draft` records (plain dicts in the shape of the
profile models, with the source name of each field); everything a person reads in the report
is decided here, so all formats report alike.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..geo import UnknownPostcodeError, load_postcodes
from ..normalise import SearchableTaxonomy, normalise_candidates, normalise_vacancies
from ..profiles import Candidate, PersonalData, Vacancy
from ..settings import Settings
from .dates import read_date
from .errors import explain, source_field
from .limits import MAX_ITEMS, RecordChecker, plain_strings, safe
from .places import postcode_of
from .report import ImportResult, ImportWarning, Rejection

logger = logging.getLogger(__name__)
#: Date fields read day first as well as ISO; a personal date that cannot be read is dropped instead.
DATE_FIELDS = ("valid_through", "available_from")
Problems = list[tuple[str | None, str]]
M = TypeVar("M", Candidate, Vacancy)
MODELS: dict[str, type[BaseModel]] = {"candidates": Candidate, "vacancies": Vacancy}
NO_ORIGINS: Mapping[str, str] = MappingProxyType({})


@dataclass(slots=True)
class Draft:
    """One record as read from the file, before validation.

    ``origins`` maps a model field path (``postcode``, ``requirements[2]``) to its name in the
    source (``jobLocation.address.postalCode``, ``skills[1]``), so errors name what the person wrote.
    ``problems`` are reasons found while reading (bad JSON, an unknown fluency): they reject the record.
    ``value`` is a record a format has already validated (the JSON Lines fast path).
    ``place`` is a municipality name, read as the postcode when ``data`` has none; ``place_field``
    is where the file gave it.
    """

    record: int
    line: int | None
    data: dict[str, Any] | None = None
    value: BaseModel | None = None
    personal: dict[str, Any] | None = None
    origins: Mapping[str, str] = field(default_factory=lambda: NO_ORIGINS)
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] = field(default_factory=list)
    place: str | None = None
    place_field: str | None = None

    @property
    def id(self) -> str | None:
        """The record's id as given, made safe to print (poison written as escapes)."""
        if self.value is not None:
            return self.value.id  # type: ignore[attr-defined]
        value = self.data.get("id") if isinstance(self.data, dict) else None
        return safe(value[:100]) if isinstance(value, str) else None


@dataclass(slots=True)
class _Kept:
    record: int
    line: int | None
    id: str
    origins: Mapping[str, str]


def build_result(
    drafts: Iterable[Draft],
    kind: str,
    file_format: str,
    *,
    source: str | None = None,
    taxonomy: SearchableTaxonomy | None = None,
    settings: Settings | None = None,
    file_warnings: Iterable[ImportWarning] = (),
) -> ImportResult:
    """Validate, de-duplicate and (with a taxonomy) normalise the drafts into an :class:`ImportResult`."""
    model = MODELS[kind]
    result: ImportResult = ImportResult(kind=kind, format=file_format, source=source, warnings=list(file_warnings))
    kept: list[_Kept] = []
    personal: dict[str, PersonalData] = {}
    first_of: dict[str, _Kept] = {}
    postcodes = load_postcodes()
    for draft in drafts:
        result.total += 1
        try:
            record, person, problems, warnings = _prepare(draft, model)
        except Exception as exc:  # nothing one record holds may stop the others
            logger.warning("import record %d could not be read: %s", draft.record, type(exc).__name__)
            record, person, warnings = None, None, []
            problems = [(None, f"the record could not be read ({type(exc).__name__}); check it for unusual content")]
        result.warnings += [ImportWarning(draft.record, draft.line, safe(f) if f else f, safe(m)) for f, m in warnings]
        if record is not None and record.postcode not in postcodes:
            problems.append((source_field("postcode", draft.origins), str(UnknownPostcodeError([record.postcode]))))
        if not problems and record.id in first_of:
            first = first_of[record.id]
            where = f"record {first.record}" + (f" (line {first.line})" if first.line is not None else "")
            problems = [
                (
                    source_field("id", draft.origins),
                    f"id {record.id!r} is already used by {where}; ids must be unique within a file, "
                    f"the first record was kept",
                )
            ]
        if problems:
            record_id = _safe_id(draft)
            result.rejections += [
                Rejection(draft.record, draft.line, safe(f) if f else f, safe(r), record_id) for f, r in problems
            ]
            continue
        result.records.append(record)
        if person is not None:
            personal[record.id] = person
        kept.append(_Kept(draft.record, draft.line, record.id, draft.origins))
        first_of[record.id] = kept[-1]
    if taxonomy is not None:
        _normalise(result, kept, taxonomy, settings)
    accepted_ids = {record.id for record in result.records}
    result.personal = [p for p in personal.values() if p.candidate_id in accepted_ids]
    result.rejections.sort(key=lambda r: r.record)
    result.warnings.sort(key=lambda w: w.record or 0)
    return result


def _safe_id(draft: Draft) -> str | None:
    try:
        return draft.id
    except Exception:  # an id that cannot even be read is simply not shown
        return None


def _in_source(found: Problems, origins: Mapping[str, str]) -> Problems:
    """Findings about model fields, named as the file names them."""
    return [(source_field(name, origins), message) for name, message in found]


def _prepare(draft: Draft, model: type[BaseModel]) -> tuple[Any, PersonalData | None, Problems, Problems]:
    """The record, its personal data, the problems that keep it out (all of them, so a person fixes
    a record in one go) and the warnings. A draft without data (unreadable JSON) has nothing to check."""
    problems, warnings = list(draft.problems), list(draft.warnings)
    if draft.value is None and draft.data is None:
        return None, None, problems, warnings
    if draft.value is None:
        checker = RecordChecker()
        data = checker.check(draft.data)
        found_problems, found_warnings = checker.problems, checker.warnings
        _read_dates(data, found_warnings)
        _resolve_place(draft, data, found_problems, found_warnings)
        problems += _in_source(found_problems, draft.origins)
        warnings += _in_source(found_warnings, draft.origins)
        draft.data = data
    try:
        record = draft.value if draft.value is not None else model.model_validate(draft.data)
    except ValidationError as exc:
        found = explain(exc, draft.origins)
        if draft.place and isinstance(draft.data, dict) and not draft.data.get("postcode"):
            postcode = source_field("postcode", draft.origins)  # the place's rejection says it already
            found = [(f, m) for f, m in found if f != postcode]
        return None, None, problems + found, warnings
    problems += _in_source(_too_many(record), draft.origins)
    if problems:
        return None, None, problems, warnings
    personal_warnings: Problems = []
    person = _personal(draft, record.id, personal_warnings) if draft.personal else None  # type: ignore[attr-defined]
    return record, person, problems, warnings + _in_source(personal_warnings, draft.origins)


def _too_many(record: Any) -> Problems:
    """Lists longer than the per-record limits (the validated record, also on the JSON Lines fast path)."""
    found: Problems = []
    values = record.__dict__
    for name, limit in MAX_ITEMS.items():
        items = values.get(name)
        if items is not None and len(items) > limit:
            found.append((name, f"{name} has {len(items)} items; at most {limit} are imported per record"))
    return found


def _read_dates(data: Any, warnings: Problems) -> None:
    """Day-first dates (31/12/2026) as ISO, echoed in a warning so a person sees how they were read."""
    if not isinstance(data, dict):
        return
    for name in DATE_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            iso, day_first = read_date(value)
            if iso is not None and iso != value:
                data[name] = iso
                if day_first:
                    warnings.append((name, f"{name} {value!r} read as {iso} (day, month, year)"))


def _resolve_place(draft: Draft, data: Any, problems: Problems, warnings: Problems) -> None:
    if not draft.place or not isinstance(data, dict) or data.get("postcode"):
        return
    where, place = draft.place_field, safe(draft.place.strip())
    code, candidates = postcode_of(draft.place)
    if code is not None:
        data["postcode"] = code
        warnings.append((where, f"no postcode given; {where} {place!r} read as postcode {code}"))
    elif candidates:
        problems.append(
            (where, f"{where} {place!r} names more than one place: {', '.join(candidates)}; give the postcode")
        )
    else:
        problems.append((where, f"{where} {place!r} is not a Belgian municipality matcher knows; give the postcode"))


def _personal(draft: Draft, record_id: str, warnings: Problems) -> PersonalData | None:
    """The personal data with every field that cannot be read dropped, each with a warning: matching
    never uses these fields, so they never cost a person their record."""
    checker = RecordChecker()
    data = draft.personal if plain_strings(draft.personal) else checker.check(draft.personal, "personal")
    if not isinstance(data, dict):
        return None
    for path, message in checker.problems:
        name = (path or "").removeprefix("personal.").split(".")[0].split("[")[0]
        data.pop(name, None)
        warnings.append((path, f"{message}; the field was left out"))
    warnings += checker.warnings
    birth = data.get("birth_date")
    if isinstance(birth, str):
        iso, day_first = read_date(birth)
        if iso is None:
            data.pop("birth_date")
            warnings.append(("personal.birth_date", f"birth date {safe(birth)!r} is not a date; it was left out"))
        elif day_first:
            data["birth_date"] = iso
            warnings.append(("personal.birth_date", f"birth date {birth!r} read as {iso} (day, month, year)"))
    for _ in range(len(data) + 1):
        try:
            return PersonalData.model_validate({**data, "candidate_id": record_id})
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                name = str(error["loc"][0]) if error["loc"] else ""
                if name in data:
                    data.pop(name)
                    warnings.append(
                        (f"personal.{name}", f"personal.{name} cannot be read ({error['msg']}); it was left out")
                    )
                elif name == "candidate_id" or not name:
                    return None
    return None


def _normalise(
    result: ImportResult, kept: list[_Kept], taxonomy: SearchableTaxonomy, settings: Settings | None
) -> None:
    normalise = normalise_candidates if result.kind == "candidates" else normalise_vacancies
    outcome = normalise(result.records, taxonomy, settings)
    for finding in outcome.warnings:
        k = kept[finding.index]
        result.warnings.append(ImportWarning(k.record, k.line, source_field(finding.field, k.origins), finding.message))
    for finding in outcome.rejections:
        k = kept[finding.index]
        result.rejections.append(
            Rejection(k.record, k.line, source_field(finding.field, k.origins), finding.message, k.id)
        )
    result.records = outcome.records
