"""Brute-force check of the white-raven review on demo pools, and the demo's path figures.

Run: ``.venv/bin/python benchmarks/review_bruteforce.py [--candidates 3000 --vacancies 80 --seeds 1 3]``

For every vacancy of each demo pool, every number the review reports is recomputed the slow way:
the vacancy is rewritten by the options, and the whole candidate pool is ranked for it afresh
(``Ranker.top_candidates``, strict count). Checked: the strict pool; every single option's pool;
the best combination's pool, and that no combination of up to three options (all of them,
enumerated) gains more; every step of the path to a workable pool, and that no set of at most
``MAX_PATH_STEPS`` options (enumerated when there are at most ``--path-options`` options) reaches
the target at a lower cost. Prints the number of differences (expected: 0) and, for the planted
white ravens, the share whose path reaches the target and the median number of steps.
"""

from __future__ import annotations

import argparse
import json
import statistics
from itertools import combinations

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.pool import VacancyPool
from matcher.ranking import Ranker
from matcher.review import review_vacancy
from matcher.review.counts import MAX_COMBINATION, MAX_PATH_STEPS
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.taxonomy import load_taxonomy


def rewritten(vacancy, options):
    for option in options:
        vacancy = option.apply(vacancy)
    return vacancy


class SlowPool:
    """The strict pool of a rewritten vacancy, by ranking every candidate for it (memoised by option keys)."""

    def __init__(self, ranker: Ranker) -> None:
        self.ranker = ranker
        self.memo: dict[tuple, int] = {}

    def strict(self, vacancy, options=()) -> int:
        key = (vacancy.id, tuple(sorted(o.key for o in options)))
        if key not in self.memo:
            variant = rewritten(vacancy, options)
            ranker = Ranker(
                self.ranker.candidates,
                VacancyPool(self.ranker.candidates.encoding, [variant]),
                scorer=self.ranker.scorer,
                today=self.ranker.today,
                fit_threshold=self.ranker.fit_threshold,
            )
            [ranked] = ranker.top_candidates([variant.id], k=1, stretch=False)
            self.memo[key] = ranked.strict_count
        return self.memo[key]


def check_vacancy(ranker: Ranker, slow: SlowPool, vacancy_id: str, path_options: int) -> tuple[list[str], object]:
    vacancy = ranker.vacancies.profile(vacancy_id)
    review = review_vacancy(ranker, vacancy_id)
    diffs = []
    base = slow.strict(vacancy)
    if review.counts.strict != base:
        diffs.append(f"{vacancy_id}: strict {review.counts.strict} != {base}")
    singles = [g for c in review.checks for g in c.options] + review.levers + review.hard_options
    options = list({g.options[0].key: g.options[0] for g in singles}.values())
    for gain in singles:
        if gain.pool != slow.strict(vacancy, gain.options):
            diffs.append(
                f"{vacancy_id}: {gain.options[0].key} pool {gain.pool} != {slow.strict(vacancy, gain.options)}"
            )
    best = review.best_combination
    best_gain = best.gain if best else 0
    if best is not None and best.pool != slow.strict(vacancy, best.options):
        diffs.append(f"{vacancy_id}: best combination pool {best.pool} != {slow.strict(vacancy, best.options)}")
    true_best = max(
        (
            slow.strict(vacancy, combo) - base
            for size in range(1, MAX_COMBINATION + 1)
            for combo in combinations(options, size)
            if len({o.group for o in combo}) == size
        ),
        default=0,
    )
    if max(true_best, 0) != max(best_gain, 0) and not (best and best.lower_bound):
        diffs.append(f"{vacancy_id}: best gain {best_gain} != brute force {true_best}")
    path = review.path
    if path is not None:
        applied: tuple = ()
        for step in path.steps:
            before = slow.strict(vacancy, applied)
            applied = (*applied, step.option)
            after = slow.strict(vacancy, applied)
            if (step.pool_before, step.pool_after) != (before, after):
                diffs.append(
                    f"{vacancy_id}: step {step.option.key} {step.pool_before}->{step.pool_after} != {before}->{after}"
                )
        if len(options) <= path_options:
            reaching = [
                sum(o.cost for o in combo)
                for size in range(1, MAX_PATH_STEPS + 1)
                for combo in combinations(options, size)
                if len({o.group for o in combo}) == size and slow.strict(vacancy, combo) >= path.target
            ]
            cheapest = min(reaching, default=None)
            if path.reached and cheapest is not None and cheapest < path.cost:
                diffs.append(f"{vacancy_id}: path cost {path.cost} > brute force {cheapest}")
            if path.reached != (cheapest is not None):
                diffs.append(f"{vacancy_id}: path reached {path.reached}, brute force {cheapest}")
    return diffs, review


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=3000)
    parser.add_argument("--vacancies", type=int, default=80)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--path-options", type=int, default=12, help="brute-force the path up to this many options")
    args = parser.parse_args()

    settings = Settings()
    tax = load_taxonomy()
    scorer = load_scorer(settings)
    report: dict = {"fit_threshold": settings.fit_threshold, "seeds": {}}
    all_diffs: list[str] = []
    for seed in args.seeds:
        pool = generate_pool(args.candidates, args.vacancies, seed=seed, taxonomy=tax)
        ranker = Ranker.from_profiles(
            tax,
            pool.candidates,
            pool.vacancies,
            scorer=scorer,
            today=REFERENCE_DATE,
            fit_threshold=settings.fit_threshold,
        )
        slow = SlowPool(ranker)
        below, reached, steps, ravens_below, ravens_reached, raven_steps, expired = 0, 0, [], 0, 0, [], 0
        for vacancy in pool.vacancies:
            diffs, review = check_vacancy(ranker, slow, vacancy.id, args.path_options)
            all_diffs += [f"seed {seed}: {d}" for d in diffs]
            expired += review.expired_on is not None
            if review.path is None:
                continue
            below += 1
            reached += review.path.reached
            if review.path.reached:
                steps.append(len(review.path.steps))
            if vacancy.id in pool.planted_white_ravens:
                ravens_below += 1
                ravens_reached += review.path.reached
                if review.path.reached:
                    raven_steps.append(len(review.path.steps))
        report["seeds"][seed] = {
            "vacancies": len(pool.vacancies),
            "expired": expired,
            "below_target": below,
            "reach_target": reached,
            "median_steps": statistics.median(steps) if steps else None,
            "white_ravens": len(pool.planted_white_ravens),
            "white_ravens_below_target": ravens_below,
            "white_ravens_reaching_target": ravens_reached,
            "white_ravens_median_steps": statistics.median(raven_steps) if raven_steps else None,
            "rankings_recomputed": len(slow.memo),
        }
    report["differences"] = len(all_diffs)
    print(json.dumps(report, indent=2))
    for diff in all_diffs[:50]:
        print(diff)


if __name__ == "__main__":
    main()
