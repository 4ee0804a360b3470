"""Candidates and vacancies encoded once as arrays, ready for vectorised pair features.

A pool encodes each profile into a row of numpy arrays and sparse matrices. Adding or updating a
profile encodes only that profile: the new row goes to a small staging area, the old row is
marked inactive, and the packed matrices are rebuilt from the arrays (no Python work per
profile) the next time a query needs them.
"""

from .candidates import CandidateArrays, CandidatePool
from .encoding import (
    EPOCH,
    LICENCE_BITS,
    LICENCE_IMPLIES,
    MAX_LANGUAGES,
    MAX_MUST_SLOTS,
    NEAR_SKILL_CREDIT,
    NO_DATE,
    SHIFT_BITS,
    Encoding,
    LanguageColumns,
    day_number,
    licence_mask,
    shift_mask,
    unit_vectors,
)
from .vacancies import SlotInfo, VacancyArrays, VacancyPool

__all__ = [
    "EPOCH",
    "LICENCE_BITS",
    "LICENCE_IMPLIES",
    "MAX_LANGUAGES",
    "MAX_MUST_SLOTS",
    "NEAR_SKILL_CREDIT",
    "NO_DATE",
    "SHIFT_BITS",
    "CandidateArrays",
    "CandidatePool",
    "Encoding",
    "LanguageColumns",
    "SlotInfo",
    "VacancyArrays",
    "VacancyPool",
    "day_number",
    "licence_mask",
    "shift_mask",
    "unit_vectors",
]
