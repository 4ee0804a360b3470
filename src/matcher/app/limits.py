"""How large one profile sent to the service may be: every list and every string has a maximum.

Without them one request with a million free-text requirements took 68 s and 4 GB. The maxima are
far above any real profile (a vacancy with 60 requirements is already unusual) and are the ones
documented in docs/api.md; a profile over one is refused with 422 naming the field and the limit,
and a body over ``MATCHER_MAX_UPLOAD_BYTES`` with 413 before it is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

# Per list field: the most items one profile may have.
MAX_ITEMS: Mapping[str, int] = {
    "requirements": 60,
    "competences": 150,
    "experience": 40,
    "languages": 15,
    "contact_languages": 10,
    "driving_licences": 15,
    "desired_occupations": 20,
    "shifts": 5,
    "alternatives": 3,
}
MAX_ITEMS_DEFAULT = 50
# Per string field: the most characters; every other string is at most MAX_TEXT.
MAX_CHARS: Mapping[str, int] = {"description": 20_000, "text": 500, "title": 300, "name": 300}
MAX_TEXT = 1_000


def violations(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every list or string in ``data`` (JSON as parsed) over its maximum: (path, message)."""
    if isinstance(data, Mapping):
        for name, value in data.items():
            yield from violations(value, (*path, str(name)))
    elif isinstance(data, list):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        limit = MAX_ITEMS.get(name, MAX_ITEMS_DEFAULT)
        if len(data) > limit:
            yield path, f"at most {limit} items are allowed; got {len(data):,}"
            return
        for i, item in enumerate(data):
            yield from violations(item, (*path, i))
    elif isinstance(data, str):
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        limit = MAX_CHARS.get(name, MAX_TEXT)
        if len(data) > limit:
            yield path, f"at most {limit:,} characters are allowed; got {len(data):,}"
