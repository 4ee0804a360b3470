"""White-raven review benchmark: the full review of one vacancy against 100k candidates.

Run: ``.venv/bin/python benchmarks/bench_review.py [--candidates 100000 --vacancies 200]``

Reports the median and p99 time of ``review_vacancy`` (pool counts, every relaxation and lever,
the best combination of up to three, ESCO flags) over all vacancies of a demo pool, with the
shipped scorer, and as a baseline in the same process the time of ranking the same vacancy once
(``top_candidates``): the review costs a small multiple of one ranking, not one per relaxation.
Also reports, for the planted white ravens and the other vacancies below their target pool, how
many the cheapest path reaches the target for and the median number of steps.

At scale: ``flock /work/wt/big.lock .venv/bin/python benchmarks/bench_review.py --cache /work/cache
--size 1000000 20000 [--sample 30 --before 8f1c7d7]`` reviews a random sample of the cached
benchmark pools of ``bench_scale.py`` (built as it builds them), and times in the same process the
review as it was at git ref ``--before`` (its ``matcher.review`` package, loaded beside this one),
alternating the two per vacancy. It reports both medians and p99s, their ratios, and the
vacancies whose two reviews differ in any reported number (expected: none). Target: at most
100 ms median at 1M candidates × 20k vacancies.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import fields
from pathlib import Path
from types import ModuleType

import numpy as np
import scipy.sparse as sp

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.pool.derived import rows_of
from matcher.ranking import Ranker
from matcher.review import review_vacancy
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.taxonomy import load_taxonomy

REPO = Path(__file__).resolve().parent.parent


def review_at(ref: str) -> ModuleType:
    """The ``matcher.review`` package as of git ``ref``, imported as ``matcher._review_before`` (same process)."""
    folder = Path(tempfile.mkdtemp(prefix="review-before-"))
    git = ["git", "-C", str(REPO)]
    names = subprocess.run(
        [*git, "ls-tree", "--name-only", ref, "src/matcher/review/"], capture_output=True, text=True, check=True
    ).stdout.split()
    for name in names:
        text = subprocess.run([*git, "show", f"{ref}:{name}"], capture_output=True, text=True, check=True).stdout
        (folder / Path(name).name).write_text(text)
    spec = importlib.util.spec_from_file_location(
        "matcher._review_before", folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def warm_row_forms(candidates) -> None:
    """Derive every CSR form a review may take rows from, as a running service has: not timed in either lane."""
    arrays = candidates.arrays()
    for name in (f.name for f in fields(arrays)):
        if sp.issparse(matrix := getattr(arrays, name)):
            rows_of(matrix)


def percentiles(ms: list[float]) -> dict[str, float]:
    return {"median": round(float(np.median(ms)), 1), "p99": round(float(np.percentile(ms, 99)), 1)}


def at_scale(args: argparse.Namespace) -> None:
    """Review a sample of a cached benchmark pool now and as of ``args.before``, alternating, in one process."""
    from bench_scale import cached_pools  # beside this script, so on the path when it runs

    settings = Settings()
    before = review_at(args.before)
    n_candidates, n_vacancies = args.size
    candidates, vacancies, _ = cached_pools(args.cache, n_candidates, n_vacancies, args.seed)
    ranker = Ranker(candidates, vacancies, scorer=load_scorer(settings), today=REFERENCE_DATE)
    rng = np.random.default_rng(args.seed)
    sample = [vacancies.ids[i] for i in rng.choice(len(vacancies.ids), args.sample, replace=False)]
    for review in (before.review_vacancy, review_vacancy):  # pack the pools, build the map grid and tables
        review(ranker, sample[0], settings.fit_threshold)
    warm_row_forms(candidates)
    times: dict[str, list[float]] = {"before": [], "after": []}
    differ, remote = [], 0
    for i, vacancy_id in enumerate(sample):
        lanes = [("before", before.review_vacancy), ("after", review_vacancy)]
        results = {}
        for lane, review in lanes if i % 2 else lanes[::-1]:
            start = time.perf_counter()
            results[lane] = review(ranker, vacancy_id, settings.fit_threshold).to_dict("en")
            times[lane].append((time.perf_counter() - start) * 1000)
        differ += [vacancy_id] if results["before"] != results["after"] else []
        remote += bool(vacancies.arrays().remote[vacancies.rows([vacancy_id])[0]])
    ratios = np.array(times["after"]) / np.array(times["before"])
    figures = {
        "candidates": len(candidates),
        "vacancies": len(vacancies),
        "sample": len(sample),
        "remote_in_sample": remote,
        "before_ref": args.before,
        "before_ms": percentiles(times["before"]),
        "after_ms": percentiles(times["after"]),
        "after_over_before_median": round(float(np.median(times["after"]) / np.median(times["before"])), 3),
        "after_over_before_per_vacancy_median": round(float(np.median(ratios)), 3),
        "reviews_differing": differ,
    }
    print(json.dumps(figures, indent=2))
    met = figures["after_ms"]["median"] <= 100  # type: ignore[index]
    print(f"target: review <= 100 ms median at this scale: {'met' if met else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", help="review a cached bench_scale pool from this folder (see --size)")
    parser.add_argument("--size", type=int, nargs=2, default=(1_000_000, 20_000), metavar=("CANDIDATES", "VACANCIES"))
    parser.add_argument("--sample", type=int, default=30, help="vacancies reviewed at scale")
    parser.add_argument("--before", default="8f1c7d7", help="git ref of the review timed as the baseline at scale")
    args = parser.parse_args()
    if args.cache:
        at_scale(args)
        return

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
