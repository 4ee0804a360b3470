"""CSV rows from decoded lines, one bad row never taking good ones with it.

The csv module reads a quoted cell across line breaks, as it must for a multi-line description.
But one unclosed quote then swallows every following line into a single cell, and those rows are
neither imported nor reported. A row that spans lines is therefore accepted only when it has the
header's number of cells and no continuation line looks like a whole row of its own; otherwise
its first line is rejected and every line it swallowed is read again as a row of its own.
A row is also cut off after :data:`MAX_ROW_LINES` lines or :data:`MAX_RECORD_CHARS` characters.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .decode import Line
from .limits import MAX_RECORD_CHARS

#: A quoted cell may run over at most this many lines.
MAX_ROW_LINES = 200

csv.field_size_limit(MAX_RECORD_CHARS + 1)  # one cell may fill a record; the record limit is ours


class _Runaway(Exception):
    """The row being read grew past a limit, or met a line that could not be decoded."""


@dataclass(slots=True)
class Row:
    """A row starting on physical line ``line``: its cells, or the reason it cannot be read."""

    line: int
    cells: list[str] | None = None
    problem: str | None = None
    lines: int = 1
    spans: list[int] = field(default_factory=list)


class _Feed:
    """The lines handed to :mod:`csv`, remembering those of the current row so they can be read again."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self.source = lines
        self.pending: deque[Line] = deque()
        self.taken: list[Line] = []
        self.skipped: list[Line] = []
        self.size = 0

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        while True:
            line = self.pending.popleft() if self.pending else next(self.source)
            broken = line.error is not None or len(line.text) > MAX_RECORD_CHARS
            if not self.taken and broken:
                self.skipped.append(line)
                continue
            if broken or len(self.taken) >= MAX_ROW_LINES or self.size + len(line.text) > MAX_RECORD_CHARS:
                self.pending.appendleft(line)
                raise _Runaway
            self.taken.append(line)
            self.size += len(line.text)
            return line.text

    def start_row(self) -> None:
        self.taken, self.size = [], 0

    def read_again(self, lines: list[Line]) -> None:
        self.pending.extendleft(reversed(lines))


def _skipped(feed: _Feed) -> Iterator[Row]:
    for line in feed.skipped:
        reason = line.error or (
            f"line {line.number} is {len(line.text):,} characters long; a record may have at most {MAX_RECORD_CHARS:,}"
        )
        yield Row(line.number, problem=reason)
    feed.skipped = []


def _swallowed(cells: list[str], taken: list[Line], columns: int, delimiter: str) -> bool:
    """True when a row spanning lines is a quote left open rather than a multi-line cell."""
    if len([c for c in cells[columns:] if c.strip()]) or len(cells) < columns:
        return True
    return columns >= 3 and any(line.text.count(delimiter) >= columns - 1 for line in taken[1:])


def read_rows(lines: Iterable[Line], delimiter: str, columns: int) -> Iterator[Row]:
    """Each row after the header: its cells (trailing empty cells past ``columns`` dropped) or a problem."""
    feed = _Feed(iter(lines))
    reader = csv.reader(feed, delimiter=delimiter, strict=False)
    while True:
        feed.start_row()
        try:
            cells = next(reader)
        except StopIteration:
            yield from _skipped(feed)
            return
        except (_Runaway, csv.Error) as exc:
            yield from _skipped(feed)
            taken = feed.taken
            reader = csv.reader(feed, delimiter=delimiter, strict=False)
            if not taken:
                continue
            why = "cannot be read as CSV" if isinstance(exc, csv.Error) else "opens a quoted cell that is not closed"
            yield Row(taken[0].number, problem=_open_quote(taken[0].number, why, len(taken)))
            feed.read_again(taken[1:])
            continue
        yield from _skipped(feed)
        taken = feed.taken
        if len(taken) > 1 and _swallowed(cells, taken, columns, delimiter):
            yield Row(
                taken[0].number,
                problem=_open_quote(taken[0].number, "opens a quoted cell that is not closed", len(taken)),
            )
            feed.read_again(taken[1:])
            reader = csv.reader(feed, delimiter=delimiter, strict=False)
            continue
        while len(cells) > columns and not cells[-1].strip():
            cells.pop()
        yield Row(taken[0].number, cells, lines=len(taken))


def _open_quote(number: int, why: str, swallowed: int) -> str:
    after = f"; the {swallowed - 1} line(s) after it were read as rows of their own" if swallowed > 1 else ""
    return (
        f'line {number} {why} (a " with no closing "){after}: close the quote, or double a quote '
        f'inside a quoted cell ("")'
    )
