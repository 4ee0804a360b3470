"""The project's own format: one :class:`Vacancy` or :class:`Candidate` per line, as JSON.

Field names are the models' own, so a rejection's field is the path in the line itself. A
candidate line may carry its personal data in a ``"personal"`` object (the
:class:`PersonalData` fields without ``candidate_id``); it is split off on import and never
reaches the :class:`Candidate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from pydantic import ValidationError

from ..profiles import Candidate, PersonalData, Vacancy
from .decode import Line
from .jsondoc import JsonRecord, json_line_record
from .limits import MAX_TEXT, suspect_json
from .pipeline import Draft

FORMAT = "jsonl"


class CandidateLine(Candidate):
    """A candidate line as written, ``personal`` included: lets pydantic parse and validate the
    line in one step, which is what makes 100,000 lines take seconds rather than half a minute."""

    personal: dict[str, Any] | None = None


_CANDIDATE_FIELDS = tuple(Candidate.model_fields)


def line_drafts(lines: Iterable[Line], kind: str) -> Iterator[Draft]:
    """Drafts of a JSON Lines file; a line that does not validate at once takes the slow path of
    :func:`drafts`, which reports each of its problems by field. So does a line that might hold
    poison or an over-long text (an escape ``\\u``, a control character, more than
    :data:`~.limits.MAX_TEXT` characters): the slow path checks every string of it."""
    fast = CandidateLine if kind == "candidates" else Vacancy
    record = 0
    for item in lines:
        line, number = item.text, item.number
        if item.error is None and not line.strip():
            continue
        record += 1
        if item.error is not None:
            yield from drafts([JsonRecord(record, number, error=item.error)], kind)
            continue
        if len(line) > MAX_TEXT or suspect_json(line):
            yield from drafts([json_line_record(record, number, line)], kind)
            continue
        try:
            parsed = fast.model_validate_json(line)
        except ValidationError:
            yield from drafts([json_line_record(record, number, line)], kind)
            continue
        if isinstance(parsed, CandidateLine):
            values = {name: getattr(parsed, name) for name in _CANDIDATE_FIELDS}
            fields_set = parsed.model_fields_set - {"personal"}
            yield Draft(record, number, value=Candidate.model_construct(fields_set, **values), personal=parsed.personal)
        else:
            yield Draft(record, number, value=parsed)


def drafts(records: Iterable[JsonRecord], kind: str) -> Iterator[Draft]:
    """One draft per record; a candidate's ``personal`` object becomes the draft's personal data."""
    for rec in records:
        draft = Draft(rec.record, rec.line)
        if rec.error is not None:
            draft.problems.append((None, rec.error))
        elif not isinstance(rec.value, dict):
            draft.problems.append((None, f"a record must be a JSON object {{...}}; got {type(rec.value).__name__}"))
        else:
            draft.data = rec.value
            if kind == "candidates" and "personal" in rec.value:
                draft.data = dict(rec.value)
                person = draft.data.pop("personal")
                if isinstance(person, dict):
                    draft.personal = person
                elif person is not None:
                    draft.problems.append(
                        (
                            "personal",
                            "personal must be an object with name, email, phone, gender, nationality and birth_date",
                        )
                    )
        yield draft


def candidate_line(candidate: Candidate, personal: PersonalData | None) -> str:
    """One line: the candidate, with its personal data (if any) in a separate ``personal`` object."""
    line = candidate.model_dump_json(exclude_none=True)
    if personal is None:
        return line
    person = personal.model_dump_json(exclude={"candidate_id"}, exclude_none=True)
    return f'{line[:-1]},"personal":{person}}}'


def write_candidates(candidates: Sequence[Candidate], personal: dict[str, PersonalData], out: IO[str]) -> None:
    for candidate in candidates:
        out.write(candidate_line(candidate, personal.get(candidate.id)))
        out.write("\n")


def write_vacancies(vacancies: Sequence[Vacancy], out: IO[str]) -> None:
    for vacancy in vacancies:
        out.write(vacancy.model_dump_json(exclude_none=True))
        out.write("\n")
