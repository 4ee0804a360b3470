"""Incremental rescoring after an import equals a full rescoring of the same store."""

from __future__ import annotations

import json
import random

import pytest

from matcher.batch import run_rescoring
from matcher.batch.incremental import rescore_changes
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.settings import Settings
from matcher.store import Store
from profiles_factory import TAX

TOP_K = 4


def settings_for(url: str) -> Settings:
    # a low stretch floor and a small k: many lists are full, many have a stretch part
    return Settings(database_url=url, top_k=TOP_K, block_size=5, n_jobs=1, stretch_floor=0.05)


def current_lists(store: Store) -> dict[tuple[str, str], tuple]:
    """Every current profile's latest stored list: counts and rows (ids, rank, score, flags, explanation)."""
    out = {}
    for direction, ids in (("candidates", store.vacancy_ids()), ("vacancies", store.candidate_ids())):
        counts = store.latest_lists(direction)
        for q in ids:
            rows = store.list_suggestions(
                **({"vacancy_id": q} if direction == "candidates" else {"candidate_id": q}), direction=direction
            )
            out[direction, q] = (
                counts.get(q, (None, None, None))[1:],
                [
                    (
                        r.vacancy_id,
                        r.candidate_id,
                        r.rank,
                        r.score,
                        r.stretch,
                        r.failed,
                        r.distance_km,
                        json.dumps(r.explanation, sort_keys=True),
                        r.model_version,
                    )
                    for r in rows
                ],
            )
    return out


def _store(url: str, cands, personal, vacs) -> Store:
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(cands, personal)
    store.upsert_vacancies(vacs)
    return store


def _changed(profiles, rng: random.Random, n: int) -> list:
    """``n`` profiles given another profile's content under their own id (moved, other skills, ...)."""
    picked = rng.sample(range(len(profiles)), n)
    donors = rng.sample(range(len(profiles)), n)
    return [profiles[d].model_copy(update={"id": profiles[p].id}) for p, d in zip(picked, donors, strict=True)]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("side", ["vacancies", "candidates", "both"])
def test_incremental_rescoring_equals_a_full_one(tmp_path, seed: int, side: str) -> None:
    rng = random.Random(seed)
    pool = generate_pool(n_candidates=420, n_vacancies=40, seed=seed, taxonomy=TAX)
    cands, vacs = pool.candidates[:360], pool.vacancies[:32]
    personal = [p for p in pool.personal if p.candidate_id in {c.id for c in cands}]
    url = f"sqlite:///{tmp_path / 'incremental.sqlite3'}"
    store = _store(url, cands, personal, vacs)
    settings = settings_for(url)
    run_rescoring(store, settings, backend="threading", today=REFERENCE_DATE)

    if side in ("vacancies", "both"):
        store.upsert_vacancies(pool.vacancies[32:] + _changed(vacs, rng, 4))  # 8 new, 4 changed
        for gone in rng.sample([v.id for v in vacs], 2):
            store.delete_vacancy(gone)
    if side in ("candidates", "both"):
        new = pool.candidates[360:]
        store.upsert_candidates(new + _changed(cands, rng, 25))
        for gone in rng.sample([c.id for c in cands], 10):
            store.delete_candidate(gone)
    summary = rescore_changes(store, settings, taxonomy=TAX)
    assert summary.run_id is not None
    assert summary.ranked_candidates < len(store.candidate_ids())  # not a full rescoring in disguise
    assert summary.merged_lists > 0  # some lists come from their stored rows and the new pairs (batch.merge)
    incremental = current_lists(store)

    fresh_url = f"sqlite:///{tmp_path / 'full.sqlite3'}"
    final_c, final_v, _ = store.load_profiles()
    fresh = _store(fresh_url, final_c, [], final_v)
    run_rescoring(fresh, settings_for(fresh_url), backend="threading", today=REFERENCE_DATE)
    full = current_lists(fresh)
    assert incremental.keys() == full.keys()
    differing = [key for key in full if incremental[key] != full[key]]
    assert not differing, (differing[:3], [incremental[k] for k in differing[:1]], [full[k] for k in differing[:1]])
    store.dispose()
    fresh.dispose()


def test_nothing_changed_is_no_run(tmp_path) -> None:
    pool = generate_pool(n_candidates=60, n_vacancies=6, seed=4, taxonomy=TAX)
    url = f"sqlite:///{tmp_path / 'same.sqlite3'}"
    store = _store(url, pool.candidates, pool.personal, pool.vacancies)
    run_rescoring(store, settings_for(url), backend="threading", today=REFERENCE_DATE)
    store.upsert_vacancies(pool.vacancies[:2])  # the same profiles again: nothing changed
    assert rescore_changes(store, settings_for(url), taxonomy=TAX).run_id is None
    with pytest.raises(ValueError, match="full rescoring"):
        store.upsert_vacancies([pool.vacancies[0].model_copy(update={"title": "other"})])
        rescore_changes(store, settings_for(url), today=REFERENCE_DATE.replace(year=2030), taxonomy=TAX)


def test_the_cli_rescores_what_changed(tmp_path, monkeypatch) -> None:
    import contextlib
    import io

    from matcher.cli import main

    pool = generate_pool(n_candidates=80, n_vacancies=8, seed=6, taxonomy=TAX)
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    store = _store(url, pool.candidates, pool.personal, pool.vacancies[:6])
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    monkeypatch.setenv("MATCHER_N_JOBS", "1")

    def run(*argv: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            assert main(list(argv)) == 0
        return out.getvalue()

    today = REFERENCE_DATE.isoformat()
    run("rescore", "--no-progress", "--backend", "threading", "--today", today)
    assert "nothing changed" in run("rescore", "--changed", "--today", today)
    store.upsert_vacancies(pool.vacancies[6:])
    printed = run("rescore", "--changed", "--today", today)
    assert "incremental on run 1" in printed and "vacancies 2 new" in printed
    assert store.list_runs(limit=1)[0].scope == "incremental"
    store.dispose()


def test_replaced_versions_are_kept_and_pruned(tmp_path) -> None:
    from datetime import timedelta

    from matcher.store.base import utcnow

    pool = generate_pool(n_candidates=4, n_vacancies=3, seed=8, taxonomy=TAX)
    store = _store(f"sqlite:///{tmp_path / 'kept.sqlite3'}", pool.candidates, pool.personal, pool.vacancies)
    start = utcnow() - timedelta(seconds=1)
    first = pool.vacancies[0]
    store.upsert_vacancies([first])  # the same content: nothing replaced
    assert store.replaced_since("vacancies", start) == {}
    store.upsert_vacancies([first.model_copy(update={"title": "Heftruckchauffeur"})])
    store.delete_candidate(pool.candidates[1].id)
    [(digest, doc)] = store.replaced_since("vacancies", start).values()
    assert doc["title"] == first.title and len(digest) == 64
    assert list(store.replaced_since("candidates", start)) == [pool.candidates[1].id]
    assert store.prune_replaced(utcnow() + timedelta(seconds=1)) == 2
    assert store.replaced_since("vacancies", start) == {}
    store.dispose()


def test_a_ranker_already_holding_the_profiles_gives_the_same_lists(tmp_path) -> None:
    from matcher.ranking import Ranker

    rng = random.Random(5)
    pool = generate_pool(n_candidates=300, n_vacancies=30, seed=5, taxonomy=TAX)
    cands, vacs = pool.candidates[:260], pool.vacancies[:24]
    stores = []
    for name in ("fresh", "warm"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        store = _store(url, cands, [], vacs)
        run_rescoring(store, settings_for(url), backend="threading", today=REFERENCE_DATE)
        stores.append((store, url))
    changed_v, changed_c = _changed(vacs, rng, 3), _changed(cands, rng, 8)
    for store, _url in stores:
        store.upsert_vacancies(pool.vacancies[24:] + changed_v)
        store.upsert_candidates(pool.candidates[260:] + changed_c)
        store.delete_vacancy(vacs[0].id)
    (fresh, fresh_url), (warm, warm_url) = stores
    rescore_changes(fresh, settings_for(fresh_url), taxonomy=TAX)
    current_c, current_v, _ = warm.load_profiles()
    live = Ranker.from_settings(settings_for(warm_url), TAX, current_c, current_v)  # e.g. the service's pools
    rescore_changes(warm, settings_for(warm_url), taxonomy=TAX, ranker=live)
    assert current_lists(warm) == current_lists(fresh)
    fresh.dispose()
    warm.dispose()
