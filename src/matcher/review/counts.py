"""Exact pool sizes for a vacancy and for every relaxation and combination of relaxations.

The failed checks of every candidate are computed once, as a bitmask, by the ranking kernel.
A relaxation can only clear the bits it names, so only candidates whose failed bits all lie in a
relaxation's bits can join the pool; those few are re-scored against the rewritten vacancy by
the same kernel and scorer. Counts are therefore exactly those a full re-ranking would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..features import compute_block
from ..pool import VacancyPool, day_number
from ..profiles import Vacancy
from ..ranking import Ranker
from .options import Option

MAX_COMBINATION = 3


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
        block, scores = ranker.score_block(slice(None), ranker.vacancies.rows([vacancy_id]), prefilter=True)
        self.cand_rows = block.cand_rows  # only candidates that pass the hard constraints
        self.allowed = block.allowed[:, 0]
        self.failed = block.failed[:, 0]
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
        return self.allowed & ((self.failed & ~np.int64(bits)) == 0) & ~self.strict

    def _evaluate(self, combos: list[tuple[Option, ...]]) -> list[OptionGain]:
        base = int(np.count_nonzero(self.strict))
        if not combos:
            return []
        eligible = np.zeros(len(self.allowed), dtype=bool)
        for combo in combos:
            eligible |= self._could_join(_bits(combo))
        rows = np.flatnonzero(eligible)
        pools = self._strict_pools(combos, self.cand_rows[rows])
        return [OptionGain(c, base + int(extra), int(extra)) for c, extra in zip(combos, pools, strict=False)]

    def single_gains(self, options: list[Option]) -> list[OptionGain]:
        """The gain of each option on its own."""
        return self._evaluate([(o,) for o in options])

    def best_combination(
        self, options: list[Option], max_combination: int = MAX_COMBINATION, batch: int = 16
    ) -> OptionGain | None:
        """The combination of 2..max_combination options with the largest gain, found exactly.

        Each combination's gain is bounded by the candidates whose failed checks it covers;
        combinations are evaluated in order of that bound and the search stops once no bound can
        beat the best gain found. Ties go to fewer options, then to the option keys' order.
        """
        combos = [c for size in range(2, max_combination + 1) for c in combinations(options, size) if _combined(c)]
        bounds = [int(np.count_nonzero(self._could_join(_bits(c)))) for c in combos]
        order = sorted(range(len(combos)), key=lambda i: (-bounds[i], tie_key(combos[i])))
        best: OptionGain | None = None
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            if best is not None and bounds[chunk[0]] < best.gain:
                break
            for gain in self._evaluate([combos[i] for i in chunk]):
                if gain.gain > 0 and (
                    best is None or (-gain.gain, tie_key(gain.options)) < (-best.gain, tie_key(best.options))
                ):
                    best = gain
        return best

    def _strict_pools(self, combos: list[tuple[Option, ...]], rows: np.ndarray) -> np.ndarray:
        """How many of ``rows`` (none strict yet) are strict under each combination, by the real kernel."""
        if len(rows) == 0:
            return np.zeros(len(combos), dtype=np.int64)
        ranker = self.ranker
        variants = [
            _apply(self.vacancy, combo).model_copy(update={"id": f"{self.vacancy.id}#{i}"})
            for i, combo in enumerate(combos)
        ]
        pool = VacancyPool(ranker.vacancies.encoding, variants)
        block = compute_block(
            ranker.candidates.arrays(), pool.arrays(), rows, np.arange(len(variants)), day_number(ranker._today())
        )
        n, m = block.allowed.shape
        scores = ranker.scorer.predict_fit(block.feature_matrix()).reshape(n, m)
        strict = block.allowed & (block.failed == 0) & (scores >= self.fit_threshold)
        return strict.sum(axis=0)
