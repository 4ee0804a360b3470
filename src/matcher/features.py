"""Pair features for blocks of candidates × vacancies, vectorised with sparse products and numpy.

One call computes, for every pair in an (n candidates × m vacancies) block:

* ``allowed``: the hard constraints (work permit, commute within the candidate's maximum unless
  the job is remote, overlapping hours, vacancy not expired, both profiles active, the candidate
  available within :data:`AVAILABILITY_TOLERANCE_DAYS`, and mobility: see :data:`CYCLING_KM`);
* ``failed``: a bitmask of the vacancy's checks the candidate fails, one bit per must-requirement
  (bit numbers from :class:`~matcher.pool.SlotInfo`) plus one for unmet coaching need;
* ``features``: the (F, n, m) float32 array of :data:`FEATURES`, the scorer's input;
* ``distance_km``: the commute distance.

Language support bridges a gap in the workplace language (document: ``BRIDGE_STEPS``): coaching
on the job bridges one CEFR step (A2→B1) and needs at least A1 to build on; a paid course bridges
two steps from any level. Either only counts when the candidate wants language training. An
accepted contact language that the candidate speaks at the asked level removes the gap.

Coaching need (none, light, intensive) is met by an offer of at least the same rank (none, mentor,
job coach) with a free coaching place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .geo import EARTH_RADIUS_KM
from .pool import SHIFT_BITS, CandidateArrays, VacancyArrays
from .pool.derived import rows_of
from .profiles import Shift

FEATURES: tuple[str, ...] = (
    "must_coverage",  # + credit-weighted share of must competences held (near skill: half)
    "other_coverage",  # + share of should/nice competences held
    "trainable_gap",  # - share of must competences missing but trainable on the job
    "missing_must_skills",  # - share of must competences missing and not trainable
    "language_gap_open",  # - CEFR steps below a language requirement that nothing bridges
    "language_gap_bridged",  # - CEFR steps bridged by the language support offered
    "coaching_unmet",  # - steps of coaching need above what is offered (0-2)
    "commute_ratio",  # - commute distance as a share of the candidate's maximum
    "hours_fit",  # + share of the vacancy's hours range the candidate can work
    "shift_fit",  # + share of the vacancy's shifts the candidate accepts
    "experience_gap_years",  # - years of asked experience missing (capped at 5)
    "occupation_match",  # + 1 same ESCO occupation, 0.5 same ISCO unit group
    "licence_missing",  # - must driving licences missing
    "education_gap",  # - steps below the asked education level
)
F = {name: i for i, name in enumerate(FEATURES)}
NIGHT_BIT = SHIFT_BITS[Shift.night]

INCREASING = frozenset({"must_coverage", "other_coverage", "hours_fit", "shift_fit", "occupation_match"})
"""Features where more is better; every other feature is a cost (more is worse)."""

BRIDGE_STEPS = np.array([0, 1, 2], dtype=np.int8)  # by LanguageSupport: none, on_the_job, course
MIN_LEVEL_FOR_COACHING = 1  # A1: coaching on the job builds on basic knowledge
MAX_EXPERIENCE_GAP_YEARS = 5.0
AVAILABILITY_TOLERANCE_DAYS = 60
"""A candidate available within this many days of the reference date can take the job: selection,
contract and notice usually take one to two months, so a later start is a different vacancy."""
CYCLING_KM = 10.0
"""Without a car of their own (``has_car`` and a licence B), a commute beyond this distance goes by
public transport: that rules out night shifts (no public transport at night) and vacancies asking
a must licence B or BE (read as: the job is reached or done by car)."""
HARD_CONSTRAINTS = ("work_permit", "commute", "hours", "expired", "available", "mobility")


@dataclass
class PairBlock:
    """Features and checks of an (n × m) block of candidate–vacancy pairs."""

    features: np.ndarray  # (F, n, m) float32
    allowed: np.ndarray  # (n, m) bool: hard constraints pass
    failed: np.ndarray  # (n, m) int64: bitmask of failed vacancy checks
    distance_km: np.ndarray  # (n, m) float32
    cand_rows: np.ndarray  # (n,) candidate pool rows of the first axis

    @property
    def strict(self) -> np.ndarray:
        """Pairs that pass every hard constraint and every must-check."""
        return self.allowed & (self.failed == 0)

    def feature_matrix(self) -> np.ndarray:
        """The features as an (n·m, F) array (a view), the scorer's ``X``."""
        return self.features.reshape(len(FEATURES), -1).T


def _gather_columns(matrix_csc: sp.csc_matrix, rows: np.ndarray | slice, cols: np.ndarray) -> np.ndarray:
    """Dense (n, m) values matrix[rows][:, cols]; a column of -1 gives zeros.

    Columns are taken from the CSC form first, so the cost follows the few columns asked for,
    not the size of the pool.
    """
    safe = np.where(cols >= 0, cols, 0)
    if isinstance(rows, np.ndarray) and 4 * len(rows) < matrix_csc.shape[0]:
        out = rows_of(matrix_csc)[rows][:, safe].toarray()  # a few rows: take them first
    else:
        out = matrix_csc[:, safe].tocsr()[rows].toarray()
    out[:, cols < 0] = 0
    return out


def _skill_products(
    cand_csc: sp.csc_matrix, rows: np.ndarray | slice, vacancy_sides: list[sp.csc_matrix]
) -> list[np.ndarray]:
    """Dense candidate × vacancy products over only the skills these vacancies ask for.

    Restricting to the asked skills (a handful per vacancy) before multiplying keeps the sparse
    product proportional to the relevant entries. Values are 0, 0.5, 1 and powers of two, so the
    sums are exact in any order: a pair's result does not depend on the block it is in.
    """
    asked = np.unique(np.concatenate([side.indices for side in vacancy_sides])) if vacancy_sides else np.zeros(0, int)
    if isinstance(rows, np.ndarray) and 4 * len(rows) < cand_csc.shape[0]:
        held = rows_of(cand_csc)[rows][:, asked]  # a few rows: take them first
    else:
        held = cand_csc[:, asked].tocsr()[rows]
    return [
        (held @ side[asked]).toarray() if len(asked) else np.zeros((held.shape[0], side.shape[1]))
        for side in vacancy_sides
    ]


def compute_block(
    cand: CandidateArrays,
    vac: VacancyArrays,
    cand_rows: np.ndarray | slice,
    vac_rows: np.ndarray,
    today_day: int,
    prefilter: bool = False,
) -> PairBlock:
    """Compute :class:`PairBlock` for candidates ``cand_rows`` × vacancies ``vac_rows``.

    ``today_day`` is the reference date as a day number (see :func:`matcher.pool.day_number`), so
    that expiry is decided by the caller's clock, not hidden inside. With ``prefilter`` the hard
    constraints are applied first and candidates allowed for none of the vacancies are left out
    of the block (``cand_rows`` of the result says which remain): most pairs fail on commute
    alone, so this saves most of the work. A pair's values do not depend on the block it is in.
    """
    vac_rows = np.asarray(vac_rows, dtype=np.int64)
    rows = np.arange(len(cand.active), dtype=np.int64)[cand_rows]
    distance = _distance_km(cand.xyz[rows], vac.xyz[vac_rows])
    allowed = _hard_constraints(cand, vac, rows, vac_rows, distance, today_day)
    if prefilter:
        keep = allowed.any(axis=1)
        rows, distance, allowed = rows[keep], distance[keep], allowed[keep]
    n, m = len(rows), len(vac_rows)
    out = np.zeros((len(FEATURES), n, m), dtype=np.float32)
    failed = np.zeros((n, m), dtype=np.int64)
    cand_rows = rows

    _competences(cand, vac, cand_rows, vac_rows, out, failed)
    _languages(cand, vac, cand_rows, vac_rows, out, failed)
    _coaching(cand, vac, cand_rows, vac_rows, out, failed)
    _experience(cand, vac, cand_rows, vac_rows, out, failed)
    _education_and_licences(cand, vac, cand_rows, vac_rows, out, failed)
    _practical(cand, vac, cand_rows, vac_rows, distance, out)
    return PairBlock(features=out, allowed=allowed, failed=failed, distance_km=distance, cand_rows=rows)


def _distance_km(cand_xyz: np.ndarray, vac_xyz: np.ndarray) -> np.ndarray:
    return _chord_km(_chord_sq(cand_xyz, vac_xyz))


def _chord_sq(cand_xyz: np.ndarray, vac_xyz: np.ndarray) -> np.ndarray:
    """Squared chord (unit sphere) of every candidate × vacancy place, float32 (n, m)."""
    # Chord length from coordinate differences keeps float32 precise for nearby places.
    chord_sq = np.zeros((len(cand_xyz), len(vac_xyz)), dtype=np.float32)
    for axis in range(3):
        diff = cand_xyz[:, axis, None] - vac_xyz[None, :, axis]
        chord_sq += diff * diff
    return chord_sq


def _chord_km(chord_sq: np.ndarray) -> np.ndarray:
    """Great-circle km from squared chords, elementwise: the same value for a pair in any array shape."""
    return (2 * EARTH_RADIUS_KM) * np.arcsin(np.minimum(np.sqrt(chord_sq) * 0.5, 1.0))


def _km_at_most(chord_sq: np.ndarray) -> np.ndarray:
    """A lower bound of :func:`_chord_km` (arcsin x >= x, less a margin far above float32 rounding).

    The hard constraints only ever ask ``distance <= limit``, so deciding them on this bound keeps
    every pair the exact distance allows (and a few more, decided again on the exact distance).
    """
    return np.sqrt(chord_sq) * np.float32(EARTH_RADIUS_KM * (1 - 1e-4))


def _candidate_may_pass(cand: CandidateArrays, cr, today_day: int) -> np.ndarray:
    """The hard constraints that depend on the candidate alone, per candidate row."""
    return cand.active[cr] & cand.work_permit[cr] & (cand.available_day[cr] <= today_day + AVAILABILITY_TOLERANCE_DAYS)


def _vacancy_may_pass(vac: VacancyArrays, vr, today_day: int) -> np.ndarray:
    """The hard constraints that depend on the vacancy alone: active and not expired."""
    return vac.active[vr] & (vac.valid_day[vr] >= today_day)


def _hard_constraints(
    cand: CandidateArrays, vac: VacancyArrays, cr, vr, distance: np.ndarray, today_day: int
) -> np.ndarray:
    """The (n, m) allowed mask of candidates ``cr`` × vacancies ``vr`` (see :func:`_pair_constraints`)."""
    cr, vr = _row_array(cr, len(cand.active)), np.asarray(vr)
    return _pair_constraints(cand, vac, cr[:, None], vr[None, :], distance, today_day)


def _pair_constraints(
    cand: CandidateArrays, vac: VacancyArrays, c: np.ndarray, v: np.ndarray, distance: np.ndarray, today_day: int
) -> np.ndarray:
    """Every hard constraint for candidate rows ``c`` and vacancy rows ``v`` that broadcast with ``distance``.

    Dense blocks pass ``cr[:, None]`` and ``vr[None, :]``; flat pair lists pass one row of each per
    pair. One body for both, so a pair is decided the same way in either lane.
    """
    within_commute = (distance <= cand.max_commute_km[c]) | vac.remote[v]
    hours = (cand.hours_min[c] <= vac.hours_max[v]) & (vac.hours_min[v] <= cand.hours_max[c])
    allowed = within_commute & hours & _candidate_may_pass(cand, c, today_day) & _vacancy_may_pass(vac, v, today_day)
    allowed &= _mobile_pairs(cand, vac, c, v, distance)
    return allowed


def _mobile(cand: CandidateArrays, vac: VacancyArrays, cr, vr, distance: np.ndarray) -> np.ndarray:
    """Pairs the candidate can get to: own car, cycling distance, remote, or a job needing no car."""
    cr, vr = _row_array(cr, len(cand.active)), np.asarray(vr)
    return _mobile_pairs(cand, vac, cr[:, None], vr[None, :], distance)


def _row_array(rows, n: int) -> np.ndarray:
    return np.arange(n)[rows] if isinstance(rows, slice) else np.asarray(rows)


def _mobile_pairs(cand: CandidateArrays, vac: VacancyArrays, c, v, distance: np.ndarray) -> np.ndarray:
    needs_car = (vac.needs_car[v] | ((vac.shifts[v] & NIGHT_BIT) != 0)) & ~vac.remote[v]
    return cand.mobile[c] | ~needs_car | (distance <= np.float32(CYCLING_KM))


def hard_constraint_parts(
    cand: CandidateArrays, vac: VacancyArrays, cr, vr, distance: np.ndarray, today_day: int
) -> dict[str, np.ndarray]:
    """Each hard constraint (:data:`HARD_CONSTRAINTS`) as its own (n, m) pass mask, for the review.

    Their conjunction with both profiles active is ``allowed`` of :func:`compute_block`.
    """
    shape = distance.shape
    return {
        "work_permit": np.broadcast_to(cand.work_permit[cr, None], shape),
        "commute": (distance <= cand.max_commute_km[cr, None]) | vac.remote[None, vr],
        "hours": (cand.hours_min[cr, None] <= vac.hours_max[None, vr])
        & (vac.hours_min[None, vr] <= cand.hours_max[cr, None]),
        "expired": np.broadcast_to((vac.valid_day[vr] >= today_day)[None, :], shape),
        "available": np.broadcast_to(
            (cand.available_day[cr] <= today_day + AVAILABILITY_TOLERANCE_DAYS)[:, None], shape
        ),
        "mobility": _mobile(cand, vac, cr, vr, distance),
    }


def _share(counts: np.ndarray, n_asked: np.ndarray, out: np.ndarray, when_none: float) -> None:
    """out = counts / n_asked per vacancy column, or ``when_none`` where nothing is asked (float32)."""
    inverse = (1.0 / np.maximum(n_asked, 1.0)).astype(np.float32)
    np.multiply(counts, inverse[None, :], out=out)
    if when_none and np.any(n_asked == 0):
        out += np.float32(when_none) * (n_asked == 0).astype(np.float32)[None, :]


def _competences(cand: CandidateArrays, vac: VacancyArrays, cr, vr, out: np.ndarray, failed: np.ndarray) -> None:
    n_must, n_other = vac.n_must_skills[vr], vac.n_other_skills[vr]
    must_skills, other_skills, must_bits = (vac.must_skills_t[:, vr], vac.other_skills_t[:, vr], vac.must_bits_t[:, vr])
    credit, other = _skill_products(cand.credit_csc, cr, [must_skills, other_skills])
    _share(credit, n_must, out[F["must_coverage"]], when_none=1.0)
    _share(other, n_other, out[F["other_coverage"]], when_none=1.0)
    if not must_bits.nnz:
        return
    [held_bits] = _skill_products(cand.held_csc, cr, [must_bits])
    all_skill_bits = np.asarray(must_bits.sum(axis=0)).ravel().astype(np.int64)
    missing = held_bits.astype(np.int64)
    np.bitwise_xor(missing, all_skill_bits[None, :], out=missing)  # held bits are a subset of all bits
    trainable = vac.trainable_bits[vr][None, :]
    if np.any(trainable):
        _share(np.bitwise_count(missing & trainable), n_must, out[F["trainable_gap"]], when_none=0.0)
        missing &= ~trainable
    failed |= missing
    _share(np.bitwise_count(missing), n_must, out[F["missing_must_skills"]], when_none=0.0)


def _present_columns(present: np.ndarray) -> np.ndarray | slice:
    """The block columns a requirement slot applies to: a view when it is all of them."""
    return slice(None) if present.all() else np.flatnonzero(present)


def _set_bits(failed: np.ndarray, cols, fails: np.ndarray, slot: np.ndarray) -> None:
    """Set each column's slot bit in ``failed`` where ``fails`` (a multiply beats np.where here)."""
    bits = np.left_shift(np.int64(1), np.maximum(slot, 0).astype(np.int64))
    failed[:, cols] |= fails * bits[None, :]


def _languages(cand: CandidateArrays, vac: VacancyArrays, cr, vr, out: np.ndarray, failed: np.ndarray) -> None:
    levels = cand.languages[cr]  # (n, L) int8
    wants = cand.wants_training[cr, None]
    open_gap, bridged_gap = out[F["language_gap_open"]], out[F["language_gap_bridged"]]
    for r in range(vac.lang.shape[1]):
        present = vac.lang[vr, r, 0] >= 0
        if not present.any():
            continue
        cols = _present_columns(present)
        rows = vr[cols]
        col, asked, slot, must = (vac.lang[rows, r, i] for i in range(4))
        have = np.take(levels, col, axis=1)  # (n, k)
        gap = np.maximum(asked.astype(np.int8)[None, :] - have, 0).astype(np.int8)
        is_workplace = (col == vac.workplace_language[rows])[None, :]
        contact_bits = vac.contact_languages[rows]
        for c in np.flatnonzero(np.bitwise_or.reduce(contact_bits) >> np.arange(levels.shape[1]) & 1):
            # an accepted contact language spoken at the asked level removes the gap
            accepted = ((contact_bits >> c) & 1).astype(bool)[None, :]
            gap[is_workplace & accepted & (levels[:, c, None] >= asked[None, :])] = 0
        support = vac.language_support[rows]
        can_build = (have >= MIN_LEVEL_FOR_COACHING) | (support != 1)[None, :]
        bridged = is_workplace & wants & can_build & (gap > 0) & (gap <= BRIDGE_STEPS[support][None, :])
        unbridged = np.where(bridged, 0, gap)
        open_gap[:, cols] += unbridged
        bridged_gap[:, cols] += gap - unbridged
        _set_bits(failed, cols, (unbridged > 0) & (must == 1)[None, :], slot)


def _coaching(cand: CandidateArrays, vac: VacancyArrays, cr, vr, out: np.ndarray, failed: np.ndarray) -> None:
    offer = np.where(vac.coaching_free[vr] > 0, vac.coaching_offer[vr], 0).astype(np.int16)
    unmet = np.maximum(cand.coaching_need[cr, None].astype(np.int16) - offer[None, :], 0)
    out[F["coaching_unmet"]] = unmet
    _set_bits(failed, slice(None), unmet > 0, vac.coaching_slot[vr])


def _experience(cand: CandidateArrays, vac: VacancyArrays, cr, vr, out: np.ndarray, failed: np.ndarray) -> None:
    total = cand.total_months[cr, None]
    gap_years = out[F["experience_gap_years"]]
    for e in range(vac.exp.shape[1]):
        present = vac.exp[vr, e, 2] >= 0
        if not present.any():
            continue
        cols = _present_columns(present)
        group, months, slot = (vac.exp[vr[cols], e, i] for i in range(3))
        have = np.where((group >= 0)[None, :], _gather_columns(cand.isco_months_csc, cr, group), total)
        short = np.maximum(months[None, :] - have, 0.0).astype(np.float32)
        gap_years[:, cols] += short * np.float32(1 / 12)
        _set_bits(failed, cols, short > 0, slot)
    np.minimum(gap_years, MAX_EXPERIENCE_GAP_YEARS, out=gap_years)


def _education_and_licences(
    cand: CandidateArrays, vac: VacancyArrays, cr, vr, out: np.ndarray, failed: np.ndarray
) -> None:
    present = vac.education_slot[vr] >= 0
    if present.any():
        cols = _present_columns(present)
        rows = vr[cols]
        gap = np.maximum(vac.education[rows].astype(np.int8)[None, :] - cand.education[cr, None], 0).astype(np.int8)
        out[F["education_gap"]][:, cols] = gap
        _set_bits(failed, cols, gap > 0, vac.education_slot[rows])

    held = cand.licences[cr, None]
    for r in range(vac.lic.shape[1]):
        present = vac.lic[vr, r, 1] >= 0
        if not present.any():
            continue
        cols = _present_columns(present)
        licence_bit, slot = vac.lic[vr[cols], r, 0], vac.lic[vr[cols], r, 1]
        missing = (held & licence_bit.astype(held.dtype)[None, :]) == 0
        out[F["licence_missing"]][:, cols] += missing
        _set_bits(failed, cols, missing, slot)


def _practical(cand: CandidateArrays, vac: VacancyArrays, cr, vr, distance: np.ndarray, out: np.ndarray) -> None:
    commute = out[F["commute_ratio"]]
    inverse_max = (1.0 / np.maximum(cand.max_commute_km[cr], 1.0)).astype(np.float32)
    np.multiply(distance, inverse_max[:, None], out=commute)
    np.minimum(commute, 1.0, out=commute)
    remote = vac.remote[vr]
    if remote.any():
        commute[:, remote] = 0.0

    _hours_fit(
        cand.hours_min[cr, None],
        cand.hours_max[cr, None],
        vac.hours_min[None, vr],
        vac.hours_max[None, vr],
        out[F["hours_fit"]],
    )

    v_shifts = vac.shifts[vr]
    accepted = np.bitwise_count(cand.shifts[cr, None] & v_shifts[None, :])
    inverse_shifts = (1.0 / np.maximum(np.bitwise_count(v_shifts), 1)).astype(np.float32)
    np.multiply(accepted, inverse_shifts[None, :], out=out[F["shift_fit"]])

    occupation = out[F["occupation_match"]]
    occupation[:] = _gather_columns(cand.isco_groups_csc, cr, vac.isco[vr])
    occupation *= 0.5
    np.maximum(occupation, _gather_columns(cand.occupations_csc, cr, vac.occupation[vr]), out=occupation)


def _hours_fit(c_lo: np.ndarray, c_hi: np.ndarray, v_lo: np.ndarray, v_hi: np.ndarray, out: np.ndarray) -> None:
    """Share of the vacancy's hours range inside the candidate's range; 1 when fully inside."""
    np.minimum(c_hi, v_hi, out=out)
    out -= np.maximum(c_lo, v_lo)
    np.maximum(out, 0.0, out=out)
    width = v_hi - v_lo
    out *= (1.0 / np.maximum(width, 1e-6)).astype(np.float32)
    inside = (c_lo <= v_lo) & (v_hi <= c_hi)
    np.minimum(out, 1.0, out=out)
    out[inside] = 1.0
    if np.any(width <= 0):
        out[np.broadcast_to(width <= 0, out.shape) & ~inside] = 0.0
