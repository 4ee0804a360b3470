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
from .detect import FORMATS, KINDS, detect, read_text
from .jsondoc import JsonRecord, read_json_records
from .pipeline import Draft, build_result
from .report import ImportFormatError, ImportResult, ImportWarning, Rejection

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
    "write_candidates",
    "write_vacancies",
]


def import_text(
    text: str,
    kind: str | None = None,
    format: str | None = None,
    *,
    name: str | None = None,
    taxonomy: SearchableTaxonomy | None = None,
    settings: Settings | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import the content of a file; ``name`` (the file name) helps tell the format."""
    with _collector_paused():
        kind, file_format, lines, records = detect(text, name, kind, format)
        return _import_text(text, kind, file_format, lines, records, name, taxonomy, settings, today)


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


def _import_text(
    text: str,
    kind: str,
    file_format: str,
    lines: bool | None,
    records: list[JsonRecord] | None,
    name: str | None,
    taxonomy: SearchableTaxonomy | None,
    settings: Settings | None,
    today: date | None,
) -> ImportResult:
    """Import text whose format :func:`detect` told; ``records`` are the JSON records it already read, if any."""
    file_warnings: list[ImportWarning] = []
    drafts: Iterable[Draft]
    if file_format == "csv":
        drafts, file_warnings = tabular.drafts(text, kind)
    elif file_format == "jsonl" and lines:
        drafts = jsonl.line_drafts(text, kind)
    else:
        if records is None:
            _, records = read_json_records(text, lines)
        if file_format == "jobposting":
            drafts = list(jobposting.drafts(records))
        elif file_format == "jsonresume":
            drafts = list(jsonresume.drafts(records, today or date.today()))
        else:
            drafts = list(jsonl.drafts(records, kind))
    return build_result(
        drafts, kind, file_format, source=name, taxonomy=taxonomy, settings=settings, file_warnings=file_warnings
    )


def import_file(
    path: Path | str,
    kind: str | None = None,
    format: str | None = None,
    *,
    taxonomy: SearchableTaxonomy | None = None,
    settings: Settings | None = None,
    today: date | None = None,
) -> ImportResult:
    """Import one file. ``today`` dates an open-ended job in a JSON Resume (default: today).

    Raises :class:`ImportFormatError` (a ValueError) when the file is no supported format or not
    of the kind asked for; a bad record never raises, it is a :class:`Rejection` in the result.
    """
    path = Path(path)
    return import_text(read_text(path), kind, format, name=path.name, taxonomy=taxonomy, settings=settings, today=today)


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
    path: Path | str, kind: str | None = None, format: str | None = None, taxonomy: SearchableTaxonomy | None = None
) -> ImportResult:
    """What ``matcher import-check`` runs: the import, for its report (``to_text()`` or ``to_dict()``)."""
    return import_file(path, kind, format, taxonomy=taxonomy)


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
