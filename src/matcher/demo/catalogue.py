"""The curated occupations the demo pool draws from, joined with ESCO's real skill relations.

``matcher/data/demo_occupations.csv`` lists ~80 ESCO occupations that dominate Flemish bottleneck
(*knelpuntberoepen*) and entry-level vacancies: cleaning, warehouse and production work, driving,
kitchens, care, childcare, construction and technical trades, retail, office and ICT. Each row
has a relative weight, the Dutch level the work needs, the driving licence the job needs and a
female form used in job ads. Skills are never invented: a person's competences and a vacancy's
requirements come from the essential and optional skills ESCO links to the occupation.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np

from ..profiles import CEFR
from ..taxonomy import Occupation, Taxonomy, isco_skill_level
from ..taxonomy.search import read_synonyms

CATALOGUE_FILE = "demo_occupations.csv"


@dataclass(frozen=True)
class DemoOccupation:
    """One row of the curated catalogue."""

    uri: str
    label_nl: str
    sector: str
    weight: float
    dutch_level: CEFR
    licence: str | None
    female_form: str | None


@dataclass(frozen=True)
class Catalogue:
    """The curated occupations as arrays, with their ESCO skills as indices into ``skill_uris``."""

    rows: tuple[DemoOccupation, ...]
    occupations: tuple[Occupation, ...]
    weights: np.ndarray  # relative share of vacancies and job seekers
    skill_level: np.ndarray  # ISCO-08 skill level 1..4
    dutch_level: np.ndarray  # CEFR step the work needs
    sectors: tuple[str, ...]  # distinct sectors, in first-seen order
    sector_of: np.ndarray  # index into ``sectors`` per occupation
    essential: tuple[np.ndarray, ...]
    core: tuple[np.ndarray, ...]  # the occupation's core: its most job-specific essential skills
    other_essential: tuple[np.ndarray, ...]
    optional: tuple[np.ndarray, ...]
    skill_uris: tuple[str, ...]
    skill_phrasings: tuple[tuple[str, ...], ...]  # how people write each skill: see skill_phrasings()

    def __len__(self) -> int:
        return len(self.rows)

    def in_sector(self, sector: int) -> np.ndarray:
        """Indices of the occupations in a sector."""
        return np.flatnonzero(self.sector_of == sector)


def read_demo_occupations() -> tuple[DemoOccupation, ...]:
    """The rows of the packaged catalogue file, in file order."""
    text = resources.files("matcher.data").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    return tuple(
        DemoOccupation(
            uri=row["uri"],
            label_nl=row["label_nl"],
            sector=row["sector"],
            weight=float(row["weight"]),
            dutch_level=CEFR[row["dutch_level"]],
            licence=row["licence"] or None,
            female_form=row["female_form"] or None,
        )
        for row in csv.DictReader(lines)
    )


def build_catalogue(taxonomy: Taxonomy, rows: tuple[DemoOccupation, ...] | None = None) -> Catalogue:
    """Join the catalogue rows with the taxonomy; an unknown URI raises ``UnknownConceptError``."""
    rows = rows if rows is not None else read_demo_occupations()
    occupations = tuple(taxonomy.occupation(row.uri) for row in rows)
    skill_index: dict[str, int] = {}
    essential = tuple(_skill_indices(occ.essential_skills, skill_index) for occ in occupations)
    optional = tuple(_skill_indices(occ.optional_skills, skill_index) for occ in occupations)
    core = tuple(_skill_indices(core_skills(occ, taxonomy), skill_index) for occ in occupations)
    other_essential = tuple(np.setdiff1d(e, c, assume_unique=True) for e, c in zip(essential, core, strict=False))
    skill_uris = tuple(skill_index)
    sectors = tuple(dict.fromkeys(row.sector for row in rows))
    return Catalogue(
        rows=rows,
        occupations=occupations,
        weights=np.array([row.weight for row in rows], dtype=float),
        skill_level=np.array([isco_skill_level(occ.isco_group) for occ in occupations]),
        dutch_level=np.array([int(row.dutch_level) for row in rows]),
        sectors=sectors,
        sector_of=np.array([sectors.index(row.sector) for row in rows]),
        essential=essential,
        core=core,
        other_essential=other_essential,
        optional=optional,
        skill_uris=skill_uris,
        skill_phrasings=skill_phrasings(taxonomy, skill_uris),
    )


#: Index of each kind of phrasing in :attr:`Catalogue.skill_phrasings`; synonyms follow.
LABEL, TYPO = 0, 1


def skill_phrasings(taxonomy: Taxonomy, uris: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The ways a job seeker writes each skill: its label, the label with one typo, its Flemish synonyms.

    The label is ESCO's Dutch preferred label (English where ESCO has none); the synonyms are the
    skill rows of the project's table (``heftruck rijden`` for *operate forklift*). Every phrasing
    is fixed per skill, so a phrasing always says which skill it was written from.
    """
    synonyms: dict[str, list[str]] = {}
    for synonym in read_synonyms():
        if synonym.kind == "skill":
            synonyms.setdefault(synonym.target, []).append(synonym.term)
    labels = [taxonomy.skill(uri).label("nl") for uri in uris]
    return tuple((label, with_typo(label), *synonyms.get(label, ())) for label in labels)


def with_typo(text: str) -> str:
    """``text`` with two neighbouring letters swapped in the middle of its longest word (or one dropped).

    The commonest typing slip; the longest word is the one a reader still recognises.
    """
    words = text.split(" ")
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) < 5:
        return text
    middle = len(word) // 2
    a, b = word[middle - 1], word[middle]
    words[longest] = word[: middle - 1] + (b + a if a != b else a) + word[middle + 1 :]
    return " ".join(words)


CORE_SIZE = 6
REUSE_ORDER = {"occupation-specific": 0, "sector-specific": 1, "cross-sector": 2, "transversal": 3}


def core_skills(occupation: Occupation, taxonomy: Taxonomy) -> tuple[str, ...]:
    """The occupation's core: its most job-specific essential skills (ESCO reuse level), then by URI.

    What anyone who did the job has, and what an employer asks first; the demo's candidates hold
    most of their occupation's core and its vacancies ask for it, as real ones do.
    """
    ranked = sorted(
        occupation.essential_skills, key=lambda uri: (REUSE_ORDER.get(taxonomy.skill(uri).reuse_level or "", 4), uri)
    )
    return tuple(ranked[:CORE_SIZE])


def _skill_indices(uris: tuple[str, ...], skill_index: dict[str, int]) -> np.ndarray:
    """Number skills in first-seen order, so the numbering depends only on the catalogue."""
    return np.array([skill_index.setdefault(uri, len(skill_index)) for uri in uris], dtype=np.int64)
