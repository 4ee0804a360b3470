"""Flanders scale end to end: a store of 1M candidates × 20k vacancies, a full run, then incremental runs.

Issue 18 items 4 and 5 through the real path (``matcher rescore`` and ``matcher rescore --changed``):
profiles read from a SQLite store, encoded, every pair decided, top-k both ways stored; then 2.5% of
the vacancies (500 of 20k) or 0.5% of the candidates (5,000 of 1M) imported again and rescored
incrementally. Run it alone (take ``flock /work/wt/big.lock`` on a shared machine)::

    .venv/bin/python benchmarks/bench_flanders.py --cache /work/cache --candidates 1000000 --vacancies 20000
    .venv/bin/python benchmarks/bench_flanders.py --candidates 20000 --vacancies 400      # a quick look

The filled store (before any run) is kept under ``--cache`` and copied for each run, since filling
1M profiles through ``Store.upsert_candidates`` takes longer than the run itself. The candidates are
the scale benchmark's draws (``bench_scale.DRAW`` with consecutive seeds, renumbered ids).

Reports: the store fill, the full run's wall time with its phases (reading and encoding the pools,
the vacancy blocks, the candidate side ranked from the kept pairs) and the resident memory before and
at its peak; and for each change, the incremental run with the process's pools cold (read again
from the store and the pool snapshot) and warm (a long-lived process's pools that took the import
in, as the service's), with its time as a fraction of the full run's in the same process, and
whether its stored lists equal a full run's where ``--check`` asks for one.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from matcher.batch import run_rescoring
from matcher.batch.incremental import rescore_changes
from matcher.batch.pools import PoolSync, encoded_pools, snapshot_path
from matcher.demo import REFERENCE_DATE as TODAY
from matcher.demo import generate_pool
from matcher.ranking import Ranker
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.store import RunInfo, Store
from matcher.taxonomy import load_taxonomy

HERE = Path(__file__).resolve().parent


def _scale_module():
    spec = importlib.util.spec_from_file_location("bench_scale", HERE / "bench_scale.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module
    spec.loader.exec_module(module)
    return module


scale = _scale_module()


def fill_store(url: str, n_candidates: int, n_vacancies: int, seed: int) -> dict:
    """Write the scale benchmark's profiles into a new store, a draw at a time; seconds per step."""
    taxonomy = load_taxonomy()
    store = Store.from_url(url)
    store.migrate()
    generate_s = write_s = 0.0
    t, pool = scale.timed(generate_pool, 0, n_vacancies, seed, taxonomy)
    generate_s += t
    write_s += scale.timed(store.upsert_vacancies, pool.vacancies)[0]
    del pool
    for draw, start in enumerate(range(0, n_candidates, scale.DRAW)):
        size = min(scale.DRAW, n_candidates - start)
        t, pool = scale.timed(generate_pool, size, 0, seed + draw, taxonomy)
        generate_s += t
        batch = [c.model_copy(update={"id": f"cand-{start + i + 1:07d}"}) for i, c in enumerate(pool.candidates)]
        del pool
        for part in range(0, len(batch), 20_000):
            write_s += scale.timed(store.upsert_candidates, batch[part : part + 20_000])[0]
        del batch
        gc.collect()
        print(f"filled {start + size:,} candidates", file=sys.stderr, flush=True)
    store.dispose()
    return {"generate_s": round(generate_s, 1), "write_s": round(write_s, 1)}


def filled_store(cache: str | None, folder: Path, n_candidates: int, n_vacancies: int, seed: int) -> tuple[str, dict]:
    """A fresh copy of the filled store in ``folder`` (filled once under ``cache`` when given)."""
    target = folder / "matcher.sqlite3"
    if not cache:
        return f"sqlite:///{target}", fill_store(f"sqlite:///{target}", n_candidates, n_vacancies, seed)
    kept = Path(cache) / f"flanders-{n_candidates}x{n_vacancies}-seed{seed}.sqlite3"
    info: dict = {}
    if not kept.exists():
        partial = kept.with_suffix(f".{os.getpid()}.tmp")
        info = fill_store(f"sqlite:///{partial}", n_candidates, n_vacancies, seed)
        os.replace(partial, kept)
    start = time.perf_counter()
    shutil.copyfile(kept, target)
    pools = kept.with_name(kept.name + ".pools")  # the encoded pools a run left beside it (batch.pools)
    if pools.exists():
        shutil.copyfile(pools, target.with_name(target.name + ".pools"))
    info["pool_snapshot_copied"] = pools.exists()
    return f"sqlite:///{target}", {**info, "copied_s": round(time.perf_counter() - start, 1)}


def keep_pool_snapshot(cache: str | None, url: str, n_candidates: int, n_vacancies: int, seed: int) -> None:
    """Keep the encoded pools of the filled store's first run beside the cached store, for the next runs."""
    if cache:
        kept = Path(cache) / f"flanders-{n_candidates}x{n_vacancies}-seed{seed}.sqlite3.pools"
        source = Path(url.removeprefix("sqlite:///") + ".pools")
        if source.exists():  # replaces one written by another version of the pool code
            shutil.copyfile(source, kept)


def _sync_s(store: Store, settings: Settings) -> tuple[float, PoolSync, Ranker]:
    """Seconds to bring the pools on disk up to the store (what a run does first), and a ranker over them."""
    taxonomy = load_taxonomy()
    t, (pools, _, sync) = scale.timed(encoded_pools, store, taxonomy, snapshot_path(settings, store.url))
    scorer = load_scorer(settings)
    return t, sync, Ranker(pools.candidates, pools.vacancies, scorer=scorer, today=TODAY)


def full_run(store: Store, settings: Settings, backend: str) -> tuple[float, dict]:
    """A full run (every pair decided, top-k both ways stored) with its phases and resident memory."""
    marks: list[tuple[float, int, int]] = []
    start = time.perf_counter()

    def progress(run: RunInfo) -> None:
        marks.append((time.perf_counter() - start, run.done_blocks, run.total_blocks))

    gc.collect()
    with scale.RssPeak() as rss:
        t, run_id = scale.timed(run_rescoring, store, settings, backend=backend, today=TODAY, progress=progress)
    run = store.get_run(run_id)
    assert run is not None and run.status == "completed"
    stored = [m for m in marks if m[1] > 0]
    vacancy_blocks = len(store.blocks(run_id, direction="candidates"))
    return t, {
        "run_s": round(t, 1),
        "first_block_stored_s": round(stored[0][0], 1) if stored else None,  # pools read and encoded, one block
        "vacancy_side_done_s": round(stored[vacancy_blocks - 1][0], 1) if len(stored) >= vacancy_blocks else None,
        "blocks": run.total_blocks,
        "rows": _rows_of(store, run_id),
        "rss_mb": {"before": round(rss.before), "peak": round(rss.peak)},
        "pool_snapshot_mb": _snapshot_mb(settings, store.url),
    }


def _rows_of(store: Store, run_id: int) -> dict[str, int]:
    with store.engine.connect() as conn:
        counts = conn.exec_driver_sql(
            "SELECT direction, count(*) FROM suggestions WHERE run_id = ? GROUP BY direction", (run_id,)
        ).all()
    return {direction: int(n) for direction, n in counts}


def _snapshot_mb(settings: Settings, url: str) -> float | None:
    path = snapshot_path(settings, url)
    return round(path.stat().st_size / 2**20) if path is not None and path.exists() else None


def spare_profiles(n_candidates: int, n_vacancies: int, seed: int):
    """Profiles not in the store, to import as new ones or as the new content of existing ids."""
    pool = generate_pool(n_candidates, n_vacancies, seed + 10_000, load_taxonomy())
    return (
        [c.model_copy(update={"id": f"cand-new-{i:06d}"}) for i, c in enumerate(pool.candidates)],
        [v.model_copy(update={"id": f"vac-new-{i:05d}"}) for i, v in enumerate(pool.vacancies)],
    )


def import_changes(store: Store, kind: str, spare: list, n: int, rng: np.random.Generator) -> int:
    """Import ``n`` profiles of ``kind``: half new, half the new content of existing ids."""
    existing = store.candidate_ids() if kind == "candidates" else store.vacancy_ids()
    fresh = [spare.pop() for _ in range(n - n // 2)]
    changed = [
        spare.pop().model_copy(update={"id": existing[int(i)]}) for i in rng.choice(len(existing), n // 2, False)
    ]
    write = store.upsert_candidates if kind == "candidates" else store.upsert_vacancies
    return write(fresh + changed)  # type: ignore[operator]


def incremental_runs(store: Store, settings: Settings, t_full: float, n_vac: int, n_cand: int, seed: int) -> dict:
    """For each kind of change: an incremental run from the pools on disk (cold), then one with pools in memory."""
    rng = np.random.default_rng(seed)
    spare_c, spare_v = spare_profiles(2 * n_cand, 2 * n_vac, seed)
    out: dict = {}
    for kind, n, spare in (("vacancies", n_vac, spare_v), ("candidates", n_cand, spare_c)):
        for warm in (False, True):
            t_import, _ = scale.timed(import_changes, store, kind, spare, n, rng)
            entry: dict = {"changed": n, "import_s": round(t_import, 1)}
            ranker = None
            if warm:  # a long-lived process that took the import in (its pools already hold it)
                t_sync, _, ranker = _sync_s(store, settings)
                entry["pools_taken_in_s"] = round(t_sync, 1)
            t, summary = scale.timed(rescore_changes, store, settings, taxonomy=load_taxonomy(), ranker=ranker)
            entry.update(
                {
                    "incremental_s": round(t, 1),
                    "ratio_to_full": round(t / t_full, 3),
                    "lists_ranked_again": {"vacancy": summary.ranked_vacancies, "candidate": summary.ranked_candidates},
                    "lists_merged": summary.merged_lists,
                    "lists_resized": summary.resized_lists,
                }
            )
            out[f"{kind}_changed_{'warm' if warm else 'cold'}"] = entry
            print(json.dumps({f"{kind}_{warm}": entry}), file=sys.stderr, flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--vacancies", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", help="keep the filled store here and copy it for each run")
    parser.add_argument("--fill-only", action="store_true", help="only fill (or find) the cached store")
    parser.add_argument("--threads", type=int, default=2, help="the run's workers (n_jobs)")
    parser.add_argument("--backend", default="threading", choices=["threading", "loky"])
    parser.add_argument("--full-again", action="store_true", help="end with a full run from the updated pools")
    parser.add_argument("--changed-vacancies", type=int, default=500)
    parser.add_argument("--changed-candidates", type=int, default=5_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-flanders-"))
    report: dict = {"load_average": os.getloadavg(), "candidates": args.candidates, "vacancies": args.vacancies}
    try:
        url, report["fill"] = filled_store(args.cache, folder, args.candidates, args.vacancies, args.seed)
        if args.fill_only:
            print(json.dumps(report, indent=2))
            return
        store = Store.from_url(url)
        store.migrate()
        settings = Settings(database_url=url, n_jobs=args.threads)
        name = "full_run_from_pool_snapshot" if report["fill"]["pool_snapshot_copied"] else "full_run_cold"
        t_full, report[name] = full_run(store, settings, args.backend)
        print(json.dumps(report[name]), file=sys.stderr, flush=True)
        keep_pool_snapshot(args.cache, url, args.candidates, args.vacancies, args.seed)
        report["incremental"] = incremental_runs(
            store, settings, t_full, args.changed_vacancies, args.changed_candidates, args.seed
        )
        if args.full_again:
            report["full_run_after_imports"] = full_run(store, settings, args.backend)[1]
        report["peak_mb"] = round(scale.peak_mb())
        store.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
