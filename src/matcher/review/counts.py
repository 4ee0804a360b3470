"""Exact pool sizes for a vacancy and for every relaxation and combination of relaxations.

The failed checks of every candidate are computed once, as a bitmask, by the ranking kernel.
A relaxation can only clear the bits it names, so only candidates whose failed bits all lie in a
relaxation's bits can join the pool; those few are re-scored against the rewritten vacancy by
the same kernel and scorer. Options that may lower a score (:attr:`Option.may_lower`) have the
strict candidates re-scored as well. Counts are therefore exactly those a full re-ranking gives.

Searches over combinations (the best gain, the cheapest path to a target) are exact over every
option: combinations are enumerated, bounded by the candidates whose failed checks they cover
(an admissible bound: a gain can never exceed it), and evaluated in bound order until no bound can
beat the best found. If :data:`MAX_EVALUATED` combinations are evaluated before that, the search
stops and says its answer is a lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np

from ..features import HARD_CONSTRAINTS, _distance_km, hard_constraint_parts
from ..kernel import allowed_pairs
from ..pool import VacancyPool, day_number
from ..profiles import RequirementKind, Vacancy
from .options import HOURS_BIT, MOBILITY_BIT, Option, _hard_options

if TYPE_CHECKING:  # the ranker is only passed in: importing it would tie the review and ranking in a cycle
    from ..ranking import Ranker

MAX_COMBINATION = 3
MAX_EVALUATED = 4096
"""Work bound of a combination search; reaching it marks the answer as a lower bound."""
MAX_PATH_STEPS = 4


@dataclass(frozen=True)
class PoolCounts:
    reachable: int  # pass the hard constraints (commute, hours, permit, open vacancy)
    strict: int  # reachable, pass every must-check, score at or above the fit threshold
    failing_one: int  # reachable and failing exactly one check
    per_check: dict[int, int]  # bit → reachable candidates failing that check (maybe among others)


@dataclass(frozen=True)
class OptionGain:
    options: tuple[Option, ...]
    pool: int  # strict pool size with these options applied
    gain: int  # extra candidates over the strict pool
    lower_bound: bool = False  # the search hit its work bound: the best may be larger


@dataclass(frozen=True)
class PathStep:
    option: Option
    pool_before: int
    pool_after: int


@dataclass(frozen=True)
class Path:
    """The cheapest set of changes that brings the strict pool to ``target``, applied step by step."""

    target: int
    steps: tuple[PathStep, ...]
    reached: bool
    cost: float
    best_pool: int  # the pool after every step (when not reached: the best reachable pool found)
    lower_bound: bool = False


def _relaxable_hard(vacancy: Vacancy) -> tuple[bool, bool]:
    """Whether some option can relax mobility (drop a licence B/BE or the night shifts) and the hours."""
    options = _hard_options(vacancy)
    car_licence = any(
        r.is_must and r.kind is RequirementKind.licence and r.value in ("B", "BE") for r in vacancy.requirements
    )
    mobility = car_licence or any(o.bits & MOBILITY_BIT for o in options)
    return mobility, any(o.bits & HOURS_BIT for o in options)


def _combined(options: tuple[Option, ...]) -> bool:
    """Options combine when they change different things (not two Dutch levels at once)."""
    groups = [o.group for o in options]
    return len(set(groups)) == len(groups)


def _bits(options: tuple[Option, ...]) -> int:
    bits = 0
    for option in options:
        bits |= option.bits
    return bits


def tie_key(options: tuple[Option, ...]) -> tuple:
    """Among equal gains: fewer options, then the mildest (least severity), then key order."""
    return (len(options), sum(o.severity for o in options), [o.key for o in options])


def _apply(vacancy: Vacancy, options: tuple[Option, ...]) -> Vacancy:
    for option in options:
        vacancy = option.apply(vacancy)
    return vacancy


class PoolCounter:
    """Counts pools for one vacancy against all candidates of a ranker."""

    def __init__(self, ranker: Ranker, vacancy_id: str, fit_threshold: float) -> None:
        self.ranker = ranker
        self.vacancy = ranker.vacancies.profile(vacancy_id)
        self.fit_threshold = np.float32(fit_threshold)
        cand, vac = ranker.candidates.arrays(), ranker.vacancies.arrays()
        vac_rows = ranker.vacancies.rows([vacancy_id])
        distance = _distance_km(cand.xyz, vac.xyz[vac_rows])
        parts = hard_constraint_parts(cand, vac, slice(None), vac_rows, distance, ranker._today_day())
        passing = np.stack([parts[name][:, 0] for name in HARD_CONSTRAINTS]) & cand.active[None, :]
        self.hard_passing = passing  # (constraint, candidate): for the review's hard-constraint counts
        mobility, hours = (passing[HARD_CONSTRAINTS.index(name)] for name in ("mobility", "hours"))
        others_pass = np.delete(passing, [HARD_CONSTRAINTS.index(n) for n in ("mobility", "hours")], axis=0).all(axis=0)
        relax_mobility, relax_hours = _relaxable_hard(self.vacancy)
        could_pass = others_pass & (mobility | relax_mobility) & (hours | relax_hours)
        rows = np.flatnonzero(passing.all(axis=0) | could_pass)
        block, scores = ranker.score_block(rows, vac_rows)
        self.cand_rows = block.cand_rows  # reachable, or kept out only by what an option can relax
        self.allowed = block.allowed[:, 0]  # reachable: pass every hard constraint
        hard_bits = np.where(mobility[rows], np.int64(0), np.int64(MOBILITY_BIT)) | np.where(
            hours[rows], np.int64(0), np.int64(HOURS_BIT)
        )
        self.failed = block.failed[:, 0] | hard_bits
        self.joinable = np.ones(len(rows), dtype=bool)  # could be in the pool under some option
        self.scores = scores[:, 0]
        self.strict = self.allowed & (self.failed == 0) & (self.scores >= self.fit_threshold)

    def base_counts(self, n_bits: int) -> PoolCounts:
        allowed, failed, strict = self.allowed, self.failed, self.strict
        per_check = {bit: int(np.count_nonzero(allowed & ((failed >> bit) & 1).astype(bool))) for bit in range(n_bits)}
        return PoolCounts(
            reachable=int(allowed.sum()),
            strict=int(strict.sum()),
            failing_one=int(np.count_nonzero(allowed & (np.bitwise_count(failed) == 1))),
            per_check=per_check,
        )

    def _could_join(self, bits: int) -> np.ndarray:
        """Reachable candidates not yet in the pool whose every failed check lies within ``bits``."""
        return self.joinable & ((self.failed & ~np.int64(bits)) == 0) & ~self.strict

    def _evaluate(self, combos: list[tuple[Option, ...]]) -> list[OptionGain]:
        """Exact gains, each combination evaluated once per counter (searches share the results)."""
        memo: dict[tuple[str, ...], OptionGain] = self.__dict__.setdefault("_memo", {})
        unique = {tuple(o.key for o in c): c for c in combos}
        todo = [c for key, c in unique.items() if key not in memo]
        for combo, gain in zip(todo, self._evaluate_now(todo), strict=True):
            memo[tuple(o.key for o in combo)] = gain
        return [replace(memo[tuple(o.key for o in c)], options=c) for c in combos]

    def _evaluate_now(self, combos: list[tuple[Option, ...]]) -> list[OptionGain]:
        base = int(np.count_nonzero(self.strict))
        if not combos:
            return []
        eligible = np.zeros(len(self.joinable), dtype=bool)
        for combo in combos:
            eligible |= self._could_join(_bits(combo))
        lowering = [any(o.may_lower for o in c) for c in combos]
        if any(lowering):
            eligible |= self.strict  # may lose candidates: re-score the strict pool too
        rows = np.flatnonzero(eligible)
        strict = self._strict_matrix(combos, self.cand_rows[rows])
        was_strict = self.strict[rows]
        pools = [
            int(strict[:, i].sum()) if low else base + int(strict[~was_strict, i].sum())
            for i, low in enumerate(lowering)
        ]
        return [OptionGain(c, pool, pool - base) for c, pool in zip(combos, pools, strict=True)]

    def single_gains(self, options: list[Option]) -> list[OptionGain]:
        """The gain of each option on its own."""
        return self._evaluate([(o,) for o in options])

    def _mask_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct failure masks of the reachable candidates outside the pool, with their counts."""
        if not hasattr(self, "_masks"):
            outside = self.failed[self.joinable & ~self.strict]
            self._masks = np.unique(outside, return_counts=True)
        return self._masks

    def bounds(self, bits: np.ndarray, within: np.ndarray | None = None) -> np.ndarray:
        """For each bits value: the candidates who could join (an admissible bound on the gain).

        ``within`` restricts the count to those candidates (see :meth:`combination_bounds`).
        """
        if within is None:
            masks, counts = self._mask_counts()
        else:
            masks, counts = np.unique(self.failed[self.joinable & ~self.strict & within], return_counts=True)
        if len(masks) == 0 or len(bits) == 0:
            return np.zeros(len(bits), dtype=np.int64)
        covered = (masks[None, :] & ~bits[:, None]) == 0
        return covered.astype(np.int64) @ counts

    def combination_bounds(
        self, options: list[Option], combos: list[tuple[Option, ...]], bits: np.ndarray
    ) -> np.ndarray:
        """Admissible bounds on each combination's gain, tightened by one evaluation.

        Options that cannot lower a score only ever add candidates, and the strongest option of a
        group (the lowest level, the job coach) dominates the milder ones. So a combination of such
        options can only bring in candidates who join when the strongest option of every group is
        applied at once: one exact evaluation of that ceiling bounds them all. Combinations with an
        option that may lower a score keep the plain bound.
        """
        plain = self.bounds(bits)
        monotone = [o for o in options if not o.may_lower]
        if not monotone:
            return plain
        strongest: dict[str, Option] = {}
        for option in monotone:
            if option.group not in strongest or option.severity > strongest[option.group].severity:
                strongest[option.group] = option
        ceiling_combo = tuple(strongest.values())
        could = self._could_join(_bits(ceiling_combo))
        rows = np.flatnonzero(could)
        ceiling = np.zeros(len(self.joinable), dtype=bool)
        ceiling[rows] = self._strict_matrix([ceiling_combo], self.cand_rows[rows])[:, 0]
        tight = self.bounds(bits, within=ceiling)
        lowering = np.fromiter((any(o.may_lower for o in c) for c in combos), dtype=bool, count=len(combos))
        return np.where(lowering, plain, np.minimum(plain, tight))

    def _combinations(self, options: list[Option], sizes: range) -> tuple[list[tuple[Option, ...]], np.ndarray]:
        combos = [c for size in sizes for c in combinations(options, size) if _combined(c)]
        bits = np.fromiter((_bits(c) for c in combos), dtype=np.int64, count=len(combos))
        return combos, bits

    def best_combination(
        self, options: list[Option], max_combination: int = MAX_COMBINATION, batch: int = 16
    ) -> OptionGain | None:
        """The combination of 2..max_combination options with the largest gain, exactly, over all options.

        Combinations are evaluated in order of their bound and the search stops once no bound can
        beat (or tie, for the tie-break) the best gain found. Ties go to fewer options, then the
        mildest, then key order.
        """
        combos, bits = self._combinations(options, range(2, max_combination + 1))
        bounds = self.combination_bounds(options, combos, bits)
        order = sorted((i for i in range(len(combos)) if bounds[i] > 0), key=lambda i: (-bounds[i], tie_key(combos[i])))
        best: OptionGain | None = None
        evaluated = 0
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            if best is not None and bounds[chunk[0]] < best.gain:
                return best
            if evaluated >= MAX_EVALUATED:
                return replace(best, lower_bound=True) if best is not None else None
            evaluated += len(chunk)
            for gain in self._evaluate([combos[i] for i in chunk]):
                if gain.gain > 0 and (
                    best is None or (-gain.gain, tie_key(gain.options)) < (-best.gain, tie_key(best.options))
                ):
                    best = gain
        return best

    def cheapest_path(
        self, options: list[Option], target: int, max_steps: int = MAX_PATH_STEPS, batch: int = 16
    ) -> Path:
        """The set of up to ``max_steps`` options of least total cost whose pool reaches ``target``, exactly.

        Sets are enumerated with their cost and bound; those whose bound cannot reach the target are
        skipped, the rest evaluated in cost order: the first that reaches the target is the cheapest
        (ties: fewer options, then the mildest). The steps are then applied cheapest first, with the
        exact pool after each. When no set reaches the target, the best pool found is reported.
        """
        base = int(np.count_nonzero(self.strict))
        combos, bits = self._combinations(options, range(1, max_steps + 1))
        bounds = self.combination_bounds(options, combos, bits)
        costs = [sum(o.cost for o in c) for c in combos]
        feasible = [i for i in range(len(combos)) if base + bounds[i] >= target]
        feasible.sort(key=lambda i: (costs[i], tie_key(combos[i])))
        best, found, evaluated, capped = None, None, 0, False
        for start in range(0, len(feasible), batch):
            if evaluated >= MAX_EVALUATED:
                capped = True
                break
            chunk = feasible[start : start + batch]
            evaluated += len(chunk)
            for gain in self._evaluate([combos[i] for i in chunk]):  # in cost order
                if best is None or gain.pool > best.pool:
                    best = gain
                if gain.pool >= target:
                    found = gain
                    break
            if found is not None:
                break
        if found is None and not capped:  # the best reachable pool: strongest option of every group at once
            strongest: dict[str, Option] = {}
            for option in options:
                if option.group not in strongest or option.severity > strongest[option.group].severity:
                    strongest[option.group] = option
            if strongest:
                [everything] = self._evaluate([tuple(strongest.values())])
                if best is None or everything.pool > best.pool:
                    best = everything
        chosen = found or best
        if chosen is None or (found is None and chosen.pool <= base):
            return Path(target, (), False, 0.0, base, capped)
        ordered = tuple(sorted(chosen.options, key=lambda o: (o.cost, o.severity, o.key)))
        prefixes = [ordered[: i + 1] for i in range(len(ordered))]
        pools = [g.pool for g in self._evaluate(prefixes)]
        steps = tuple(
            PathStep(option, before, after)
            for option, before, after in zip(ordered, [base, *pools[:-1]], pools, strict=True)
        )
        return Path(target, steps, found is not None, sum(o.cost for o in ordered), chosen.pool, capped)

    def _strict_matrix(self, combos: list[tuple[Option, ...]], rows: np.ndarray) -> np.ndarray:
        """(len(rows), len(combos)): which of ``rows`` are strict under each combination, by the real kernel."""
        if len(rows) == 0:
            return np.zeros((0, len(combos)), dtype=bool)
        ranker = self.ranker
        variants = [
            _apply(self.vacancy, combo).model_copy(update={"id": f"{self.vacancy.id}#{i}"})
            for i, combo in enumerate(combos)
        ]
        pool = VacancyPool(ranker.vacancies.encoding, variants)
        # the batch lane keeps only the pairs passing every check (bitwise the dense block's values)
        pairs = allowed_pairs(
            ranker.candidates.arrays(),
            pool.arrays(),
            rows,
            np.arange(len(variants)),
            day_number(ranker._today()),
            max_failed=0,
        )
        scores = ranker.scorer.predict_fit(pairs.feature_matrix())
        strict = np.zeros((len(rows), len(combos)), dtype=bool)
        order = np.argsort(rows, kind="stable")
        at = order[np.searchsorted(rows, pairs.cand_rows, sorter=order)]
        strict[at, pairs.vac_rows] = scores >= self.fit_threshold
        return strict
