"""The batch lane of the pair kernel: features and checks of the allowed pairs only, as flat arrays.

:func:`matcher.features.compute_block` fills dense (n × m) arrays for every pair of a block; the
hard constraints then throw most of them away (about 9 pairs in 10 at demo scale, after the
prefilter still 2 in 3). :func:`allowed_pairs` decides the hard constraints on the dense block, as
``compute_block`` does, then computes the features and the failed checks for the allowed pairs
alone, one flat array per feature, with the same float32 operations in the same order: every
value is bitwise equal to ``compute_block``'s for that pair (``tests/test_features.py`` checks
it), so a score does not depend on which lane computed it.

Pairs come grouped by vacancy (``by="vacancy"``: all of the block's first vacancy, then the next)
or by candidate, so ranking a query is a slice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from .features import (
    BRIDGE_STEPS,
    FEATURES,
    MAX_EXPERIENCE_GAP_YEARS,
    MIN_LEVEL_FOR_COACHING,
    F,
    _distance_km,
    _hard_constraints,
    _hours_fit,
)
from .pool import CandidateArrays, VacancyArrays
from .pool.derived import cached

GroupBy = Literal["vacancy", "candidate"]


@dataclass
class PairList:
    """The allowed pairs of a block, grouped by query, with their features and failed checks."""

    cand_rows: np.ndarray  # (P,) candidate pool rows
    vac_rows: np.ndarray  # (P,) vacancy pool rows
    features: np.ndarray  # (F, P) float32
    failed: np.ndarray  # (P,) int64 bitmask of failed vacancy checks
    distance_km: np.ndarray  # (P,) float32
    starts: np.ndarray  # (queries + 1,) offsets: the pairs of query q are starts[q]:starts[q + 1]

    def feature_matrix(self) -> np.ndarray:
        """The features as a (P, F) array (a view), the scorer's ``X``."""
        return self.features.T

    def __len__(self) -> int:
        return len(self.failed)


def allowed_pairs(
    cand: CandidateArrays,
    vac: VacancyArrays,
    cand_rows: np.ndarray,
    vac_rows: np.ndarray,
    today_day: int,
    by: GroupBy = "vacancy",
) -> PairList:
    """Features and checks of the pairs of ``cand_rows`` × ``vac_rows`` that pass the hard constraints.

    ``starts`` indexes ``vac_rows`` (``by="vacancy"``) or ``cand_rows`` (``by="candidate"``) in
    the order given; a query with no allowed pair has an empty slice.
    """
    cand_rows = np.asarray(cand_rows, dtype=np.int64)
    vac_rows = np.asarray(vac_rows, dtype=np.int64)
    distance = _distance_km(cand.xyz[cand_rows], vac.xyz[vac_rows])
    allowed = _hard_constraints(cand, vac, cand_rows, vac_rows, distance, today_day)
    if by == "vacancy":
        j, i = np.nonzero(np.ascontiguousarray(allowed.T))
        counts = np.count_nonzero(allowed, axis=0)
    else:
        i, j = np.nonzero(allowed)
        counts = np.count_nonzero(allowed, axis=1)
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    pairs = _Pairs(cand, vac, cand_rows, vac_rows, i, j)
    features = np.zeros((len(FEATURES), len(i)), dtype=np.float32)
    failed = np.zeros(len(i), dtype=np.int64)
    pairs.competences(features, failed)
    pairs.languages(features, failed)
    pairs.coaching(features, failed)
    pairs.experience(features, failed)
    pairs.education_and_licences(features, failed)
    dist = distance[i, j]
    pairs.practical(dist, features)
    return PairList(cand_rows[i], vac_rows[j], features, failed, dist, starts)


def _bits(slot: np.ndarray) -> np.ndarray:
    return np.left_shift(np.int64(1), np.maximum(slot, 0).astype(np.int64))


class _Pairs:
    """Per-pair gathers over a block: ``i`` indexes the block's candidates, ``j`` its vacancies."""

    def __init__(
        self, cand: CandidateArrays, vac: VacancyArrays, cr: np.ndarray, vr: np.ndarray, i: np.ndarray, j: np.ndarray
    ) -> None:
        self.cand, self.vac, self.cr, self.vr, self.i, self.j = cand, vac, cr, vr, i, j
        self.pc = cr[i]  # pool candidate row of each pair
        self.pv = vr[j]  # pool vacancy row of each pair
        self.flat = i * len(vr) + j  # each pair's place in a dense (n, m) block

    def _dense_at_pairs(self, block: np.ndarray) -> np.ndarray:
        return np.take(block.reshape(-1), self.flat)

    def _share(self, counts: np.ndarray, n_asked: np.ndarray, out: np.ndarray, when_none: float) -> None:
        """As :func:`matcher.features._share`, per pair: the same float32 product and addition."""
        inverse = (1.0 / np.maximum(n_asked, 1.0)).astype(np.float32)
        np.multiply(counts, inverse[self.j], out=out)
        if when_none and np.any(n_asked == 0):
            out += np.float32(when_none) * (n_asked == 0).astype(np.float32)[self.j]

    def competences(self, out: np.ndarray, failed: np.ndarray) -> None:
        vac, vr = self.vac, self.vr
        n_must, n_other = vac.n_must_skills[vr], vac.n_other_skills[vr]
        sides = [vac.must_skills_t[:, vr], vac.other_skills_t[:, vr], vac.must_bits_t[:, vr]]
        credit, other, held_bits = self._skill_products(sides)
        self._share(credit, n_must, out[F["must_coverage"]], when_none=1.0)
        self._share(other, n_other, out[F["other_coverage"]], when_none=1.0)
        if not sides[2].nnz:
            return
        all_skill_bits = np.asarray(sides[2].sum(axis=0)).ravel().astype(np.int64)
        missing = held_bits.astype(np.int64)
        np.bitwise_xor(missing, all_skill_bits[self.j], out=missing)
        trainable = vac.trainable_bits[vr][self.j]
        if np.any(trainable):
            self._share(np.bitwise_count(missing & trainable), n_must, out[F["trainable_gap"]], when_none=0.0)
            missing &= ~trainable
        failed |= missing
        self._share(np.bitwise_count(missing), n_must, out[F["missing_must_skills"]], when_none=0.0)

    def _skill_products(self, sides: list[sp.csc_matrix]) -> list[np.ndarray]:
        """Credit on must skills, credit on other skills and held must bits, at each pair.

        One sparse product over the asked skills gives all three (the held skills are the credit
        entries equal to 1); the values are exact sums (halves and powers of two), as in
        :func:`matcher.features._skill_products`.
        """
        n_pairs = len(self.i)
        asked = np.unique(np.concatenate([side.indices for side in sides]))
        if not len(asked):
            return [np.zeros(n_pairs, np.float32), np.zeros(n_pairs, np.float32), np.zeros(n_pairs)]
        credit = self.cand.credit_csc[:, asked].tocsr()[self.cr]
        held = credit.copy()
        held.data = (held.data == 1.0).astype(held.dtype)  # held or broader: the credit entries of 1
        held.eliminate_zeros()
        must, other, bits = (side[asked].toarray() for side in sides)
        return [
            self._dense_at_pairs(credit @ must),
            self._dense_at_pairs(credit @ other),
            self._dense_at_pairs(held @ bits),
        ]

    def languages(self, out: np.ndarray, failed: np.ndarray) -> None:
        cand, vac, pc, pv = self.cand, self.vac, self.pc, self.pv
        levels = cand.languages  # (candidates, L) int8: gathered per pair and column, never whole rows
        open_gap, bridged_gap = out[F["language_gap_open"]], out[F["language_gap_bridged"]]
        for r in range(vac.lang.shape[1]):
            present_block = vac.lang[self.vr, r, 0] >= 0
            if not present_block.any():
                continue
            sel = np.flatnonzero(present_block[self.j])
            if not len(sel):
                continue
            rows, who = pv[sel], pc[sel]
            col, asked, slot, must = (vac.lang[rows, r, k] for k in range(4))
            have = levels[who, col]
            gap = np.maximum(asked.astype(np.int8) - have, 0).astype(np.int8)
            is_workplace = col == vac.workplace_language[rows]
            contact_bits = vac.contact_languages[rows]
            for c in np.flatnonzero(np.bitwise_or.reduce(contact_bits) >> np.arange(levels.shape[1]) & 1):
                # an accepted contact language spoken at the asked level removes the gap
                accepted = ((contact_bits >> c) & 1).astype(bool)
                gap[is_workplace & accepted & (levels[who, c] >= asked)] = 0
            support = vac.language_support[rows]
            can_build = (have >= MIN_LEVEL_FOR_COACHING) | (support != 1)
            bridged = is_workplace & cand.wants_training[who] & can_build & (gap > 0) & (gap <= BRIDGE_STEPS[support])
            unbridged = np.where(bridged, 0, gap)
            open_gap[sel] += unbridged
            bridged_gap[sel] += gap - unbridged
            failed[sel] |= ((unbridged > 0) & (must == 1)) * _bits(slot)

    def coaching(self, out: np.ndarray, failed: np.ndarray) -> None:
        vac, vr = self.vac, self.vr
        offer = np.where(vac.coaching_free[vr] > 0, vac.coaching_offer[vr], 0).astype(np.int16)
        unmet = np.maximum(self.cand.coaching_need[self.pc].astype(np.int16) - offer[self.j], 0)
        out[F["coaching_unmet"]] = unmet
        failed |= (unmet > 0) * _bits(vac.coaching_slot[vr])[self.j]

    def experience(self, out: np.ndarray, failed: np.ndarray) -> None:
        cand, vac, vr = self.cand, self.vac, self.vr
        total = cand.total_months[self.pc]
        gap_years = out[F["experience_gap_years"]]
        for e in range(vac.exp.shape[1]):
            present_block = vac.exp[vr, e, 2] >= 0
            if not present_block.any():
                continue
            sel = np.flatnonzero(present_block[self.j])
            if not len(sel):
                continue
            group, months, slot = (vac.exp[self.pv[sel], e, k] for k in range(3))
            have = np.where(group >= 0, _value_at(cand.isco_months_csc, self.pc[sel], group), total[sel])
            short = np.maximum(months - have, 0.0).astype(np.float32)
            gap_years[sel] += short * np.float32(1 / 12)
            failed[sel] |= (short > 0) * _bits(slot)
        np.minimum(gap_years, MAX_EXPERIENCE_GAP_YEARS, out=gap_years)

    def education_and_licences(self, out: np.ndarray, failed: np.ndarray) -> None:
        cand, vac, vr, pv = self.cand, self.vac, self.vr, self.pv
        if (vac.education_slot[vr] >= 0).any():
            sel = np.flatnonzero(vac.education_slot[pv] >= 0)
            rows = pv[sel]
            gap = np.maximum(vac.education[rows].astype(np.int8) - cand.education[self.pc[sel]], 0).astype(np.int8)
            out[F["education_gap"]][sel] = gap
            failed[sel] |= (gap > 0) * _bits(vac.education_slot[rows])
        held = cand.licences[self.pc]
        licence_missing = out[F["licence_missing"]]
        for r in range(vac.lic.shape[1]):
            if not (vac.lic[vr, r, 1] >= 0).any():
                continue
            sel = np.flatnonzero(vac.lic[pv, r, 1] >= 0)
            licence_bit, slot = vac.lic[pv[sel], r, 0], vac.lic[pv[sel], r, 1]
            missing = (held[sel] & licence_bit.astype(held.dtype)) == 0
            licence_missing[sel] += missing
            failed[sel] |= missing * _bits(slot)

    def practical(self, distance: np.ndarray, out: np.ndarray) -> None:
        cand, vac, vr, j = self.cand, self.vac, self.vr, self.j
        pc = self.pc
        commute = out[F["commute_ratio"]]
        inverse_max = (1.0 / np.maximum(cand.max_commute_km, 1.0)).astype(np.float32)
        np.multiply(distance, inverse_max[pc], out=commute)
        np.minimum(commute, 1.0, out=commute)
        remote = vac.remote[vr]
        if remote.any():
            commute[remote[j]] = 0.0
        _hours_fit(
            cand.hours_min[pc], cand.hours_max[pc], vac.hours_min[vr][j], vac.hours_max[vr][j], out[F["hours_fit"]]
        )
        v_shifts = vac.shifts[vr]
        accepted = np.bitwise_count(cand.shifts[pc] & v_shifts[j])
        inverse_shifts = (1.0 / np.maximum(np.bitwise_count(v_shifts), 1)).astype(np.float32)
        np.multiply(accepted, inverse_shifts[j], out=out[F["shift_fit"]])
        occupation = out[F["occupation_match"]]
        occupation[:] = _value_at(cand.isco_groups_csc, pc, vac.isco[vr][j])
        occupation *= 0.5
        np.maximum(occupation, _value_at(cand.occupations_csc, pc, vac.occupation[vr][j]), out=occupation)


def _slots(matrix: sp.csc_matrix) -> tuple[np.ndarray, np.ndarray]:
    """A sparse matrix with few entries per row as two (rows, K) arrays: columns (-1 pads) and values."""

    def build(m: sp.csc_matrix) -> tuple[np.ndarray, np.ndarray]:
        csr = m.tocsr()
        csr.sort_indices()
        per_row = np.diff(csr.indptr)
        width = int(per_row.max(initial=0))
        cols = np.full((csr.shape[0], max(width, 1)), -1, dtype=np.int32)
        vals = np.zeros((csr.shape[0], max(width, 1)), dtype=csr.dtype)
        rank = np.arange(csr.nnz) - np.repeat(csr.indptr[:-1], per_row)
        row = np.repeat(np.arange(csr.shape[0]), per_row)
        cols[row, rank], vals[row, rank] = csr.indices, csr.data
        return cols, vals

    return cached(matrix, "slots", build)


def _value_at(matrix: sp.csc_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``matrix[rows[p], cols[p]]`` per pair (0 where absent or where the column is -1), float32.

    The rows hold a few entries each (a candidate's occupations and ISCO groups), so the lookup
    compares each pair's column with each of its row's few columns.
    """
    slot_cols, slot_vals = _slots(matrix)
    out = np.zeros(len(rows), dtype=np.float32)
    for k in range(slot_cols.shape[1]):
        hit = slot_cols[rows, k] == cols
        out[hit] = slot_vals[rows[hit], k]
    out[cols < 0] = 0.0
    return out
