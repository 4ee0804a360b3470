"""The smallest change that makes one stretch pair fit, found with the same checks and scorer.

A stretch match fails one check. Each relaxation or lever the review would consider for that check
is applied to the vacancy, the pair is checked again (:func:`matcher.checks.check_pair`) and scored;
the ones after which the pair passes every check at or above the fit threshold are kept, cheapest
first (the review's cost order), the mildest of each kind: "relax B1 to A2", not "relax to A0".
"""

from __future__ import annotations

import numpy as np

from ..checks import CoachingOutcome, PairChecks, check_pair, feature_vector
from .options import Option, vacancy_options
from .render import describe_option


def fitting_options(ranker, checks: PairChecks) -> list[Option]:
    """Options that alone make the pair fit, cheapest first, one per group (the mildest)."""
    vacancy, candidate = checks.vacancy, checks.candidate
    if not checks.allowed:
        return []
    slots = ranker.vacancies.slots(vacancy.id)
    bits = 0
    for failed in checks.failed_checks:
        position = -1 if isinstance(failed, CoachingOutcome) else failed.position
        bits |= sum(1 << slot.slot for slot in slots if slot.position == position)
    candidates = [o for o in vacancy_options(vacancy, slots) if bits and (o.bits & bits) == bits]
    candidates.sort(key=lambda o: (o.cost, o.severity, o.key))
    enc, today = ranker.candidates.encoding, ranker._today()
    chosen: dict[str, Option] = {}
    for option in candidates:
        if option.group in chosen:
            continue
        rewritten = check_pair(candidate, option.apply(vacancy), enc, today)
        if not rewritten.strict:
            continue
        score = ranker.scorer.predict_fit(feature_vector(rewritten)[None, :].astype(np.float32))[0]
        if score >= np.float32(ranker.fit_threshold):
            chosen[option.group] = option
    return list(chosen.values())


def fitting_changes(ranker, checks: PairChecks, lang: str) -> list[str]:
    """The changes of :func:`fitting_options`, phrased for the broker: the smallest first."""
    tax = ranker.candidates.encoding.taxonomy
    return [describe_option(o, lang, tax) for o in fitting_options(ranker, checks)]
