"""Batch lane on 1 and 2 threads against a git ref, in one process: top-10 hashes and min times.

The ref's ``src/matcher`` is imported as ``matcher_ref`` (from ``git archive``), so both lanes
rank the same cached 100k × 2k pools in turns::

    REF=main REPEATS=5 .venv/bin/python benchmarks/bench_threads_ref.py

Timing holds ``/work/wt/big.lock`` (``LOCK=0`` skips it); the JSON has each lane's hash of every
ranked array (they must be equal), wall and CPU minima, and the ratios.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REF = os.environ.get("REF", "main")
REPEATS = int(os.environ.get("REPEATS", "5"))
THREADS = [int(t) for t in os.environ.get("THREADS", "1,2").split(",")]
FIELDS = ("query_rows", "strict_count", "stretch_count", "starts", "other_rows", "rank", "score", "stretch")
FIELDS += ("failed", "distance_km")


def ref_package(ref: str) -> Path:
    """A directory holding the ref's ``src/matcher`` as the package ``matcher_ref``."""
    root = Path("/tmp") / f"matcher-ref-{ref.replace('/', '_')}"
    if not (root / "matcher_ref").exists():
        data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src/matcher"], capture_output=True, check=True)
        with tarfile.open(fileobj=io.BytesIO(data.stdout)) as archive:
            archive.extractall(root / "x", filter="data")
        shutil.move(root / "x" / "src" / "matcher", root / "matcher_ref")
    return root


def digest(ranked) -> str:
    h = hashlib.sha256()
    for name in FIELDS:
        a = np.ascontiguousarray(getattr(ranked, name))
        h.update(name.encode() + str(a.dtype).encode() + a.tobytes())
    return h.hexdigest()


def main() -> None:
    sys.path[:0] = [str(ref_package(REF)), str(ROOT / "benchmarks")]
    import matcher_ref.ranking as old_ranking
    import matcher_ref.scoring as old_scoring

    import matcher.ranking as new_ranking
    import matcher.scoring as new_scoring
    from bench_scale import cached_pools
    from matcher.demo import REFERENCE_DATE
    from matcher.settings import Settings

    candidates, vacancies, _ = cached_pools("/work/cache", 100_000, 2_000, 1)
    settings = Settings()
    lanes = {
        "before": (
            old_ranking,
            old_ranking.Ranker(candidates, vacancies, old_scoring.load_scorer(settings), REFERENCE_DATE),
        ),
        "after": (
            new_ranking,
            new_ranking.Ranker(candidates, vacancies, new_scoring.load_scorer(settings), REFERENCE_DATE),
        ),
    }
    ids = list(vacancies.ids)
    report: dict = {"ref": REF, "hash": {}}
    for name, (module, ranker) in lanes.items():
        for n in THREADS:
            report["hash"][f"{name}_{n}"] = digest(module.top_candidates_arrays(ranker, ids, 10, True, n))
    times: dict[str, list[float]] = {}
    with open("/work/wt/big.lock", "w") as lock:
        if os.environ.get("LOCK", "1") == "1":
            fcntl.flock(lock, fcntl.LOCK_EX)
        for _ in range(REPEATS):
            for name, (module, ranker) in lanes.items():
                for n in THREADS:
                    wall, cpu = time.perf_counter(), time.process_time()
                    module.top_candidates_arrays(ranker, ids, 10, True, n)
                    times.setdefault(f"{name}_{n}", []).append(time.perf_counter() - wall)
                    times.setdefault(f"{name}_{n}_cpu", []).append(time.process_time() - cpu)
    best = {key: round(min(values), 3) for key, values in times.items()}
    report["same"] = len(set(report["hash"].values())) == 1
    report["times_min_s"] = best
    a, b = THREADS[0], THREADS[-1]
    report["ratios"] = {
        f"{name}_speedup_{b}_threads": round(best[f"{name}_{a}"] / best[f"{name}_{b}"], 3) for name in lanes
    } | {f"after_over_before_{n}_threads": round(best[f"after_{n}"] / best[f"before_{n}"], 3) for n in THREADS}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
