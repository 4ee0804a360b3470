"""A real Dask cluster: a scheduler and two workers as separate OS processes on 127.0.0.1.

The run through the cluster stores the same rows as a local run; the ranker (the pools' arrays)
reaches each worker once, not once per block; and when a worker is killed mid-run, the run
still finishes with the same rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from matcher.batch import run_rescoring
from matcher.batch.cluster import rankers_seen
from matcher.demo import REFERENCE_DATE, generate_pool
from profiles_factory import TAX
from test_batch import comparable, dense_profiles, filled_store, settings_for

distributed = pytest.importorskip("distributed", reason="the Dask cluster test needs 'distributed'")

START_TIMEOUT_S = 120  # bounded, but a loaded machine imports the library slowly in each worker
DASK = Path(sys.executable).with_name("dask")


class Cluster:
    """``dask scheduler`` and ``dask worker`` processes, stopped by their pids at the end."""

    def __init__(self, directory: Path, n_workers: int = 2) -> None:
        self.directory = directory
        self.scheduler_file = directory / "scheduler.json"
        self.processes: list[subprocess.Popen] = []
        scheduler = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(self.scheduler_file)]
        self.scheduler = self._start([str(DASK), *scheduler, "--no-dashboard"], "scheduler")
        self._wait(lambda: self.scheduler_file.exists(), "the scheduler file")
        worker = ["worker", "--scheduler-file", str(self.scheduler_file), "--nthreads", "1", "--no-nanny"]
        worker += ["--host", "127.0.0.1", "--local-directory", str(directory), "--no-dashboard"]
        worker += ["--preload", "matcher.batch.cluster"]  # import the library once, at start
        self.workers = [self._start([str(DASK), *worker, "--name", f"w{i}"], f"worker{i}") for i in range(n_workers)]
        self.client = distributed.Client(scheduler_file=str(self.scheduler_file), timeout=START_TIMEOUT_S)
        self.client.wait_for_workers(n_workers, timeout=START_TIMEOUT_S)
        self.address = self.client.scheduler.address

    def _start(self, command: list[str], name: str) -> subprocess.Popen:
        log = open(self.directory / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.directory)
        self.processes.append(process)
        return process

    def _wait(self, ready, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what} did not appear within {START_TIMEOUT_S} s")
            time.sleep(0.1)

    def worker_addresses(self) -> list[str]:
        return sorted(self.client.scheduler_info()["workers"])

    def stop(self) -> None:
        """Workers are killed (their state is thrown away anyway), the scheduler asked to stop."""
        self.client.close(timeout=5)
        for process in self.workers:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
        if self.scheduler.poll() is None:
            os.kill(self.scheduler.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """One cluster for the module; the test that kills a worker runs last."""
    running = Cluster(tmp_path_factory.mktemp("cluster"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def profiles() -> tuple[list, list, list]:
    demo = generate_pool(n_candidates=160, n_vacancies=14, seed=17, taxonomy=TAX)
    cands, vacs = dense_profiles()
    return demo.candidates + cands, demo.personal, demo.vacancies + vacs


@pytest.fixture(scope="module")
def local_rows(profiles, tmp_path_factory) -> list[tuple]:
    url = f"sqlite:///{tmp_path_factory.mktemp('local') / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    run_id = run_rescoring(store, settings_for(url, block_size=2), backend="threading", today=REFERENCE_DATE)
    rows = comparable(store, run_id)
    store.dispose()
    return rows


def test_a_run_on_separate_processes_stores_the_local_rows(cluster: Cluster, profiles, local_rows, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    run_id = run_rescoring(
        store, settings_for(url, block_size=2), backend="dask", scheduler=cluster.address, today=REFERENCE_DATE
    )
    assert store.get_run(run_id).status == "completed"
    assert comparable(store, run_id) == local_rows
    # each worker scored its blocks (dozens) with the copy scattered to it, not a copy per block; the
    # scheduler's memory manager may drop a copy near the end and send it again if a block is stolen
    seen = cluster.client.run(rankers_seen, run_id)
    assert len(seen) == 2 and all(1 <= n <= 2 for n in seen.values()), seen
    store.dispose()


def test_a_killed_worker_does_not_change_the_rows(cluster: Cluster, profiles, local_rows, tmp_path) -> None:
    """A worker dies and the scheduler forgets the ranker: the run scatters it again and stores the same rows."""
    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    victim = cluster.workers[1]
    pending_at_kill: list[int] = []
    forgotten: list[int] = []

    def forget_ranker(dask_scheduler) -> int:
        """On the scheduler: forget the run's ranker and cancel the blocks waiting on it.

        What the scheduler does by itself when the worker holding the last copy of the ranker dies
        (the active memory manager keeps one copy once few blocks wait on it), done on purpose
        here so the test always takes that path.
        """
        keys = [key for key in dask_scheduler.tasks if isinstance(key, str) and key.startswith("Ranker-")]
        for key in keys:
            [client] = {cs.client_key for cs in dask_scheduler.tasks[key].who_wants}
            dask_scheduler.stimulus_cancel([key], client, force=True, reason="test", msg="ranker lost")
        return len(keys)

    def kill_after_first_block(run) -> None:
        if run.done_blocks >= 1 and not pending_at_kill:
            pending_at_kill.append(run.total_blocks - run.done_blocks)
            forgotten.append(cluster.client.run_on_scheduler(forget_ranker))
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=10)

    run_id = run_rescoring(
        store,
        settings_for(url, block_size=2),
        backend="dask",
        scheduler=cluster.address,
        today=REFERENCE_DATE,
        progress=kill_after_first_block,
    )
    assert pending_at_kill and pending_at_kill[0] > 0  # the worker died with blocks still to score
    assert victim.returncode == -signal.SIGKILL
    assert store.get_run(run_id).status == "completed"
    assert comparable(store, run_id) == local_rows
    assert len(cluster.worker_addresses()) == 1
    # the ranker was forgotten, so the surviving worker scored with the first copy and at least one scattered
    # again (a second scatter when the first new copy went to the dying worker before the scheduler noticed)
    assert forgotten == [1]
    [seen] = cluster.client.run(rankers_seen, run_id).values()
    assert seen >= 2
    store.dispose()
