"""Simulated outcomes for the equal-opportunity figure: would this pair have become a durable placement?

Only the simulation knows (no real history exists); each listed pair's outcome is drawn from the
same causal model the shipped model is trained on (:mod:`matcher.allocation.outcomes`), seeded per
pair order so the same lists give the same draws.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..ranking import RankedList


@dataclass(frozen=True)
class Outcomes:
    """Pairs with an outcome: the candidate, whether it was a durable placement, and whether it was in the top-k."""

    candidate_id: np.ndarray  # (p,) object
    positive: np.ndarray  # (p,) bool
    selected: np.ndarray  # (p,) bool


def simulated_outcomes(
    lists: Sequence[RankedList], coaching_need: Mapping[str, int], k: int = 10, seed: int = 0
) -> Outcomes:
    """Draw a durable-placement outcome for every suggestion in ``lists`` (ranked longer than ``k``)."""
    from ..allocation.outcomes import durable_placement_probability

    pairs = [s for lst in lists for s in lst.suggestions]
    if not pairs:
        empty = np.zeros(0, dtype=bool)
        return Outcomes(np.zeros(0, dtype=object), empty, empty)
    X = np.stack([s.features for s in pairs])
    need = np.array([coaching_need.get(s.candidate_id, 0) for s in pairs])
    p = durable_placement_probability(X, need)
    positive = np.random.default_rng([seed, 17]).random(len(p)) < p
    selected = np.array([s.rank <= k for s in pairs])
    return Outcomes(np.array([s.candidate_id for s in pairs], dtype=object), positive, selected)
