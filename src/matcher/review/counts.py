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

from ..features import HARD_CONSTRAINTS
from ..kernel import allowed_pairs
from ..pool import CandidateArrays, VacancyPool
from ..profiles import RequirementKind, Vacancy
from .options import HOURS_BIT, MOBILITY_BIT, Option, _hard_options
from .reach import vacancy_reach
from .subset import take_candidates

if TYPE_CHECKING:  # the ranker is only passed in: importing it would tie the review and ranking in a cycle
    from ..ranking import Ranker

MAX_COMBINATION = 3
MAX_EVALUATED = 4096
"""Work bound of a combination search; reaching it marks the answer as a lower bound."""
MAX_PATH_STEPS = 4
OWN_POOL_SHARE = 400
"""Candidates re-checked together get a pool of their own when they are under 1/400 of the pool."""


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


def _strongest(options: list[Option]) -> dict[str, Option]:
    """The strongest option (the largest severity) of each group, first come first kept among equals."""
    strongest: dict[str, Option] = {}
    for option in options:
        if option.group not in strongest or option.severity > strongest[option.group].severity:
            strongest[option.group] = option
    return strongest


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
        vac_rows = ranker.vacancies.rows([vacancy_id])
        self.reach = reach = vacancy_reach(ranker, vac_rows)  # for the review's hard-constraint counts
        passing = reach.passing
        mobility, hours = (passing[HARD_CONSTRAINTS.index(name)] for name in ("mobility", "hours"))
        others_pass = np.delete(passing, [HARD_CONSTRAINTS.index(n) for n in ("mobility", "hours")], axis=0).all(axis=0)
        relax_mobility, relax_hours = _relaxable_hard(self.vacancy)
        could_pass = others_pass & (mobility | relax_mobility) & (hours | relax_hours)
        passes = np.logical_and.reduce(passing, axis=0)
        keep = np.flatnonzero(passes | could_pass)
        self.cand_rows = reach.rows[keep]  # reachable, or kept out only by what an option can relax
        self.allowed = passes[keep] & ranker.vacancies.arrays().active[vac_rows[0]]
        hard_bits = np.where(mobility[keep], np.int64(0), np.int64(MOBILITY_BIT)) | np.where(
            hours[keep], np.int64(0), np.int64(HOURS_BIT)
        )
        self.failed = self._failed_checks() | hard_bits
        self.joinable = np.ones(len(keep), dtype=bool)  # could be in the pool under some option
        passes_all = np.flatnonzero(self.allowed & (self.failed == 0))
        self.strict = np.zeros(len(keep), dtype=bool)
        self.strict[passes_all] = self._strict_matrix([()], passes_all, vac_rows)[:, 0]

    def _failed_checks(self) -> np.ndarray:
        """The failed checks of every candidate in ``cand_rows``, whatever their commute, hours or car.

        The kernel's checks do not look at the distance, the hours or a car, so the vacancy made
        remote and open to any hours has the same checks for every candidate, and lets them all through.
        """
        failed = np.zeros(len(self.cand_rows), dtype=np.int64)
        if not len(self.cand_rows):
            return failed
        anywhere = self.vacancy.model_copy(update={"remote": True, "hours_min": 0.0, "hours_max": 60.0})
        pool = VacancyPool(self.ranker.vacancies.encoding, [anywhere])
        cand, rows = self._candidates(np.arange(len(self.cand_rows)))
        pairs = allowed_pairs(cand, pool.arrays(), rows, np.zeros(1, np.int64), self.ranker._today_day())
        if len(pairs) != len(self.cand_rows):
            raise RuntimeError("the vacancy made remote and open to any hours kept some candidates out")
        failed[np.searchsorted(rows, pairs.cand_rows)] = pairs.failed
        return failed

    def _candidates(self, at: np.ndarray) -> tuple[CandidateArrays, np.ndarray]:
        """Candidate arrays holding ``cand_rows[at]``, and their rows in them (sorted, as ``at`` is).

        A few candidates get a pool of their own (see :mod:`matcher.review.subset`): copying them
        costs less than the kernel's reads over the whole pool. Many are looked up in the pool itself.
        """
        full = self.ranker.candidates.arrays()
        if len(at) * OWN_POOL_SHARE < len(full.active):
            return take_candidates(full, self.cand_rows[at]), np.arange(len(at))
        return full, self.cand_rows[at]

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
        eligible = np.column_stack([self._eligible(c) for c in combos])
        rows = np.flatnonzero(eligible.any(axis=1))
        strict = self._strict_matrix(combos, rows) & eligible[rows]
        was_strict = self.strict[rows]
        pools = [
            int(strict[:, i].sum()) if any(o.may_lower for o in c) else base + int(strict[~was_strict, i].sum())
            for i, c in enumerate(combos)
        ]
        return [OptionGain(c, pool, pool - base) for c, pool in zip(combos, pools, strict=True)]

    def _eligible(self, combo: tuple[Option, ...]) -> np.ndarray:
        """The candidates whose place in the pool ``combo`` may change, to be re-scored.

        Those outside the pool whose failed checks it covers (and, for a combination of options
        that cannot lower a score, only those its ceiling brings in: see :meth:`ceiling`); with an
        option that may lower a score, the strict pool too.
        """
        could = self._could_join(_bits(combo))
        if any(o.may_lower for o in combo):
            return could | self.strict
        for strongest, joins in self.__dict__.get("_ceilings", {}).values():
            if all(o.group in strongest and o.severity <= strongest[o.group].severity for o in combo):
                return could & joins
        return could

    def ceiling(self, options: list[Option]) -> tuple[dict[str, Option], np.ndarray] | None:
        """The strongest option of every group among those that cannot lower a score, and whom it brings in.

        Such options only ever add candidates, and the strongest option of a group (the lowest
        level, the job coach) dominates the milder ones. So a combination of them can only bring
        in candidates who join when the strongest option of every group is applied at once: one
        exact evaluation of that ceiling bounds every such combination's gain, and only the
        candidates it brings in need re-scoring for them. Evaluated once per counter.
        """
        strongest = _strongest([o for o in options if not o.may_lower])
        if not strongest:
            return None
        ceilings: dict[tuple[str, ...], tuple[dict[str, Option], np.ndarray]] = self.__dict__.setdefault(
            "_ceilings", {}
        )
        key = tuple(sorted(o.key for o in strongest.values()))
        if key not in ceilings:
            combo = tuple(strongest.values())
            rows = np.flatnonzero(self._could_join(_bits(combo)))
            joins = np.zeros(len(self.joinable), dtype=bool)
            joins[rows] = self._strict_matrix([combo], rows)[:, 0]
            ceilings[key] = (strongest, joins)
        return ceilings[key]

    def single_gains(self, options: list[Option]) -> list[OptionGain]:
        """The gain of each option on its own."""
        self.ceiling(options)
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
        """Admissible bounds on each combination's gain, tightened by the :meth:`ceiling` of ``options``.

        Combinations with an option that may lower a score keep the plain bound.
        """
        plain = self.bounds(bits)
        ceiling = self.ceiling(options)
        if ceiling is None:
            return plain
        tight = self.bounds(bits, within=ceiling[1])
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
            strongest = _strongest(options)
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

    def _strict_matrix(
        self, combos: list[tuple[Option, ...]], at: np.ndarray, vac_rows: np.ndarray | None = None
    ) -> np.ndarray:
        """(len(at), len(combos)): which candidates ``cand_rows[at]`` are strict under each combination, by the kernel.

        With ``vac_rows`` (one row of the ranker's vacancies, ``combos`` the empty combination) the
        vacancy as it is in the pool.
        """
        if len(at) == 0:
            return np.zeros((0, len(combos)), dtype=bool)
        ranker = self.ranker
        if vac_rows is None:
            variants = [
                _apply(self.vacancy, combo).model_copy(update={"id": f"{self.vacancy.id}#{i}"})
                for i, combo in enumerate(combos)
            ]
            vac, vac_rows = VacancyPool(ranker.vacancies.encoding, variants).arrays(), np.arange(len(variants))
        else:
            vac = ranker.vacancies.arrays()
        cand, rows = self._candidates(at)
        # the batch lane keeps only the pairs passing every check
        pairs = allowed_pairs(cand, vac, rows, vac_rows, self.ranker._today_day(), max_failed=0)
        scores = ranker.scorer.predict_fit(pairs.feature_matrix())
        strict = np.zeros((len(at), len(combos)), dtype=bool)
        strict[np.searchsorted(rows, pairs.cand_rows), np.searchsorted(vac_rows, pairs.vac_rows)] = (
            scores >= self.fit_threshold
        )
        return strict
