"""Allocation as a rescoring run's last phase: it reuses the run's scoring, is stored with the run, and resumes."""

from __future__ import annotations

import pytest

import matcher.batch.run as batch_run
from matcher.allocation import AllocationPairs, allocate_pairs, allocate_run, ranked_pairs
from matcher.allocation.pairs import trim_list
from matcher.batch import run_rescoring, start_run
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.ranking import Ranker
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.store import Store
from profiles_factory import TAX


class Killed(BaseException):
    """Stands in for the process dying: not an Exception, so the run is not marked failed."""


@pytest.fixture(scope="module")
def pool():
    return generate_pool(n_candidates=400, n_vacancies=24, seed=5, taxonomy=TAX)


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, block_size=8, top_k=5, n_jobs=1)


def filled(url: str, pool) -> Store:
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(pool.candidates, pool.personal)
    store.upsert_vacancies(pool.vacancies)
    return store


def rows(store: Store, run_id: int) -> list[tuple]:
    return [
        (s.query_id, s.rank, s.candidate_id, s.vacancy_id, s.score, s.stretch) for s in store.run_suggestions(run_id)
    ]


def without_timings(allocation: dict) -> dict:
    return {"lists": allocation["lists"], "metrics": {k: v for k, v in allocation["metrics"].items() if k != "seconds"}}


@pytest.fixture(scope="module")
def uninterrupted(pool, tmp_path_factory) -> tuple[dict, list[tuple]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('alloc') / 'a.sqlite3'}"
    store = filled(url, pool)
    run_id = run_rescoring(store, settings_for(url), backend="threading", today=REFERENCE_DATE, allocate=True)
    allocation = store.run_allocation(run_id)
    assert store.get_run(run_id).status == "completed" and allocation is not None
    result = without_timings(allocation), rows(store, run_id)
    store.dispose()
    return result


def test_an_allocating_run_stores_the_same_top_k_lists_and_its_allocation(pool, uninterrupted, tmp_path) -> None:
    allocation, allocated_rows = uninterrupted
    url = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    store = filled(url, pool)
    plain = run_rescoring(store, settings_for(url), backend="threading", today=REFERENCE_DATE)
    assert rows(store, plain) == allocated_rows  # ranking 50 deep and trimming gives the top-k lists
    assert store.run_allocation(plain) is None
    per_candidate: dict[str, int] = {}
    for items in allocation["lists"].values():
        for candidate_id, _score in items:
            per_candidate[candidate_id] = per_candidate.get(candidate_id, 0) + 1
    assert max(per_candidate.values()) <= 3  # the default attention
    metrics = allocation["metrics"]
    assert set(metrics) >= {"allocated", "relevance_only", "change", "targets_met", "parameters"}
    assert metrics["allocated"]["coverage"] <= metrics["allocated"]["coverage_bound"]
    assert metrics["parameters"]["gain"].startswith("simulated")
    store.dispose()


def test_allocating_again_gives_the_same_lists_and_figures(pool, uninterrupted, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'again.sqlite3'}"
    store = filled(url, pool)
    run_id = run_rescoring(store, settings_for(url), backend="threading", today=REFERENCE_DATE, allocate=True)
    assert without_timings(store.run_allocation(run_id)) == uninterrupted[0]
    store.dispose()


def test_a_run_killed_before_its_allocation_resumes_without_scoring(pool, uninterrupted, tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'killed.sqlite3'}"
    store = filled(url, pool)
    settings = settings_for(url)
    run_id = start_run(store, settings, today=REFERENCE_DATE, allocate=True)

    def die(*_args, **_kwargs):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(batch_run, "finish_allocation", die)
        with pytest.raises(Killed):
            run_rescoring(store, settings, run_id=run_id, backend="threading")
    run = store.get_run(run_id)
    assert run.status == "running" and run.done_blocks == run.total_blocks
    assert store.run_allocation(run_id) is None and store.allocation_pairs(run_id)

    monkeypatch.setattr(batch_run, "score_block", die)  # resuming must not score a single block
    assert run_rescoring(store, settings, run_id=run_id, backend="threading") == run_id
    assert store.get_run(run_id).status == "completed"
    assert without_timings(store.run_allocation(run_id)) == uninterrupted[0]
    assert rows(store, run_id) == uninterrupted[1]
    store.dispose()


def test_the_kept_pairs_are_the_rankers_best_fitting_pairs(pool) -> None:
    ranker = Ranker.from_profiles(
        TAX, pool.candidates, pool.vacancies, scorer=load_scorer(Settings()), today=REFERENCE_DATE
    )
    ids = list(ranker.vacancies.ids)
    pairs = ranked_pairs(ranker, ids, top_n=50)
    again = AllocationPairs.from_bytes(pairs.to_bytes())
    assert again.candidate_ids.tolist() == pairs.candidate_ids.tolist()
    halves = AllocationPairs.concat([ranked_pairs(ranker, ids[:10]), ranked_pairs(ranker, ids[10:])])
    assert halves.candidate_ids.tolist() == pairs.candidate_ids.tolist()
    assert halves.offsets.tolist() == pairs.offsets.tolist()
    for j, lst in enumerate(ranker.top_candidates(ids, k=50, stretch=False)):
        kept = pairs.candidate_ids[pairs.offsets[j] : pairs.offsets[j + 1]].tolist()
        assert kept == [s.candidate_id for s in lst] and pairs.strict_count[j] == lst.strict_count
    one_process = allocate_run(ranker)
    assert allocate_pairs(halves).suggestions() == one_process.suggestions()


@pytest.mark.parametrize("k", [1, 5, 12])
def test_trimming_a_deeper_list_gives_the_top_k_list(pool, k) -> None:
    ranker = Ranker.from_profiles(TAX, pool.candidates, pool.vacancies, today=REFERENCE_DATE)
    ids = list(ranker.vacancies.ids)
    deep = ranker.top_candidates(ids, k=50)
    direct = ranker.top_candidates(ids, k=k)
    for d, want in zip(deep, direct, strict=True):
        got = trim_list(d, k, ranker.thin_pool)
        assert [(s.candidate_id, s.rank, s.stretch) for s in got] == [(s.candidate_id, s.rank, s.stretch) for s in want]
        assert (got.strict_count, got.stretch_count) == (want.strict_count, want.stretch_count)
