"""Who a vacancy can reach: the hard constraints over the candidates near it, exact over the pool.

A review needs each hard constraint's outcome for the candidates who could pass the commute (the
pool it counts) and, for the hard-constraint counts, how many candidates each constraint alone
keeps out. Only the candidates the ranker's map grid finds near the vacancy are looked at: within
their band's largest commute, or within cycling distance (the grid is conservative, see
:mod:`matcher.pool.spatial`). Everyone else is too far: they fail the commute and, beyond cycling
distance, pass the mobility constraint exactly when they have a car or the job needs none. So the
commute alone keeps out those of them who pass the other constraints, and they are counted without
being looked at: an aggregate over the pool (the candidates who can start, by hours range) less
the near candidates it also counts. A remote vacancy reaches everyone: every row is looked at.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ..features import CYCLING_KM, HARD_CONSTRAINTS, NIGHT_BIT, _candidate_may_pass, _distance_km, hard_constraint_parts
from ..pool.derived import cached

if TYPE_CHECKING:  # the ranker is only passed in: importing it would tie the review and ranking in a cycle
    from ..ranking import Ranker


@dataclass(frozen=True)
class HoursTable:
    """Candidates counted by weekly hours range, so those whose hours overlap a vacancy's are one lookup.

    ``table[a, b]`` counts the candidates whose ``hours_min`` is among ``lows[:a]`` and whose
    ``hours_max`` is among ``highs[b:]``.
    """

    lows: np.ndarray
    highs: np.ndarray
    table: np.ndarray

    @classmethod
    def build(cls, hours_min: np.ndarray, hours_max: np.ndarray) -> HoursTable:
        lows, low_at = np.unique(hours_min, return_inverse=True)
        highs, high_at = np.unique(hours_max, return_inverse=True)
        shape = (len(lows) + 1, len(highs) + 1)  # row 0 and the last column stay empty
        counts = np.bincount((low_at + 1) * shape[1] + high_at, minlength=shape[0] * shape[1]).reshape(shape)
        table = counts.cumsum(axis=0)[:, ::-1].cumsum(axis=1)[:, ::-1]
        return cls(lows, highs, np.ascontiguousarray(table))

    def overlapping(self, hours_min: np.floating, hours_max: np.floating) -> int:
        """Candidates passing the hours constraint of a vacancy asking ``hours_min``..``hours_max``."""
        a = int(np.searchsorted(self.lows, hours_max, side="right"))  # their hours_min <= hours_max
        b = int(np.searchsorted(self.highs, hours_min, side="left"))  # hours_min <= their hours_max
        return int(self.table[a, b])


@dataclass(frozen=True)
class StartTables:
    """The candidates who can start (active, work permit, available in time) by hours, with and without a car."""

    with_car: HoursTable
    without_car: HoursTable


@dataclass(frozen=True)
class Reach:
    """The hard constraints of one vacancy over the candidates near it, and the commute-only count of the rest."""

    rows: np.ndarray  # sorted candidate rows near the vacancy (every row for a remote vacancy)
    passing: np.ndarray  # (constraint, len(rows)) bool: active and passing HARD_CONSTRAINTS[i]
    far_commute_only: int  # active candidates outside ``rows`` kept out by the commute alone


def vacancy_reach(ranker: Ranker, vac_rows: np.ndarray) -> Reach:
    """The hard constraints of the vacancy at ``vac_rows`` (one row) for every candidate that could pass them."""
    cand, vac = ranker.candidates.arrays(), ranker.vacancies.arrays()
    today = ranker._today_day()
    row = int(vac_rows[0])
    remote = bool(vac.remote[row])
    if remote:
        rows = np.arange(len(cand.active), dtype=np.int64)
    else:
        grid = ranker._candidate_grid()
        # within each band's largest commute or within cycling distance, whichever is further
        rows = replace(grid, radius_km=np.maximum(grid.radius_km, CYCLING_KM)).near(vac.xyz[vac_rows])
    distance = _distance_km(cand.xyz[rows], vac.xyz[vac_rows])
    parts = hard_constraint_parts(cand, vac, rows, vac_rows, distance, today)
    passing = np.stack([parts[name][:, 0] for name in HARD_CONSTRAINTS]) & cand.active[rows][None, :]
    far = 0
    if not remote and vac.valid_day[row] >= today:
        car_free = not (vac.needs_car[row] or vac.shifts[row] & NIGHT_BIT)  # as features._mobile_pairs, not remote
        tables = _start_tables(ranker)
        hours = (vac.hours_min[row], vac.hours_max[row])
        everywhere = tables.with_car.overlapping(*hours) + (tables.without_car.overlapping(*hours) if car_free else 0)
        near = _candidate_may_pass(cand, rows, today) & parts["hours"][:, 0] & (cand.mobile[rows] | car_free)
        far = everywhere - int(np.count_nonzero(near))
    return Reach(rows, passing, far)


def _start_tables(ranker: Ranker) -> StartTables:
    """Built once per packing of the candidate pool (its ``active`` mask) and reference day."""
    cand = ranker.candidates.arrays()
    today = ranker._today_day()

    def build(active: np.ndarray) -> StartTables:
        can_start = _candidate_may_pass(cand, slice(None), today)
        with_car, without_car = can_start & cand.mobile, can_start & ~cand.mobile
        return StartTables(
            HoursTable.build(cand.hours_min[with_car], cand.hours_max[with_car]),
            HoursTable.build(cand.hours_min[without_car], cand.hours_max[without_car]),
        )

    return cached(cand.active, f"review_start_tables:{today}", build)
