"""Scale benchmark: 100k, 300k and 1M demo candidates, against the bare sparse kernel in the same process.

Run one size per process, so each peak memory figure is that size's own::

    .venv/bin/python benchmarks/bench_scale.py --size 100k          # 100,000 × 2,000
    .venv/bin/python benchmarks/bench_scale.py --size 300k          # 300,000 × 6,000
    .venv/bin/python benchmarks/bench_scale.py --size 1m --queries 50 --reviews 10 --no-before
    .venv/bin/python benchmarks/bench_scale.py --candidates 50000 --vacancies 500   # any size

Reports, with the shipped model:

* encode: seconds to encode the candidates and vacancies into pool arrays (generation is apart);
* one vacancy: top-10 with stretch matches against every candidate, median and p99 over
  ``--queries`` vacancies; the white-raven review of one vacancy (``matcher.review.review_vacancy``),
  median and p99 over ``--reviews`` vacancies;
* rescoring: top-10 candidates for every vacancy on 1 and 2 threads (the batch path,
  ``top_candidates_arrays``); top-10 both ways in one pass over the pairs (``top_both_arrays``,
  what a full run does), with the resident memory before and at its peak; and, on a sample, top-10
  vacancies per candidate block as the kernel ranks them (``top_vacancies_arrays``, what a run
  after an import does). Every pair is decided (most by the hard constraints), so pairs decided
  per second is candidates × vacancies over the time;
* ``sparse_dot_topn.sp_matmul_topn`` on the same vacancy-skill × candidate-skill matrices (skill
  overlap only: the kernel an engineer would reach for instead), one vacancy and every vacancy,
  and matcher's time as a multiple of it;
* "before": the dense lane this replaced (every candidate of a block, dense (n × m) features,
  the model through a binary search per feature), timed in the same process, and the ratio.

Candidates are generated in draws of 100k with consecutive seeds (and renumbered ids), so 1M are
ten independent demo draws. Once a draw is encoded its profile objects are dropped (ranking and
the review read only the arrays and the vacancy profiles), so the 1M run fits beside other work.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import os
import pickle
import resource
import threading
import time
from dataclasses import replace
from types import MethodType

import numpy as np
import scipy.sparse as sp

from matcher.demo import REFERENCE_DATE as TODAY
from matcher.demo import generate_pool
from matcher.learned import GAP_TOTALS
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.ranking import NEAR_PAIRS_PER_BLOCK, Ranker, top_both_arrays, top_candidates_arrays, top_vacancies_arrays
from matcher.review import review_vacancy
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.taxonomy import load_taxonomy

SIZES = {"100k": (100_000, 2_000), "300k": (300_000, 6_000), "1m": (1_000_000, 20_000)}
DRAW = 100_000
KEEP_PROFILES = 2_000  # candidate profiles kept for explanations (the store timing); the rest: arrays only


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssPeak:
    """The highest resident memory while the block runs, sampled every 20 ms (ru_maxrss covers the whole process)."""

    def __enter__(self) -> RssPeak:
        self.before, self.peak, self._stop = rss_mb(), rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


def build_pools(n_candidates: int, n_vacancies: int, seed: int) -> tuple[CandidatePool, VacancyPool, dict]:
    """Generate and encode; returns the pools and the generation/encoding seconds."""
    taxonomy = load_taxonomy()
    encoding = Encoding(taxonomy)
    generate_s = encode_s = 0.0
    t, vac_pool = timed(generate_pool, 0, n_vacancies, seed, taxonomy)
    generate_s += t
    t, vacancies = timed(VacancyPool, encoding, vac_pool.vacancies)
    encode_s += t
    candidates = CandidatePool(encoding)
    for draw, start in enumerate(range(0, n_candidates, DRAW)):
        size = min(DRAW, n_candidates - start)
        t, pool = timed(generate_pool, size, 0, seed + draw, taxonomy)
        batch = [c.model_copy(update={"id": f"cand-{start + i + 1:07d}"}) for i, c in enumerate(pool.candidates)]
        generate_s += t
        del pool
        t, _ = timed(candidates.extend, batch)
        encode_s += t
        first = len(candidates.profiles) - len(batch) + (KEEP_PROFILES if draw == 0 else 0)
        candidates.profiles[first:] = [None] * (len(candidates.profiles) - first)  # type: ignore[list-item]
        del batch
        gc.collect()
    t, _ = timed(lambda: (candidates.arrays(), vacancies.arrays()))
    encode_s += t
    return candidates, vacancies, {"generate_s": round(generate_s, 1), "encode_s": round(encode_s, 1)}


def cached_pools(cache: str | None, n_candidates: int, n_vacancies: int, seed: int) -> tuple:
    """``build_pools``, read from (or written once to) a pickle under ``cache`` when given.

    The pools are the benchmark's own objects (arrays packed, most candidate profiles dropped), so
    a cached file only ever feeds this benchmark; it is written to a temporary name and renamed,
    so a concurrent reader never sees half a file.
    """
    if not cache:
        return build_pools(n_candidates, n_vacancies, seed)
    path = os.path.join(cache, f"bench-scale-{n_candidates}x{n_vacancies}-seed{seed}.pkl")
    if os.path.exists(path):
        start = time.perf_counter()
        with open(path, "rb") as f:
            candidates, vacancies, timings = pickle.load(f)
        if "positions" not in vacancies._columns._spec:  # pickled before the pool had the openings column
            vacancies = VacancyPool(candidates.encoding, generate_pool(0, n_vacancies, seed, load_taxonomy()).vacancies)
            vacancies.arrays()
        return candidates, vacancies, {**timings, "loaded_from_cache_s": round(time.perf_counter() - start, 1)}
    candidates, vacancies, timings = build_pools(n_candidates, n_vacancies, seed)
    os.makedirs(cache, exist_ok=True)
    with open(path + f".{os.getpid()}.tmp", "wb") as f:
        pickle.dump((candidates, vacancies, timings), f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(path + f".{os.getpid()}.tmp", path)
    return candidates, vacancies, timings


def binary_search_logit(self, X: np.ndarray) -> np.ndarray:
    """The model's lookup before the grid: one ``searchsorted`` per input (the "before" lane)."""
    logit = np.full(len(X), self.reference_logit_, dtype=np.float32)
    for j, (cuts, steps) in enumerate(self.step_tables_):
        if len(cuts):
            column = X[:, j] if j not in GAP_TOTALS else X[:, j].astype(np.float64) + X[:, GAP_TOTALS[j]]
            logit += steps[np.searchsorted(cuts, column, side="left")]
    return logit


def before_ranker(ranker: Ranker) -> Ranker:
    """The same pools and model, ranked as before this change: dense blocks over every candidate."""
    scorer = copy.copy(ranker.scorer)
    scorer._step_logit = MethodType(binary_search_logit, scorer)  # type: ignore[method-assign]
    before = Ranker(ranker.candidates, ranker.vacancies, scorer=scorer, today=ranker.today)
    every = np.arange(len(ranker.candidates.ids))
    before._near_candidates = lambda vac_rows: every  # type: ignore[method-assign]
    return before


def dense_top_candidates(ranker: Ranker, vac_rows: np.ndarray, k: int, n_threads: int) -> int:
    """Top-k for each vacancy through the dense lane (``scored_blocks`` + ``_rank_one``); lists made."""
    id_rank = ranker.candidates.arrays().id_rank
    n_lists = 0
    for rows, block, scores in ranker.scored_blocks(vac_rows, n_threads=n_threads):
        block_rank = id_rank[block.cand_rows]
        for j, row in enumerate(rows):
            ranker._rank_one(
                "candidates",
                ranker.vacancies.ids[row],
                block,
                scores,
                (slice(None), j),
                block.cand_rows,
                block_rank,
                k,
                True,
            )
            n_lists += 1
    return n_lists


def latency_ms(fn, items) -> dict:
    times = []
    for item in items:
        t, _ = timed(fn, item)
        times.append(t * 1000)
    a = np.array(times)
    return {"median": round(float(np.median(a)), 2), "p99": round(float(np.percentile(a, 99)), 2)}


def skill_matrices(candidates: CandidatePool, vacancies: VacancyPool) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Vacancy × skill (must and other) and skill × candidate (credit): the bare kernel's inputs."""
    vac = vacancies.arrays()
    asked = (vac.must_skills_t + vac.other_skills_t).T.tocsr().astype(np.float32)
    held = candidates.arrays().credit_csc.T.tocsr().astype(np.float32)
    return asked, held


def bare_kernel(
    candidates: CandidatePool, vacancies: VacancyPool, queries: np.ndarray, threads: list[int], rows: np.ndarray
) -> dict:
    """``sp_matmul_topn`` for single vacancies and for ``rows`` (all or the timed sample), scaled like matcher's."""
    from sparse_dot_topn import sp_matmul_topn

    asked, held = skill_matrices(candidates, vacancies)
    one = latency_ms(lambda r: sp_matmul_topn(asked[r : r + 1], held, top_n=10, n_threads=1), queries)
    every = {}
    for n in threads:
        t, _ = timed(sp_matmul_topn, asked[rows], held, top_n=10, n_threads=n)
        every[n] = round(t * asked.shape[0] / len(rows), 3)
    return {"one_vacancy_ms": one, "every_vacancy_s": every}


def store_rows_per_second(url: str, ranker: Ranker, vacancy_ids: list[str], n_rows: int) -> dict:
    """Rows/s of ``Store.complete_block`` (the batch insert path) for real ranked lists with explanations."""
    from matcher.batch import suggestion_list
    from matcher.store import Store

    lists = ranker.top_candidates(vacancy_ids[:200], k=10)
    profiles = ranker.candidates.profiles
    explained = next(s for lst in lists for s in lst if profiles[ranker.candidates.row_of[s.candidate_id]])
    explanation = ranker.explain(explained).to_dict()
    stored = [suggestion_list(lst, [explanation] * len(lst)) for lst in lists]
    per_block = sum(len(s.rows) for s in stored)
    n_blocks = max(1, n_rows // max(per_block, 1))
    store = Store.from_url(url)
    store.migrate()
    run_id = store.create_run("all", {}, "bench", "bench", [("candidates", [str(b)]) for b in range(n_blocks)])
    blocks = [[replace(s, query_id=f"{s.query_id}#{b}") for s in stored] for b in range(n_blocks)]
    start = time.perf_counter()
    for block, block_lists in enumerate(blocks):
        store.complete_block(run_id, block, block_lists, pairs=0, model_version="bench")
    seconds = time.perf_counter() - start
    store.dispose()
    return {
        "rows": n_blocks * per_block,
        "rows_per_block": per_block,
        "rows_per_s": round(n_blocks * per_block / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="100k")
    parser.add_argument("--candidates", type=int, help="overrides --size")
    parser.add_argument("--vacancies", type=int, help="overrides --size")
    parser.add_argument("--queries", type=int, default=100, help="vacancies timed one at a time")
    parser.add_argument("--reviews", type=int, default=20, help="vacancies reviewed one at a time")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-before", action="store_true", help="skip the dense lane's rescoring (slow at 1M)")
    parser.add_argument("--no-vacancies-side", action="store_true", help="skip top-10 vacancies per candidate")
    parser.add_argument("--no-both-ways", action="store_true", help="skip top-10 both ways in one pass")
    parser.add_argument("--both-ways-last-only", action="store_true", help="both ways only on the most threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", help="directory of generated pools (pickles), e.g. /work/wt/cache")
    parser.add_argument("--vacancy-sample", type=int, help="time top-10 candidates for this many vacancies, scaled")
    parser.add_argument(
        "--candidate-sample", type=int, help="time top-10 vacancies for this many candidates, scaled to all"
    )
    parser.add_argument("--store-url", help="also time stored suggestions (bulk inserts) into this empty store")
    parser.add_argument("--store-rows", type=int, default=200_000)
    args = parser.parse_args()
    n_candidates, n_vacancies = SIZES[args.size]
    n_candidates = args.candidates or n_candidates
    n_vacancies = args.vacancies or n_vacancies

    candidates, vacancies, report = cached_pools(args.cache, n_candidates, n_vacancies, args.seed)
    report = {"candidates": n_candidates, "vacancies": n_vacancies, **report, "peak_mb_encoded": round(peak_mb())}
    settings = Settings()
    ranker = Ranker(candidates, vacancies, scorer=load_scorer(settings), today=TODAY)
    before = before_ranker(ranker)
    rng = np.random.default_rng(2)
    queries = rng.choice(n_vacancies, size=min(args.queries, n_vacancies), replace=False)
    ids = [vacancies.ids[q] for q in queries]
    ranker.top_candidates(ids[:3]), dense_top_candidates(before, queries[:3], 10, 1)  # warm: grids, caches

    report["one_vacancy_top10_ms"] = latency_ms(lambda v: ranker.top_candidates([v], k=10, stretch=True), ids)
    report["one_vacancy_top10_ms_before"] = latency_ms(
        lambda r: dense_top_candidates(before, np.array([r]), 10, 1), queries
    )
    reviewed = ids[: args.reviews]
    review_vacancy(ranker, reviewed[0], settings.fit_threshold)
    report["review_ms"] = latency_ms(lambda v: review_vacancy(ranker, v, settings.fit_threshold), reviewed)
    report["review_ms_before"] = latency_ms(lambda v: review_vacancy(before, v, settings.fit_threshold), reviewed)

    all_vacancies = list(vacancies.ids)
    timed_vacancies, scale = all_vacancies, 1.0
    if args.vacancy_sample and args.vacancy_sample < n_vacancies:
        # a random sample: spread over the map like the whole, so the time scales with its size
        timed_vacancies = [all_vacancies[i] for i in np.sort(rng.choice(n_vacancies, args.vacancy_sample, False))]
        scale = n_vacancies / args.vacancy_sample
    rescoring: dict = {}
    for n in args.threads:
        t, lists = timed(top_candidates_arrays, ranker, timed_vacancies, 10, True, n)
        if scale != 1.0:
            rescoring[f"top10_for_{len(timed_vacancies)}_vacancies_s_{n}_threads"] = round(t, 2)
        rescoring[f"top10_every_vacancy_s_{n}_threads"] = round(t * scale, 2)
        del lists
        gc.collect()
    if not args.no_before:
        for n in args.threads:
            t, _ = timed(dense_top_candidates, before, np.arange(n_vacancies), 10, n)
            rescoring[f"top10_every_vacancy_s_{n}_threads_before"] = round(t, 2)
    if not args.no_vacancies_side:
        sample = list(candidates.ids)
        if args.candidate_sample and args.candidate_sample < len(sample):
            picked = np.sort(rng.choice(len(sample), size=args.candidate_sample, replace=False))
            sample = [sample[i] for i in picked]
        for n in args.threads[-1:]:
            t, lists = timed(top_vacancies_arrays, ranker, sample, 10, True, n)
            rescoring[f"top10_vacancies_for_{len(sample)}_candidates_s_{n}_threads"] = round(t, 2)
            rescoring[f"top10_every_candidate_s_{n}_threads"] = round(t * n_candidates / len(sample), 1)
            del lists
            gc.collect()
    for n in args.threads:
        if args.no_both_ways or (n < args.threads[-1] and args.both_ways_last_only):
            continue
        with RssPeak() as memory:
            t, (by_vacancy, by_candidate) = timed(top_both_arrays, ranker, 10, True, n)
        rescoring[f"top10_both_ways_s_{n}_threads"] = round(t, 2)
        rescoring[f"top10_both_ways_rows_{n}_threads"] = [len(by_vacancy), len(by_candidate)]
        rescoring[f"top10_both_ways_rss_mb_{n}_threads"] = {"before": round(memory.before), "peak": round(memory.peak)}
        del by_vacancy, by_candidate
        gc.collect()
    best = min(v for k, v in rescoring.items() if k.startswith("top10_every_vacancy") and "before" not in k)
    rescoring["pairs_decided_per_s"] = round(n_candidates * n_vacancies / best)
    report["rescoring"] = rescoring

    bare = bare_kernel(candidates, vacancies, queries, args.threads, vacancies.rows(timed_vacancies))
    report["sparse_dot_topn"] = bare
    one_thread = rescoring[f"top10_every_vacancy_s_{args.threads[0]}_threads"]
    report["ratios"] = {
        "every_vacancy_over_bare_kernel": round(one_thread / max(bare["every_vacancy_s"][args.threads[0]], 1e-3), 1),
        "one_vacancy_over_bare_kernel": round(
            report["one_vacancy_top10_ms"]["median"] / bare["one_vacancy_ms"]["median"], 2
        ),
        "one_vacancy_speedup_over_before": round(
            report["one_vacancy_top10_ms_before"]["median"] / report["one_vacancy_top10_ms"]["median"], 1
        ),
        "review_speedup_over_before": round(report["review_ms_before"]["median"] / report["review_ms"]["median"], 1),
    }
    if len(args.threads) > 1:
        a, b = args.threads[0], args.threads[-1]
        report["ratios"]["second_thread_speedup"] = round(
            rescoring[f"top10_every_vacancy_s_{a}_threads"] / rescoring[f"top10_every_vacancy_s_{b}_threads"], 2
        )
    for n in args.threads:
        key = f"top10_both_ways_s_{n}_threads"
        if key in rescoring and n in bare["every_vacancy_s"]:
            report["ratios"][f"both_ways_{n}_threads_over_bare_kernel_{n}_threads"] = round(
                rescoring[key] / max(bare["every_vacancy_s"][n], 1e-3), 1
            )
    if not args.no_before:
        key = f"top10_every_vacancy_s_{args.threads[0]}_threads"
        report["ratios"]["every_vacancy_speedup_over_before"] = round(rescoring[key + "_before"] / rescoring[key], 1)
    if args.store_url:
        report["store"] = store_rows_per_second(args.store_url, ranker, all_vacancies, args.store_rows)
    report["pairs_per_block"] = NEAR_PAIRS_PER_BLOCK
    report["peak_mb"] = round(peak_mb())
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
