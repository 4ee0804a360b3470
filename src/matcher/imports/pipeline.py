"""The steps every format shares: validate each draft record, split off personal data, reject
duplicate ids, normalise free text to ESCO in one batch, and collect the report.

A format module only turns its file into :class:`Draft` records (plain dicts in the shape of the
profile models, with the source name of each field); everything a person reads in the report
is decided here, so all formats report alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..geo import UnknownPostcodeError, load_postcodes
from ..normalise import SearchableTaxonomy, normalise_candidates, normalise_vacancies
from ..profiles import Candidate, PersonalData, Vacancy
from ..settings import Settings
from .errors import explain, source_field
from .report import ImportResult, ImportWarning, Rejection

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
    """

    record: int
    line: int | None
    data: dict[str, Any] | None = None
    value: BaseModel | None = None
    personal: dict[str, Any] | None = None
    origins: Mapping[str, str] = field(default_factory=lambda: NO_ORIGINS)
    problems: list[tuple[str | None, str]] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        if self.value is not None:
            return self.value.id  # type: ignore[attr-defined]
        value = self.data.get("id") if isinstance(self.data, dict) else None
        return value if isinstance(value, str) else None


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
        result.warnings += [ImportWarning(draft.record, draft.line, f, m) for f, m in draft.warnings]
        record, person, problems = _validate(draft, model)
        problems = list(draft.problems) + problems
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
            result.rejections += [Rejection(draft.record, draft.line, f, r, draft.id) for f, r in problems]
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


def _validate(draft: Draft, model: type[BaseModel]) -> tuple[Any, PersonalData | None, list[tuple[str | None, str]]]:
    """The record and its personal data, or the problems that keep it out (all of them, so a
    person fixes a record in one go). A draft without data (unreadable JSON) has nothing to check."""
    if draft.value is None and draft.data is None:
        return None, None, []
    try:
        record = draft.value if draft.value is not None else model.model_validate(draft.data)
    except ValidationError as exc:
        return None, None, explain(exc, draft.origins)
    if not draft.personal:
        return record, None, []
    try:
        return record, PersonalData.model_validate({**draft.personal, "candidate_id": record.id}), []
    except ValidationError as exc:
        return None, None, explain(exc, draft.origins, prefix="personal")


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
