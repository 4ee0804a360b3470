"""Train the learned scorer from a placement history and write the model folder.

Steps, each explicit so a reviewer can follow what the shipped figures rest on:

1. Read the history file unchanged (:mod:`matcher.training.history`); rebuild every pair's features from
   the profile snapshots through the real feature pipeline.
2. Hold out :data:`TEST_SHARE` of the vacancies for the report, chosen by a hash of the vacancy
   id, so the split does not depend on file order and ``matcher evaluate`` finds it again.
3. Choose hyper-parameters by grouped cross-validation on the rest (folds by vacancy, so no
   vacancy is in two folds), scored by log loss: the score is read as a probability.
4. Fit :class:`matcher.learned.LearnedScorer` (monotone boosting, Platt calibration on a held-out
   share of the remaining vacancies); fit a sign-constrained logistic regression; take the
   transparent default as it is.
5. Evaluate all three on the held-out vacancies, overall and per group, and write
   ``<out>/<version>/{model.npz, model.json, metrics.json, model_card.md}``: the additive model's
   lookup tables as plain arrays (:func:`matcher.learned.save_model`), never a pickle.

The target is ``retained_6m``: hired and still employed 6 months later.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted, check_X_y

from matcher.features import FEATURES
from matcher.learned import DEFAULT_MODEL_VERSION, LearnedScorer, monotone_constraints, save_model, support_aware_gaps
from matcher.scoring import TransparentScorer
from matcher.taxonomy import Taxonomy, load_taxonomy

from .evaluate import evaluate_scorers, file_digest, held_out_rows
from .history import history_pairs, read_history
from .model_card import model_card

TEST_SHARE = 0.2
SPLIT_SALT = "matcher-holdout-1"
CV_FOLDS = 4
PARAM_GRID: dict[str, list] = {
    "max_leaf_nodes": [7, 15],
    "learning_rate": [0.05, 0.1],
    "interaction_cst": [None, "no_interactions"],
}
"""Searched by grouped CV; the rest of :class:`LearnedScorer`'s parameters keep their defaults.

Settings with interactions are scored for comparison, but only an additive one can be chosen: the
model is stored as lookup tables (plain arrays, no pickle), which only an additive model has."""


def grouped_folds(groups: np.ndarray, n_splits: int = CV_FOLDS) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train rows, validation rows) per fold; every group falls in exactly one validation fold."""
    return list(GroupKFold(n_splits=n_splits).split(np.zeros(len(groups)), groups=groups))


def search_hyper_parameters(
    X: np.ndarray,
    y: np.ndarray,
    groups: np.ndarray,
    seed: int,
    grid: dict[str, list] | None = None,
    n_splits: int = CV_FOLDS,
) -> tuple[dict, list[dict]]:
    """Best boosting parameters by grouped-CV log loss, and the table of every candidate setting."""
    grid = PARAM_GRID if grid is None else grid
    search = GridSearchCV(
        LearnedScorer(random_state=seed).boosted_pipeline(),
        {f"boost__{k}": v for k, v in grid.items()},
        scoring=["neg_log_loss", "roc_auc"],
        refit=False,
        cv=grouped_folds(groups, n_splits),
        n_jobs=1,
    )
    search.fit(X, y)
    results = search.cv_results_
    table: list[dict[str, Any]] = [
        {
            "params": {k.removeprefix("boost__"): v for k, v in params.items()},
            "log_loss": round(-float(results["mean_test_neg_log_loss"][i]), 5),
            "log_loss_sd": round(float(results["std_test_neg_log_loss"][i]), 5),
            "roc_auc": round(float(results["mean_test_roc_auc"][i]), 4),
        }
        for i, params in enumerate(results["params"])
    ]
    additive = np.array([params.get("boost__interaction_cst") == "no_interactions" for params in results["params"]])
    if not additive.any():
        raise ValueError("the hyper-parameter grid needs an interaction_cst='no_interactions' setting to choose from")
    best = int(np.argmax(np.where(additive, results["mean_test_neg_log_loss"], -np.inf)))
    return table[best]["params"], table


class SignedLogistic(ClassifierMixin, BaseEstimator):
    """Logistic regression whose coefficients keep the domain's sign, the baseline model.

    On the support-aware features (:func:`matcher.learned.support_aware_gaps`), standardised. A
    feature whose coefficient comes out with the wrong sign is dropped and the rest refitted, until
    every sign agrees (an active-set fit): the baseline stays monotone, like the other two.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of :class:`~sklearn.linear_model.LogisticRegression`.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: np.ndarray, y: np.ndarray) -> SignedLogistic:
        X, y = check_X_y(X, y)
        Z = support_aware_gaps(X)
        signs = np.array(monotone_constraints())
        kept = np.ones(Z.shape[1], dtype=bool)
        while True:
            scaler = StandardScaler().fit(Z[:, kept])
            model = LogisticRegression(C=self.C, max_iter=1000).fit(scaler.transform(Z[:, kept]), y)
            wrong = model.coef_[0] * signs[kept] < 0
            if not wrong.any():
                break
            worst = np.flatnonzero(kept)[np.argmax(np.where(wrong, np.abs(model.coef_[0]), -1))]
            kept[worst] = False
        self.kept_ = kept
        self.scaler_, self.model_ = scaler, model
        self.dropped_ = [FEATURES[j] for j in np.flatnonzero(~kept)]
        self.classes_ = np.array([0, 1])
        return self

    def predict_fit(self, X: np.ndarray) -> np.ndarray:
        check_is_fitted(self, "model_")
        Z = support_aware_gaps(X)[:, self.kept_]
        return self.model_.predict_proba(self.scaler_.transform(Z))[:, 1].astype(np.float32)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = self.predict_fit(X)
        return np.column_stack([1.0 - p, p])


@dataclass
class TrainResult:
    """What :func:`train` wrote and the figures it measured."""

    directory: Path
    metrics: dict

    def summary(self) -> str:
        m = self.metrics["held_out"]
        lines = [
            f"model {self.metrics['version']} written to {self.directory} "
            f"({self.metrics['training_seconds']:.0f} s, {self.metrics['model_bytes'] / 1024:.0f} KiB)",
            f"held-out: {m['learned']['pairs']} pairs of {self.metrics['data']['held_out_vacancies']} vacancies",
        ]
        for name, row in m.items():
            lines.append(
                f"  {name:<12} ROC AUC {row['roc_auc']:.4f}  Brier {row['brier']:.4f}  "
                f"NDCG@10 {row['ndcg@10']:.4f}  recall@10 {row['recall@10']:.4f}"
            )
        for name, row in self.metrics["comparisons"].items():
            lines.append(
                f"  {name}: NDCG@10 {row['ndcg@10']['difference']:+.4f} {row['ndcg@10']['ci95']}, "
                f"Brier {row['brier']['difference']:+.4f} {row['brier']['ci95']} (95 % CI over vacancies)"
            )
        return "\n".join(lines)


def train(
    history: Path,
    out: Path,
    seed: int = 0,
    version: str = DEFAULT_MODEL_VERSION,
    grid: dict[str, list] | None = None,
    taxonomy: Taxonomy | None = None,
) -> TrainResult:
    """Train, evaluate and write ``out/<version>/`` from a history file; see the module docstring."""
    started = time.perf_counter()
    hist = read_history(history)
    data = history_pairs(hist, taxonomy if taxonomy is not None else load_taxonomy())
    held = held_out_rows(data, TEST_SHARE, SPLIT_SALT)
    dev = np.setdiff1d(np.arange(len(data.retained)), held)
    if len(held) == 0 or len(dev) == 0:
        raise ValueError(f"{history}: too few vacancies to hold {TEST_SHARE:.0%} of them out for evaluation")
    X, y, groups = data.X[dev], data.retained[dev], data.vacancy_id[dev]
    best, cv_table = search_hyper_parameters(X, y, groups, seed, grid)
    learned = LearnedScorer(version=version, random_state=seed, **best).fit(X, y, groups=groups)
    logistic = SignedLogistic().fit(X, y)
    scorers = {"learned": learned, "logistic": logistic, "transparent": TransparentScorer().fit()}
    report = evaluate_scorers(scorers, data, held)
    training_seconds = time.perf_counter() - started

    directory = Path(out) / version
    model_path = save_model(learned, directory)
    metrics = {
        "version": version,
        "target": "retained_6m: hired and still employed 6 months after the proposal",
        "features": list(FEATURES),
        "monotone_constraints": monotone_constraints(),
        "data": {
            "history_file": Path(history).name,
            "history_sha256": file_digest(Path(history)),
            "simulated": bool(hist.meta.get("simulated", False)),
            "meta": hist.meta,
            "proposals": len(hist),
            "pairs_with_outcome": len(data.retained),
            "outcome_not_yet_known": int((hist.retained_6m < 0).sum()),
            "hired_rate": round(float(data.hired.mean()), 4),
            "retained_rate": round(float(data.retained.mean()), 4),
            "vacancies": len(set(data.vacancy_id.tolist())),
            "candidates": len(set(data.candidate_id.tolist())),
            "held_out_vacancies": len(set(data.vacancy_id[held].tolist())),
            "held_out_pairs": len(held),
            "split": {"test_share": TEST_SHARE, "salt": SPLIT_SALT},
        },
        "hyper_parameters": {
            **best,
            "max_iter": learned.max_iter,
            "min_samples_leaf": learned.min_samples_leaf,
            "l2_regularization": learned.l2_regularization,
            "calibration_share": learned.calibration_share,
            "random_state": seed,
        },
        "cross_validation": {
            "folds": CV_FOLDS,
            "grouped_by": "vacancy",
            "selected_by": "log_loss among additive settings",
            "grid": cv_table,
        },
        "calibration": {
            "method": "Platt scaling on held-out vacancies",
            "slope": round(learned.calibration_slope_, 5),
            "offset": round(learned.calibration_offset_, 5),
        },
        "logistic_dropped_features": logistic.dropped_,
        **report,
        "training_seconds": round(training_seconds, 1),
        "model_bytes": model_path.stat().st_size,
        "environment": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
        },
    }
    (directory / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (directory / "model_card.md").write_text(model_card(metrics), encoding="utf-8")
    return TrainResult(directory, metrics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the learned scorer from a placement history.")
    parser.add_argument("--history", type=Path, required=True, help="history file (JSON Lines, optionally .gz)")
    parser.add_argument("--out", type=Path, default=Path("models"), help="models folder (default: models)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--version", default=DEFAULT_MODEL_VERSION)
    args = parser.parse_args(argv)
    print(train(args.history, args.out, args.seed, args.version).summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
