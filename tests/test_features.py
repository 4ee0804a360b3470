"""The vectorised pair kernel agrees with the plain-Python reference, pair by pair."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matcher.checks import check_pair, feature_vector
from matcher.features import CYCLING_KM, FEATURES, compute_block
from matcher.kernel import allowed_pairs
from matcher.pool import CandidatePool, Encoding, VacancyPool, day_number
from profiles_factory import TODAY, pools

COMMUTE_TOLERANCE_KM = 0.05


def _near_commute_boundary(checks) -> bool:
    return abs(checks.distance_km - checks.candidate.max_commute_km) < COMMUTE_TOLERANCE_KM


@st.composite
def pools_with_mobility(draw):
    """Pools whose candidates may own a car and start later (availability and mobility constraints)."""
    cands, vacs = draw(pools())
    later = st.sampled_from(
        [None, TODAY, TODAY + timedelta(days=60), TODAY + timedelta(days=61), TODAY + timedelta(days=200)]
    )
    cands = [c.model_copy(update={"has_car": draw(st.booleans()), "available_from": draw(later)}) for c in cands]
    return cands, vacs


@given(pools_with_mobility())
def test_block_matches_reference(encoding: Encoding, pool) -> None:
    cands, vacs = pool
    cp, vp = CandidatePool(encoding, cands), VacancyPool(encoding, vacs)
    block = compute_block(cp.arrays(), vp.arrays(), slice(None), np.arange(len(vacs)), day_number(TODAY))
    for i, cand in enumerate(cands):
        for j, vac in enumerate(vacs):
            ref = check_pair(cand, vac, encoding, TODAY)
            np.testing.assert_allclose(
                block.features[:, i, j], feature_vector(ref), atol=2e-3, err_msg=f"{cand.id}×{vac.id}: {FEATURES}"
            )
            assert abs(block.distance_km[i, j] - ref.distance_km) < COMMUTE_TOLERANCE_KM
            if not _near_commute_boundary(ref) and abs(ref.distance_km - CYCLING_KM) >= COMMUTE_TOLERANCE_KM:
                assert bool(block.allowed[i, j]) == ref.allowed, (cand.id, vac.id, ref.hard_failures)
            assert int(np.bitwise_count(block.failed[i, j])) == len(ref.failed_checks), (cand.id, vac.id)
            slots = vp.slots(vac.id)
            failed_positions = {slots[b].position for b in range(len(slots)) if (int(block.failed[i, j]) >> b) & 1}
            ref_positions = {getattr(o, "position", -1) for o in ref.failed_checks}
            assert failed_positions == ref_positions


def test_update_reencodes_one_profile(encoding: Encoding) -> None:
    from profiles_factory import SKILLS, candidate, vacancy

    cp = CandidatePool(encoding, [candidate("a", skills=(SKILLS[0],)), candidate("b")])
    vp = VacancyPool(encoding, [vacancy("v", must_skills=(SKILLS[0],), dutch=None)])
    before = compute_block(cp.arrays(), vp.arrays(), slice(None), np.arange(1), day_number(TODAY))
    assert before.failed[1, 0] != 0
    cp.add(candidate("b", skills=(SKILLS[0],)))
    after = compute_block(cp.arrays(), vp.arrays(), slice(None), np.arange(1), day_number(TODAY))
    assert len(cp) == 2 and len(cp.ids) == 3  # old row kept as a tombstone
    assert not after.allowed[1, 0] and after.allowed[2, 0] and after.failed[2, 0] == 0


@given(pools())
def test_allowed_pairs_are_bitwise_the_blocks_values(encoding: Encoding, pool) -> None:
    """The batch lane gives, for each allowed pair, exactly the dense block's features and checks."""
    cands, vacs = pool
    cp, vp = CandidatePool(encoding, cands), VacancyPool(encoding, vacs)
    block = compute_block(cp.arrays(), vp.arrays(), slice(None), np.arange(len(vacs)), day_number(TODAY))
    rows = np.arange(len(cp.ids))[::-1]  # another candidate order: a pair's values do not depend on it
    for by in ("vacancy", "candidate"):
        pairs = allowed_pairs(cp.arrays(), vp.arrays(), rows, np.arange(len(vacs)), day_number(TODAY), by=by)
        i, j = pairs.cand_rows, pairs.vac_rows
        assert len(pairs) == int(block.allowed.sum()) and block.allowed[i, j].all()
        np.testing.assert_array_equal(pairs.features, block.features[:, i, j])
        np.testing.assert_array_equal(pairs.failed, block.failed[i, j])
        np.testing.assert_array_equal(pairs.distance_km, block.distance_km[i, j])
        queries = j if by == "vacancy" else np.searchsorted(-rows, -i)
        assert (np.diff(queries) >= 0).all()
        assert (np.diff(pairs.starts) == np.bincount(queries, minlength=len(pairs.starts) - 1)).all()


@given(pools_with_mobility(), st.sampled_from([0, 1, 2]))
def test_pairs_over_max_failed_are_left_out_and_the_rest_unchanged(encoding: Encoding, pool, max_failed: int) -> None:
    """``max_failed`` keeps exactly the allowed pairs failing at most that many checks, values as the block's."""
    cands, vacs = pool
    cp, vp = CandidatePool(encoding, cands), VacancyPool(encoding, vacs)
    block = compute_block(cp.arrays(), vp.arrays(), slice(None), np.arange(len(vacs)), day_number(TODAY))
    wanted = block.allowed & (np.bitwise_count(block.failed) <= max_failed)
    for by in ("vacancy", "candidate"):
        pairs = allowed_pairs(
            cp.arrays(), vp.arrays(), np.arange(len(cp.ids)), np.arange(len(vacs)), day_number(TODAY), by, max_failed
        )
        i, j = pairs.cand_rows, pairs.vac_rows
        assert len(pairs) == int(wanted.sum()) and wanted[i, j].all()
        np.testing.assert_array_equal(pairs.features, block.features[:, i, j])
        np.testing.assert_array_equal(pairs.failed, block.failed[i, j])
        np.testing.assert_array_equal(pairs.distance_km, block.distance_km[i, j])
        queries = j if by == "vacancy" else i
        assert (np.diff(pairs.starts) == np.bincount(queries, minlength=len(pairs.starts) - 1)).all()
