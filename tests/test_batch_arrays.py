"""The batch path's array output and compact storage.

The same lists as the ranker's objects; explanations rendered on read.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from matcher.app.live import LivePool
from matcher.app.rescoring import stored_suggestions
from matcher.batch import run_rescoring
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.ranking import RankedArrays, Ranker, top_both_arrays, top_candidates_arrays, top_vacancies_arrays
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.store import Store
from profiles_factory import TAX


@pytest.fixture(scope="module")
def pool():
    return generate_pool(n_candidates=1500, n_vacancies=60, seed=21, taxonomy=TAX)


@pytest.fixture(scope="module", params=[0.0, None], ids=["many-stretch", "shipped-floor"])
def ranker(request, pool) -> Ranker:
    return Ranker.from_profiles(
        TAX,
        pool.candidates,
        pool.vacancies,
        scorer=load_scorer(Settings()),
        today=REFERENCE_DATE,
        stretch_floor=request.param,
    )


def _as_lists(arrays: RankedArrays, query_ids, other_ids) -> dict[str, tuple]:
    out = {}
    for q, row in enumerate(arrays.query_rows):
        line = slice(int(arrays.starts[q]), int(arrays.starts[q + 1]))
        rows = list(
            zip(
                [other_ids[o] for o in arrays.other_rows[line]],
                arrays.rank[line].tolist(),
                arrays.score[line].tolist(),
                arrays.stretch[line].tolist(),
                arrays.failed[line].tolist(),
                arrays.distance_km[line].tolist(),
                strict=True,
            )
        )
        out[query_ids[row]] = (int(arrays.strict_count[q]), int(arrays.stretch_count[q]), rows)
    return out


def _objects(ranked, key: str) -> dict[str, tuple]:
    return {
        r.query_id: (
            r.strict_count,
            r.stretch_count,
            [(getattr(s, key), s.rank, s.score, s.stretch, s.failed, s.distance_km) for s in r],
        )
        for r in ranked
    }


@pytest.mark.parametrize("k", [1, 5, 12])
def test_arrays_rank_exactly_like_the_ranked_lists(ranker: Ranker, k: int) -> None:
    vacancy_ids = list(ranker.vacancies.ids)
    got = _as_lists(top_candidates_arrays(ranker, vacancy_ids, k=k), ranker.vacancies.ids, ranker.candidates.ids)
    assert got == _objects(ranker.top_candidates(vacancy_ids, k=k), "candidate_id")
    candidate_ids = list(ranker.candidates.ids)
    got = _as_lists(top_vacancies_arrays(ranker, candidate_ids, k=k), ranker.candidates.ids, ranker.vacancies.ids)
    want = _objects(ranker.top_vacancies(candidate_ids, k=k), "vacancy_id")
    assert got == want
    assert any(row[3] for _, _, rows in want.values() for row in rows) or ranker.stretch_floor > 0


@pytest.mark.parametrize(("k", "n_threads"), [(1, 1), (5, 2), (12, 1)])
def test_one_pass_gives_both_directions_exactly(ranker: Ranker, k: int, n_threads: int) -> None:
    by_vacancy, by_candidate = top_both_arrays(ranker, k=k, n_threads=n_threads)
    vacancies, candidates = ranker.vacancies.ids, ranker.candidates.ids
    want_candidates = top_candidates_arrays(ranker, list(vacancies), k=k)
    want_vacancies = top_vacancies_arrays(ranker, list(candidates), k=k)
    assert _as_lists(by_vacancy, vacancies, candidates) == _as_lists(want_candidates, vacancies, candidates)
    assert _as_lists(by_candidate, candidates, vacancies) == _as_lists(want_vacancies, candidates, vacancies)
    assert np.array_equal(by_candidate.query_rows, want_vacancies.query_rows)  # the same order as well
    assert by_candidate.stretch.any() or ranker.stretch_floor > 0
    if k == 1:  # lists were cut: the test sees truncation and the tie-break
        assert (np.diff(by_candidate.starts) < by_candidate.strict_count + by_candidate.stretch_count).any()


def test_two_threads_give_the_same_arrays(ranker: Ranker) -> None:
    ids = list(ranker.candidates.ids)
    one = _as_lists(top_vacancies_arrays(ranker, ids, k=5), ranker.candidates.ids, ranker.vacancies.ids)
    two = _as_lists(top_vacancies_arrays(ranker, ids, k=5, n_threads=2), ranker.candidates.ids, ranker.vacancies.ids)
    assert one == two


@pytest.fixture(scope="module")
def rescored(pool, tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('compact') / 'matcher.sqlite3'}"
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(pool.candidates[:600], pool.personal[:600])
    store.upsert_vacancies(pool.vacancies[:30])
    settings = Settings(database_url=url, top_k=5, block_size=7, n_jobs=1, stretch_floor=0.0)
    run_id = run_rescoring(store, settings, backend="threading", today=REFERENCE_DATE)
    live = LivePool.load(settings, taxonomy=TAX)
    yield store, live, run_id
    store.dispose()
    live.store.dispose()


def test_a_stored_suggestion_keeps_its_provenance_not_its_text(rescored) -> None:
    store, _live, run_id = rescored
    rows = store.run_suggestions(run_id)
    assert rows
    for row in rows[:50]:
        assert set(row.explanation) == {"inputs", "lang", "esco_version", "today"}
        assert row.explanation["esco_version"] == TAX.esco_version
        assert row.explanation["today"] == REFERENCE_DATE.isoformat()
        assert len(row.explanation["inputs"]) == 32
        assert row.model_version == store.get_run(run_id).model_version
    refs = {r.explanation["inputs"] for r in rows}
    assert len(refs) == len({(r.candidate_id, r.vacancy_id) for r in rows})  # one reference per pair


def test_explanations_rendered_on_read_are_the_rankers(rescored) -> None:
    store, live, run_id = rescored
    ranker = Ranker.from_settings(Settings(stretch_floor=0.0), TAX, *store.load_profiles()[:2], today=REFERENCE_DATE)
    vacancy_ids = sorted({r.query_id for r in store.run_suggestions(run_id) if r.direction == "candidates"})[:6]
    stretch_seen = False
    for ranked in ranker.top_candidates(vacancy_ids, k=5):
        want = ranker.explain_list(ranked, "nl")
        got = stored_suggestions(live, vacancy_id=ranked.query_id, run_id=run_id)
        assert [(g.candidate_id, g.rank) for g in got] == [(s.candidate_id, s.rank) for s in ranked]
        assert [json.dumps(g.explanation, sort_keys=True) for g in got] == [json.dumps(w, sort_keys=True) for w in want]
        stretch_seen |= any(s.stretch for s in ranked)
    assert stretch_seen


def test_a_profile_changed_after_the_run_is_flagged(rescored) -> None:
    store, live, run_id = rescored
    row = next(r for r in store.run_suggestions(run_id) if r.direction == "candidates")
    cands, vacs = live.digests
    live.digests = ({**cands, row.candidate_id: "changed"}, vacs)
    try:
        [got] = stored_suggestions(
            live, vacancy_id=row.vacancy_id, candidate_id=row.candidate_id, direction="candidates", run_id=run_id
        )
    finally:
        live.digests = (cands, vacs)
    assert got.explanation["inputs_changed"] is True and "summary" in got.explanation


def test_bulk_rows_round_trip(rescored) -> None:
    store, _live, run_id = rescored
    rows = store.run_suggestions(run_id)
    assert all(isinstance(r.score, float) and isinstance(r.stretch, bool) for r in rows)
    assert np.all(np.diff([r.rank for r in rows if r.query_id == rows[0].query_id]) == 1)
    assert all(r.created_at.tzinfo is not None for r in rows)
