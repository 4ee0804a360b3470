"""CSV for vacancies and candidates: one row per record, a documented header, ``|`` inside list cells.

Belgian Excel writes ``;`` between cells (the comma is the decimal sign) and often a UTF-8 byte
order mark; both are accepted, the delimiter is told from the header line. Rejections name the
physical line a row starts on, counted by the csv reader itself, so a quoted cell that spans
several lines does not shift the numbers of the rows after it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import IO

from ..profiles import Candidate, PersonalData, Vacancy
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

FORMAT = "csv"
COLUMNS = {"vacancies": VACANCY_COLUMNS, "candidates": CANDIDATE_COLUMNS}
REQUIRED = {"vacancies": VACANCY_REQUIRED, "candidates": CANDIDATE_REQUIRED}
DELIMITERS = (";", ",", "\t")


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


def header_of(text: str) -> list[str]:
    """The header's column names, lower-cased and trimmed (an empty file has none)."""
    _, first, delimiter = _start(text)
    return _column_names(next(csv.reader([first], delimiter=delimiter), []))


def guess_kind(text: str) -> str | None:
    """Vacancies when the header has ``employer_id`` or ``title``; candidates with ``competences``."""
    header = set(header_of(text))
    if header & {"employer_id", "title", "skills"}:
        return "vacancies"
    if header & {"competences", "coaching_need", "name", "wants_language_training"}:
        return "candidates"
    return None


def _rows(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]], str]:
    """The header and each non-blank row with the physical line it starts on."""
    text, _, delimiter = _start(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header = _column_names(next(reader, []))

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                yield start, row
            start = reader.line_num + 1

    return header, rows(), delimiter


def drafts(text: str, kind: str) -> tuple[list[Draft], list[ImportWarning]]:
    """One draft per data row; unknown columns are a file warning, missing required ones an error."""
    header, rows, delimiter = _rows(text)
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise ImportFormatError(
            f"the CSV header has no column {', '.join(map(repr, missing))} (found "
            f"{', '.join(header) or 'nothing'}; delimiter {delimiter!r}); the {kind} columns "
            f"are: {', '.join(COLUMNS[kind])}"
        )
    known = set(COLUMNS[kind])
    warnings = [
        ImportWarning(
            None,
            1,
            column,
            f"column {column!r} is not a {kind} column and was not imported; known columns: {', '.join(COLUMNS[kind])}",
        )
        for column in header
        if column not in known
    ]
    duplicated = sorted({c for c in header if header.count(c) > 1})
    if duplicated:
        raise ImportFormatError(f"the CSV header names column {duplicated[0]!r} twice; each column once, please")
    out = []
    for record, (line, cells) in enumerate(rows, start=1):
        draft = Draft(record, line)
        if len(cells) > len(header):
            draft.problems.append(
                (
                    None,
                    f"the row has {len(cells)} cells but the header has {len(header)}: "
                    f"check for a stray {delimiter!r} or a cell that needs quotes",
                )
            )
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name in known}
        if kind == "vacancies":
            draft.data, draft.origins, problems = vacancy_data(row)
        else:
            draft.data, draft.personal, problems = candidate_data(row)
            draft.origins = {f"personal.{c}": c for c in draft.personal}
        draft.problems += problems
        out.append(draft)
    return out, warnings


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
