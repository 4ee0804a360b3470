"""CSV for vacancies and candidates: one row per record, a documented header, ``|`` inside list cells.

Belgian Excel writes ``;`` between cells (the comma is the decimal sign), Windows-1252 text and
empty trailing columns; all are accepted, the delimiter is told from the header line, and Dutch
and French column names are recognised (:mod:`.headers`). Rejections name the physical line a
row starts on; a quote left open is caught by :mod:`.csvrows` and costs only its own row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO

from ..profiles import Candidate, PersonalData, Vacancy
from .csvrows import read_rows
from .decode import Line
from .headers import canonical_header
from .pipeline import Draft
from .report import ImportFormatError, ImportWarning
from .rows import (
    CANDIDATE_COLUMNS,
    CANDIDATE_REQUIRED,
    VACANCY_COLUMNS,
    VACANCY_REQUIRED,
    candidate_data,
    candidate_row,
    vacancy_data,
    vacancy_row,
)
from .salary import salary_from_text
from .vocab import education_of

FORMAT = "csv"
COLUMNS = {"vacancies": VACANCY_COLUMNS, "candidates": CANDIDATE_COLUMNS}
REQUIRED = {"vacancies": VACANCY_REQUIRED, "candidates": CANDIDATE_REQUIRED}
DELIMITERS = (";", ",", "\t")
#: Columns read but not model fields: a municipality gives the postcode when that is empty; a salary text.
EXTRA_COLUMNS = frozenset({"municipality", "salary"})


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that occurs most often outside quotes in the header line (``;`` on a tie)."""
    counts = {d: 0 for d in DELIMITERS}
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return max(DELIMITERS, key=lambda d: counts[d])


def _start(text: str) -> tuple[str, str, str]:
    """The text without its byte order mark, its first line, and the delimiter told from that line."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0].rstrip("\r")
    return text, first, sniff_delimiter(first)


def _column_names(cells: list[str]) -> list[str]:
    return [c.strip().lower() for c in cells]


def header_of(text: str, kind: str | None = None, columns: Mapping[str, str] | None = None) -> list[str]:
    """The header's column names as documented columns (Dutch and French names recognised)."""
    _, first, delimiter = _start(text)
    names = next(csv.reader([first], delimiter=delimiter), [])
    known = frozenset(COLUMNS["vacancies"]) | frozenset(COLUMNS["candidates"]) | EXTRA_COLUMNS
    return canonical_header(_trimmed(names), kind, known, columns)[0]


def guess_kind(text: str, columns: Mapping[str, str] | None = None) -> str | None:
    """Vacancies when the header has ``employer_id`` or ``title``; candidates with ``competences``."""
    header = set(header_of(text, None, columns))
    if header & {"employer_id", "title", "skills"}:
        return "vacancies"
    if header & {"competences", "coaching_need", "name", "wants_language_training", "email", "birth_date"}:
        return "candidates"
    return None


def _trimmed(names: list[str]) -> list[str]:
    """The header without the empty names Excel writes for trailing empty columns (``;;``)."""
    names = list(names)
    while names and not names[-1].strip():
        names.pop()
    return names


def drafts(
    lines: Iterable[Line], kind: str, columns: Mapping[str, str] | None = None
) -> tuple[Iterator[Draft], list[ImportWarning]]:
    """One draft per data row; unknown columns are a file warning, missing required ones an error."""
    lines = iter(lines)
    first = next((line for line in lines if line.error is not None or line.text.strip()), None)
    if first is None:
        raise ImportFormatError("the CSV file is empty")
    if first.error is not None:
        raise ImportFormatError(f"the CSV header cannot be read: {first.error}")
    header_text = first.text.lstrip("\ufeff").rstrip("\r\n")
    delimiter = sniff_delimiter(header_text)
    written = next(csv.reader([header_text], delimiter=delimiter), [])
    trimmed = _trimmed(written)
    known = frozenset(COLUMNS[kind]) | EXTRA_COLUMNS
    header, renamed = canonical_header(trimmed, kind, known, columns)
    warnings: list[ImportWarning] = []
    if len(trimmed) < len(written):
        warnings.append(
            ImportWarning(
                None,
                first.number,
                None,
                f"the header ends in {len(written) - len(trimmed)} empty column(s) (a trailing {delimiter!r}); ignored",
            )
        )
    if renamed:
        warnings.append(
            ImportWarning(
                None,
                first.number,
                None,
                "columns read by their meaning: " + ", ".join(f"{w!r} as {m}" for w, m in renamed),
            )
        )
    missing = [c for c in REQUIRED[kind] if c not in header and not (c == "postcode" and "municipality" in header)]
    if missing:
        raise ImportFormatError(
            f"the CSV header has no column {', '.join(map(repr, missing))} (found "
            f"{', '.join(header) or 'nothing'}; delimiter {delimiter!r}); the {kind} columns "
            f"are: {', '.join(COLUMNS[kind])}; name others with --columns MAP"
        )
    warnings += [
        ImportWarning(
            None,
            first.number,
            column,
            f"column {column!r} is not a {kind} column and was not imported; known columns: {', '.join(COLUMNS[kind])}",
        )
        for column in header
        if column not in known
    ]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ImportFormatError(f"the CSV header names column {duplicated[0]!r} twice; each column once, please")
    return _row_drafts(lines, kind, header, known, delimiter), warnings


def _row_drafts(
    lines: Iterator[Line], kind: str, header: list[str], known: frozenset[str], delimiter: str
) -> Iterator[Draft]:
    record = 0
    for row in read_rows(lines, delimiter, len(header)):
        if row.cells is not None and not any(cell.strip() for cell in row.cells):
            continue
        record += 1
        draft = Draft(record, row.line)
        if row.cells is None:
            draft.problems.append((None, row.problem or "the row cannot be read"))
        else:
            try:
                _fill(draft, row.cells, kind, header, known, delimiter)
            except Exception as exc:  # one row's content may not end the file's import
                draft.data, draft.problems = None, [(None, f"the row cannot be read ({type(exc).__name__})")]
        yield draft


def _fill(draft: Draft, cells: list[str], kind: str, header: list[str], known: frozenset[str], delimiter: str) -> None:
    """The draft's data from a row's cells, or the problem that keeps the row out."""
    if len(cells) != len(header):
        draft.problems.append(
            (
                None,
                f"the row has {len(cells)} cells but the header has {len(header)} columns: "
                + (
                    f"check for a stray {delimiter!r} or a cell that needs quotes"
                    if len(cells) > len(header)
                    else f"each row needs a cell (it may be empty) for every column, {delimiter!r} between them"
                ),
            )
        )
        return
    row_data = {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name in known}
    place = row_data.pop("municipality", "")
    salary = row_data.pop("salary", "")
    if kind == "vacancies":
        draft.data, draft.origins, problems = vacancy_data(row_data)
        if salary:
            pay, problem = salary_from_text(salary)
            if pay is not None:
                draft.data["salary"] = pay
            else:
                draft.warnings.append(("salary", problem or "salary was not imported"))
    else:
        draft.data, draft.personal, problems = candidate_data(row_data)
        draft.origins = {f"personal.{c}": c for c in draft.personal}
        _education(draft)
    if place:
        draft.place, draft.place_field = place, "municipality"
    draft.problems += problems


def _education(draft: Draft) -> None:
    """A candidate's diploma in Dutch, French or English words as a level; an unknown one is a warning."""
    data = draft.data
    written = data.get("education") if data else None
    if data is None or not isinstance(written, str):
        return
    level = education_of(written)
    if level is not None:
        data["education"] = level.name
        return
    del data["education"]
    draft.warnings.append(
        (
            "education",
            f"education {written[:80]!r} is not a diploma level matcher knows and was left out; use e.g. "
            f"secundair onderwijs, CESS, graduaat, bachelor, master",
        )
    )


def _write(rows: Sequence[dict[str, str]], columns: Sequence[str], out: IO[str], delimiter: str) -> None:
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)


def write_vacancies(vacancies: Sequence[Vacancy], out: IO[str], delimiter: str = ",") -> None:
    _write([vacancy_row(v) for v in vacancies], VACANCY_COLUMNS, out, delimiter)


def write_candidates(
    candidates: Sequence[Candidate], personal: dict[str, PersonalData], out: IO[str], delimiter: str = ","
) -> None:
    _write([candidate_row(c, personal.get(c.id)) for c in candidates], CANDIDATE_COLUMNS, out, delimiter)
