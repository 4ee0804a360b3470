"""Ranking benchmark: encode a demo pool, rank one vacancy, score every pair.

Run: ``.venv/bin/python benchmarks/bench_ranking.py [--candidates 100000 --vacancies 2000]``

Reports time to encode the pool, top-10 latency for one vacancy against all candidates (median
and p99 over 200 queries), pairs scored per second over all vacancy × candidate pairs (features,
checks and scorer), and peak memory. Machines here are shared and noisy, so the figures come with
ratios to baselines run in the same process: the plain-Python reference (:func:`check_pair`) on a
sample of pairs, and a memory-bandwidth probe (one float32 multiply-add over 100M values).
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

from matcher.checks import check_pair
from matcher.demo import REFERENCE_DATE as TODAY
from matcher.demo import generate_pool
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.ranking import Ranker
from matcher.scoring import default_scorer, load_scorer
from matcher.settings import Settings
from matcher.taxonomy import load_taxonomy


def bandwidth_probe() -> float:
    """Seconds for a float32 multiply-add over 100M values: the machine's speed today."""
    a = np.ones(100_000_000, dtype=np.float32)
    start = time.perf_counter()
    a *= 1.0001
    a += 0.5
    return time.perf_counter() - start


def reference_pairs_per_second(ranker: Ranker, n_pairs: int = 2000) -> float:
    rng = np.random.default_rng(0)
    cands = ranker.candidates.profiles
    vacs = ranker.vacancies.profiles
    pairs = [
        (cands[i], vacs[j])
        for i, j in zip(rng.integers(0, len(cands), n_pairs), rng.integers(0, len(vacs), n_pairs), strict=False)
    ]
    start = time.perf_counter()
    for cand, vac in pairs:
        check_pair(cand, vac, ranker.candidates.encoding, TODAY)
    return n_pairs / (time.perf_counter() - start)


def measure(ranker: Ranker, queries: int) -> dict:
    """Top-10 latency for single vacancies and all-pairs throughput (1 and 2 threads) for one scorer."""
    candidates, vacancies = ranker.candidates, ranker.vacancies
    rng = np.random.default_rng(2)
    ids = [vacancies.ids[i] for i in rng.integers(0, len(vacancies.ids), queries)]
    ranker.top_candidates(ids[:3], k=10)  # warm caches
    latencies = []
    for vid in ids:
        t = time.perf_counter()
        ranker.top_candidates([vid], k=10, stretch=True)
        latencies.append(time.perf_counter() - t)
    lat = np.array(latencies) * 1000
    throughput = {}
    for threads in (1, 2):
        t = time.perf_counter()
        n_pairs = allowed = 0
        for rows, block, _ in ranker.scored_blocks(np.arange(len(vacancies.ids)), n_threads=threads):
            n_pairs += len(candidates.ids) * len(rows)  # every pair is decided: most by the hard constraints
            allowed += int(block.allowed.sum())
        throughput[threads] = (n_pairs, time.perf_counter() - t)
    best = min(throughput.values(), key=lambda v: v[1])
    return {
        "top10_one_vacancy_ms_median": round(float(np.median(lat)), 2),
        "top10_one_vacancy_ms_p99": round(float(np.percentile(lat, 99)), 2),
        "all_pairs": best[0],
        "allowed_pairs": allowed,
        "all_pairs_s_1_thread": round(throughput[1][1], 2),
        "all_pairs_s_2_threads": round(throughput[2][1], 2),
        "pairs_per_second": round(best[0] / best[1]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    tax = load_taxonomy()
    t = time.perf_counter()
    pool = generate_pool(args.candidates, args.vacancies, seed=args.seed, taxonomy=tax)
    generate_s = time.perf_counter() - t

    t = time.perf_counter()
    encoding = Encoding(tax)
    candidates = CandidatePool(encoding, pool.candidates)
    vacancies = VacancyPool(encoding, pool.vacancies)
    candidates.arrays(), vacancies.arrays()
    encode_s = time.perf_counter() - t
    figures_by_scorer = {}
    for scorer in (default_scorer(), load_scorer(Settings())):
        ranker = Ranker(candidates, vacancies, scorer=scorer, today=TODAY)
        figures_by_scorer[scorer.version] = measure(ranker, args.queries)

    reference = reference_pairs_per_second(Ranker(candidates, vacancies, today=TODAY))
    probe = bandwidth_probe()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for figures in figures_by_scorer.values():
        figures["speedup_vs_reference"] = round(figures["pairs_per_second"] / reference, 1)
        figures["pairs_per_probe"] = round(figures["pairs_per_second"] * probe)
    report = {
        "candidates": len(candidates),
        "vacancies": len(vacancies),
        "generate_pool_s": round(generate_s, 2),
        "encode_pool_s": round(encode_s, 2),
        "reference_pairs_per_second": round(reference),
        "bandwidth_probe_s": round(probe, 3),
        "peak_memory_mb": round(peak_mb),
        "by_scorer": figures_by_scorer,
    }
    print(json.dumps(report, indent=2))
    for version, figures in figures_by_scorer.items():
        print(
            f"{version}: top-10 median <= 50 ms: {'met' if figures['top10_one_vacancy_ms_median'] <= 50 else 'MISSED'};"
            f" >= 10M pairs/s: {'met' if figures['pairs_per_second'] >= 10e6 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
