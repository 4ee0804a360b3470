"""ESCO taxonomy: occupations and skills in Dutch and English, their relations, and search.

>>> from matcher.taxonomy import load_taxonomy
>>> tax = load_taxonomy()
>>> tax.search_occupations("heftruckchauffeur", k=1)[0].label
'heftruckchauffeur'
"""

from __future__ import annotations

from functools import cache

from .model import IscoGroup, Occupation, Skill, isco_skill_level
from .store import Taxonomy, UnknownConceptError, load_taxonomy_from

__all__ = [
    "IscoGroup",
    "Occupation",
    "Skill",
    "Taxonomy",
    "UnknownConceptError",
    "isco_skill_level",
    "load_taxonomy",
    "load_taxonomy_from",
]


@cache
def load_taxonomy() -> Taxonomy:
    """The packaged ESCO taxonomy, read once per process.

    The taxonomy is immutable reference data, so every caller shares one instance; use
    :func:`load_taxonomy_from` for a private copy or another data directory.
    """
    return load_taxonomy_from()
