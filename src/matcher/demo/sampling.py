"""Vectorised draws the generators share: categories per row, uniform ranges, subsets of skills.

Every draw takes the generator as an argument and consumes it in a fixed order, so a seed gives
the same pool on every machine and every day.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def categorical(rng: np.random.Generator, probabilities: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """One category per element of ``rows``, drawn from row ``rows[i]`` of a probability table.

    ``probabilities`` has one row per distribution (e.g. per group) and one column per category;
    rows need not sum to one. Returns category indices, one per element of ``rows``.
    """
    table = np.asarray(probabilities, dtype=float)
    cumulative = np.cumsum(table, axis=1)
    cumulative /= cumulative[:, -1:]
    uniform = rng.random(len(rows))
    drawn = np.empty(len(rows), dtype=np.int64)
    for row in range(table.shape[0]):
        members = np.flatnonzero(rows == row)
        drawn[members] = np.searchsorted(cumulative[row], uniform[members], side="right")
    return np.minimum(drawn, table.shape[1] - 1)


def per_row(values: Sequence[float] | np.ndarray, rows: np.ndarray) -> np.ndarray:
    """A per-group parameter spread out to one value per element of ``rows``."""
    return np.asarray(values)[rows]


def integers_between(rng: np.random.Generator, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Integers uniform in ``[low, high]`` (both inclusive), one per element."""
    return rng.integers(low, high + 1)


def draw_subsets(
    rng: np.random.Generator, pools: Sequence[np.ndarray], owner: np.ndarray, counts: np.ndarray
) -> list[np.ndarray]:
    """For each element i, ``counts[i]`` distinct items of ``pools[owner[i]]`` in random order.

    Rows with the same owner are drawn together as one matrix of random keys, so the work is one
    argsort per pool instead of one ``choice`` call per person.
    """
    chosen: list[np.ndarray] = [np.empty(0, dtype=np.int64)] * len(owner)
    for pool_index, pool in enumerate(pools):
        members = np.flatnonzero(owner == pool_index)
        if len(members) == 0 or len(pool) == 0:
            continue
        order = np.argsort(rng.random((len(members), len(pool))), axis=1)
        wanted = np.minimum(counts[members], len(pool))
        for member, row_order, count in zip(members.tolist(), order, wanted.tolist(), strict=False):
            chosen[member] = pool[row_order[:count]]
    return chosen
