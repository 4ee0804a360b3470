"""The transparent scorer's own rules: monotone weights only, input validated when given.

What every scorer must do (monotone, NaN refused, probabilities) is in test_scorer_contract.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from matcher.features import FEATURES
from matcher.scoring import TransparentScorer


def test_weight_with_wrong_sign_is_refused() -> None:
    with pytest.raises(ValueError, match=r"must_coverage.*non-negative"):
        TransparentScorer(weights={"must_coverage": -1.0}).fit()
    with pytest.raises(ValueError, match="unknown feature 'charm'"):
        TransparentScorer(weights={"charm": 1.0}).fit()


def test_data_given_to_fit_is_validated_then_ignored() -> None:
    X = np.zeros((4, len(FEATURES)), dtype=np.float32)
    fitted = TransparentScorer().fit(X, np.array([0, 1, 0, 1]))
    assert np.array_equal(fitted.coef_, TransparentScorer().fit().coef_)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        TransparentScorer().fit(X, np.array([0, 1]))
    with pytest.raises(ValueError, match="Unknown label type"):
        TransparentScorer().fit(X, np.array([0.2, 0.5, 0.1, 0.9]))
    with pytest.raises(ValueError, match="shape"):
        TransparentScorer().fit(X[:, :3])
