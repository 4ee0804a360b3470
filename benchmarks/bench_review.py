"""White-raven review benchmark: the full review of one vacancy against 100k candidates.

Run: ``.venv/bin/python benchmarks/bench_review.py [--candidates 100000 --vacancies 200]``

Reports the median and p99 time of ``review_vacancy`` (pool counts, every relaxation and lever,
the best combination of up to three, ESCO flags) over all vacancies of a demo pool, with the
shipped scorer, and as a baseline in the same process the time of ranking the same vacancy once
(``top_candidates``): the review costs a small multiple of one ranking, not one per relaxation.
Also reports, for the planted white ravens and the other vacancies below their target pool, how
many the cheapest path reaches the target for and the median number of steps.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.ranking import Ranker
from matcher.review import review_vacancy
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.taxonomy import load_taxonomy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    settings = Settings()
    tax = load_taxonomy()
    pool = generate_pool(args.candidates, args.vacancies, seed=args.seed, taxonomy=tax)
    ranker = Ranker.from_profiles(
        tax, pool.candidates, pool.vacancies, scorer=load_scorer(settings), today=REFERENCE_DATE
    )
    ranker.top_candidates([pool.vacancies[0].id], k=10)  # pack the pools once

    review_ms, rank_ms, options = [], [], []
    paths: dict[bool, list] = {True: [], False: []}  # planted white raven? -> paths of vacancies below target
    for vacancy in pool.vacancies:
        t = time.perf_counter()
        ranker.top_candidates([vacancy.id], k=10)
        rank_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        review = review_vacancy(ranker, vacancy.id, settings.fit_threshold)
        review_ms.append((time.perf_counter() - t) * 1000)
        options.append(sum(len(c.options) for c in review.checks))
        if review.path is not None:
            paths[vacancy.id in pool.planted_white_ravens].append(review.path)
    review_a, rank_a = np.array(review_ms), np.array(rank_ms)
    figures = {
        "candidates": len(pool.candidates),
        "vacancies": len(pool.vacancies),
        "review_ms_median": round(float(np.median(review_a)), 1),
        "review_ms_p99": round(float(np.percentile(review_a, 99)), 1),
        "rank_top10_ms_median": round(float(np.median(rank_a)), 1),
        "review_over_rank_median": round(float(np.median(review_a / rank_a)), 1),
        "options_per_vacancy_median": int(np.median(options)),
    }
    for raven, name in ((True, "white_ravens"), (False, "other_vacancies")):
        reached = [p for p in paths[raven] if p.reached]
        figures[f"{name}_below_target"] = len(paths[raven])
        figures[f"{name}_reaching_target"] = len(reached)
        figures[f"{name}_median_steps"] = float(np.median([len(p.steps) for p in reached])) if reached else None
    print(json.dumps(figures, indent=2))
    print(f"target: full review <= 200 ms: {'met' if figures['review_ms_median'] <= 200 else 'MISSED'} (median)")


if __name__ == "__main__":
    main()
