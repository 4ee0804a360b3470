"""The review looks only at the candidates near a vacancy: its whole-pool counts stay exact.

Each count that covers the whole pool (reachable, per check, failing one, strict, and the
candidates each hard constraint alone keeps out) is recomputed over every candidate, dense, the
way the review did before it used the map grid; the pool's small re-check pools give the kernel's
values bit for bit.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.features import HARD_CONSTRAINTS, _distance_km, hard_constraint_parts
from matcher.kernel import allowed_pairs
from matcher.pool import EPOCH, day_number
from matcher.profiles import Shift
from matcher.ranking import Ranker
from matcher.review import _hard_constraint_counts
from matcher.review.counts import HOURS_BIT, MOBILITY_BIT, PoolCounter, _relaxable_hard
from matcher.review.reach import HoursTable
from matcher.review.subset import take_candidates

THRESHOLD = 0.35


@pytest.fixture(scope="module")
def demo_ranker(taxonomy) -> Ranker:
    pool = generate_pool(4000, 60, seed=2, taxonomy=taxonomy)
    vacancies = list(pool.vacancies)
    vacancies[0] = vacancies[0].model_copy(update={"remote": True})  # reaches everyone
    vacancies[1] = vacancies[1].model_copy(update={"shifts": [Shift.day, Shift.night]})  # needs a car beyond cycling
    return Ranker.from_profiles(taxonomy, pool.candidates, vacancies, today=REFERENCE_DATE)


def dense_passing(ranker: Ranker, vacancy_id: str) -> np.ndarray:
    """(constraint, candidate): every hard constraint over the whole pool, as the review counted them before."""
    cand, vac = ranker.candidates.arrays(), ranker.vacancies.arrays()
    vac_rows = ranker.vacancies.rows([vacancy_id])
    distance = _distance_km(cand.xyz, vac.xyz[vac_rows])
    parts = hard_constraint_parts(cand, vac, slice(None), vac_rows, distance, ranker._today_day())
    return np.stack([parts[name][:, 0] for name in HARD_CONSTRAINTS]) & cand.active[None, :]


def dense_hard_counts(ranker: Ranker, vacancy_id: str) -> list[tuple[str, int, date | None]]:
    cand = ranker.candidates.arrays()
    passing = dense_passing(ranker, vacancy_id)
    n_fail = (~passing).sum(axis=0)
    counts = []
    for i, name in enumerate(HARD_CONSTRAINTS):
        if name == "expired":
            continue
        only = cand.active & ~passing[i] & (n_fail == 1)
        earliest = None
        if name == "available" and only.any():
            earliest = date.fromordinal(EPOCH.toordinal() + int(cand.available_day[only].min()))
        counts.append((name, int(only.sum()), earliest))
    return counts


def dense_counter(ranker: Ranker, vacancy_id: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(rows, allowed, failed, strict) by one dense block over the candidates the old counter kept."""
    passing = dense_passing(ranker, vacancy_id)
    mobility, hours = (passing[HARD_CONSTRAINTS.index(n)] for n in ("mobility", "hours"))
    others = np.delete(passing, [HARD_CONSTRAINTS.index(n) for n in ("mobility", "hours")], axis=0).all(axis=0)
    relax_mobility, relax_hours = _relaxable_hard(ranker.vacancies.profile(vacancy_id))
    rows = np.flatnonzero(passing.all(axis=0) | (others & (mobility | relax_mobility) & (hours | relax_hours)))
    block, scores = ranker.score_block(rows, ranker.vacancies.rows([vacancy_id]))
    failed = block.failed[:, 0] | np.where(mobility[rows], 0, MOBILITY_BIT) | np.where(hours[rows], 0, HOURS_BIT)
    allowed = block.allowed[:, 0]
    return rows, allowed, failed, allowed & (failed == 0) & (scores[:, 0] >= np.float32(THRESHOLD))


def test_the_demo_pool_has_far_candidates_remote_and_car_bound_vacancies(demo_ranker) -> None:
    """The cases the shortcut must get right are all present (else the tests below prove little)."""
    vac = demo_ranker.vacancies.arrays()
    assert vac.remote.any() and vac.needs_car.any() and (~vac.remote & ~vac.needs_car).any()
    counters = [PoolCounter(demo_ranker, v, THRESHOLD) for v in demo_ranker.vacancies.ids]
    assert any(c.reach.far_commute_only > 0 for c in counters)
    assert any(len(c.reach.rows) < len(demo_ranker.candidates.ids) for c in counters)


def test_whole_pool_counts_equal_a_dense_pass_over_every_candidate(demo_ranker) -> None:
    for vacancy_id in demo_ranker.vacancies.ids:
        counter = PoolCounter(demo_ranker, vacancy_id, THRESHOLD)
        rows, allowed, failed, strict = dense_counter(demo_ranker, vacancy_id)
        assert np.array_equal(counter.cand_rows, rows), vacancy_id
        assert np.array_equal(counter.allowed, allowed), vacancy_id
        assert np.array_equal(counter.failed, failed), vacancy_id
        assert np.array_equal(counter.strict, strict), vacancy_id
        got = [(h.constraint, h.candidates, h.earliest) for h in _hard_constraint_counts(demo_ranker, counter)]
        assert got == dense_hard_counts(demo_ranker, vacancy_id), vacancy_id


def test_a_pool_of_a_few_rows_gives_the_kernel_values_bit_for_bit(demo_ranker) -> None:
    cand, vac = demo_ranker.candidates.arrays(), demo_ranker.vacancies.arrays()
    rows = np.sort(np.random.default_rng(0).choice(len(cand.active), 500, replace=False))
    today = day_number(REFERENCE_DATE)
    vac_rows = np.arange(len(demo_ranker.vacancies.ids))
    full = allowed_pairs(cand, vac, rows, vac_rows, today)
    own = allowed_pairs(take_candidates(cand, rows), vac, np.arange(len(rows)), vac_rows, today)
    assert len(full) > 0
    assert np.array_equal(rows[own.cand_rows], full.cand_rows) and np.array_equal(own.vac_rows, full.vac_rows)
    assert np.array_equal(own.features.view(np.int32), full.features.view(np.int32))
    assert np.array_equal(own.failed, full.failed)


hours = st.integers(0, 12).map(lambda h: np.float32(h * 5))


@given(st.lists(st.tuples(hours, hours), max_size=40), hours, hours)
def test_hours_table_counts_the_overlapping_candidates(ranges, low, high) -> None:
    hours_min = np.array([min(r) for r in ranges], dtype=np.float32)
    hours_max = np.array([max(r) for r in ranges], dtype=np.float32)
    low, high = min(low, high), max(low, high)
    expected = int(np.count_nonzero((hours_min <= high) & (low <= hours_max)))
    assert HoursTable.build(hours_min, hours_max).overlapping(low, high) == expected
