"""Batch rescoring: exact top-k both ways, resume after a SIGKILL, the same rows on joblib and Dask."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from matcher.app import ingest_files, store_summary
from matcher.app.keys import create_key
from matcher.app.rescoring import rescore
from matcher.batch import SnapshotChanged, run_rescoring, start_run
from matcher.batch.plan import candidate_block_size, chunk
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.ranking import Ranker
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.store import Store
from profiles_factory import OCCUPATIONS, POSTCODES, SKILLS, TAX, candidate, vacancy

TOP_K = 5


def dense_profiles(seed: int = 3) -> tuple[list, list]:
    """Candidates and vacancies around Gent that share skills, so lists are long and get truncated."""
    rng = random.Random(seed)
    cands = [
        candidate(
            f"gent-c{i:02d}",
            postcode=rng.choice(POSTCODES[:3]),
            skills=tuple(rng.sample(SKILLS[:12], 4)),
            dutch=rng.choice(["A1", "A2", "B1", "B2"]),
            max_commute_km=30,
        )
        for i in range(30)
    ]
    vacs = [
        vacancy(
            f"gent-v{i}",
            postcode="9000",
            must_skills=tuple(rng.sample(SKILLS[:12], 2)),
            dutch="A2",
            employer_id="gent-e1",
            occupation_uri=OCCUPATIONS[i % len(OCCUPATIONS)],
        )
        for i in range(6)
    ]
    return cands, vacs


@pytest.fixture(scope="module")
def profiles() -> tuple[list, list, list]:
    """A realistic demo pool with a dense Gent cluster added: (candidates, personal, vacancies)."""
    demo = generate_pool(n_candidates=240, n_vacancies=20, seed=11, taxonomy=TAX)
    cands, vacs = dense_profiles()
    return demo.candidates + cands, demo.personal, demo.vacancies + vacs


def settings_for(url: str, **extra) -> Settings:
    return Settings(**{"database_url": url, "block_size": 3, "top_k": TOP_K, "n_jobs": 2, **extra})


def filled_store(url: str, profiles) -> Store:
    store = Store.from_url(url)
    store.migrate()
    cands, personal, vacs = profiles
    store.upsert_candidates(cands, personal)
    store.upsert_vacancies(vacs)
    return store


def comparable(store: Store, run_id: int) -> list[tuple]:
    """A run's rows without the run id and timestamps, in a fixed order."""
    rows = [
        (
            s.direction,
            s.query_id,
            s.rank,
            s.vacancy_id,
            s.candidate_id,
            s.score,
            s.stretch,
            s.failed,
            s.distance_km,
            json.dumps(s.explanation, sort_keys=True),
            s.model_version,
        )
        for s in store.run_suggestions(run_id)
    ]
    return rows + [("list", *tuple(lst)) for lst in store.run_lists(run_id)]


@pytest.fixture(scope="module")
def reference(profiles, tmp_path_factory) -> list[tuple]:
    """An uninterrupted run on a fresh SQLite file, with loky worker processes."""
    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    run_id = run_rescoring(store, settings_for(url), backend="loky", today=REFERENCE_DATE)
    rows = comparable(store, run_id)
    store.dispose()
    return rows


def test_blocks_are_cut_from_sorted_ids() -> None:
    assert chunk(["v3", "v1", "v2"], 2) == [["v1", "v2"], ["v3"]]
    assert candidate_block_size(block_size=3, n_candidates=300, n_vacancies=30) == 30
    with pytest.raises(ValueError, match="at least 1"):
        chunk(["v1"], 0)


@pytest.mark.slow
def test_a_run_stores_exactly_the_rankers_top_k_both_ways(store_url, profiles, reference) -> None:
    store = filled_store(store_url, profiles)
    seen = []
    run_id = run_rescoring(
        store,
        settings_for(store_url),
        backend="threading",
        today=REFERENCE_DATE,
        progress=lambda run: seen.append((run.done_blocks, run.total_blocks)),
    )
    run = store.get_run(run_id)
    assert run.status == "completed" and run.done_blocks == run.total_blocks == seen[-1][1]
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    cands, _, vacs = profiles
    assert run.pairs == 2 * len(cands) * len(vacs)  # every pair scored once each way
    assert comparable(store, run_id) == reference  # SQLite and PostgreSQL, threads and processes agree

    encoding = Encoding(TAX)
    ranker = Ranker(
        CandidatePool(encoding, cands),
        VacancyPool(encoding, vacs),
        scorer=load_scorer(settings_for(store_url)),
        today=REFERENCE_DATE,
    )
    for ranked in ranker.top_candidates(["gent-v0", vacs[0].id], k=TOP_K) + ranker.top_vacancies(["gent-c01"], k=TOP_K):
        key = {"vacancy_id": ranked.query_id} if ranked.direction == "candidates" else {"candidate_id": ranked.query_id}
        stored = store.list_suggestions(**key)
        assert [(s.candidate_id, s.vacancy_id, s.score, s.stretch) for s in stored] == [
            (s.candidate_id, s.vacancy_id, s.score, s.stretch) for s in ranked
        ]
    assert len(store.list_suggestions(vacancy_id="gent-v0")) == TOP_K  # the dense cluster fills the list
    assert store.list_suggestions(vacancy_id="gent-v0")[0].explanation["lang"] == "nl"
    store.dispose()


def test_one_pass_stores_the_rows_of_scoring_both_sides(profiles, reference, tmp_path: Path) -> None:
    """The candidate side ranked from the vacancy blocks' pairs equals scoring every candidate block."""
    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    run_id = run_rescoring(store, settings_for(url, one_pass=False), backend="threading", today=REFERENCE_DATE)
    assert not store.get_run(run_id).params["candidates_from_pairs"]
    assert comparable(store, run_id) == reference  # the reference run ranked its candidate side in one pass
    store.dispose()


def test_a_run_stopped_before_its_candidate_side_resumes_from_the_kept_pairs(
    profiles, reference, tmp_path: Path, monkeypatch
) -> None:
    import matcher.batch.run as batch_run

    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    ranked_from_pairs = batch_run.ranked_from_pairs

    def two_then_die(*args):
        for n, outcome in enumerate(ranked_from_pairs(*args)):
            if n == 2:
                raise RuntimeError("killed")
            yield outcome

    monkeypatch.setattr(batch_run, "ranked_from_pairs", two_then_die)
    settings = settings_for(url)
    run_id = start_run(store, settings, today=REFERENCE_DATE)
    with pytest.raises(RuntimeError, match="killed"):
        run_rescoring(store, settings, run_id=run_id, backend="threading")
    stopped = store.get_run(run_id)
    assert stopped.status == "failed"
    assert len(store.fitting_pairs(run_id)) == len(store.blocks(run_id, direction="candidates"))
    assert {b.direction for b in store.pending_blocks(run_id)} == {"vacancies"}  # every vacancy block is done
    assert len(store.blocks(run_id, status="done", direction="vacancies")) == 2

    def no_scoring(*args, **kwargs):
        raise AssertionError("a resumed run with every vacancy block done scores nothing")

    monkeypatch.setattr(batch_run, "ranked_from_pairs", ranked_from_pairs)
    monkeypatch.setattr(batch_run, "score_block", no_scoring)
    assert run_rescoring(store, settings, run_id=run_id, backend="threading") == run_id
    assert store.get_run(run_id).status == "completed"
    assert comparable(store, run_id) == reference
    assert store.fitting_pairs(run_id) == []  # dropped once the candidate side is stored
    store.dispose()


@pytest.mark.slow
def test_a_killed_run_resumes_to_the_same_rows(store_url, profiles, reference, tmp_path: Path) -> None:
    store = filled_store(store_url, profiles)
    settings = settings_for(store_url)
    run_id = start_run(store, settings, today=REFERENCE_DATE)
    env = {
        **os.environ,
        "MATCHER_DATABASE_URL": store_url,
        "MATCHER_BLOCK_SIZE": "3",
        "MATCHER_TOP_K": str(TOP_K),
        "MATCHER_N_JOBS": "2",
    }
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "matcher.batch.worker",
                "--run-id",
                str(run_id),
                "--backend",
                "threading",
                "--pause",
                "0.15",
            ],
            env=env,
            stdout=out,
            stderr=out,
        )
        try:
            deadline = time.monotonic() + 40
            while store.get_run(run_id).done_blocks < 3:
                assert worker.poll() is None, f"the worker ended early: {log.read_text()}"
                assert time.monotonic() < deadline, f"the worker stored no blocks in time: {log.read_text()}"
                time.sleep(0.02)
        finally:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
    killed = store.get_run(run_id)
    assert killed.status == "running" and 3 <= killed.done_blocks < killed.total_blocks

    assert run_rescoring(store, settings, run_id=run_id, backend="threading") == run_id
    resumed = store.get_run(run_id)
    assert resumed.status == "completed" and resumed.done_blocks == resumed.total_blocks
    assert comparable(store, run_id) == reference
    store.dispose()


@pytest.mark.slow
def test_the_dask_backend_stores_the_same_rows(profiles, reference, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the Dask backend needs 'distributed'")
    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        run_id = run_rescoring(
            store,
            settings_for(url, n_jobs=-1),
            backend="dask",
            scheduler=cluster.scheduler_address,
            today=REFERENCE_DATE,
        )
    assert comparable(store, run_id) == reference


def test_a_selected_run_refreshes_its_vacancies_and_their_candidates(profiles, reference, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    selected = ["gent-v1", "gent-v4", profiles[2][0].id]
    run_id = run_rescoring(store, settings_for(url), vacancy_ids=selected, backend="threading", today=REFERENCE_DATE)
    run = store.get_run(run_id)
    assert run.scope == "selected" and run.params["vacancy_ids"] == sorted(selected)
    rows = comparable(store, run_id)
    vacancy_side = [r for r in rows if r[0] == "candidates"]
    assert {r[1] for r in vacancy_side} <= set(selected)
    suggested = {r[4] for r in vacancy_side}
    assert {r[1] for r in rows if r[0] == "vacancies"} == suggested
    # each list equals the same list in a full run: a candidate is ranked against every vacancy
    assert [r for r in rows if r[0] != "list"] == [
        r
        for r in reference
        if r[0] != "list"
        and ((r[0] == "candidates" and r[1] in selected) or (r[0] == "vacancies" and r[1] in suggested))
    ]
    with pytest.raises(ValueError, match="'nope' is not in the store"):
        run_rescoring(store, settings_for(url), vacancy_ids=["nope"], backend="threading")


def test_a_run_does_not_resume_over_changed_data(profiles, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'matcher.sqlite3'}"
    store = filled_store(url, profiles)
    run_id = start_run(store, settings_for(url), today=REFERENCE_DATE)
    store.upsert_vacancy(vacancy("gent-v0", postcode="2000", employer_id="gent-e1"))
    with pytest.raises(SnapshotChanged, match="start a new run"):
        run_rescoring(store, settings_for(url), run_id=run_id, backend="threading")
    assert store.get_run(run_id).done_blocks == 0


def test_cli_commands(profiles, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'matcher.sqlite3'}"
    settings = settings_for(url)
    store = filled_store(url, profiles)
    summary = rescore(settings, backend="threading", progress=lambda run: None, today=REFERENCE_DATE)
    assert summary.startswith("run 1 completed:") and "top-5 stored for 26 vacancies and 270 candidates" in summary
    assert rescore(settings, run_id=1, backend="threading").startswith("run 1 completed")
    text = create_key(settings, "employer", "gent-e1", "Gent logistics")
    secret = text.splitlines()[-1]
    assert "employer key" in text and store.authenticate(secret).employer_id == "gent-e1"
    assert store.list_audit(action="create_api_key")[0].detail["employer_id"] == "gent-e1"
    assert [e.detail["resumed"] for e in store.list_audit(action="rescore")] == [True, False]


@pytest.mark.slow
def test_load_into_store_imports_the_demo_files(tmp_path: Path) -> None:
    from matcher.demo import write_pool

    pool = generate_pool(n_candidates=40, n_vacancies=8, seed=2, taxonomy=TAX)
    paths = {p.name: p for p in write_pool(pool, tmp_path / "demo")}
    settings = settings_for(f"sqlite:///{tmp_path / 'matcher.sqlite3'}")
    reports = ingest_files(settings, {"candidates": paths["candidates.jsonl"], "vacancies": paths["vacancies.jsonl"]})
    summary = store_summary(settings, reports)
    assert "40 candidates stored" in summary and "8 vacancies stored" in summary
    store = Store.from_url(settings.database_url)
    assert store.counts()["candidates"] == 40 and store.get_personal(pool.candidates[0].id) is not None
