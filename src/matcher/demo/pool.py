"""Generate a whole demo pool: candidates with their personal data, employers and vacancies.

The seed feeds one :func:`numpy.random.default_rng`, split into independent streams for
candidates, personal data, employers and vacancies, so asking for more vacancies leaves the
candidates unchanged. Nothing depends on the date, Python's string hashing or set order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import load_postcodes
from ..profiles import Candidate, PersonalData, Vacancy
from ..taxonomy import Taxonomy, load_taxonomy
from .candidates import build_candidates, draw_competences, draw_languages, draw_traits
from .catalogue import build_catalogue
from .employers import Employer, draw_employers, employer_count
from .personal import generate_personal
from .places import build_sampler
from .shares import GROUPS, VACANCIES_PER_EMPLOYER
from .vacancies import build_vacancies, draw_vacancy_traits


@dataclass(frozen=True)
class DemoPool:
    """A generated pool. ``groups`` and ``planted_white_ravens`` are ground truth for tests and
    summaries; they are never written to the output files."""

    candidates: list[Candidate]
    personal: list[PersonalData]
    vacancies: list[Vacancy]
    employers: list[Employer]
    groups: tuple[str, ...]  # the job-seeker group of each candidate
    planted_white_ravens: frozenset[str]  # ids of vacancies drawn with a white-raven requirement set


def generate_pool(n_candidates: int, n_vacancies: int, seed: int, taxonomy: Taxonomy | None = None) -> DemoPool:
    """A realistic synthetic Flemish pool; the same arguments give the same pool on any day.

    Parameters
    ----------
    n_candidates, n_vacancies : int
        How many candidates and vacancies to draw (zero is allowed).
    seed : int
        Seed of the random generator; a non-negative integer.
    taxonomy : Taxonomy, optional
        The ESCO taxonomy; the packaged one by default.

    Example
    -------
    >>> pool = generate_pool(20, 5, seed=1)
    >>> len(pool.candidates), len(pool.vacancies)
    (20, 5)
    """
    _check_count("n_candidates", n_candidates)
    _check_count("n_vacancies", n_vacancies)
    _check_count("seed", seed)
    catalogue = build_catalogue(taxonomy if taxonomy is not None else load_taxonomy())
    places = build_sampler(load_postcodes())
    candidate_rng, personal_rng, employer_rng, vacancy_rng = np.random.default_rng(seed).spawn(4)

    traits = draw_traits(candidate_rng, n_candidates, catalogue, places)
    competences = draw_competences(candidate_rng, traits, catalogue)
    languages = draw_languages(candidate_rng, traits)
    candidate_ids = numbered_ids("cand", n_candidates, width=6)
    candidates = build_candidates(candidate_ids, traits, competences, languages, catalogue, places)
    personal = generate_personal(personal_rng, candidate_ids, traits.origin, traits.settled, traits.female, traits.age)

    employers = draw_employers(employer_rng, employer_count(n_vacancies, VACANCIES_PER_EMPLOYER), catalogue, places)
    vacancy_ids = numbered_ids("vac", n_vacancies, width=5)
    vacancy_draws = draw_vacancy_traits(vacancy_rng, n_vacancies, employers, catalogue, places)
    vacancies = build_vacancies(vacancy_rng, vacancy_ids, vacancy_draws, employers, catalogue, places)
    return DemoPool(
        candidates=candidates,
        personal=personal,
        vacancies=vacancies,
        employers=employers.employers,
        groups=tuple(GROUPS[g].name for g in traits.group.tolist()),
        planted_white_ravens=frozenset(
            v for v, raven in zip(vacancy_ids, vacancy_draws.white_raven.tolist(), strict=False) if raven
        ),
    )


def numbered_ids(prefix: str, n: int, width: int) -> list[str]:
    """ "cand-000001", …: zero-padded so that ids sort in generation order."""
    width = max(width, len(str(n)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, n + 1)]


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer; got {value!r}")
