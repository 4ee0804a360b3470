"""A realistic, synthetic Flemish demo pool: candidates, their personal data, employers, vacancies.

Occupations come from a curated list of Flemish bottleneck and entry-level occupations
(:mod:`.catalogue`), skills from ESCO's real occupation-skill relations, postcodes from the real
bpost table weighted toward the cities (:mod:`.places`). Candidates fall into the groups matcher is
built for, newcomers, returners, young people without a diploma and experienced workers, with the
Dutch levels, other languages, coaching needs and work preferences listed in :mod:`.shares`; about
a fifth of the vacancies carry a white-raven requirement set (:mod:`.vacancies`). A seed gives the
same files on any machine and any day.

>>> from matcher.demo import generate_pool
>>> pool = generate_pool(n_candidates=50, n_vacancies=10, seed=3)
>>> len(pool.candidates), len(pool.personal), len(pool.vacancies)
(50, 50, 10)
"""

from __future__ import annotations

from .employers import Employer
from .pool import DemoPool, generate_pool
from .shares import REFERENCE_DATE
from .writing import main_demo_data, write_pool

__all__ = ["REFERENCE_DATE", "DemoPool", "Employer", "generate_pool", "main_demo_data", "write_pool"]
