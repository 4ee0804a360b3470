"""Read JSON records with their physical line: JSON Lines, one object, a list, or a JSON-LD ``@graph``.

A JSON Lines file is read line by line, so malformed JSON on one line rejects that line only.
A JSON document is parsed whole and then walked once more with ``raw_decode`` to find the line on
which each record starts, so a rejection can point at it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .decode import Line
from .limits import MAX_DEPTH, MAX_RECORD_CHARS, json_depth_exceeds

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


@dataclass(frozen=True, slots=True)
class JsonRecord:
    """One record: its number (from 1), the line it starts on, and the object or why it is unreadable."""

    record: int
    line: int
    value: Any = None
    error: str | None = None


def strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def is_json_lines(text: str) -> bool:
    """True when the first non-blank line is a complete JSON value on its own (and more follows)."""
    text = strip_bom(text)
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return False
    first = stripped.split("\n", 1)[0].strip()
    try:
        json.loads(first)
    except ValueError:
        return False
    return True


def guess_json_lines(text: str) -> bool:
    """True when ``text`` reads as JSON Lines: a complete JSON value on its first line, and more lines."""
    return is_json_lines(text) and strip_bom(text).strip().count("\n") > 0


def read_json_records(text: str, lines: bool | None = None) -> tuple[str, list[JsonRecord]]:
    """Split ``text`` into records; returns the shape ("lines", "object", "list" or "graph") and the records.

    ``lines`` forces JSON Lines (a ``.jsonl`` file) or a single document; None tells them apart.
    """
    if lines is None:
        lines = guess_json_lines(text)
    text = strip_bom(text)
    if lines:
        return "lines", list(_lines(text))
    try:
        document = json.loads(text)
    except RecursionError:
        return "object", [JsonRecord(1, 1, error="the file nests too deep to be read as JSON; no record could be read")]
    except json.JSONDecodeError as exc:
        return "object", [
            JsonRecord(
                1,
                exc.lineno,
                error=f"the file is not valid JSON: {exc.msg} at line "
                f"{exc.lineno} column {exc.colno}; no record could be read",
            )
        ]
    start = len(text) - len(text.lstrip())
    if isinstance(document, list):
        return "list", list(_array_records(text, start, 1))
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        return "graph", _graph_records(text, start, document)
    first_line = text.count("\n", 0, start) + 1
    if json_depth_exceeds(document):
        return "object", [JsonRecord(1, first_line, error=_too_deep(first_line))]
    return "object", [JsonRecord(1, first_line, document)]


def json_line_record(record: int, number: int, line: str) -> JsonRecord:
    """One line of a JSON Lines file, parsed, or the reason it cannot be (too long, too deep, not JSON)."""
    if len(line) > MAX_RECORD_CHARS:
        return JsonRecord(
            record,
            number,
            error=f"line {number} is {len(line):,} characters long; a record may have at most {MAX_RECORD_CHARS:,}",
        )
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        return JsonRecord(
            record,
            number,
            error=f"line {number} is not valid JSON ({exc.msg} at column "
            f"{exc.colno}); each line must hold one complete JSON object",
        )
    except RecursionError:
        return JsonRecord(record, number, error=_too_deep(number))
    if json_depth_exceeds(value):
        return JsonRecord(record, number, error=_too_deep(number))
    return JsonRecord(record, number, value)


def _too_deep(number: int) -> str:
    return f"the record on line {number} nests more than {MAX_DEPTH} levels deep; no import needs that many"


def line_records(lines: Iterable[Line]) -> Iterator[JsonRecord]:
    """The records of decoded lines: each non-blank line parsed, a line that did not decode rejected."""
    record = 0
    for line in lines:
        if line.error is None and not line.text.strip():
            continue
        record += 1
        if line.error is not None:
            yield JsonRecord(record, line.number, error=line.error)
        else:
            yield json_line_record(record, line.number, line.text)


def numbered_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """``(record, line number, line)`` of each non-blank line, both numbers from 1.

    Splits at ``\\n`` only: JSON text may hold U+2028 and other characters ``splitlines`` breaks at.
    """
    record = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            record += 1
            yield record, number, line


def _lines(text: str) -> Iterator[JsonRecord]:
    for record, number, line in numbered_lines(text):
        yield json_line_record(record, number, line)


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _array_records(text: str, pos: int, first_record: int) -> Iterator[JsonRecord]:
    """The elements of the array starting at ``text[pos] == '['``, with their start lines."""
    pos, line, counted = _skip(text, pos + 1), 1, 0
    record = first_record
    while text[pos] != "]":
        line += text.count("\n", counted, pos)
        counted = pos
        value, end = _DECODER.raw_decode(text, pos)
        if end - pos > MAX_RECORD_CHARS:
            yield JsonRecord(
                record,
                line,
                error=f"the record is {end - pos:,} characters long; a record may have at most {MAX_RECORD_CHARS:,}",
            )
        elif json_depth_exceeds(value):
            yield JsonRecord(record, line, error=_too_deep(line))
        else:
            yield JsonRecord(record, line, value)
        pos = end
        record += 1
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)


def _graph_records(text: str, pos: int, document: dict[str, Any]) -> list[JsonRecord]:
    """The ``@graph`` elements of the top-level object at ``pos``, found by walking its keys."""
    pos = _skip(text, pos + 1)
    while text[pos] != "}":
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past the colon
        if key == "@graph":
            return list(_array_records(text, pos, 1))
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
    return [JsonRecord(i, 1, value) for i, value in enumerate(document["@graph"], start=1)]
