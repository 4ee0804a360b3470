"""Bytes to text, one physical line at a time: the encoding told from the start of the file,
every line that does not decode rejected by its number, never the whole file by a byte offset.

Belgian Excel saves "CSV (gescheiden door lijstscheidingsteken)" as Windows-1252; job sites and
JSON tools write UTF-8, sometimes with a byte order mark. A file that is mostly UTF-8 with one
broken line is read as UTF-8 and that line is rejected (reading it all as cp1252 would garble
every accented letter in the good lines); a file whose non-ASCII lines are not UTF-8 is read as
cp1252, and a line holding one of the five bytes cp1252 leaves undefined as latin-1.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: How much of the file is looked at to tell the encoding.
HEAD_BYTES = 1 << 20


@dataclass(slots=True)  # not frozen: a frozen dataclass is built three times slower, per line
class Line:
    """One physical line (number from 1), its text with the line ending, or why it does not decode."""

    number: int
    text: str
    error: str | None = None


def canonical_encoding(name: str) -> str:
    """The codec's own name; an unknown one is a ValueError naming what to use."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError as exc:
        raise ValueError(f"unknown encoding {name!r}; use utf-8, cp1252 or latin-1") from exc


def detect_encoding(head: bytes) -> tuple[str, str | None]:
    """``(encoding, note)`` for a file starting with ``head``; the note says what was chosen and why."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "the file is UTF-16 (it starts with a UTF-16 byte order mark)"
    lines = head.split(b"\n")
    if len(head) == HEAD_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last one may be cut in the middle of a character
    utf8 = other = 0
    for raw in lines:
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            other += 1
    if other > utf8:
        return "cp1252", (
            "the file is not UTF-8; it was read as Windows-1252 (cp1252, what Excel saves as CSV). "
            "If letters look wrong, give the encoding (--encoding latin-1 or utf-8)"
        )
    return "utf-8", None


def _decode(raw: bytes, encoding: str, number: int) -> Line:
    try:
        return Line(number, raw.decode(encoding))
    except UnicodeDecodeError as exc:
        if encoding == "cp1252":  # five bytes are undefined in cp1252; latin-1 reads every byte
            return Line(number, raw.decode("latin-1"))
        return Line(
            number,
            "",
            f"line {number} is not valid {encoding.upper()} text (byte {raw[exc.start]:#04x} at column "
            f"{len(raw[: exc.start].decode(encoding, 'replace')) + 1}); fix that line, or give the "
            f"file's encoding (--encoding cp1252)",
        )


def read_lines(path: Path, encoding: str) -> Iterator[Line]:
    """The file's lines, read and decoded one at a time (split at ``\\n`` only, as JSON Lines needs)."""
    if encoding.startswith("utf-16"):
        text = path.read_bytes().decode(encoding, errors="replace")
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            yield Line(number, line.lstrip("\ufeff") if number == 1 else line)
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            yield _decode(raw, encoding, number)


def read_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def decode_document(data: bytes, encoding: str, name: str) -> str:
    """A whole JSON document as text; a byte that does not decode is an error naming its line."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "cp1252":
            return data.decode("latin-1")
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(
            f"{name}: line {line} is not valid {encoding.upper()} text (byte {data[exc.start]:#04x}); "
            f"fix that line, or give the file's encoding (--encoding cp1252)"
        ) from exc
