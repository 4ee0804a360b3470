"""Scorers: pair features in, the probability of a durable placement out.

Every scorer is a scikit-learn estimator over the feature matrix ``X`` (pairs × :data:`FEATURES`)
with ``predict_proba`` and a fast one-column ``predict_fit``. :class:`TransparentScorer` is a
logistic function of documented weights, monotone in every feature by construction (the signs are
checked in ``fit``): the baseline, chosen with ``MATCHER_SCORER=transparent``. The default is the
placement model shipped inside the package (:mod:`matcher.learned`). :func:`load_scorer` is the one
way the CLI, the service and batch get their scorer from the settings.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_X_y

from .features import FEATURES, INCREASING
from .learned import load_model, load_shipped_model
from .scorer_contract import PairScorer, PlacementProbabilityMixin, check_features
from .settings import Settings

__all__ = [
    "DEFAULT_INTERCEPT",
    "DEFAULT_WEIGHTS",
    "PairScorer",
    "PlacementProbabilityMixin",
    "TransparentScorer",
    "check_features",
    "default_scorer",
    "load_scorer",
]

DEFAULT_INTERCEPT = -3.0
DEFAULT_WEIGHTS: Mapping[str, float] = {
    # Logit points per unit of the feature. Competences and the support-aware language and
    # coaching terms dominate, as they decide whether a placement lasts (DESIGN.md); a bridged
    # language step costs a third of an open one, so offering support always helps.
    "must_coverage": 3.0,
    "other_coverage": 0.8,
    "trainable_gap": -0.6,
    "missing_must_skills": -2.5,
    "language_gap_open": -1.0,
    "language_gap_bridged": -0.35,
    "coaching_unmet": -1.0,
    "commute_ratio": -1.2,
    "hours_fit": 0.8,
    "shift_fit": 0.6,
    "experience_gap_years": -0.4,
    "occupation_match": 1.0,
    "licence_missing": -1.5,
    "education_gap": -0.5,
}


class TransparentScorer(PlacementProbabilityMixin, ClassifierMixin, BaseEstimator):
    """Logistic score over documented weights; the default, explainable scorer.

    Parameters
    ----------
    weights : mapping of feature name to logit weight, optional
        Defaults to :data:`DEFAULT_WEIGHTS`. A weight whose sign contradicts the feature's
        direction (:data:`matcher.features.INCREASING`) is refused, so the score stays monotone.
    intercept : float
        Logit of a pair whose features are all zero.

    Example
    -------
    >>> import numpy as np
    >>> scorer = TransparentScorer().fit()
    >>> scorer.predict_fit(np.zeros((1, len(FEATURES)), dtype=np.float32)).round(3)
    array([0.047], dtype=float32)
    """

    version = "transparent-1"

    def __init__(self, weights: Mapping[str, float] | None = None, intercept: float = DEFAULT_INTERCEPT) -> None:
        self.weights = weights
        self.intercept = intercept

    def fit(self, X: np.ndarray | None = None, y: np.ndarray | None = None) -> TransparentScorer:
        """Check and freeze the weights; the transparent scorer learns nothing from data.

        ``X`` and ``y`` are optional; when given they are validated like any estimator's input
        (so a pipeline that passes data learns early that it is malformed), then ignored.
        """
        if X is not None:
            if y is not None:
                X, y = check_X_y(X, y, dtype="numeric")
                check_classification_targets(y)
            check_features(X, min_pairs=1)
        weights = dict(DEFAULT_WEIGHTS if self.weights is None else self.weights)
        unknown = sorted(set(weights) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown feature {unknown[0]!r} in weights; features are {', '.join(FEATURES)}")
        for name, weight in weights.items():
            if (name in INCREASING and weight < 0) or (name not in INCREASING and weight > 0):
                direction = "non-negative" if name in INCREASING else "non-positive"
                raise ValueError(f"weight for {name!r} must be {direction} to keep the score monotone; got {weight}")
        self.coef_ = np.array([weights.get(name, 0.0) for name in FEATURES], dtype=np.float32)
        self.intercept_ = np.float32(self.intercept)
        self.classes_ = np.array([0, 1])
        self.feature_names_in_ = np.array(FEATURES, dtype=object)
        self.n_features_in_ = len(FEATURES)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Logit per pair, accumulated feature by feature in a fixed order.

        The fixed order (rather than a BLAS product) makes a pair's score bitwise identical in
        whatever block it is computed, so both ranking directions agree exactly.
        """
        check_is_fitted(self, "coef_")
        X = check_features(X)
        logit = np.full(X.shape[0], self.intercept_, dtype=np.float32)
        for j, weight in enumerate(self.coef_):
            if weight != 0:
                logit += weight * X[:, j]
        return logit

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Logit contribution of each feature per pair (n_pairs, F): the explanation's weights."""
        check_is_fitted(self, "coef_")
        return check_features(X).astype(np.float32) * self.coef_[None, :]


def default_scorer() -> TransparentScorer:
    return TransparentScorer().fit()


def load_scorer(settings: Settings) -> PairScorer:
    """The scorer the settings ask for; never a silent stand-in.

    ``settings.scorer == "transparent"`` gives :class:`TransparentScorer`. Otherwise the placement
    model: from ``settings.model_dir`` when set, else the one shipped inside the package. A model
    that is missing or fails its checks raises (``ModelNotFoundError``, ``ModelIntegrityError``)
    rather than falling back to the transparent scorer, so every install scores the same or says
    why it cannot.
    """
    if settings.scorer == "transparent":
        return default_scorer()
    if settings.model_dir is not None:
        return load_model(settings.model_dir)
    return load_shipped_model()
