"""Batch rescoring at scale: array output, bulk inserts, incremental rescoring (issue 18 items 4 and 5).

Run one size per process (take ``flock /work/wt/big.lock`` above 100k candidates)::

    .venv/bin/python benchmarks/bench_batch.py --candidates 100000 --vacancies 2000 --candidate-sample 20000
    .venv/bin/python benchmarks/bench_batch.py --incremental --candidates 20000 --vacancies 400
    .venv/bin/python benchmarks/bench_batch.py --dask --candidates 20000 --vacancies 400
    .venv/bin/python benchmarks/bench_batch.py --store-only --cache /work/cache
    .venv/bin/python benchmarks/bench_batch.py --store-costs

Reports, in the same process so the ratios hold on a loaded machine:

* ranking a batch both ways as arrays (``ranking.top_*_arrays``) against the ranked-list objects
  (``Ranker.top_*``), 1 and 2 threads; the candidate side on a random sample, scaled;
* explanations: rendering one (what the old batch path did per stored row) against the compact
  record (``with_provenance``: inputs reference + JSON) per row;
* stored rows per second, building each row's explanation column and ``Store.complete_block`` with
  arrays (binary ``COPY`` on PostgreSQL, ``executemany`` on SQLite), against the path before
  migration 0009 (a foreign key on ``run_id``, a pair index, jsonb explanations, the lists through
  SQLAlchemy), in turns on the same rows; also the same block as explained lists (the path
  before arrays). PostgreSQL is a throwaway cluster (``tests/pg.py``, fsync off) when ``initdb``
  is found; ``--store-only`` runs just this part;
* ``--store-costs``: the PostgreSQL server's CPU per row copied into the suggestions table as it
  was at 0008 and is at 0009, less one part at a time (foreign key, each index, jsonb, the id);
* ``--incremental``: a store with a full run, then 2.5% of the vacancies (500 of 20k at Flanders
  scale) or 0.5% of the candidates (5,000 of 1M) changed; ``rescore_changes`` against a full
  rescoring of the same store;
* ``--dask``: a full run through a ``distributed.LocalCluster`` of 1 and then 2 worker processes
  on the same store, with the speed-up and whether the stored rows are identical.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from matcher.batch import suggestion_list
from matcher.batch.work import suggestion_arrays, with_provenance
from matcher.demo import REFERENCE_DATE as TODAY
from matcher.demo import generate_pool
from matcher.ranking import Ranker, top_candidates_arrays, top_vacancies_arrays
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.store import Store
from matcher.store.bulk import COPY_TYPES, ROW_COLUMNS, Provenance, created_at_value, insert_rows
from matcher.store.schema import suggestion_lists

HERE = Path(__file__).resolve().parent


def _module(path: Path, name: str):
    """A sibling script as a module (the scale benchmark's pools, the tests' PostgreSQL cluster)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def build_pools(n_candidates: int, n_vacancies: int, seed: int, cache: str | None = None):
    """The scale benchmark's pools (candidate profiles dropped once encoded, a few kept), cached under ``cache``."""
    return _module(HERE / "bench_scale.py", "bench_scale").cached_pools(cache, n_candidates, n_vacancies, seed)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - start, out


@contextlib.contextmanager
def postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL database (tests/pg.py's cluster), or None without the binaries."""
    import shutil
    import subprocess

    pg = _module(HERE.parent / "tests" / "pg.py", "bench_pg")

    initdb, pg_ctl = pg.find_binary("initdb"), pg.find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        yield None
        return
    directory = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    if os.geteuid() == 0:
        import pwd

        user = pwd.getpwnam("postgres")
        os.chown(directory, user.pw_uid, user.pw_gid)
    data, log, port = directory / "data", directory / "server.log", pg.free_port()
    pg._run([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"], "initdb")
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    pg._run([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
    try:
        with pg.PgCluster(port=port, directory=directory).database("bench") as url:
            yield url
    finally:
        subprocess.run(pg._as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]), timeout=60)
        shutil.rmtree(directory, ignore_errors=True)


def ranking_report(ranker: Ranker, threads: list[int], candidate_sample: int, rng) -> dict:
    vacancy_ids = list(ranker.vacancies.ids)
    cand_ids = list(ranker.candidates.ids)
    sample = [cand_ids[i] for i in np.sort(rng.choice(len(cand_ids), min(candidate_sample, len(cand_ids)), False))]
    scale = len(cand_ids) / len(sample)
    out: dict = {"candidate_sample": len(sample)}
    for n in threads:
        t_obj, lists = timed(ranker.top_candidates, vacancy_ids, 10, True, n)
        del lists
        t_arr, arrays = timed(top_candidates_arrays, ranker, vacancy_ids, 10, True, n)
        t_ids, _ = timed(suggestion_arrays, ranker, arrays)
        out[f"every_vacancy_{n}t"] = {
            "objects_s": round(t_obj, 2),
            "arrays_s": round(t_arr, 2),
            "ids_s": round(t_ids, 2),
        }
        t_obj, lists = timed(ranker.top_vacancies, sample, 10, True, n)
        del lists
        t_arr, arrays = timed(top_vacancies_arrays, ranker, sample, 10, True, n)
        t_ids, _ = timed(suggestion_arrays, ranker, arrays)
        out[f"every_candidate_{n}t_scaled"] = {
            "objects_s": round(t_obj * scale, 1),
            "arrays_s": round(t_arr * scale, 1),
            "ids_s": round(t_ids * scale, 1),
            "rows_per_candidate": round(len(arrays) / len(sample), 2),
        }
        gc.collect()
    return out


def explanation_report(ranker: Ranker) -> dict:
    """Seconds per row: a rendered explanation (old path) against the compact record."""
    kept = [i for i, p in enumerate(ranker.candidates.profiles) if p is not None][:2000]
    ids = [ranker.candidates.ids[i] for i in kept]
    ranked = [r for r in ranker.top_vacancies(ids, k=10) if len(r)]
    rows = [s for r in ranked for s in r][:3000]
    t_render, _ = timed(lambda: [json.dumps(ranker.explain(s).to_dict()) for s in rows])
    arrays = suggestion_arrays(ranker, top_vacancies_arrays(ranker, ids, k=10))
    digests = ({c: "d" * 64 for c in ids}, {v: "e" * 64 for v in ranker.vacancies.ids})
    t_compact, _ = timed(with_provenance, arrays, digests, Provenance("m", "1.2", TODAY.isoformat(), "nl"))
    render_us = t_render / max(len(rows), 1) * 1e6
    compact_us = t_compact / max(len(arrays), 1) * 1e6
    return {
        "render_us_per_row": round(render_us, 1),
        "compact_us_per_row": round(compact_us, 2),
        "ratio": round(render_us / compact_us, 1),
    }


def before_insert_rows(conn, rows) -> None:
    """The insert before migration 0009 (binary ``COPY``, the jsonb explanation's version byte first): the baseline."""
    if conn.dialect.name != "postgresql":
        insert_rows(conn, rows)  # SQLite: the same executemany
        return
    columns = ", ".join(ROW_COLUMNS)
    cut = ROW_COLUMNS.index("explanation")
    types = [*COPY_TYPES[:cut], "bytea", *COPY_TYPES[cut + 1 :]]
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        with cursor.copy(f"COPY suggestions ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row((*row[:cut], b"\x01" + row[cut].encode(), *row[cut + 1 :]))
    finally:
        cursor.close()


def before_insert_arrays(self, conn, run_id, arrays, model_version, now) -> None:
    """``RunStore._insert_arrays`` before migration 0009: the lists through SQLAlchemy, a dict each."""
    names = ("run_id", "direction", "query_id", "strict_count", "stretch_count", "created_at")
    lists = [dict(zip(names, (*row[:-1], now), strict=True)) for row in arrays.list_tuples(run_id, now)]
    if lists:
        conn.execute(suggestion_lists.insert(), lists)
    before_insert_rows(conn, arrays.row_tuples(run_id, model_version, created_at_value(conn, now)))


@contextlib.contextmanager
def before_path(store: Store) -> Iterator[None]:
    """The storing path before migration 0009: a foreign key on ``run_id``, jsonb explanations, the old inserts."""
    from alembic import command

    import matcher.store.runs as runs
    from matcher.store.base import alembic_config

    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
    store.dispose()
    new_insert_arrays = runs.RunStore._insert_arrays
    runs.RunStore._insert_arrays = before_insert_arrays  # type: ignore[method-assign]
    try:
        yield
    finally:
        runs.RunStore._insert_arrays = new_insert_arrays  # type: ignore[method-assign]
        store.dispose()
        store.migrate()


def store_blocks(store: Store, blocks, build, digests, provenance: Provenance) -> tuple[float, float]:
    """Seconds building the blocks' explanation columns and seconds in ``complete_block``, one new run."""
    run_id = store.create_run("all", {}, "bench", "bench", [("candidates", [str(b)]) for b in range(len(blocks))])
    gc.collect()
    t_build = t_insert = 0.0
    for b, block in enumerate(blocks):
        start = time.perf_counter()
        parts = [build(p, digests, provenance) for p in block]
        t_build += time.perf_counter() - start
        t_insert += timed(store.complete_block, run_id, b, [], 0, "bench", arrays=parts)[0]
    return t_build, t_insert


def store_report(url: str, ranker: Ranker, n_rows: int, block_rows: int = 50_000, rounds: int = 2) -> dict:
    """Rows/s of storing a run's blocks, the old path against the new, in turns on the same rows.

    Each block's rows get their explanation column (``with_provenance``) and go through
    ``complete_block`` with arrays (``COPY`` / ``executemany``); ``*_rows_per_s`` counts both,
    ``insert_rows_per_s`` only ``complete_block``. The table is emptied before each path's turn.
    The explained-lists path (objects through SQLAlchemy, the path before arrays) is timed once.
    """
    vacancy_ids = list(ranker.vacancies.ids)
    arrays = suggestion_arrays(ranker, top_candidates_arrays(ranker, vacancy_ids, k=10))
    digests = ({c: "d" * 64 for c in ranker.candidates.ids}, {v: "e" * 64 for v in vacancy_ids})
    provenance = Provenance("bench", "1.2", TODAY.isoformat(), "nl")
    kept = next(i for i, p in enumerate(ranker.candidates.profiles) if p is not None)
    some = ranker.top_vacancies([ranker.candidates.ids[kept]], k=1)[0]
    explanation = ranker.explain(some.suggestions[0]).to_dict() if len(some) else {"summary": "x"}
    store = Store.from_url(url)
    store.migrate()
    copies = max(1, block_rows // max(len(arrays), 1))  # blocks as large as a run's (256 vacancies × top-20)
    # a run's blocks are runs of consecutive ids (batch.plan over the sorted ids), so each block's
    # copies take a prefix: its keys are one range of the (run, direction, query, rank) index
    tiled = [
        replace(arrays, query_ids=np.array([f"{c:03d}#{q}" for q in arrays.query_ids], dtype=object))
        for c in range(copies)
    ]
    n_blocks = max(2, n_rows // max(len(arrays) * copies, 1))
    blocks = [
        [replace(t, query_ids=np.array([f"{b:04d}/{q}" for q in t.query_ids], dtype=object)) for t in tiled]
        for b in range(n_blocks)
    ]
    rows = n_blocks * copies * len(arrays)
    best: dict[str, tuple[float, float]] = {}
    for _ in range(rounds):
        for name, path in (("before", before_path), ("new", lambda _store: contextlib.nullcontext())):
            with path(store):
                with store.engine.begin() as conn:
                    if store.dialect == "postgresql":
                        conn.exec_driver_sql("TRUNCATE suggestions, suggestion_lists")
                    else:
                        conn.exec_driver_sql("DELETE FROM suggestions")
                        conn.exec_driver_sql("DELETE FROM suggestion_lists")
                t_build, t_insert = store_blocks(store, blocks, with_provenance, digests, provenance)
            total = t_build + t_insert
            if name not in best or total < sum(best[name]):
                best[name] = (t_build, t_insert)
    # the explained-lists path: per-row SuggestionRow objects with the explanation dict, through SQLAlchemy
    lists = [
        suggestion_list(r, [explanation] * len(r))
        for r in ranker.top_candidates(vacancy_ids[: max(1, len(vacancy_ids) // 4)])
    ]
    per = sum(len(x.rows) for x in lists)
    old_blocks = max(1, min(n_blocks, 20_000 // max(per, 1)))
    run_id = store.create_run("all", {}, "bench", "bench", [("candidates", [str(b)]) for b in range(old_blocks)])
    start = time.perf_counter()
    for b in range(old_blocks):
        block_lists = [replace(x, query_id=f"{x.query_id}@{b}") for x in lists]
        store.complete_block(run_id, b, block_lists, 0, "bench")
    t_lists = time.perf_counter() - start
    store.dispose()
    out: dict = {"rows": rows, "rows_per_block": copies * len(arrays), "rounds": rounds}
    for name, (t_build, t_insert) in best.items():
        out[f"{name}_rows_per_s"] = round(rows / (t_build + t_insert))
        out[f"{name}_build_us_per_row"] = round(t_build / rows * 1e6, 2)
        out[f"{name}_insert_rows_per_s"] = round(rows / t_insert)
    out["ratio_new_to_before"] = round(sum(best["before"]) / sum(best["new"]), 2)
    out["ratio_insert_new_to_before"] = round(best["before"][1] / best["new"][1], 2)
    out["explained_lists_rows_per_s_without_rendering"] = round(old_blocks * per / t_lists)
    return out


COST_TABLE = """CREATE TABLE t ({id} run_id int4 {fk}, direction varchar(20) NOT NULL,
    query_id varchar(100) NOT NULL, vacancy_id varchar(100) NOT NULL, candidate_id varchar(100) NOT NULL,
    rank int4 NOT NULL, score float8 NOT NULL, stretch bool NOT NULL, failed int4 NOT NULL,
    distance_km float8 NOT NULL, explanation {explanation} NOT NULL, model_version varchar(100) NOT NULL,
    created_at timestamptz NOT NULL)"""
COST_PARTS = {
    "fk": "REFERENCES cost_runs (id) ON DELETE CASCADE",
    "id": "id serial PRIMARY KEY,",
    "id_cache": "ALTER SEQUENCE t_id_seq CACHE 1000",
    "created_at_btree": "CREATE INDEX ON t (created_at)",
    "created_at_brin": "CREATE INDEX ON t USING brin (created_at)",
    "unique": "ALTER TABLE t ADD UNIQUE (run_id, direction, query_id, rank)",
    "pair": "CREATE INDEX ON t (vacancy_id, candidate_id)",
}
SCHEMA_0008 = ("jsonb", ("fk", "id", "created_at_btree", "unique", "pair"))
COST_VARIANTS = {
    "0008": SCHEMA_0008,
    "0008_without_fk": ("jsonb", ("id", "created_at_btree", "unique", "pair")),
    "0008_without_pair": ("jsonb", ("fk", "id", "created_at_btree", "unique")),
    "0008_created_at_brin": ("jsonb", ("fk", "id", "created_at_brin", "unique", "pair")),
    "0008_json": ("json", SCHEMA_0008[1]),
    "0008_id_cache": ("jsonb", ("fk", "id", "id_cache", "created_at_btree", "unique", "pair")),
    "0009": ("json", ("id", "id_cache", "created_at_brin", "unique")),
    "0009_jsonb": ("jsonb", ("id", "id_cache", "created_at_brin", "unique")),
    "0009_text": ("text", ("id", "id_cache", "created_at_brin", "unique")),
    "0009_without_unique": ("json", ("id", "id_cache", "created_at_brin")),
    "0009_without_id": ("json", ("created_at_brin", "unique")),
    "bare_text": ("text", ()),
}


def _backend_cpu(pid: int) -> float:
    """A server process's CPU seconds: what a COPY costs the server, less swayed by a busy machine than wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cost_rows(conn, directory: str, part: int, n: int) -> dict[str, str]:
    """``n`` rows shaped like a vacancy run's (20 a query, random candidates), a COPY file per explanation type."""
    conn.execute("DROP TABLE IF EXISTS cost_stage")
    conn.execute(
        f"""CREATE TABLE cost_stage AS SELECT 1 AS run_id, 'candidates'::varchar AS direction,
        'V' || lpad((g / 20 + {part * n})::text, 7, '0') AS query_id, 'V' || lpad((g / 20 + {part * n})::text, 7, '0')
        AS vacancy_id, 'C' || lpad((random() * 1e6)::int::text, 7, '0') AS candidate_id, g % 20 + 1 AS rank,
        random() AS score, random() < 0.1 AS stretch, 0 AS failed, random() * 50 AS distance_km,
        json_build_object('inputs', substr(md5(g::text), 1, 32), 'lang', 'nl', 'esco_version', '1.2',
        'today', '2026-11-23')::text AS explanation, 'bench'::varchar AS model_version, now() AS created_at
        FROM generate_series(0, {n} - 1) g"""
    )
    files = {}
    for kind in ("jsonb", "json", "text"):
        files[kind] = f"{directory}/cost_rows_{part}_{kind}.bin"
        columns = ", ".join(ROW_COLUMNS).replace("explanation", f"explanation::{kind}")
        conn.execute(f"COPY (SELECT {columns} FROM cost_stage) TO '{files[kind]}' (FORMAT BINARY)")
    conn.execute("DROP TABLE cost_stage")
    return files


def store_costs_report(url: str, n: int = 300_000, rounds: int = 2) -> dict:
    """Server cost per row of each part of the suggestions table: a server-side binary COPY of ``n`` rows.

    Into a table already holding ``n`` rows, per variant (the 0008 table less one part, the 0009
    table less one part); the server reads the rows from a file, so the client costs nothing. The
    backend's CPU seconds are the measure (wall seconds beside them); the best of ``rounds``.
    """
    import psycopg

    columns = ", ".join(ROW_COLUMNS)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        directory = conn.execute("SHOW data_directory").fetchone()[0]
        conn.execute("CREATE TABLE cost_runs (id int PRIMARY KEY)")
        conn.execute("INSERT INTO cost_runs VALUES (1)")
        preload, timed_rows = _cost_rows(conn, directory, 0, n), _cost_rows(conn, directory, 1, n)
        best: dict[str, tuple[float, float]] = {}
        for _ in range(rounds):
            for name, (explanation, parts) in COST_VARIANTS.items():
                conn.execute("DROP TABLE IF EXISTS t")
                conn.execute(
                    COST_TABLE.format(
                        id=COST_PARTS["id"] if "id" in parts else "",
                        fk=COST_PARTS["fk"] if "fk" in parts else "",
                        explanation=explanation,
                    )
                )
                for part in parts:
                    if part not in ("id", "fk"):
                        conn.execute(COST_PARTS[part])
                conn.execute(f"COPY t ({columns}) FROM '{preload[explanation]}' (FORMAT BINARY)")
                conn.execute("CHECKPOINT")
                cpu, wall = _backend_cpu(pid), time.perf_counter()
                conn.execute(f"COPY t ({columns}) FROM '{timed_rows[explanation]}' (FORMAT BINARY)")
                cpu, wall = _backend_cpu(pid) - cpu, time.perf_counter() - wall
                old = best.get(name, (1e9, 1e9))
                best[name] = (min(old[0], cpu), min(old[1], wall))
        conn.execute("DROP TABLE t")
    out: dict = {"rows": n, "preloaded": n, "rounds": rounds}
    for name, (cpu, wall) in best.items():
        out[name] = {
            "server_cpu_us_per_row": round(cpu / n * 1e6, 2),
            "wall_us_per_row": round(wall / n * 1e6, 2),
            "cpu_ratio_to_0008": round(cpu / best["0008"][0], 2),
        }
    return out


def incremental_report(n_candidates: int, n_vacancies: int, seed: int) -> dict:
    """A store with a full run; changed vacancies / candidates; incremental against full, same process."""
    from matcher.batch import run_rescoring
    from matcher.batch.incremental import rescore_changes
    from matcher.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    pool = generate_pool(n_candidates + n_candidates // 100, n_vacancies + n_vacancies // 20, seed, taxonomy)
    cands, vacs = pool.candidates[:n_candidates], pool.vacancies[:n_vacancies]
    folder = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    url = f"sqlite:///{folder / 'matcher.sqlite3'}"
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(cands)
    store.upsert_vacancies(vacs)
    settings = Settings(database_url=url, n_jobs=1)
    t_full, _ = timed(run_rescoring, store, settings, backend="threading", today=TODAY)
    out: dict = {"candidates": n_candidates, "vacancies": n_vacancies, "full_run_s": round(t_full, 1)}
    rng = np.random.default_rng(seed)
    spare_v = iter(pool.vacancies[n_vacancies:])
    spare_c = iter(pool.candidates[n_candidates:])
    n_vac = max(2, n_vacancies * 500 // 20_000)
    n_cand = max(2, n_candidates * 5_000 // 1_000_000)

    def change_vacancies() -> None:
        picked = rng.choice(n_vacancies, (n_vac // 2, 2))
        changed = [vacs[int(d)].model_copy(update={"id": vacs[int(p)].id}) for p, d in picked]
        store.upsert_vacancies([next(spare_v) for _ in range(n_vac - len(changed))] + changed)

    def change_candidates() -> None:
        picked = rng.choice(n_candidates, (n_cand // 2, 2))
        changed = [cands[int(d)].model_copy(update={"id": cands[int(p)].id}) for p, d in picked]
        store.upsert_candidates([next(spare_c) for _ in range(n_cand - len(changed))] + changed)

    for name, change, n in (("vacancies", change_vacancies, n_vac), ("candidates", change_candidates, n_cand)):
        for warm in (False, True):
            change()
            live = None
            if warm:  # a long-lived process whose pools took the import in (the service's LivePool)
                current_c, current_v, _ = store.load_profiles()
                live = Ranker.from_settings(settings, taxonomy, current_c, current_v)
            t_inc, summary = timed(rescore_changes, store, settings, taxonomy=taxonomy, ranker=live)
            out[f"{name}_changed_{'warm' if warm else 'cold'}"] = {
                "changed": n,
                "incremental_s": round(t_inc, 1),
                "ratio_to_full": round(t_inc / t_full, 3),
                "lists_ranked_again": [summary.ranked_vacancies, summary.ranked_candidates],
                "lists_resized": summary.resized_lists,
            }
    store.dispose()
    return out


def dask_report(n_candidates: int, n_vacancies: int, seed: int, workers: Sequence[int] = (1, 2)) -> dict:
    """A full run through a real Dask ``LocalCluster`` (one process per worker) with 1 and then 2 workers.

    The same store and settings each time; the stored rows of both runs are compared. The
    ranker is scattered to each worker once per run (``batch.cluster``), so the time includes
    reading and encoding the pool on the client and sending it.
    """
    import distributed

    from matcher.batch import run_rescoring

    pool = generate_pool(n_candidates, n_vacancies, seed)
    folder = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    url = f"sqlite:///{folder / 'matcher.sqlite3'}"
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(pool.candidates)
    store.upsert_vacancies(pool.vacancies)
    settings = Settings(database_url=url, n_jobs=-1)
    out: dict = {"candidates": n_candidates, "vacancies": n_vacancies}
    rows = {}
    for n in workers:
        with distributed.LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            t, run_id = timed(
                run_rescoring, store, settings, backend="dask", scheduler=cluster.scheduler_address, today=TODAY
            )
        out[f"full_run_s_{n}_workers"] = round(t, 1)
        rows[n] = [
            (s.direction, s.query_id, s.rank, s.candidate_id, s.vacancy_id, s.score)
            for s in store.run_suggestions(run_id)
        ]
    if len(workers) > 1:
        a, b = workers[0], workers[-1]
        out["second_worker_speedup"] = round(out[f"full_run_s_{a}_workers"] / out[f"full_run_s_{b}_workers"], 2)
        out["rows_identical"] = rows[a] == rows[b]
    store.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=2_000)
    parser.add_argument("--candidate-sample", type=int, default=20_000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--store-rows", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--incremental", action="store_true", help="only the incremental figures")
    parser.add_argument("--dask", action="store_true", help="only a full run on 1 and 2 Dask workers")
    parser.add_argument("--store-only", action="store_true", help="only the stored rows per second")
    parser.add_argument("--store-costs", action="store_true", help="only the server cost of each part of the table")
    parser.add_argument("--cache", help="a folder of cached pools (bench_scale.cached_pools)")
    args = parser.parse_args()
    report: dict = {"load_average": os.getloadavg()}
    if args.dask:
        report["dask"] = dask_report(args.candidates, args.vacancies, args.seed)
        print(json.dumps(report, indent=2))
        return
    if args.store_costs:
        with postgres() as url:
            report["store_costs_postgresql"] = None if url is None else store_costs_report(url)
        print(json.dumps(report, indent=2))
        return
    if args.incremental:
        report["incremental"] = incremental_report(args.candidates, args.vacancies, args.seed)
        print(json.dumps(report, indent=2))
        return
    candidates, vacancies, built = build_pools(args.candidates, args.vacancies, args.seed, args.cache)
    report.update({"candidates": args.candidates, "vacancies": args.vacancies, **built})
    ranker = Ranker(candidates, vacancies, scorer=load_scorer(Settings()), today=TODAY)
    rng = np.random.default_rng(2)
    ranker.top_candidates(list(vacancies.ids[:3]))  # warm: grids, caches
    if not args.store_only:
        report["ranking"] = ranking_report(ranker, args.threads, args.candidate_sample, rng)
        report["explanations"] = explanation_report(ranker)
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    report["store_sqlite"] = store_report(f"sqlite:///{folder / 'matcher.sqlite3'}", ranker, args.store_rows)
    with postgres() as url:
        if url is not None:
            report["store_postgresql"] = store_report(url, ranker, args.store_rows)
    report["peak_mb"] = round(peak_mb())
    report["load_average_end"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
