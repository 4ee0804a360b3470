"""Personal data for demo candidates: name, e-mail, phone, gender, nationality, birth date.

It is generated to make the demo look real to a broker and kept apart from the candidates
(:class:`~matcher.profiles.PersonalData`), exactly as real personal data must be. A name and
nationality follow the person's family background; 0.5 % register their gender as X.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np

from ..profiles import PersonalData
from ..taxonomy.text import fold
from .names import EMAIL_DOMAINS, NAMES, SETTLED_NATIONALITIES
from .shares import REFERENCE_DATE

GENDER_X_SHARE = 0.005
NOT_IN_ADDRESS = re.compile(r"[^a-z]+")


def generate_personal(
    rng: np.random.Generator,
    candidate_ids: list[str],
    origins: list[str],
    settled: np.ndarray,
    female: np.ndarray,
    ages: np.ndarray,
) -> list[PersonalData]:
    """One validated record per candidate; ``origins`` are family-background keys of :data:`NAMES`."""
    n = len(candidate_ids)
    name_keys = rng.random((n, 2)).tolist()
    gender_x = (rng.random(n) < GENDER_X_SHARE).tolist()
    nationality_keys = rng.random(n).tolist()
    email_numbers = rng.integers(1, 100, n).tolist()
    email_domains = rng.integers(0, len(EMAIL_DOMAINS), n).tolist()
    settled, female = settled.tolist(), female.tolist()
    phones = _phone_numbers(rng, n)
    births = _birth_dates(rng, ages)
    records = []
    for i in range(n):
        names = NAMES[origins[i]]
        given_pool = names.female if female[i] else names.male
        given = given_pool[int(name_keys[i][0] * len(given_pool))]
        family = names.family[int(name_keys[i][1] * len(names.family))]
        nationalities = (
            SETTLED_NATIONALITIES.get(origins[i], names.nationalities) if settled[i] else names.nationalities
        )
        records.append(
            PersonalData(
                candidate_id=candidate_ids[i],
                name=f"{given} {family}",
                email=_email(given, family, email_numbers[i], EMAIL_DOMAINS[email_domains[i]]),
                phone=phones[i],
                gender="x" if gender_x[i] else ("female" if female[i] else "male"),
                nationality=_pick_weighted(nationalities, nationality_keys[i]),
                birth_date=births[i],
            )
        )
    return records


def _email(given: str, family: str, number: int, domain: str) -> str:
    local = ".".join(NOT_IN_ADDRESS.sub("", fold(part)) for part in (given, family))
    return f"{local}{number}@{domain}"


def _phone_numbers(rng: np.random.Generator, n: int) -> list[str]:
    """Belgian mobile numbers in the +32 4xx format (prefixes 460-499)."""
    prefixes = rng.integers(460, 500, n)
    subscribers = rng.integers(0, 1_000_000, n)
    return [
        f"+32 {p} {s // 10000:02d} {s // 100 % 100:02d} {s % 100:02d}"
        for p, s in zip(prefixes.tolist(), subscribers.tolist(), strict=False)
    ]


def _birth_dates(rng: np.random.Generator, ages: np.ndarray) -> list[date]:
    """A birth date that gives each person their age on the reference date."""
    days_into_year = rng.integers(0, 365, len(ages))
    return [
        REFERENCE_DATE - timedelta(days=int(age) * 365 + int(age) // 4 + int(extra))
        for age, extra in zip(ages.tolist(), days_into_year.tolist(), strict=False)
    ]


def _pick_weighted(options: tuple[tuple[str, float], ...], key: float) -> str:
    """The option whose cumulative share first exceeds ``key`` (uniform in [0, 1))."""
    total = 0.0
    for value, share in options:
        total += share
        if key < total:
            return value
    return options[-1][0]
