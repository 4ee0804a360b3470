"""Imports: vacancies and candidates from files, with every bad record reported and every good one kept.

Vacancies come as schema.org ``JobPosting`` JSON-LD, CSV or the project's JSON Lines; candidates
as JSON Resume, CSV or JSON Lines. The format and the kind are told from the file's extension and
content unless given. With a ``taxonomy`` the records are normalised to ESCO on the way in. The
mapping of every format is in ``docs/import-formats.md``.

>>> result = import_vacancies('{"id": "v1", "employer_id": "e1", "title": "Magazijnier", "postcode": "12"}')
>>> print(result.rejections[0])
line 1 (record 1), field postcode: postcode '12' must be 4 digits, e.g. 9000
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from ..normalise import SearchableTaxonomy
from ..profiles import Candidate, PersonalData, Vacancy
from ..settings import Settings
from . import jobposting, jobposting_write, jsonl, jsonresume, jsonresume_write, tabular
from .decode import HEAD_BYTES, Line, canonical_encoding, decode_document, detect_encoding, read_head, read_lines
from .detect import FORMATS, KINDS, detect, is_line_file, refuse_unsupported
from .headers import read_column_map
from .jsondoc import JsonRecord, line_records
from .pipeline import Draft, build_result
from .report import ImportFormatError, ImportResult, ImportWarning, Rejection, write_report_csv

__all__ = [
    "FORMATS",
    "KINDS",
    "ImportFormatError",
    "ImportResult",
    "ImportWarning",
    "Rejection",
    "check_file",
    "import_candidates",
    "import_file",
    "import_text",
    "import_vacancies",
    "read_column_map",
    "write_candidates",
    "write_report_csv",
    "write_vacancies",
]


def import_text(
    text: str,
    kind: str | None = None,
    format: str | None = None,
    *,
    name: str | None = None,
    columns: Mapping[str, str] | Path | str | None = None,
    taxonomy: SearchableTaxonomy | None = None,
    settings: Settings | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import the content of a file; ``name`` (the file name) helps tell the format."""
    column_map = _column_map(columns)
    with _collector_paused():
        kind, file_format, lines, records = detect(text, name, kind, format, column_map)
        return _import_lines(
            _text_lines(text), kind, file_format, lines, records, name, column_map, taxonomy, settings, today, []
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while records are built, when no other thread can notice.

    An import creates millions of small objects and no cycles; the collector's repeated passes over
    them make a 100,000-line import about 3 times slower (``benchmarks/bench_imports.py``). The
    collector is process-wide, so it is paused only while the importing thread is the process's
    only thread (the command line); with other threads alive (the service's pool) it stays on.
    """
    if threading.active_count() > 1 or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _text_lines(text: str) -> Iterator[Line]:
    """Lines as :func:`~.decode.read_lines` gives them: split at ``\\n`` only, the ending kept."""
    text = text.removeprefix("\ufeff")
    start, number = 0, 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        number += 1
        yield Line(number, text[start:end])
        start = end


def _column_map(columns: Mapping[str, str] | Path | str | None) -> Mapping[str, str] | None:
    if columns is None or isinstance(columns, Mapping):
        return columns
    try:
        return read_column_map(columns)
    except ValueError as exc:
        raise ImportFormatError(str(exc)) from exc


def _import_lines(
    lines: Iterable[Line],
    kind: str,
    file_format: str,
    line_mode: bool | None,
    records: list[JsonRecord] | None,
    name: str | None,
    columns: Mapping[str, str] | None,
    taxonomy: SearchableTaxonomy | None,
    settings: Settings | None,
    today: date | None,
    file_warnings: list[ImportWarning],
) -> ImportResult:
    """Import decoded lines whose format :func:`detect` told; ``records`` are a JSON document's records."""
    drafts: Iterable[Draft]
    if file_format == "csv":
        drafts, found = tabular.drafts(lines, kind, columns)
        file_warnings = file_warnings + found
    elif file_format == "jsonl" and line_mode:
        drafts = jsonl.line_drafts(lines, kind)
    else:
        json_records: Iterable[JsonRecord] = line_records(lines) if line_mode else (records or [])
        if file_format == "jobposting":
            drafts = jobposting.drafts(json_records)
        elif file_format == "jsonresume":
            drafts = jsonresume.drafts(json_records, today or date.today())
        else:
            drafts = jsonl.drafts(json_records, kind)
    return build_result(
        drafts, kind, file_format, source=name, taxonomy=taxonomy, settings=settings, file_warnings=file_warnings
    )


def import_file(
    path: Path | str,
    kind: str | None = None,
    format: str | None = None,
    *,
    encoding: str | None = None,
    columns: Mapping[str, str] | Path | str | None = None,
    name: str | None = None,
    taxonomy: SearchableTaxonomy | None = None,
    settings: Settings | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import one file, streaming it line by line (a JSON document is read whole).

    ``encoding`` overrides the detected one (UTF-8 with or without BOM, else cp1252); ``columns``
    maps other CSV header names to matcher's columns (a mapping, or a TOML/CSV file, see
    :func:`~.headers.read_column_map`); ``name`` is the file name to report (an upload's).
    ``today`` dates an open-ended job in a JSON Resume (default: today).

    Raises :class:`ImportFormatError` (a ValueError) when the file is no supported format or not
    of the kind asked for; a bad record never raises, it is a :class:`Rejection` in the result.
    """
    with _collector_paused():
        return _import_path(Path(path), kind, format, encoding, columns, name, taxonomy, settings, today)


def _import_path(
    path: Path,
    kind: str | None,
    format: str | None,
    encoding: str | None,
    columns: Mapping[str, str] | Path | str | None,
    name: str | None,
    taxonomy: SearchableTaxonomy | None,
    settings: Settings | None,
    today: date | None,
) -> ImportResult:
    name = name or path.name
    refuse_unsupported(Path(name))
    column_map = _column_map(columns)
    try:
        head = read_head(path)
        line_mode = is_line_file(head.decode("utf-8", errors="replace").removeprefix("\ufeff"), name, format)
        if encoding:
            chosen, note = canonical_encoding(encoding), None
        elif line_mode is not None:  # JSON is UTF-8 by its standard (RFC 8259): a line that is not, is rejected
            chosen, note = "utf-8", None
        else:
            chosen, note = detect_encoding(head)
    except ValueError as exc:
        raise ImportFormatError(str(exc)) from exc
    notes = [ImportWarning(None, None, None, note)] if note else []
    head_text = head.decode(chosen, errors="replace").removeprefix("\ufeff")
    if line_mode is False:
        try:
            text = decode_document(path.read_bytes(), chosen, name)
        except ValueError as exc:
            raise ImportFormatError(str(exc)) from exc
        kind, file_format, line_mode, records = detect(text, name, kind, format, column_map, lines=False)
        return _import_lines(
            [], kind, file_format, line_mode, records, name, column_map, taxonomy, settings, today, notes
        )
    if line_mode and len(head) == HEAD_BYTES:
        head_text = head_text[: head_text.rfind("\n") + 1] or head_text
    kind, file_format, line_mode, _ = detect(head_text, name, kind, format, column_map, lines=line_mode)
    return _import_lines(
        read_lines(path, chosen), kind, file_format, line_mode, None, name, column_map, taxonomy, settings, today, notes
    )


def _import(source: Path | str, kind: str, format: str | None, **options: Any) -> ImportResult:
    if isinstance(source, Path) or (
        "\n" not in source and not source.lstrip().startswith(("{", "[")) and Path(source).is_file()
    ):
        return import_file(source, kind, format, **options)
    return import_text(source, kind, format, **options)


def import_vacancies(path_or_text: Path | str, format: str | None = None, **options: Any) -> ImportResult[Vacancy]:
    """Import vacancies from a file (a ``Path`` or the name of an existing file) or from the text itself."""
    return _import(path_or_text, "vacancies", format, **options)


def import_candidates(path_or_text: Path | str, format: str | None = None, **options: Any) -> ImportResult[Candidate]:
    """Import candidates, their personal data split off into ``result.personal``."""
    return _import(path_or_text, "candidates", format, **options)


def check_file(
    path: Path | str,
    kind: str | None = None,
    format: str | None = None,
    taxonomy: SearchableTaxonomy | None = None,
    **options: Any,
) -> ImportResult:
    """What ``matcher import-check`` runs: the import, for its report (``summary_text()``, ``to_dict()``)."""
    return import_file(path, kind, format, taxonomy=taxonomy, **options)


def _writer_format(format: str, kind: str) -> str:
    from .detect import canonical_format

    file_format = canonical_format(format)
    allowed = {"vacancies": ("jsonl", "jobposting", "csv"), "candidates": ("jsonl", "jsonresume", "csv")}[kind]
    if file_format not in allowed:
        raise ImportFormatError(f"{kind} cannot be written as {format!r}; use one of {', '.join(allowed)}")
    return file_format


def write_vacancies(vacancies: Sequence[Vacancy], path: Path | str, format: str = "jsonl") -> Path:
    """Write vacancies as JSON Lines, JobPosting JSON-LD or CSV, so that importing them gives them back."""
    file_format, path = _writer_format(format, "vacancies"), Path(path)
    with path.open("w", encoding="utf-8", newline="") as out:
        {
            "jsonl": jsonl.write_vacancies,
            "jobposting": jobposting_write.write_vacancies,
            "csv": tabular.write_vacancies,
        }[file_format](vacancies, out)
    return path


def write_candidates(
    candidates: Sequence[Candidate],
    personal: Sequence[PersonalData] | Mapping[str, PersonalData],
    path: Path | str,
    format: str = "jsonl",
) -> Path:
    """Write candidates with their personal data (matched by ``candidate_id``) in any candidate format."""
    file_format, path = _writer_format(format, "candidates"), Path(path)
    by_id = dict(personal) if isinstance(personal, Mapping) else {p.candidate_id: p for p in personal}
    with path.open("w", encoding="utf-8", newline="") as out:
        {
            "jsonl": jsonl.write_candidates,
            "jsonresume": jsonresume_write.write_candidates,
            "csv": tabular.write_candidates,
        }[file_format](candidates, by_id, out)
    return path
