"""Per-record limits and poison checks: nothing one record holds may fail another record or the store.

A record is walked once after its format has read it: ids and codes that hold NUL, a lone
surrogate, a C0/C1 control character or a bidi override are rejected (they end up in file names,
URLs and reports, where ``…\\u202egpj.exe`` misleads a person); free text has such characters
removed, with a warning. Nesting depth, list lengths, text lengths and record size are bounded
(the figures below are documented in ``docs/import-formats.md``), so one record cannot make the
import slow or large for everyone. PostgreSQL refuses NUL and lone surrogates in text and JSON;
after this walk neither database sees one, so both behave the same.
"""

from __future__ import annotations

import re
from typing import Any

#: The bounds, per record.
MAX_RECORD_CHARS = 1_000_000  # one JSON line, one CSV row, one element of a JSON document
MAX_DEPTH = 20  # JSON nesting: a JSON Resume needs 4
MAX_TEXT = 10_000  # characters in one free-text field (a vacancy description: MAX_DESCRIPTION)
MAX_DESCRIPTION = 20_000  # what Vacancy.description allows
MAX_CODE = 300  # an id, URI, code or other non-free-text string
MAX_LIST = 1_000  # items in any list the models do not bound more tightly
MAX_ITEMS = {"competences": 200, "requirements": 50, "languages": 30, "experience": 100}

#: Characters that are never kept: NUL and other C0 controls but tab/newline/carriage return, DEL
#: and C1 controls, bidi embeddings/overrides/isolates and marks, and lone surrogates.
_POISON = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: In ids and codes tab and new lines are poison too.
_POISON_CODE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: A JSON line with none of these cannot hold poison after parsing: the characters themselves, or
#: an escape that spells one (``\\u0000``, ``\\ud800``, ``\\u202e``, ``\\t`` ...).
_SUSPECT_ESCAPE = re.compile(
    r"\\(?:[tnrbf]|u(?:00[0189][0-9a-fA-F]|007[fF]|200[eEfF]|202[a-eA-E]|206[6-9]|[dD][89a-fA-F][0-9a-fA-F]{2}))"
)
_SUSPECT_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def suspect_json(line: str) -> bool:
    """True when a JSON line may hold poison once parsed (two scans: one class, escapes only after a backslash)."""
    return _SUSPECT_CHAR.search(line) is not None or ("\\" in line and _SUSPECT_ESCAPE.search(line) is not None)


#: Keys whose strings are free text a person wrote: poison is removed, with a warning.
FREE_TEXT = frozenset(
    {"text", "title", "description", "description_html", "name", "salary_text", "city", "address", "locality"}
)


def describe(char: str) -> str:
    """``U+0007 (a control character)`` for a poison character."""
    code = ord(char)
    if code == 0:
        what = "NUL"
    elif 0xD800 <= code <= 0xDFFF:
        what = "a broken character (lone surrogate)"
    elif code in (0x200E, 0x200F) or 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        what = "a bidi control that reorders text"
    else:
        what = "a control character"
    return f"U+{code:04X} ({what})"


def safe(text: str) -> str:
    """``text`` with every poison character written as an escape, for a report or a log line."""
    if not _POISON_CODE.search(text):
        return text
    return _POISON_CODE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class RecordChecker:
    """Walks one record (a draft's plain data), cleaning free text and collecting problems.

    ``problems`` reject the record; ``warnings`` (field, message) accompany the kept record.
    """

    __slots__ = ("problems", "warnings")

    def __init__(self) -> None:
        self.problems: list[tuple[str | None, str]] = []
        self.warnings: list[tuple[str | None, str]] = []

    def check(self, value: Any, path: str = "", key: str = "", depth: int = 0) -> Any:
        """The value with poison removed from free text; problems and warnings recorded on the way.

        Field names are not checked: an unknown one is refused by the model, and every message
        that shows one is made printable by :func:`safe`."""
        if isinstance(value, str):
            return self._string(value, path, key)
        if depth >= MAX_DEPTH:
            self.problems.append((path or None, f"{path or 'the record'} is nested more than {MAX_DEPTH} levels deep"))
            return None
        if isinstance(value, dict):
            out = {}
            for name, item in value.items():
                if item is None or item is True or item is False or type(item) in (int, float):
                    out[name] = item
                    continue
                name_text = name if isinstance(name, str) else str(name)
                out[name] = self.check(item, f"{path}.{name_text}" if path else name_text, name_text, depth + 1)
            return out
        if isinstance(value, list):
            limit = MAX_ITEMS.get(key, MAX_LIST)
            if len(value) > limit:
                self.problems.append(
                    (path, f"{path} has {len(value)} items; at most {limit} are imported per record, split the record")
                )
                return []
            return [self.check(item, f"{path}[{i}]", key, depth + 1) for i, item in enumerate(value)]
        return value

    def _string(self, value: str, path: str, key: str) -> str:
        free = key in FREE_TEXT
        limit = (
            ((100_000 if key == "description_html" else MAX_DESCRIPTION) if key.startswith("description") else MAX_TEXT)
            if free
            else MAX_CODE
        )
        if len(value) > limit:
            self.problems.append(
                (path, f"{path} is {len(value):,} characters long; at most {limit:,} are allowed in this field")
            )
            return value[:0]
        pattern = _POISON if free else _POISON_CODE
        found = pattern.search(value)
        if found is None:
            return value
        if not free:
            self.problems.append(
                (
                    path,
                    f"{path} {safe(value)[:80]!r} holds {describe(found.group())}; ids and codes may hold "
                    f"no control characters, NUL, bidi marks or broken characters",
                )
            )
            return value
        cleaned = pattern.sub("", value)
        self.warnings.append(
            (
                path,
                f"{path}: removed {len(value) - len(cleaned)} invisible or broken character(s), "
                f"first {describe(found.group())}",
            )
        )
        return cleaned


def plain_strings(data: Any) -> bool:
    """True for a flat dict of short strings without poison: nothing for :class:`RecordChecker` to do."""
    if not isinstance(data, dict):
        return False
    values = data.values()
    if not all(isinstance(v, str) and len(v) <= MAX_CODE for v in values):
        return False
    return _POISON_CODE.search("".join(values)) is None


def json_depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when ``value`` nests deeper than ``limit``; iterative, so any depth is safe to ask about."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children: Any
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False
