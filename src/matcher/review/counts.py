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

import heapq
from dataclasses import dataclass, field, replace
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
KERNEL_CALL_PAIRS = 8192
KERNEL_ROW_PAIRS = 2
"""What a kernel call costs beyond its pairs, in pairs: once per call and once per row (see :func:`_call_cost`)."""


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


def _keys(options: tuple[Option, ...]) -> tuple[str, ...]:
    return tuple(sorted(o.key for o in options))


def _lowering(combo: tuple[Option, ...]) -> tuple[Option, ...]:
    """The options of ``combo`` that may lower a score."""
    return tuple(o for o in combo if o.may_lower)


def _kernel_calls(eligible: list[np.ndarray]) -> list[tuple[np.ndarray, list[int]]]:
    """Which rows to score against which combinations (indexes into ``eligible``), one kernel call each.

    Combinations re-scoring the same rows share a call; a call is merged into its neighbour in
    size when scoring the union against both costs less than a call of its own.
    """
    distinct: dict[bytes, list[int]] = {}
    for i, column in enumerate(eligible):
        distinct.setdefault(np.packbits(column).tobytes(), []).append(i)
    groups = sorted(
        ((eligible[m[0]], int(np.count_nonzero(eligible[m[0]])), m) for m in distinct.values()), key=lambda g: g[1]
    )
    calls: list[tuple[np.ndarray, int, list[int]]] = []
    for mask, count, members in groups:
        if not count:
            continue
        if calls:
            last_mask, last_count, last = calls[-1]
            union = last_mask | mask
            merged = int(np.count_nonzero(union))
            apart = _call_cost(last_count, len(last)) + _call_cost(count, len(members))
            if _call_cost(merged, len(last) + len(members)) <= apart:
                calls[-1] = (union, merged, last + members)
                continue
        calls.append((mask, count, members))
    return [(np.flatnonzero(mask), members) for mask, _, members in calls]


def _call_cost(rows: int, combos: int) -> int:
    """A kernel call's cost in pairs scored: a share per row whatever the combinations, and a fixed part."""
    return rows * (KERNEL_ROW_PAIRS + combos) + KERNEL_CALL_PAIRS


@dataclass(frozen=True, eq=False)
class Ceiling:
    """Everyone a family of combinations can have in the pool: the strict pool of its strongest member.

    The family: the options ``lowering`` (keys of options that may lower a score, possibly none)
    with any options that cannot, of the groups of ``strongest``, each at most as strong as the
    one kept there. Those options only ever clear checks and raise scores, whatever else is
    applied, and the strongest option of a group (the lowest level, the job coach) dominates the
    milder ones. So whoever is strict under a member is strict under ``lowering`` with every
    option of ``strongest``: one exact evaluation of that combination (``joins``, per row of the
    counter) bounds every member's pool, and only the candidates in it need re-scoring for them.
    """

    lowering: tuple[str, ...]
    lowering_groups: frozenset[str]
    strongest: dict[str, Option]
    joins: np.ndarray = field(repr=False)

    def dominates(self, option: Option) -> bool:
        """Whether ``option`` (one that cannot lower a score) is at most as strong as the one kept in its group."""
        strongest = self.strongest.get(option.group)
        return strongest is not None and option.severity <= strongest.severity

    def covers(self, combo: tuple[Option, ...]) -> bool:
        return _keys(_lowering(combo)) == self.lowering and all(o.may_lower or self.dominates(o) for o in combo)

    def covers_family(self, options: list[Option]) -> bool:
        """Whether it covers every combination of ``options`` with its score-lowering set."""
        return all(self.dominates(o) for o in options if not o.may_lower and o.group not in self.lowering_groups)


@dataclass(frozen=True)
class Combinations:
    """Combinations of options changing different things, with the failed checks they can clear."""

    combos: list[tuple[Option, ...]]
    bits: np.ndarray  # int64: the checks each can clear
    lowering: np.ndarray  # int64: a bit per option that may lower a score, set for those in the combination


def _enumerate(options: list[Option], sizes: range) -> Combinations:
    """Every combination of ``sizes`` options of different groups, in :func:`itertools.combinations` order."""
    groups = {g: i for i, g in enumerate(dict.fromkeys(o.group for o in options))}
    group = np.array([groups[o.group] for o in options], dtype=np.int64)
    bits = np.array([o.bits for o in options], dtype=np.int64)
    ranks = np.cumsum([o.may_lower for o in options]) - 1
    lowering = np.array(
        [1 << int(r) if o.may_lower else 0 for o, r in zip(options, ranks, strict=True)], dtype=np.int64
    )
    combos, combo_bits, combo_lowering = [], [], []
    for size in sizes:
        at = np.array(list(combinations(range(len(options)), size)), dtype=np.int64).reshape(-1, size)
        distinct = np.ones(len(at), dtype=bool)
        for a, b in combinations(range(size), 2):
            distinct &= group[at[:, a]] != group[at[:, b]]
        at = at[distinct]
        combos += [tuple(options[i] for i in row) for row in at.tolist()]
        combo_bits.append(np.bitwise_or.reduce(bits[at], axis=1) if size else np.zeros(len(at), dtype=np.int64))
        combo_lowering.append(np.bitwise_or.reduce(lowering[at], axis=1) if size else np.zeros(len(at), np.int64))
    empty = np.zeros(0, dtype=np.int64)
    return Combinations(combos, np.concatenate([empty, *combo_bits]), np.concatenate([empty, *combo_lowering]))


def _family(options: list[Option], lowering: tuple[Option, ...]) -> tuple[tuple, tuple[Option, ...], dict] | None:
    """The key, strongest member and strongest options of the :class:`Ceiling` family of ``lowering``."""
    groups = {o.group for o in lowering}
    strongest = _strongest([o for o in options if not o.may_lower and o.group not in groups])
    if not strongest:
        return None
    return (_keys(lowering), _keys(tuple(strongest.values()))), (*lowering, *strongest.values()), strongest


class Bounds:
    """Admissible bounds on the gains of ``combos``: the candidates who could join, tightened by ceilings.

    Under a :class:`Ceiling` only those it has in the pool can be in it: for a combination that
    cannot lower a score, those of them who could join; with options that may lower one, also less
    the strict candidates the ceiling leaves out, who are lost. Bounds only ever decrease.
    """

    def __init__(
        self, counter: PoolCounter, options: list[Option], combos: Combinations, lowering: bool = True
    ) -> None:
        self.counter, self.options, self.combos, self.bits = counter, options, combos.combos, combos.bits
        self.plain = counter.bounds(self.bits)  # who could join: those a combination re-scores without a ceiling
        self.values = self.plain.copy()
        masks, first, inverse = np.unique(combos.lowering, return_index=True, return_inverse=True)
        self._key_of = {int(m): _keys(_lowering(self.combos[i])) for m, i in zip(masks, first, strict=True)}
        self._masks = combos.lowering
        self._family = {self._key_of[int(m)]: np.flatnonzero(inverse == k) for k, m in enumerate(masks)}
        self._applied: set[tuple] = set()
        self.tighten(lowering)

    def lowering(self, i: int) -> tuple[str, ...]:
        """The keys of the options of combination ``i`` that may lower a score."""
        return self._key_of[int(self._masks[i])]

    def tighten(self, lowering: bool = True) -> None:
        """Apply the counter's ceilings not applied yet (those of score-lowering sets only with ``lowering``)."""
        counter = self.counter
        for key, ceiling in counter.__dict__.get("_ceilings", {}).items():
            if key in self._applied or (ceiling.lowering and not lowering):
                continue
            self._applied.add(key)
            at = self._family.get(ceiling.lowering, np.zeros(0, dtype=np.int64))
            if not ceiling.covers_family(self.options):
                at = at[[ceiling.covers(self.combos[i]) for i in at]]
            if not len(at):
                continue
            tight = counter.bounds(self.bits[at], within=ceiling.joins)
            if ceiling.lowering:
                tight -= int(np.count_nonzero(counter.strict & ~ceiling.joins))
            self.values[at] = np.minimum(self.values[at], tight)

    def pop(self, heap: list, batch: int) -> list[int]:
        """Up to ``batch`` combinations of the largest bounds (ties: :func:`tie_key`), largest first.

        ``heap`` holds (-bound, tie key, index); an entry whose bound has decreased since goes back
        with its bound, or out when it is no longer positive.
        """
        chunk: list[int] = []
        while heap and len(chunk) < batch:
            negative, key, i = heapq.heappop(heap)
            if -negative == self.values[i]:
                chunk.append(i)
            elif self.values[i] > 0:
                heapq.heappush(heap, (-int(self.values[i]), key, i))
        return chunk

    def push(self, heap: list, chunk: list[int]) -> None:
        """Put ``chunk`` back, with its bounds as they are now."""
        for i in chunk:
            if self.values[i] > 0:
                heapq.heappush(heap, (-int(self.values[i]), tie_key(self.combos[i]), i))


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
        # with no option that may lower a score nobody strict is re-scored (nor lost): they stay in
        kept = np.array([0 if _lowering(c) else base for c in combos], dtype=np.int64)
        pools = kept + np.count_nonzero(self._strict_where(combos, [self._eligible(c) for c in combos]), axis=1)
        return [OptionGain(c, int(pool), int(pool) - base) for c, pool in zip(combos, pools, strict=True)]

    def _strict_where(self, combos: list[tuple[Option, ...]], eligible: list[np.ndarray]) -> np.ndarray:
        """(len(combos), len(joinable)): who is strict under each combination, among its ``eligible`` rows.

        The kernel scores every row of a call against every combination in it, so combinations
        re-scoring different rows get calls of their own (see :func:`_kernel_calls`).
        """
        strict = np.zeros((len(combos), len(self.joinable)), dtype=bool)
        for rows, members in _kernel_calls(eligible):
            scored = self._strict_matrix([combos[i] for i in members], rows)
            for column, i in enumerate(members):
                strict[i, rows] = scored[:, column] & eligible[i][rows]
        return strict

    def _eligible(self, combo: tuple[Option, ...]) -> np.ndarray:
        """The candidates whose place in the pool ``combo`` may change, to be re-scored.

        Those outside the pool whose failed checks it covers; with an option that may lower a
        score, the strict pool too; of those, only whom a :class:`Ceiling` covering it has in the pool.
        """
        eligible = self._could_join(_bits(combo))
        if _lowering(combo):
            eligible |= self.strict
        ceiling = self._covering_ceiling(combo)
        return eligible if ceiling is None else eligible & ceiling.joins

    def _covering_ceiling(self, combo: tuple[Option, ...]) -> Ceiling | None:
        ceilings: dict[tuple, Ceiling] = self.__dict__.get("_ceilings", {})
        return next((c for c in ceilings.values() if c.covers(combo)), None)

    def ceiling(self, options: list[Option], lowering: tuple[Option, ...] = ()) -> Ceiling | None:
        """The :class:`Ceiling` of ``lowering`` (options that may lower a score) with the rest of ``options``."""
        return self.ceilings(options, [lowering])[0]

    def ceilings(self, options: list[Option], lowerings: list[tuple[Option, ...]]) -> list[Ceiling | None]:
        """The :class:`Ceiling` of each set of score-lowering options, evaluated together, once per counter.

        None when no option of ``options`` that cannot lower a score is left to combine with the set.
        """
        store: dict[tuple, Ceiling] = self.__dict__.setdefault("_ceilings", {})
        families = [_family(options, lowering) for lowering in lowerings]
        todo = {f[0]: f for f in families if f is not None and f[0] not in store}
        if todo:
            combos = [combo for _, combo, _ in todo.values()]
            eligible = [self._could_join(_bits(c)) | (self.strict if _lowering(c) else False) for c in combos]
            joins = self._strict_where(combos, eligible)
            for column, (key, combo, strongest) in enumerate(todo.values()):
                lowering = _lowering(combo)
                store[key] = Ceiling(_keys(lowering), frozenset(o.group for o in lowering), strongest, joins[column])
        return [None if f is None else store[f[0]] for f in families]

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

        ``within`` restricts the count to those candidates (see :class:`Bounds`).
        """
        if within is None:
            masks, counts = self._mask_counts()
        else:
            masks, counts = np.unique(self.failed[self.joinable & ~self.strict & within], return_counts=True)
        if len(masks) == 0 or len(bits) == 0:
            return np.zeros(len(bits), dtype=np.int64)
        covered = (masks[None, :] & ~bits[:, None]) == 0
        return covered.astype(np.int64) @ counts

    def _refine(self, options: list[Option], bounds: Bounds, chunk: list[int]) -> bool:
        """Evaluate the ceilings of the score-lowering sets in ``chunk`` that re-score fewer than they spare.

        Without its ceiling, each combination of ``chunk`` with a set re-scores everyone it could
        bring in and the strict pool; the ceiling re-scores those of its strongest member once,
        and then they only whom it has in the pool (its bounds may also prune the rest of the
        family). True when a ceiling was evaluated: ``bounds`` are then tightened.
        """
        tried: set[tuple[str, ...]] = self.__dict__.setdefault("_refined", set())
        base = int(np.count_nonzero(self.strict))
        spared: dict[tuple[str, ...], int] = {}
        sets: dict[tuple[str, ...], tuple[Option, ...]] = {}
        for i in chunk:
            if (key := bounds.lowering(i)) and key not in tried:
                spared[key] = spared.get(key, 0) + int(bounds.plain[i]) + base
                sets[key] = _lowering(bounds.combos[i])
        wanted = []
        for key, lowering in sets.items():
            family = _family(options, lowering)
            if family is None:
                tried.add(key)
            elif int(self.bounds(np.array([_bits(family[1])], dtype=np.int64))[0]) + base < spared[key]:
                tried.add(key)
                wanted.append(lowering)
        if not wanted:
            return False
        self.ceilings(options, wanted)
        bounds.tighten()
        return True

    def best_combination(
        self, options: list[Option], max_combination: int = MAX_COMBINATION, batch: int = 16
    ) -> OptionGain | None:
        """The combination of 2..max_combination options with the largest gain, exactly, over all options.

        Combinations are evaluated in order of their bound and the search stops once no bound can
        beat (or tie, for the tie-break) the best gain found. Before a batch is evaluated, the
        ceilings of its score-lowering sets may tighten the bounds (:meth:`_refine`); the batch is
        then drawn again. Ties go to fewer options, then the mildest, then key order.
        """
        enumerated = _enumerate(options, range(2, max_combination + 1))
        combos = enumerated.combos
        self.ceiling(options)
        bounds = Bounds(self, options, enumerated)
        heap = [(-int(b), tie_key(combos[i]), i) for i, b in enumerate(bounds.values) if b > 0]
        heapq.heapify(heap)
        best: OptionGain | None = None
        evaluated = 0
        while chunk := bounds.pop(heap, batch):
            if best is not None and bounds.values[chunk[0]] < best.gain:
                return best
            if self._refine(options, bounds, chunk):
                bounds.push(heap, chunk)
                continue
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
        Which sets are enumerated does not depend on the searches before (the ceilings of
        score-lowering sets are left out of the first bounds); those ceilings then skip only sets
        that could neither reach the target nor beat the best pool found.
        """
        base = int(np.count_nonzero(self.strict))
        enumerated = _enumerate(options, range(1, max_steps + 1))
        combos = enumerated.combos
        self.ceiling(options)
        bounds = Bounds(
            self, options, enumerated, lowering=False
        )  # the sets evaluated do not depend on the search before
        costs = [sum(o.cost for o in c) for c in combos]
        feasible = [i for i in range(len(combos)) if base + bounds.values[i] >= target]
        feasible.sort(key=lambda i: (costs[i], tie_key(combos[i])))
        best, found, evaluated, capped = None, None, 0, False
        for start in range(0, len(feasible), batch):
            if evaluated >= MAX_EVALUATED:
                capped = True
                break
            chunk = feasible[start : start + batch]
            self._refine(options, bounds, chunk)
            evaluated += len(chunk)
            if best is not None:  # a set whose bound reaches neither the target nor past the best pool changes nothing
                chunk = [i for i in chunk if base + bounds.values[i] >= min(target, best.pool + 1)]
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
