"""Dates as Belgians write them: day first (``31/12/2026``, ``31-12-2026``, ``31.12.2026``) as well as ISO."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def read_date(value: Any) -> tuple[str | None, bool]:
    """``(ISO date, was_day_first)``; ``(None, False)`` when ``value`` is no date in a known form."""
    if isinstance(value, date):
        return value.isoformat(), False
    if not isinstance(value, str):
        return None, False
    text = value.strip()
    match = _ISO.match(text)
    if match:
        parts, day_first = (int(match.group(1)), int(match.group(2)), int(match.group(3))), False
    else:
        match = _DAY_FIRST.match(text)
        if not match:
            return None, False
        parts, day_first = (int(match.group(3)), int(match.group(2)), int(match.group(1))), True
    try:
        return date(*parts).isoformat(), day_first
    except ValueError:
        return None, False
