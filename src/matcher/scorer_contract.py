"""What every scorer shares: the checked feature matrix, the ranking protocol, probabilities from a logit.

Both scorers (:mod:`matcher.scoring`, :mod:`matcher.learned`) build on this module and on nothing
of each other, so neither imports the other.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from sklearn.utils.validation import check_array

from .features import FEATURES


def check_features(X: np.ndarray, min_pairs: int = 0) -> np.ndarray:
    """``X`` as a numeric array, checked to be a finite feature matrix of shape (n_pairs, len(FEATURES)).

    :func:`~sklearn.utils.check_array` refuses sparse, complex, 1-D and empty input with its usual
    messages. Finiteness is checked cheaply first (one float64 sum, which cannot overflow on finite
    float32 values); only when it fails are the columns searched, to name the feature.

    Raises
    ------
    ValueError
        When the input is not a 2-D numeric array of ``len(FEATURES)`` columns (and at least
        ``min_pairs`` rows), or when a value is NaN or infinite (naming the feature and a row).
    """
    if not _plain_feature_matrix(X, min_pairs):  # a scorer call per ranking block: skip sklearn's generic checks
        X = check_array(X, dtype="numeric", ensure_all_finite=False, ensure_min_samples=min_pairs, input_name="X")
    if X.shape[1] != len(FEATURES):
        raise ValueError(f"X must have shape (n_pairs, {len(FEATURES)}); got {X.shape}")
    if X.dtype.kind == "f" and not np.isfinite(X.sum(dtype=np.float64)):
        bad = ~np.isfinite(X)
        column = int(np.flatnonzero(bad.any(axis=0))[0])
        row = int(np.flatnonzero(bad[:, column])[0])
        raise ValueError(
            f"feature {FEATURES[column]!r} is {X[row, column]} (NaN or inf) in row {row}; scorers need finite features"
        )
    return X


def _plain_feature_matrix(X: object, min_pairs: int) -> bool:
    """Whether ``X`` is already what :func:`~sklearn.utils.check_array` would return it as, unchanged."""
    return (
        type(X) is np.ndarray
        and X.ndim == 2
        and X.dtype in _FLOATS
        and X.shape[0] >= min_pairs
        and X.shape[1] == len(FEATURES)
    )


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


class PairScorer(Protocol):
    """What ranking needs from a scorer."""

    version: str

    def predict_fit(self, X: np.ndarray) -> np.ndarray: ...

    def contributions(self, X: np.ndarray) -> np.ndarray: ...


class PlacementProbabilityMixin:
    """``predict_fit``, ``predict_proba`` and ``predict`` from a scorer's ``decision_function`` (a logit)."""

    def predict_fit(self, X: np.ndarray) -> np.ndarray:
        """Probability of a durable placement per pair, shape (n_pairs,), float32."""
        logit = self.decision_function(X)  # type: ignore[attr-defined]
        np.negative(logit, out=logit)
        np.exp(logit, out=logit)
        logit += 1.0
        return np.reciprocal(logit, out=logit)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = self.predict_fit(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_fit(X) >= 0.5).astype(int)
