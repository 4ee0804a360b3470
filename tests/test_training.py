"""Training: the history format, features rebuilt through the real pipeline, grouped CV, artefacts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from matcher.features import FEATURES
from matcher.learned import load_model
from matcher.modelcli import evaluate_command
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.ranking import Ranker
from matcher.training.history import HistoryError, history_pairs, read_history, write_history
from matcher.training.simulate_history import simulate_history
from matcher.training.train import SignedLogistic, grouped_folds, search_hyper_parameters, train
from profiles_factory import TODAY, candidate, vacancy

TINY_GRID = {"max_leaf_nodes": [7], "learning_rate": [0.1], "interaction_cst": ["no_interactions"]}


@pytest.fixture(scope="module")
def tiny_history(tmp_path_factory, taxonomy) -> Path:
    path = tmp_path_factory.mktemp("history") / "history.jsonl"
    simulate_history(path, n_candidates=500, n_vacancies=120, seed=3, taxonomy=taxonomy)
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_history, taxonomy):
    out = tmp_path_factory.mktemp("models")
    with threadpool_limits(limits=1, user_api="openmp"):  # tiny data: threads only spin-wait on a busy machine
        return train(tiny_history, out, seed=1, version="placement-test", grid=TINY_GRID, taxonomy=taxonomy)


def test_simulation_is_deterministic_per_seed(tmp_path, taxonomy, tiny_history) -> None:
    again = tmp_path / "history.jsonl"
    simulate_history(again, n_candidates=500, n_vacancies=120, seed=3, taxonomy=taxonomy)
    assert again.read_bytes() == tiny_history.read_bytes()


def test_simulated_history_is_marked_and_holds_no_personal_data(tiny_history) -> None:
    history = read_history(tiny_history)
    assert history.meta["simulated"] is True and len(history) > 500
    text = tiny_history.read_text(encoding="utf-8")
    assert '"gender"' not in text and '"nationality"' not in text and '"birth_date"' not in text
    assert set(np.unique(history.retained_6m)) <= {-1, 0, 1}
    assert not np.any((history.retained_6m == 1) & ~history.hired)


def test_small_end_to_end_training_writes_every_artefact(trained) -> None:
    directory = trained.directory
    assert sorted(p.name for p in directory.iterdir()) == [
        "metrics.json",
        "model.json",
        "model.npz",
        "model_card.md",
    ]
    model = load_model(directory)
    assert model.version == "placement-test"
    metrics = json.loads((directory / "metrics.json").read_text())
    assert set(metrics["held_out"]) == {"learned", "logistic", "transparent"}
    assert set(metrics["groups"]["learned"]) == {"coaching_need", "dutch_level"}
    assert metrics["data"]["simulated"] is True
    card = (directory / "model_card.md").read_text()
    assert "trained on simulated outcomes" in card and "never a decision" in card


def test_evaluate_uses_the_held_out_vacancies_of_the_training_history(trained, tiny_history) -> None:
    report = evaluate_command(trained.directory, tiny_history)
    assert "held-out vacancies of the training history" in report
    assert f"{trained.metrics['data']['held_out_pairs']} pairs" in report


def test_history_features_match_the_ranker(tmp_path, taxonomy) -> None:
    cands = [candidate("c1", skills=()), candidate("c2", postcode="9050", dutch="A2", coaching_need="intensive")]
    vacs = [vacancy("v1", dutch="B1"), vacancy("v2", postcode="2000", dutch=None)]
    refs = [("c1", "v1"), ("c2", "v1"), ("c2", "v2")]
    path = tmp_path / "history.jsonl"
    placements = [
        {"candidate": c, "vacancy": v, "proposed_on": "2025-01-01", "hired": True, "retained_6m": False}
        for c, v in refs
    ]
    write_history(path, {}, {c.id: c for c in cands}, {v.id: v for v in vacs}, placements)
    rebuilt = history_pairs(read_history(path), taxonomy).X

    encoding = Encoding(taxonomy)
    ranker = Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, vacs), today=TODAY)
    block, _ = ranker.score_block(slice(None), np.arange(2))
    row = {"c1": 0, "c2": 1, "v1": 0, "v2": 1}
    assert np.array_equal(rebuilt, np.stack([block.features[:, row[c], row[v]] for c, v in refs]))


def test_bad_history_lines_are_reported_with_their_line_numbers(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"record": "placement", "candidate": "c", "vacancy": "v", "proposed_on": "2025-01-01", '
        '"hired": false, "retained_6m": true}\nnot json\n{"record": "shoe"}\n',
        encoding="utf-8",
    )
    with pytest.raises(HistoryError) as bad:
        read_history(path)
    message = str(bad.value)
    assert "bad.jsonl:1: 'retained_6m' is true but 'hired' is false" in message
    assert "bad.jsonl:2: not JSON" in message and "bad.jsonl:3:" in message


@given(st.lists(st.integers(0, 30), min_size=20, max_size=200), st.integers(2, 5))
def test_grouped_folds_never_put_a_vacancy_in_two_folds(vacancy_numbers, n_splits) -> None:
    groups = np.array([f"vac-{n:03d}" for n in vacancy_numbers], dtype=object)
    if len(set(vacancy_numbers)) < n_splits:
        return
    seen: dict[str, int] = {}
    for fold, (train_rows, validation_rows) in enumerate(grouped_folds(groups, n_splits)):
        assert not set(groups[train_rows]) & set(groups[validation_rows])
        for vac in set(groups[validation_rows]):
            assert vac not in seen
            seen[vac] = fold
    assert set(seen) == set(groups)


def test_signed_logistic_keeps_the_domain_signs() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(3000, len(FEATURES)))
    # a label that *rises* with a cost feature: the constrained fit must drop it, not follow it
    logit = 3 * X[:, 0] + 2 * X[:, FEATURES.index("commute_ratio")] - 2
    y = (rng.random(3000) < 1 / (1 + np.exp(-logit))).astype(int)
    model = SignedLogistic().fit(X, y)
    assert "commute_ratio" in model.dropped_
    assert model.predict_proba(X).shape == (3000, 2)


def test_search_chooses_only_among_additive_settings() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(600, len(FEATURES))).astype(np.float32)
    y = (X[:, 0] * X[:, 1] + rng.normal(0, 0.1, 600) > 0.3).astype(int)  # interactions would fit better
    groups = np.arange(600) % 60
    grid = {
        "max_leaf_nodes": [7],
        "learning_rate": [0.1],
        "interaction_cst": [None, "no_interactions"],
        "max_iter": [10],
    }
    with threadpool_limits(limits=1, user_api="openmp"):
        best, table = search_hyper_parameters(X, y, groups, seed=0, grid=grid, n_splits=3)
        assert best["interaction_cst"] == "no_interactions" and len(table) == 2
        with pytest.raises(ValueError, match="no_interactions"):
            search_hyper_parameters(X, y, groups, seed=0, grid={**grid, "interaction_cst": [None]}, n_splits=3)
