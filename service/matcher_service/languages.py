"""Reading ``Accept-Language``: one parser for the API's explanations and the pages' words."""

from __future__ import annotations

from collections.abc import Collection


def preferred_language(header: str | None, supported: Collection[str]) -> str | None:
    """The first of ``supported`` in an ``Accept-Language`` header by its q-values (ties: header order), or None.

    >>> preferred_language("fr-BE;q=0.9, en;q=0.8, nl", ["nl", "en"])
    'nl'
    """
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in supported and quality > 0:
            ranked.append((-quality, position, primary))
    return sorted(ranked)[0][2] if ranked else None
