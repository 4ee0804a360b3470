"""Encoded pools on disk: a run after an import encodes only what changed, and ranks as a fresh encoding."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.batch.pools import MAX_TOMBSTONE_SHARE, encoded_pools, snapshot_path
from matcher.batch.work import suggestion_arrays
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.pool import CandidatePool, Encoding
from matcher.pool.snapshot import load_snapshot, save_snapshot
from matcher.ranking import Ranker, top_candidates_arrays, top_vacancies_arrays
from matcher.settings import Settings
from matcher.store import Store
from profiles_factory import TAX


@pytest.fixture()
def filled(tmp_path):
    pool = generate_pool(n_candidates=400, n_vacancies=40, seed=7, taxonomy=TAX)
    url = f"sqlite:///{tmp_path / 'pools.sqlite3'}"
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(pool.candidates)
    store.upsert_vacancies(pool.vacancies)
    yield store, pool, Settings(database_url=url)
    store.dispose()


def rankings(ranker: Ranker) -> list:
    """Every list both ways as ids, ranks, scores and flags: what a run stores."""
    out = []
    for ranked in (
        top_candidates_arrays(ranker, list(ranker.vacancies.ids_active()), k=8),
        top_vacancies_arrays(ranker, list(ranker.candidates.ids_active()), k=8),
    ):
        arrays = suggestion_arrays(ranker, ranked)
        out.append(
            [
                arrays.query_ids.tolist(),
                arrays.strict_count.tolist(),
                arrays.stretch_count.tolist(),
                arrays.vacancy_ids.tolist(),
                arrays.candidate_ids.tolist(),
                arrays.rank.tolist(),
                arrays.score.tobytes(),
                arrays.stretch.tolist(),
                arrays.failed.tolist(),
                arrays.distance_km.tobytes(),
            ]
        )
    return out


def fresh_rankings(store: Store) -> list:
    candidates, vacancies, _ = store.load_profiles()
    return rankings(Ranker.from_profiles(TAX, candidates, vacancies, today=REFERENCE_DATE))


def ranker_of(pools) -> Ranker:
    return Ranker(pools.candidates, pools.vacancies, today=REFERENCE_DATE)


def test_first_load_encodes_everything_saves_and_ranks_as_profiles_do(filled) -> None:
    store, pool, settings = filled
    path = snapshot_path(settings, store.url)
    assert path is not None and path.name == "pools.sqlite3.pools"
    pools, digest, sync = encoded_pools(store, TAX, path)
    assert (sync.from_snapshot, sync.encoded, sync.saved) == (False, (400, 40), True)
    assert digest == store.snapshot()
    assert rankings(ranker_of(pools)) == fresh_rankings(store)
    with pytest.raises(LookupError, match="arrays only"):
        pools.candidates.profile(pool.candidates[0].id)


def changed_ids(before: dict[str, str], after: dict[str, str]) -> int:
    return sum(1 for i, d in after.items() if before.get(i) != d)


def import_changes(store: Store, pool, seed: int, n_moved: int) -> None:
    """Candidates given other candidates' content, new ones, a changed vacancy, and deletions both sides."""
    rng = random.Random(seed)
    cands, vacs = pool.candidates, pool.vacancies
    picked, donors = rng.sample(range(len(cands)), n_moved), rng.sample(range(len(cands)), n_moved)
    moved = [cands[d].model_copy(update={"id": cands[p].id}) for p, d in zip(picked, donors, strict=True)]
    extra = generate_pool(n_candidates=5, n_vacancies=0, seed=99, taxonomy=TAX)
    store.upsert_candidates(moved + [c.model_copy(update={"id": f"new-{i}"}) for i, c in enumerate(extra.candidates)])
    store.upsert_vacancies([vacs[0].model_copy(update={"id": vacs[1].id})])
    store.delete_candidate(cands[picked[0]].id)
    store.delete_vacancy(vacs[2].id)


def test_after_an_import_only_changed_profiles_are_encoded(filled) -> None:
    store, pool, settings = filled
    path = snapshot_path(settings, store.url)
    encoded_pools(store, TAX, path)
    before = store.profile_digests()
    import_changes(store, pool, seed=3, n_moved=12)
    after = store.profile_digests()

    pools, digest, sync = encoded_pools(store, TAX, path)
    assert sync.from_snapshot and sync.saved
    assert sync.encoded == (changed_ids(before[0], after[0]), changed_ids(before[1], after[1]))
    assert 5 < sync.encoded[0] < 20 and sync.encoded[1] == 1
    assert sync.removed == (1, 1)
    assert digest == store.snapshot()
    assert rankings(ranker_of(pools)) == fresh_rankings(store)
    # the snapshot on disk is the updated one: loading it again encodes nothing and saves nothing
    again, digest_again, sync_again = encoded_pools(store, TAX, path)
    assert (sync_again.from_snapshot, sync_again.encoded, sync_again.removed, sync_again.saved) == (
        True,
        (0, 0),
        (0, 0),
        False,
    )
    assert digest_again == digest
    assert rankings(ranker_of(again)) == rankings(ranker_of(pools))


def test_too_many_replaced_rows_encode_everything_again(filled) -> None:
    store, pool, settings = filled
    path = snapshot_path(settings, store.url)
    encoded_pools(store, TAX, path)
    import_changes(store, pool, seed=4, n_moved=int(400 * MAX_TOMBSTONE_SHARE) + 60)
    pools, _, sync = encoded_pools(store, TAX, path)
    assert not sync.from_snapshot
    assert sync.encoded == (len(store.candidate_ids()), len(store.vacancy_ids()))
    assert pools.tombstones == 0
    assert rankings(ranker_of(pools)) == fresh_rankings(store)


def test_a_snapshot_of_another_encoding_or_a_damaged_file_is_ignored_and_rewritten(filled, tmp_path) -> None:
    store, _, settings = filled
    path = snapshot_path(settings, store.url)
    assert path is not None
    encoded_pools(store, TAX, path)
    with open(path, "rb") as f:
        state = pickle.load(f)
    state["key"] = "another encoding"
    with open(path, "wb") as f:
        pickle.dump(state, f)
    assert load_snapshot(path, TAX) is None
    assert not encoded_pools(store, TAX, path)[2].from_snapshot
    assert load_snapshot(path, TAX) is not None  # rewritten with this encoding's key
    path.write_bytes(b"not a pickle")
    assert load_snapshot(path, TAX) is None
    assert load_snapshot(tmp_path / "absent.pools", TAX) is None


def test_a_profile_written_while_pools_load_changes_the_digest(filled, monkeypatch) -> None:
    """The digest is of the versions read, so a run's snapshot check catches an import racing the load."""
    store, pool, _ = filled
    read = store.profile_batches
    late = pool.candidates[1].model_copy(update={"id": pool.candidates[0].id})

    def racing(kind, ids=None, batch_size=20_000):
        if kind == "candidates":
            store.upsert_candidates([late])  # after the digests were read, before the profiles are
        yield from read(kind, ids, batch_size)

    monkeypatch.setattr(store, "profile_batches", racing)
    before = store.snapshot()
    _, digest, _ = encoded_pools(store, TAX, None)
    assert digest != before and digest == store.snapshot()


def test_snapshot_round_trip_keeps_language_columns_and_arrays(filled, tmp_path) -> None:
    store, _, _ = filled
    pools, _, _ = encoded_pools(store, TAX, None)
    save_snapshot(tmp_path / "p.pools", pools, TAX)
    loaded = load_snapshot(tmp_path / "p.pools", TAX)
    assert loaded is not None
    assert loaded.candidates.encoding is loaded.vacancies.encoding
    assert loaded.candidates.encoding.languages.codes == pools.candidates.encoding.languages.codes
    for side in ("candidates", "vacancies"):
        a, b = getattr(pools, side).arrays(), getattr(loaded, side).arrays()
        for name in vars(a):
            x, y = getattr(a, name), getattr(b, name)
            if sp.issparse(x):
                assert x.shape == y.shape and (x != y).nnz == 0, name
            elif isinstance(x, np.ndarray):
                assert np.array_equal(x, y), name
    assert loaded.digests == pools.digests


def test_snapshot_path_follows_the_settings(tmp_path) -> None:
    assert snapshot_path(Settings(), "postgresql://u@h/db") is None
    assert snapshot_path(Settings(), "sqlite://") is None
    on_dir = snapshot_path(Settings(pool_dir=tmp_path), "postgresql://u@h/db")
    assert on_dir is not None and on_dir.parent == tmp_path
    assert on_dir != snapshot_path(Settings(pool_dir=tmp_path), "postgresql://u@h/other")


def test_an_arrays_only_pool_says_where_profiles_are() -> None:
    pool = CandidatePool(Encoding(TAX), generate_pool(3, 0, seed=1, taxonomy=TAX).candidates, keep_profiles=False)
    with pytest.raises(LookupError, match="read profile 'cand-000001' from the store"):
        pool.profile("cand-000001")
