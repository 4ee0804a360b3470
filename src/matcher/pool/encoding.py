"""What a candidate pool and a vacancy pool share: taxonomy, postcodes, language columns, codes.

Dates become day numbers, places unit vectors, shifts and driving licences bitmasks (with the
licences they imply), so the pair kernel works on plain numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..geo import PostcodeTable, load_postcodes
from ..profiles import Shift
from ..taxonomy import Taxonomy

NEAR_SKILL_CREDIT = 0.5
"""Credit for a required skill when the candidate holds a broader or sibling skill instead."""

MAX_LANGUAGES = 32
MAX_MUST_SLOTS = 48  # must-requirement bits per vacancy; float64 sums stay exact below 2**53
EPOCH = date(2000, 1, 1)
NO_DATE = np.iinfo(np.int32).max

SHIFT_BITS = {shift: 1 << i for i, shift in enumerate(Shift)}
LICENCE_IMPLIES = {
    # Holding the key category also gives the listed ones (Belgian/EU licence rules).
    "AM": ("AM",),
    "A": ("A", "AM"),
    "B": ("B", "AM"),
    "BE": ("BE", "B", "AM"),
    "C1": ("C1", "B", "AM"),
    "C": ("C", "C1", "B", "AM"),
    "CE": ("CE", "C", "C1", "BE", "B", "AM"),
    "D": ("D", "B", "AM"),
    "DE": ("DE", "D", "BE", "B", "AM"),
    "G": ("G",),
}
LICENCE_BITS = {name: 1 << i for i, name in enumerate(LICENCE_IMPLIES)}


def day_number(value: date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) points on the unit sphere, so a distance needs no trigonometry but one arcsin."""
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)]).astype(
        np.float32
    )


def shift_mask(shifts: Iterable[Shift]) -> int:
    mask = 0
    for shift in shifts:
        mask |= SHIFT_BITS[shift]
    return mask


def licence_mask(categories: Iterable[str]) -> int:
    mask = 0
    for category in categories:
        for implied in LICENCE_IMPLIES.get(category, ()):
            mask |= LICENCE_BITS[implied]
    return mask


class LanguageColumns:
    """Stable column numbers for language codes, shared by a candidate and a vacancy pool."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.index: dict[str, int] = {}

    def column(self, code: str) -> int:
        if code not in self.index:
            if len(self.codes) >= MAX_LANGUAGES:
                raise ValueError(f"more than {MAX_LANGUAGES} distinct languages in one pool")
            self.index[code] = len(self.codes)
            self.codes.append(code)
        return self.index[code]


@dataclass
class Encoding:
    """Shared context of a candidate pool and a vacancy pool: taxonomy, postcodes, languages."""

    taxonomy: Taxonomy
    postcodes: PostcodeTable = field(default_factory=load_postcodes)
    languages: LanguageColumns = field(default_factory=LanguageColumns)

    def __post_init__(self) -> None:
        tax = self.taxonomy
        self.n_skills = len(tax.skill_uris)
        self.isco_codes = sorted({o.isco_group for o in tax.occupations.values()})
        self.isco_index = {code: i for i, code in enumerate(self.isco_codes)}
        parent = tax.skill_parent_matrix.tocsr()
        # Holding a narrower skill counts as holding its broader one; a broader or sibling skill
        # earns partial credit. Precomputed once so encoding a profile is a sparse product.
        self.narrower_to_broader = parent
        related = (parent.T + parent @ parent.T).tocsr()
        related.data[:] = 1.0
        self.related = related

    def skill_columns(self, uris: Iterable[str]) -> list[int]:
        index = self.taxonomy.skill_index
        return sorted({j for u in uris if (j := index.get(u)) is not None})

    def occupation_isco(self, uri: str | None) -> int:
        if uri is None or uri not in self.taxonomy.occupations:
            return -1
        return self.isco_index[self.taxonomy.occupations[uri].isco_group]

    def occupation_row(self, uri: str | None) -> int:
        return self.taxonomy.occupation_index.get(uri, -1) if uri else -1
