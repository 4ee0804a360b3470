"""The learned scorer's own parts: lookup tables compiled from the trees, fitting rules, what a loaded model holds.

What every scorer must do (monotone, NaN refused, both directions alike) is in test_scorer_contract.py;
the model files and their integrity in test_model_files.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from matcher.features import FEATURES, F
from matcher.learned import LearnedScorer, load_shipped_model


@pytest.fixture(scope="module")
def additive() -> tuple[LearnedScorer, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 2, size=(3000, len(FEATURES))).astype(np.float32)
    logit = 2 * X[:, F["must_coverage"]] - X[:, F["language_gap_open"]] - X[:, F["trainable_gap"]]
    y = (logit + rng.logistic(size=3000) > 0.5).astype(int)
    with threadpool_limits(limits=1, user_api="openmp"):  # small data: threads only spin-wait on a busy machine
        return LearnedScorer(max_iter=30, interaction_cst="no_interactions").fit(X, y), X


def test_lookup_tables_match_the_trees(additive) -> None:
    scorer, _ = additive
    X = np.random.default_rng(2).uniform(0, 3, size=(5000, len(FEATURES))).astype(np.float32)
    trees = scorer.calibration_slope_ * scorer.model_.decision_function(X) + scorer.calibration_offset_
    assert np.abs(scorer.decision_function(X) - trees).max() < 1e-4


def test_a_model_with_interactions_walks_its_trees(additive) -> None:
    _, X = additive
    y = (X[:, F["must_coverage"]] * X[:, F["hours_fit"]] > 1).astype(int)
    with threadpool_limits(limits=1, user_api="openmp"):
        scorer = LearnedScorer(max_iter=10).fit(X, y)
    assert scorer.step_tables_ is None
    assert np.allclose(scorer.decision_function(X[:50]), scorer._logit(X[:50]), atol=1e-6)


def test_calibration_share_outside_zero_one_is_refused(additive) -> None:
    _, X = additive
    with pytest.raises(ValueError, match="calibration_share must be between 0 and 1"):
        LearnedScorer(calibration_share=1.0).fit(X, np.arange(len(X)) % 2)


def test_the_loaded_model_holds_only_tables_and_provenance() -> None:
    shipped = load_shipped_model()
    assert not hasattr(shipped, "model_")  # no trees, so nothing of scikit-learn's internals is read at load
    assert len(shipped.step_tables_) == len(FEATURES)
    assert set(shipped.trained_with_) == {"python", "scikit-learn", "numpy"}
