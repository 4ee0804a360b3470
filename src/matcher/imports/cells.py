"""The small grammar of list cells in CSV: ``item|item``, each item ``text <uri> [flag, flag]``.

A spreadsheet has one cell per field, but a vacancy has many requirements, each with an
importance, a training time and perhaps both the words the employer used and the ESCO URI they
mean. So a list cell separates items with ``|``; an item is free text, an ESCO URI in angle
brackets (or bare), and flags in square brackets: ``must``/``should``/``nice``, ``trainable`` or
``trainable 4 weeks``, ``24 months``, ``score 0.93``. A literal ``| < > [ ] \\`` in text is
written with a backslash before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SPECIAL = "|<>[]\\"
_FLAG_PATTERNS = {
    "importance": re.compile(r"^(must|should|nice)$"),
    "trainable": re.compile(r"^(?:trainable|aan te leren)(?:\s+(\d+)\s*(?:weeks?|weken|w))?$"),
    "months": re.compile(r"^(\d+)\s*(?:months?|maanden|maand|m)$"),
    "score": re.compile(r"^(?:score|match)\s+([01](?:[.,]\d+)?)$"),
}
FLAG_HELP = "must, should, nice, trainable, trainable 4 weeks, 24 months or score 0.9"


class CellError(ValueError):
    """An item a person must fix; the message says what is wrong and what is allowed."""


@dataclass(slots=True)
class Item:
    """One parsed list item."""

    text: str | None = None
    uri: str | None = None
    importance: str | None = None
    trainable: bool = False
    training_weeks: int | None = None
    months: int | None = None
    score: float | None = None
    flags: list[tuple[str, str]] = field(default_factory=list)  # (kind of flag, as written)


def split_unescaped(text: str, separator: str) -> list[str]:
    """Split at ``separator`` unless a backslash escapes it; escapes are kept for the item parser."""
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def escape(text: str) -> str:
    return "".join("\\" + c if c in SPECIAL else c for c in text)


def split_list(cell: str) -> list[str]:
    """The non-empty items of a list cell, still escaped."""
    return [part.strip() for part in split_unescaped(cell, "|") if part.strip()]


def _trailing(item: str, opening: str, closing: str) -> tuple[str, str | None]:
    """Cut a trailing unescaped ``opening…closing`` group off ``item``."""
    if not item.endswith(closing) or item.endswith("\\" + closing):
        return item, None
    start = len(item) - 1
    while start >= 0:
        start = item.rfind(opening, 0, start)
        if start < 0:
            raise CellError(f"'{closing}' without '{opening}' in {unescape(item)!r}")
        if start == 0 or item[start - 1] != "\\":
            return item[:start].rstrip(), item[start + 1 : -1].strip()
    raise CellError(f"'{closing}' without '{opening}' in {unescape(item)!r}")


def parse_item(raw: str, uri_prefix: str = "http") -> Item:
    """``heftruck besturen <http://…> [should, trainable 4 weeks]`` → :class:`Item`."""
    rest, flags = _trailing(raw.strip(), "[", "]")
    rest, uri = _trailing(rest, "<", ">")
    item = Item(uri=uri or None)
    text = unescape(rest).strip()
    if item.uri is None and text.startswith(uri_prefix) and " " not in text:
        item.uri, text = text, ""
    item.text = text or None
    for flag in (f.strip().lower() for f in (flags or "").split(",") if f.strip()):
        _apply_flag(item, flag)
    return item


def _apply_flag(item: Item, flag: str) -> None:
    for name, pattern in _FLAG_PATTERNS.items():
        match = pattern.match(flag)
        if not match:
            continue
        if name == "importance":
            item.importance = match.group(1)
        elif name == "trainable":
            item.trainable = True
            item.training_weeks = int(match.group(1)) if match.group(1) else None
        elif name == "months":
            item.months = int(match.group(1))
        else:
            item.score = float(match.group(1).replace(",", "."))
        item.flags.append((name, flag))
        return
    raise CellError(f"unknown flag {flag!r}; use {FLAG_HELP}")


def format_item(text: str | None = None, uri: str | None = None, flags: list[str] | None = None) -> str:
    """The inverse of :func:`parse_item`: escaped text, ``<uri>`` and ``[flags]``, each when present."""
    parts = [escape(text)] if text else []
    if uri:
        parts.append(f"<{uri}>")
    if flags:
        parts.append(f"[{', '.join(flags)}]")
    return " ".join(parts)


def requirement_flags(
    importance: str, trainable: bool, training_weeks: int | None, months: int | None = None, score: float | None = None
) -> list[str]:
    """Flags for a requirement item; ``must`` is the default and is left out."""
    flags = [] if importance == "must" else [importance]
    if months is not None:
        flags.append(f"{months} months")
    if trainable:
        flags.append(f"trainable {training_weeks} weeks" if training_weeks else "trainable")
    if score is not None:
        flags.append(f"score {score!r}")
    return flags
