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

import threading
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp

from .features import (
    BRIDGE_STEPS,
    CYCLING_KM,
    FEATURES,
    MAX_EXPERIENCE_GAP_YEARS,
    MIN_LEVEL_FOR_COACHING,
    NIGHT_BIT,
    F,
    _candidate_may_pass,
    _chord_km,
    _hours_fit,
    _pair_constraints,
    _vacancy_may_pass,
)
from .geo import EARTH_RADIUS_KM
from .pool import CandidateArrays, VacancyArrays
from .pool.derived import cached
from .pool.spatial import ranges_index, ranges_with_owner, segment_of

GroupBy = Literal["vacancy", "candidate"]
COMPETENCE_FEATURES = ("must_coverage", "other_coverage", "trainable_gap", "missing_must_skills")


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
    max_failed: int | None = None,
) -> PairList:
    """Features and checks of the pairs of ``cand_rows`` × ``vac_rows`` that pass the hard constraints.

    ``starts`` indexes ``vac_rows`` (``by="vacancy"``) or ``cand_rows`` (``by="candidate"``) in
    the order given; a query with no allowed pair has an empty slice.

    With ``max_failed``, pairs failing more than that many checks are left out: ranking needs
    only strict matches (none failed) and stretch matches (one), and most allowed pairs fail two
    or more. The checks are decided first, cheapest first, and each stage drops the pairs already
    out of reach, so the skill products, the practical features and the model only see the rest.
    The values of the pairs kept do not change.

    Rows that no pair can pass (inactive, no work permit, not available in time; closed
    vacancies) are dropped before the dense pass; the dense pass decides the hard constraints on
    a lower bound of the distance (no arcsin), and the pairs it keeps are decided again, one by
    one, by the same constraints on the exact distance.
    """
    cand_rows = np.asarray(cand_rows, dtype=np.int64)
    vac_rows = np.asarray(vac_rows, dtype=np.int64)
    c_keep = np.flatnonzero(_candidate_may_pass(cand, cand_rows, today_day))
    v_keep = np.flatnonzero(_vacancy_may_pass(vac, vac_rows, today_day))
    cr, vr = cand_rows[c_keep], vac_rows[v_keep]
    sides = (_Columns.of(vac.must_skills_t, vr), _Columns.of(vac.other_skills_t, vr), _Columns.of(vac.must_bits_t, vr))
    skills = _BlockSkills(cand.credit_csc, cr, np.unique(np.concatenate([side.indices for side in sides])))
    skills_ok = None
    if max_failed is not None:
        skills_ok = _few_missing_skills(vac, vr, sides[2], skills, max_failed)
        if skills_ok is not None:
            within = np.flatnonzero(skills_ok.any(axis=1))  # candidates some vacancy of the block could take
            c_keep, cr, skills_ok = c_keep[within], cr[within], skills_ok[within]
            skills = skills.restricted(within)
    maybe = _pair_may_pass(cand, vac, cr, vr)
    if skills_ok is not None:
        maybe &= skills_ok
    if by == "vacancy":
        j, i = np.nonzero(np.ascontiguousarray(maybe.T))
    else:
        i, j = np.nonzero(maybe)
    del maybe
    distance = _chord_km(_pair_chord_sq(cand.xyz[cr[i]], vac.xyz[vr[j]]))
    exact = _pair_constraints(cand, vac, cr[i], vr[j], distance, today_day)
    pairs = _Pairs(cand, vac, cr, vr, i[exact], j[exact], distance[exact], skills, sides)
    pairs.decide(max_failed)
    query, n_queries, keep = (pairs.j, len(vac_rows), v_keep) if by == "vacancy" else (pairs.i, len(cand_rows), c_keep)
    counts = np.zeros(n_queries, dtype=np.int64)
    counts[keep] = np.bincount(query, minlength=len(keep))
    starts = np.zeros(n_queries + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    return PairList(pairs.pc, pairs.pv, pairs.features, pairs.failed, pairs.distance, starts)


def _pair_may_pass(cand: CandidateArrays, vac: VacancyArrays, cr: np.ndarray, vr: np.ndarray) -> np.ndarray:
    """(n, m) the pair-wise hard constraints on a bound of the distance, for rows that may pass.

    The rows were kept by :func:`_candidate_may_pass` and :func:`_vacancy_may_pass`, so only what
    depends on both sides is decided here (commute, hours, getting there). Places are compared
    through one float32 product of unit vectors (:func:`_near_enough`), with a margin well above
    its rounding: every pair :func:`matcher.features._pair_constraints` allows on the exact
    distance is kept (and a few more), and each pair kept is decided again by it.
    """
    dot = _dot(cand.xyz[cr], vac.xyz[vr])
    within_commute = dot >= _near_enough(cand.max_commute_km[cr])[:, None]
    remote = vac.remote[vr]
    if remote.any():
        within_commute |= remote[None, :]
    within_commute &= cand.hours_min[cr][:, None] <= vac.hours_max[vr][None, :]
    within_commute &= vac.hours_min[vr][None, :] <= cand.hours_max[cr][:, None]
    needs_car = (vac.needs_car[vr] | ((vac.shifts[vr] & NIGHT_BIT) != 0)) & ~remote
    if needs_car.any():
        carless = ~cand.mobile[cr]
        if carless.any():
            within_commute[np.ix_(carless, needs_car)] &= dot[np.ix_(carless, needs_car)] >= _NEAR_ENOUGH_CYCLING
    return within_commute


def _dot(cand_xyz: np.ndarray, vac_xyz: np.ndarray) -> np.ndarray:
    """(n, m) float32 ``c · v``, in numpy's own loops: a BLAS product would start its own threads
    beside the ranking's (measured: a second ranking thread then gained nothing)."""
    dot = np.multiply(cand_xyz[:, 0:1], vac_xyz[None, :, 0])
    term = np.empty_like(dot)
    for axis in (1, 2):
        np.multiply(cand_xyz[:, axis : axis + 1], vac_xyz[None, :, axis], out=term)
        dot += term
    return dot


DOT_MARGIN = 2e-6
"""Squared-chord slack of the float32 product test: its rounding (3 products of unit vectors,
under 2e-7) and the stored vectors' distance from unit length (under 4e-7), with room to spare."""


def _near_enough(km: np.ndarray) -> np.ndarray:
    """float32 thresholds t: a pair with ``c · v < t`` is farther than ``km`` (by :func:`_chord_km`), rounding or not.

    The exact distance is at least the chord times the radius (arcsin x >= x), so a pair within
    ``km`` has a squared chord of at most ``(km / R)²``; the squared chord of unit vectors is
    ``2 - 2 c·v``. The bound is widened by a relative 1e-4 (the float32 chord) and
    :data:`DOT_MARGIN`, and rounded down to float32.
    """
    chord_sq = (np.asarray(km, dtype=np.float64) / (EARTH_RADIUS_KM * (1 - 1e-4))) ** 2 * (1 + 1e-4)
    threshold = (1.0 - (chord_sq + DOT_MARGIN) / 2).astype(np.float32)
    return np.nextafter(threshold, np.float32(-np.inf))


_NEAR_ENOUGH_CYCLING = _near_enough(np.array([CYCLING_KM], dtype=np.float32))[0]


def _pair_chord_sq(cand_xyz: np.ndarray, vac_xyz: np.ndarray) -> np.ndarray:
    """:func:`matcher.features._chord_sq` per pair (row p of each): the same float32 operations in the same order."""
    chord_sq = np.zeros(len(cand_xyz), dtype=np.float32)
    for axis in range(3):
        diff = cand_xyz[:, axis] - vac_xyz[:, axis]
        chord_sq += diff * diff
    return chord_sq


def _few_missing_skills(
    vac: VacancyArrays, vr: np.ndarray, must_bits: _Columns, skills: _BlockSkills, max_failed: int
) -> np.ndarray | None:
    """(n, m) pairs missing at most ``max_failed`` must skills that are not trainable (None: all of them).

    Each such missing skill is a failed check, so the other pairs fail more than ``max_failed``
    whatever else holds. A vacancy asking at most ``max_failed`` of them lets every candidate
    through; for the others the block's skill entries count, per candidate, the asked skills
    held, and only the candidates holding some of them can pass: for one vacancy at a million
    candidates, a few thousand instead of every candidate within commute.
    """
    trainable = vac.trainable_bits[vr][must_bits.owner()]
    strict = must_bits.where((must_bits.data.astype(np.int64) & trainable) == 0)
    needed = np.diff(strict.indptr) - max_failed  # skills each vacancy's candidate must hold
    if not len(vr) or needed.max(initial=0) <= 0:
        return None
    held = skills.sums(strict, held=True)  # (block vacancies, candidates): asked skills held
    return needed[None, :] <= held.T


@dataclass(frozen=True)
class _Columns:
    """Some columns of a skills × vacancies CSC matrix, as its three arrays: what a block's skill sums read.

    Taken by one gather per array (:meth:`of`), not through scipy's indexing, whose Python-level
    checks cost more than the block's few thousand entries.
    """

    indptr: np.ndarray  # (m + 1,) int64
    indices: np.ndarray  # (nnz,) skill of each entry
    data: np.ndarray  # (nnz,)

    @classmethod
    def of(cls, matrix: sp.csc_matrix, cols: np.ndarray) -> _Columns:
        """``matrix[:, cols]``: the same entries in the same order."""
        begin, end = matrix.indptr[cols], matrix.indptr[cols + 1]
        entry = ranges_index(begin, end)
        return cls(_offsets(end - begin), matrix.indices[entry], matrix.data[entry])

    @property
    def nnz(self) -> int:
        return len(self.indices)

    @property
    def n_columns(self) -> int:
        return len(self.indptr) - 1

    def owner(self) -> np.ndarray:
        """The column of each entry."""
        return segment_of(np.diff(self.indptr))

    def where(self, keep: np.ndarray) -> _Columns:
        """The entries ``keep`` (a mask over the entries), each with the value 1."""
        kept = np.flatnonzero(keep)
        return _Columns(_offsets(_segment_sums(keep, np.diff(self.indptr))), self.indices[kept], np.ones(len(kept)))

    def column_sums(self) -> np.ndarray:
        """Each column's sum of values (float64; exact for the bit masks this is used on)."""
        return np.bincount(self.owner(), weights=self.data, minlength=self.n_columns)


def _offsets(lengths: np.ndarray) -> np.ndarray:
    """Start offsets of consecutive segments of ``lengths``, and the end: ``(len + 1,)`` int64."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets


def _bits(slot: np.ndarray) -> np.ndarray:
    return np.left_shift(np.int64(1), np.maximum(slot, 0).astype(np.int64))


class _Pairs:
    """Per-pair gathers over a block: ``i`` indexes the block's candidates, ``j`` its vacancies.

    Holds the pairs' features and failed checks as they are filled in; :meth:`keep` drops pairs
    between stages.
    """

    def __init__(
        self,
        cand: CandidateArrays,
        vac: VacancyArrays,
        cr: np.ndarray,
        vr: np.ndarray,
        i: np.ndarray,
        j: np.ndarray,
        distance: np.ndarray,
        skills: _BlockSkills,
        sides: tuple[_Columns, _Columns, _Columns],
    ) -> None:
        self.cand, self.vac, self.cr, self.vr, self.i, self.j = cand, vac, cr, vr, i, j
        self.skills, self.sides = skills, sides  # the block's skill entries at cr; asked must, other, must bits
        self.distance = distance
        self.pc = cr[i]  # pool candidate row of each pair
        self.pv = vr[j]  # pool vacancy row of each pair
        self.features = np.zeros((len(FEATURES), len(i)), dtype=np.float32)
        self.failed = np.zeros(len(i), dtype=np.int64)

    def decide(self, max_failed: int | None) -> None:
        """Every feature and check; with ``max_failed``, drop pairs over it after each stage.

        Stages run cheapest first; a drop copies only the feature rows filled so far.
        """
        self.competences(self.features, self.failed)  # the check most pairs fail, at a cost per block
        self._drop_over(max_failed, COMPETENCE_FEATURES)
        self.coaching(self.features, self.failed)
        self.education_and_licences(self.features, self.failed)
        self.experience(self.features, self.failed)
        self.languages(self.features, self.failed)
        self._drop_over(max_failed, FEATURES)
        self.practical(self.distance, self.features)

    def _drop_over(self, max_failed: int | None, filled: tuple[str, ...]) -> None:
        if max_failed is None:
            return
        within = np.bitwise_count(self.failed) <= max_failed
        if within.all():
            return
        kept = np.flatnonzero(within)
        self.i, self.j, self.pc, self.pv = self.i[kept], self.j[kept], self.pc[kept], self.pv[kept]
        self.distance, self.failed = self.distance[kept], self.failed[kept]
        features = np.zeros((len(FEATURES), len(kept)), dtype=np.float32)
        for name in filled:
            np.take(self.features[F[name]], kept, out=features[F[name]])
        self.features = features

    def _share(self, counts: np.ndarray, n_asked: np.ndarray, out: np.ndarray, when_none: float) -> None:
        """As :func:`matcher.features._share`, per pair: the same float32 product and addition."""
        inverse = (1.0 / np.maximum(n_asked, 1.0)).astype(np.float32)
        np.multiply(counts, inverse[self.j], out=out)
        if when_none and np.any(n_asked == 0):
            out += np.float32(when_none) * (n_asked == 0).astype(np.float32)[self.j]

    def competences(self, out: np.ndarray, failed: np.ndarray) -> None:
        vac, vr = self.vac, self.vr
        n_must, n_other = vac.n_must_skills[vr], vac.n_other_skills[vr]
        sides = self.sides
        credit, other, held_bits = self._skill_products()
        self._share(credit, n_must, out[F["must_coverage"]], when_none=1.0)
        self._share(other, n_other, out[F["other_coverage"]], when_none=1.0)
        if not sides[2].nnz:
            return
        all_skill_bits = sides[2].column_sums().astype(np.int64)
        missing = held_bits.astype(np.int64)
        np.bitwise_xor(missing, all_skill_bits[self.j], out=missing)
        trainable = vac.trainable_bits[vr][self.j]
        if np.any(trainable):
            self._share(np.bitwise_count(missing & trainable), n_must, out[F["trainable_gap"]], when_none=0.0)
            missing &= ~trainable
        failed |= missing
        self._share(np.bitwise_count(missing), n_must, out[F["missing_must_skills"]], when_none=0.0)

    def _skill_products(self) -> list[np.ndarray]:
        """Credit on must skills, credit on other skills and held must bits, at each pair.

        Each is a sum over the block's skill entries at the candidates still paired, so it costs
        what the asked skills' entries cost, whatever the number of pairs; the held skills are
        the credit entries equal to 1. The values are exact sums (halves and powers of two), so
        they are the products of :func:`matcher.features._skill_products`, bit for bit.
        """
        n_pairs = len(self.i)
        if not len(self.skills.skills) or not n_pairs:
            return [np.zeros(n_pairs, np.float32), np.zeros(n_pairs, np.float32), np.zeros(n_pairs)]
        paired = np.zeros(len(self.cr), dtype=bool)
        paired[self.i] = True
        who = np.flatnonzero(paired)  # the block candidates still paired, and each pair's place among them
        place = np.empty(len(self.cr), dtype=np.int64)
        place[who] = np.arange(len(who))
        at = place[self.i]
        skills = self.skills.restricted(who) if len(who) < len(self.cr) else self.skills
        flat = self.j * len(who) + at  # each pair's place in a (vacancies, paired candidates) array
        sums = [
            skills.sums(side, held=held).reshape(-1)[flat]
            for side, held in zip(self.sides, (False, False, True), strict=True)
        ]
        return [sums[0].astype(np.float32), sums[1].astype(np.float32), sums[2]]

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


class _BlockSkills:
    """The pool's credit entries for a block's asked skills, at the block's candidates, found once.

    For each skill any vacancy of the block asks, the candidates credited with it are one row of
    the skill × candidate credit (the transpose of ``credit_csc``, no copy); only those rows are
    read, and each entry is placed among the block's candidates by one gather through a
    pool-sized position table (reused per thread, reset after use). Every skill sum of the block
    (the few-missing test, must and other credit, held must bits) then reads these entries, so a
    block costs its asked skills' entries once, not once per sum and not a pass over the pool.

    The entries are kept grouped by skill (``skills`` sorted): ``counts[s]`` located entries of
    skill ``s``, then the next; the held ones (credit 1: held or broader) likewise.
    """

    def __init__(self, credit_csc: sp.csc_matrix, rows: np.ndarray, skills: np.ndarray) -> None:
        self.n, self.skills = len(rows), skills
        begin, end = credit_csc.indptr[skills], credit_csc.indptr[skills + 1]  # each skill's column of entries
        spans = [slice(a, b) for a, b in zip(begin.tolist(), end.tolist(), strict=True)]
        position = _positions_in(rows, credit_csc.shape[0], _joined(credit_csc.indices, spans))
        hit = np.flatnonzero(position >= 0)
        self.counts = _hits_per_segment(hit, end - begin)
        self.position, self.value = position[hit], _joined(credit_csc.data, spans)[hit].astype(np.float64)
        held = self.value == 1.0
        self.held_counts, self.held_position = _segment_sums(held, self.counts), self.position[held]

    def restricted(self, keep: np.ndarray) -> _BlockSkills:
        """The same entries at the candidates ``keep`` (positions among this block's), renumbered."""
        new = object.__new__(_BlockSkills)
        new.n, new.skills = len(keep), self.skills
        renumber = np.full(self.n, -1, dtype=np.int32)
        renumber[keep] = np.arange(len(keep), dtype=np.int32)
        at = renumber[self.position]
        hit = at >= 0
        new.counts, new.position, new.value = _segment_sums(hit, self.counts), at[hit], self.value[hit]
        held_at = renumber[self.held_position]
        held_hit = held_at >= 0
        new.held_counts, new.held_position = _segment_sums(held_hit, self.held_counts), held_at[held_hit]
        return new

    def sums(self, side: _Columns, held: bool = False) -> np.ndarray:
        """(vacancies, candidates) float64: ``side.T`` times the credit (or, ``held``, the held skills).

        The sums are of halves and powers of two, exact in any order: the sparse product's, bit for bit.
        """
        m = side.n_columns
        if not side.nnz or not self.n:
            return np.zeros((m, self.n))
        position, counts = (self.held_position, self.held_counts) if held else (self.position, self.counts)
        starts = _offsets(counts)  # each skill's entries, as compressed rows
        vacancy = side.owner()
        picked, asked = _entries(starts, np.searchsorted(self.skills, side.indices))
        weights = side.data[asked].astype(np.float64)
        if not held:
            weights *= self.value[picked]
        flat = vacancy[asked] * self.n + position[picked]
        return np.bincount(flat, weights=weights, minlength=m * self.n).reshape(m, self.n)


def _joined(values: np.ndarray, spans: list[slice]) -> np.ndarray:
    """``values[span]`` for each span, one after the other: a few large copies (a gather through an
    index array of every entry would cost ten times more)."""
    return np.concatenate([values[span] for span in spans]) if spans else values[:0]


def _segment_sums(mask: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """How many of ``mask`` are set in each consecutive segment of ``lengths``."""
    return _hits_per_segment(np.flatnonzero(mask), lengths)


def _hits_per_segment(hits: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """How many of the sorted positions ``hits`` fall in each consecutive segment of ``lengths``.

    A binary search of the segment ends among the hits: a running count over the mask would
    hold the GIL for the mask's length (numpy's cumulative sum of booleans does).
    """
    return np.diff(np.searchsorted(hits, np.cumsum(lengths)), prepend=0)


_scratch = threading.local()


def _positions_in(rows: np.ndarray, n_pool: int, pool_rows: np.ndarray) -> np.ndarray:
    """The position of each of ``pool_rows`` among ``rows`` (unique), or -1: one gather, no search.

    The pool-sized table is kept per thread and reset after use, so a block pays for its own rows,
    not for the pool's size.
    """
    table = getattr(_scratch, "table", None)
    if table is None or len(table) < n_pool:
        table = np.full(n_pool, -1, dtype=np.int32)
        _scratch.table = table
    table[rows] = np.arange(len(rows), dtype=np.int32)
    try:
        return table[pool_rows]
    finally:
        table[rows] = -1


def _entries(indptr: np.ndarray, major: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries of compressed rows (or columns) ``major``, one after the other, and which ``major`` each is."""
    return ranges_with_owner(indptr[major], indptr[major + 1])


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
