"""Tell a file's format and kind from its name and content, or refuse it with a clear message."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .jsondoc import JsonRecord, guess_json_lines, read_json_records
from .report import ImportFormatError
from .tabular import guess_kind

FORMATS = ("jsonl", "jobposting", "jsonresume", "csv")
KINDS = ("vacancies", "candidates")
ALIASES = {
    "ndjson": "jsonl",
    "jsonlines": "jsonl",
    "json-lines": "jsonl",
    "native": "jsonl",
    "jsonld": "jobposting",
    "json-ld": "jobposting",
    "schema.org": "jobposting",
    "resume": "jsonresume",
    "json-resume": "jsonresume",
    "tsv": "csv",
}
KIND_OF_FORMAT = {"jobposting": "vacancies", "jsonresume": "candidates"}
LINE_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json", ".jsonld"}
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
UNSUPPORTED = {".xlsx", ".xls", ".ods", ".xml", ".pdf", ".docx", ".doc", ".zip", ".gz"}
HELP = "save it as CSV (UTF-8), JSON Lines, schema.org JobPosting JSON-LD or JSON Resume"


def canonical_format(format: str) -> str:
    name = format.strip().lower()
    name = ALIASES.get(name, name)
    if name not in FORMATS:
        raise ImportFormatError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    return name


def refuse_unsupported(path: Path) -> None:
    """Spreadsheets, PDFs and archives are refused by name, saying how to export them."""
    if path.suffix.lower() in UNSUPPORTED:
        raise ImportFormatError(f"{path.name}: {path.suffix} files cannot be imported; {HELP}")


def read_text(path: Path, encoding: str | None = None) -> str:
    """The whole file as text, its encoding told as :func:`~.decode.detect_encoding` does."""
    from .decode import decode_document, detect_encoding

    refuse_unsupported(path)
    data = path.read_bytes()
    try:
        return decode_document(data, encoding or detect_encoding(data[: 1 << 20])[0], path.name)
    except ValueError as exc:
        raise ImportFormatError(str(exc)) from exc


def is_line_file(text: str, name: str | None, format: str | None) -> bool | None:
    """True for JSON Lines, False for one JSON document, None for CSV, from the start of the file."""
    suffix = Path(name).suffix.lower() if name else ""
    file_format = canonical_format(format) if format else None
    stripped = text.lstrip("\ufeff \t\r\n")
    looks_json = bool(stripped) and stripped[0] in "{["
    if file_format == "csv" or (
        file_format is None
        and (suffix in CSV_SUFFIXES or (not looks_json and suffix not in JSON_SUFFIXES | LINE_SUFFIXES))
    ):
        return None
    if suffix in LINE_SUFFIXES:
        return True
    if suffix in JSON_SUFFIXES:
        return False
    return guess_json_lines(text)


def _json_format(first: object) -> str:
    if isinstance(first, dict):
        types = first.get("@type")
        if types == "JobPosting" or (isinstance(types, list) and "JobPosting" in types):
            return "jobposting"
        if "basics" in first or "jsonresume" in str(first.get("$schema", "")):
            return "jsonresume"
    return "jsonl"


def _native_kind(first: object) -> str | None:
    if not isinstance(first, dict):
        return None
    if {"employer_id", "requirements", "title"} & first.keys():
        return "vacancies"
    if {"competences", "personal", "languages", "coaching_need", "experience"} & first.keys():
        return "candidates"
    return None


def detect(
    text: str,
    name: str | None,
    kind: str | None,
    format: str | None,
    columns: Mapping[str, str] | None = None,
    lines: bool | None = None,
) -> tuple[str, str, bool | None, list[JsonRecord] | None]:
    """``(kind, format, lines, records)``; ``lines`` is True for JSON Lines, False for one JSON document,
    None for CSV. ``records`` are those of a JSON document, read whole to tell its format, so that
    the import need not parse it again; None for JSON Lines (only the start is read) and CSV."""
    if kind is not None and kind not in KINDS:
        raise ImportFormatError(f"unknown kind {kind!r}; use vacancies or candidates")
    suffix = Path(name).suffix.lower() if name else ""
    file_format = canonical_format(format) if format else None
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ImportFormatError(f"{name or 'the input'} is empty")
    looks_json = stripped[0] in "{["
    if file_format == "csv" or (
        file_format is None
        and (suffix in CSV_SUFFIXES or (not looks_json and suffix not in JSON_SUFFIXES | LINE_SUFFIXES))
    ):
        kind = kind or guess_kind(text, columns)
        if kind is None:
            raise ImportFormatError(
                "cannot tell whether this CSV holds vacancies or candidates from its header; "
                "give the kind (--kind vacancies or --kind candidates)"
            )
        return kind, "csv", None, None
    if not looks_json:
        raise ImportFormatError(f"{name or 'the input'} is not JSON (it starts with {stripped[:20]!r}); {HELP}")
    if lines is None:
        lines = True if suffix in LINE_SUFFIXES else (False if suffix in JSON_SUFFIXES else None)
    if lines is None:
        lines = guess_json_lines(text)
    _, records = read_json_records(text[:200_000] if lines else text, lines)
    first = next((r.value for r in records if isinstance(r.value, dict)), None)
    file_format = file_format or _json_format(first)
    expected = KIND_OF_FORMAT.get(file_format)
    if kind is not None and expected is not None and kind != expected:
        raise ImportFormatError(f"a {file_format} file holds {expected}, not {kind}")
    kind = kind or expected or _native_kind(first)
    if kind is None:
        raise ImportFormatError(
            "cannot tell whether this file holds vacancies or candidates; "
            "give the kind (--kind vacancies or --kind candidates)"
        )
    return kind, file_format, lines, None if lines else records
