"""White-raven review: why a vacancy stays open, in counts an employer can check.

For one vacancy against a candidate pool: the strict pool, the candidates each must-check keeps
out, the extra candidates each relaxation or support lever brings in, the best combination of up
to three, ESCO-based inflation flags, and the white-raven index. Only counts and reasons leave
this module: never a candidate id or any personal data.

White-raven index (WRI): ``log10((reachable + 1) / (strict + 1))``, where *reachable* is the
number of candidates who pass the hard constraints (commute, hours, permit) and *strict* those
who also meet every must-requirement at the fit threshold. 0 means every reachable candidate
fits; 1 means about one in ten; 2 one in a hundred; a vacancy with a reachable pool and no
fitting candidate scores log10(reachable + 1). It measures how rare the full requirement set is
among the people who could take the job at all, so distance and hours do not inflate it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from ..features import HARD_CONSTRAINTS
from ..pool import EPOCH
from ..profiles import Requirement
from .counts import MAX_COMBINATION, OptionGain, Path, PathStep, PoolCounter, PoolCounts, tie_key
from .flags import Flag, inflation_flags
from .options import Option, vacancy_options
from .render import review_to_dict, review_to_text

if TYPE_CHECKING:  # a ranker is passed in; importing it here would tie ranking and review in a cycle
    from ..ranking import Ranker

COMFORTABLE_POOL_PER_POSITION = 10
"""A strict pool of this many candidates per open position needs no relaxation: no suggestions."""
MIN_SUGGESTED_GAIN = 3
"""A suggestion brings in at least this many candidates and at least doubles the strict pool."""
MAX_SUGGESTIONS = 5
TARGET_PER_POSITION = 3
MIN_TARGET = 5
"""A workable pool: 3 candidates per open position, at least 5 (the path's target)."""

__all__ = [
    "Path",
    "PathStep",
    "VacancyReview",
    "rank_by_white_raven",
    "review_vacancy",
    "target_pool",
    "white_raven_index",
]


def white_raven_index(reachable: int, strict: int) -> float:
    return round(math.log10((reachable + 1) / (strict + 1)), 3)


def target_pool(positions: int) -> int:
    return max(MIN_TARGET, TARGET_PER_POSITION * positions)


@dataclass
class CheckReview:
    """One must-check of the vacancy and the reachable candidates it keeps out."""

    position: int  # index in requirements; -1 for the coaching check
    kind: str
    failing: int  # reachable candidates failing this check (possibly among others)
    failing_only_this: int  # reachable candidates failing this check and nothing else
    options: list[OptionGain] = field(default_factory=list)


@dataclass(frozen=True)
class HardConstraintCount:
    """Candidates kept out by one hard constraint alone (they pass every other one)."""

    constraint: str  # available, mobility, commute, hours, work_permit
    candidates: int
    earliest: date | None = None  # for availability: the earliest date one of them can start


@dataclass
class VacancyReview:
    vacancy_id: str
    employer_id: str
    title: str
    requirements: list[Requirement]  # the employer's own requirements, to name the checks
    candidates_in_pool: int
    fit_threshold: float
    model_version: str
    counts: PoolCounts
    white_raven_index: float
    checks: list[CheckReview]
    levers: list[OptionGain]
    best_combination: OptionGain | None
    flags: list[Flag]
    suggestions: list[OptionGain]  # what to relax or offer first; empty when the pool is comfortable
    comfortable: bool  # the strict pool has COMFORTABLE_POOL_PER_POSITION per position
    expired_on: date | None = None  # set when the vacancy's valid-through date has passed
    positions: int = 1
    target: int = MIN_TARGET
    path: Path | None = None  # the cheapest path to the target, when the pool is below it
    hard_constraints: list[HardConstraintCount] = field(default_factory=list)
    zero_gain_reasons: dict[str, str] = field(default_factory=dict)  # option key → reason code
    hard_options: list[OptionGain] = field(default_factory=list)  # relaxed hours, no night shifts

    def to_dict(self, lang: str = "nl", taxonomy=None) -> dict:
        """Counts and reasons as JSON-ready data; no candidate ids or personal data."""
        return review_to_dict(self, lang, taxonomy)

    def to_text(self, lang: str = "nl", taxonomy=None) -> str:
        return review_to_text(self, lang, taxonomy)


def _hard_constraint_counts(ranker: Ranker, counter: PoolCounter) -> list[HardConstraintCount]:
    """For each hard constraint, the active candidates it alone keeps out of this vacancy.

    Only candidates near the vacancy can pass the commute, so only they can be kept out by another
    constraint alone; the others are counted for the commute (see :mod:`matcher.review.reach`).
    """
    reach = counter.reach
    cand = ranker.candidates.arrays()
    passing = reach.passing
    n_fail = (~passing).sum(axis=0)
    active = cand.active[reach.rows]
    counts = []
    for i, name in enumerate(HARD_CONSTRAINTS):
        if name == "expired":
            continue
        only = active & ~passing[i] & (n_fail == 1)
        earliest = None
        if name == "available" and only.any():
            earliest = date.fromordinal(EPOCH.toordinal() + int(cand.available_day[reach.rows[only]].min()))
        far = reach.far_commute_only if name == "commute" else 0
        counts.append(HardConstraintCount(name, int(only.sum()) + far, earliest))
    return counts


def _zero_gain_reason(counter: PoolCounter, gain: OptionGain) -> str:
    bound = int(counter.bounds(np.array([gain.options[0].bits], dtype=np.int64))[0])
    if bound == 0:
        return "candidates_fail_other_checks"  # everyone it keeps out fails another check too
    return "below_fit_threshold"  # those it would let in score below the fit threshold


def review_vacancy(
    ranker: Ranker,
    vacancy_id: str,
    fit_threshold: float | None = None,
    max_combination: int = MAX_COMBINATION,
) -> VacancyReview:
    """Review one vacancy against every candidate in the ranker's pool (threshold: the ranker's)."""
    fit_threshold = ranker.fit_threshold if fit_threshold is None else fit_threshold
    vacancy = ranker.vacancies.profile(vacancy_id)
    slots = ranker.vacancies.slots(vacancy_id)
    counter = PoolCounter(ranker, vacancy_id, fit_threshold)
    counts = counter.base_counts(len(slots))
    flags = inflation_flags(vacancy, ranker.candidates.encoding.taxonomy)
    today = ranker._today()
    expired_on = vacancy.valid_through if vacancy.valid_through is not None and vacancy.valid_through < today else None
    target = target_pool(vacancy.positions)
    extras = {f.position for f in flags if f.code in ("competence_optional", "competence_not_in_esco")}
    options: list[Option] = [] if expired_on else vacancy_options(vacancy, slots, extras)
    singles = counter.single_gains(options)
    best_combination = counter.best_combination(options, max_combination)
    helpful = [g for g in singles if g.gain > 0] + ([best_combination] if best_combination else [])
    best = min(helpful, key=lambda g: (-g.gain, tie_key(g.options)), default=None)

    checks = []
    only = {bit: int(((counter.failed == (1 << bit)) & counter.allowed).sum()) for bit in range(len(slots))}
    for slot in slots:
        kind = "coaching" if slot.is_coaching else vacancy.requirements[slot.position].kind.value
        slot_options = [g for g in singles if g.options[0].bits & (1 << slot.slot)]
        checks.append(
            CheckReview(
                position=slot.position,
                kind=kind,
                failing=counts.per_check.get(slot.slot, 0),
                failing_only_this=only[slot.slot],
                options=slot_options,
            )
        )  # mildest first, as generated
    levers = sorted([g for g in singles if g.options[0].kind == "lever"], key=lambda g: (-g.gain, tie_key(g.options)))
    suggestions: list[OptionGain] = []
    comfortable = counts.strict >= COMFORTABLE_POOL_PER_POSITION * vacancy.positions
    if not comfortable and not expired_on:
        worth = max(MIN_SUGGESTED_GAIN, counts.strict)
        by_gain = sorted(singles, key=lambda g: (-g.gain, tie_key(g.options)))
        suggestions = [g for g in by_gain if g.gain >= worth][:MAX_SUGGESTIONS]
        if (
            best is not None
            and len(best.options) > 1
            and best.gain >= worth
            and (not suggestions or best.gain > suggestions[0].gain)
        ):
            suggestions.insert(0, best)
    path = counter.cheapest_path(options, target) if counts.strict < target and not expired_on else None
    return VacancyReview(
        vacancy_id=vacancy.id,
        employer_id=vacancy.employer_id,
        title=vacancy.title,
        requirements=list(vacancy.requirements),
        candidates_in_pool=len(ranker.candidates),
        fit_threshold=fit_threshold,
        model_version=ranker.scorer.version,
        counts=counts,
        white_raven_index=white_raven_index(counts.reachable, counts.strict),
        checks=checks,
        levers=levers,
        best_combination=best,
        flags=flags,
        suggestions=suggestions,
        comfortable=comfortable,
        expired_on=expired_on,
        positions=vacancy.positions,
        target=target,
        path=path,
        hard_constraints=[] if expired_on else _hard_constraint_counts(ranker, counter),
        zero_gain_reasons={g.options[0].key: _zero_gain_reason(counter, g) for g in singles if g.gain <= 0},
        hard_options=[g for g in singles if g.options[0].group in ("hours", "shifts")],
    )


def rank_by_white_raven(
    ranker: Ranker, vacancy_ids: list[str], fit_threshold: float | None = None
) -> list[tuple[str, float, int, int]]:
    """(vacancy id, white-raven index, reachable, strict) for each open vacancy, rarest first.

    The same pools as :meth:`PoolCounter.base_counts`, counted over blocks of neighbouring
    vacancies. Expired vacancies are left out: nobody can fill them, so their index means nothing.
    """
    fit_threshold = ranker.fit_threshold if fit_threshold is None else fit_threshold
    today = ranker._today()
    open_ids = [
        v for v in vacancy_ids if (valid := ranker.vacancies.profile(v).valid_through) is None or valid >= today
    ]
    rows = []
    for vac_rows, block, scores in ranker.scored_blocks(ranker.vacancies.rows(open_ids)):
        reachable = block.allowed.sum(axis=0)
        strict = (block.strict & (scores >= np.float32(fit_threshold))).sum(axis=0)
        for vac_row, r, s in zip(vac_rows.tolist(), reachable.tolist(), strict.tolist(), strict=False):
            rows.append((ranker.vacancies.ids[vac_row], white_raven_index(r, s), r, s))
    return sorted(rows, key=lambda r: (-r[1], r[0]))
