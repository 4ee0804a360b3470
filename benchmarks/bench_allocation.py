"""Allocation benchmark: relevance-only against congestion-aware lists, side by side, and the time it adds.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_allocation.py [--candidates 100000 --vacancies 2000]``
(``--demo`` for the 10k × 200 demo pool of ``matcher demo``; ``PYTHONPATH=.`` lets the simulated outcome
model in ``training/`` be imported until it moves into ``matcher.training``).

In one process: score every pair with :class:`matcher.ranking.Ranker` (the baseline time), then the
allocation step (top-N strict pairs per vacancy, the min-cost flow, the figures of both rankings)
and the disparate-impact audit of both rankings' top-10. Reports the targets of issue 17:
coverage ≥ 95 % of eligible vacancies, exposure Gini ≥ 30 % lower, nDCG@10 loss ≤ 5 %, and the
allocation at most 2× the scoring time.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from matcher.allocation import allocate_run
from matcher.audit import run_audit
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.demo.audit_attributes import audit_attributes
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.ranking import Ranker
from matcher.taxonomy import load_taxonomy


def scoring_seconds(ranker: Ranker) -> float:
    """Seconds to score every candidate × vacancy pair (features, checks, scorer): the baseline."""
    start = time.perf_counter()
    for _ in ranker.scored_blocks(np.arange(len(ranker.vacancies.ids))):
        pass
    return time.perf_counter() - start


def flagged(report) -> list[str]:
    return [f"{f['grouping']}:{f['group']}" for f in report.to_dict()["flagged"]]


def lowest_impact(report) -> dict[str, str]:
    """Per grouping, the group with the lowest disparate-impact ratio and that ratio."""
    out = {}
    for name, grouping in report.to_dict()["groupings"].items():
        read = [g for g in grouping["groups"] if g["disparate_impact"]]
        worst = min(read, key=lambda g: g["disparate_impact"]["estimate"]) if read else None
        out[name] = f"{worst['group']} {worst['disparate_impact']['estimate']:.2f}" if worst else "-"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--demo", action="store_true", help="the demo pool: 10000 x 200, seed 7")
    parser.add_argument("--top-n", type=int, default=50)
    parser.add_argument("--attention", type=int, default=3)
    parser.add_argument("--spread", type=float, default=0.02)
    args = parser.parse_args()
    if args.demo:
        args.candidates, args.vacancies, args.seed = 10_000, 200, 7

    tax = load_taxonomy()
    pool = generate_pool(args.candidates, args.vacancies, seed=args.seed, taxonomy=tax)
    encoding = Encoding(tax)
    ranker = Ranker(
        CandidatePool(encoding, pool.candidates), VacancyPool(encoding, pool.vacancies), today=REFERENCE_DATE
    )
    ranker.candidates.arrays(), ranker.vacancies.arrays()
    scoring_seconds(ranker)  # warm caches once
    score_s = scoring_seconds(ranker)

    t = time.perf_counter()
    run = allocate_run(ranker, top_n=args.top_n, attention=args.attention, spread=args.spread)
    step_s = time.perf_counter() - t
    solve_s = run.seconds["allocate"]
    after_scoring_s = step_s - run.seconds["score_and_select"]  # flow, baseline and both rankings' figures

    t = time.perf_counter()
    attrs = audit_attributes(pool.personal)
    audits = {
        which: run_audit(
            {v: items[:10] for v, items in run.suggestions(which).items()},
            pool.candidates,
            attrs,
            k=10,
            n_bootstrap=100,
        )
        for which in ("relevance_only", "allocated")
    }
    audit_s = time.perf_counter() - t

    report = {
        "candidates": args.candidates,
        "vacancies": args.vacancies,
        "seed": args.seed,
        "scoring_all_pairs_s": round(score_s, 2),
        "allocation_step_s": round(step_s, 2),
        "of_which_score_and_select_s": round(run.seconds["score_and_select"], 2),
        "of_which_after_scoring_s": round(after_scoring_s, 3),
        "of_which_min_cost_flow_s": round(solve_s, 3),
        "allocation_after_scoring_vs_scoring": round(after_scoring_s / score_s, 3),
        "allocation_step_vs_scoring": round(step_s / score_s, 3),
        "audit_both_rankings_s": round(audit_s, 2),
        "metrics": run.metrics,
        "audit_flags": {which: flagged(rep) for which, rep in audits.items()},
        "lowest_disparate_impact": {which: lowest_impact(rep) for which, rep in audits.items()},
    }
    print(json.dumps(report, indent=1, default=float))
    print()
    print(run.summary())
    print(
        f"allocation step {step_s:.2f} s vs scoring {score_s:.2f} s = {step_s / score_s:.2f}x "
        f"({'met' if step_s <= 2 * score_s else 'MISSED'} <= 2x); min-cost flow alone {solve_s:.3f} s"
    )
    lowest = report["lowest_disparate_impact"]
    print(f"\n{'lowest DI ratio (top-10)':28}  {'relevance-only':>24}  {'allocated':>24}")
    for name in lowest["allocated"]:
        print(f"{name:28}  {lowest['relevance_only'][name]:>24}  {lowest['allocated'][name]:>24}")


if __name__ == "__main__":
    main()
