"""The learned scorer: monotone gradient boosting, calibrated, loaded only from a file we wrote.

:class:`LearnedScorer` has the interface of :class:`matcher.scoring.TransparentScorer`
(``predict_fit``, ``predict_proba``, ``decision_function``, ``contributions``, ``version``), so
ranking, explanations and stored suggestions do not care which one they get. It is a
scikit-learn pipeline over the feature pipeline's output:

1. :func:`support_aware_gaps` re-expresses two pairs of features as totals, so that monotone
   constraints on the model's inputs also guarantee what the scoring issue demands of support:
   turning an open language step into a bridged one, or a missing competence into a trainable one,
   never lowers the score;
2. a :class:`~sklearn.ensemble.HistGradientBoostingClassifier` with ``monotonic_cst`` from
   :data:`matcher.features.INCREASING` (+1 where more is better, -1 for every cost);
3. Platt scaling fitted on a held-out share of vacancies, a strictly increasing map, so it keeps
   both the ranking and the monotonicity of the boosted model.

When boosting is additive (``interaction_cst="no_interactions"``: each tree splits on one input),
the model is a sum of one step function per input. ``fit`` then compiles it into lookup tables
(the split thresholds per input, the calibrated logit on each step) and checks the tables against
the boosted model on the training rows; ``predict_fit`` uses them, about 20 times faster than
walking 200 trees per pair. Otherwise the trees are walked.

A saved model is those tables, never a pickle: :func:`save_model` writes them as plain arrays with
a metadata file (:mod:`matcher.modelfile`), and :func:`load_model` reads them back without
scikit-learn's trees, so loading cannot run code and predicting does not depend on the installed
scikit-learn (its version is recorded for provenance only). The shipped model lives inside the
package (``matcher/models/<version>/``) and its digests are recorded here, in
:data:`SHIPPED_MODEL_SHA256`.
"""

from __future__ import annotations

import platform
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_X_y

from .features import FEATURES, INCREASING, F
from .modelfile import (
    ModelIntegrityError,
    ModelMetadata,
    ModelNotFoundError,
    Resource,
    read_model_files,
    write_model_files,
)
from .scorer_contract import PlacementProbabilityMixin, check_features

DEFAULT_MODEL_VERSION = "placement-2026.11"
SHIPPED_MODEL_SHA256 = {
    "model.npz": "5d86d2285d45e97e35fc44bf18aa5b0972f87fb7aaa1d8f9563f7128a380bca4",
    "model.json": "390371f8b3f01f2e58a8eb450b67108ebed31e3209188f9489b0b6f8e1e01e32",
}
"""Digests of the model shipped in ``matcher/models/<DEFAULT_MODEL_VERSION>/``, recorded in code: a
shipped model whose files were rewritten, even consistently with each other, is refused."""
ESTIMATOR = "matcher.learned.LearnedScorer"

_CONTRIBUTION_CHUNK = 20_000

GAP_TOTALS = {F["trainable_gap"]: F["missing_must_skills"], F["language_gap_bridged"]: F["language_gap_open"]}
"""Model inputs that :func:`support_aware_gaps` turns into totals: column -> open part added to it."""


def support_aware_gaps(X: np.ndarray) -> np.ndarray:
    """Features with ``trainable_gap`` and ``language_gap_bridged`` replaced by gap totals.

    The model sees the open part of each gap and the total gap (open + trainable, open +
    bridged). With a -1 constraint on both, moving a step from open to bridged lowers only the
    open part, so support can only raise the score, and any larger gap can only lower it. Without
    this, two separate cost features could trade off the wrong way where data are thin.

    Parameters
    ----------
    X : ndarray of shape (n_pairs, len(FEATURES))

    Returns
    -------
    ndarray of float64, the same shape: the boosted model's input dtype, so it is not copied again.
    """
    out = np.array(X, dtype=np.float64)
    for total, open_part in GAP_TOTALS.items():
        out[:, total] += out[:, open_part]
    return out


def monotone_constraints() -> list[int]:
    """+1 for each feature where more is better, -1 for each cost, in :data:`FEATURES` order."""
    return [1 if name in INCREASING else -1 for name in FEATURES]


class LearnedScorer(PlacementProbabilityMixin, ClassifierMixin, BaseEstimator):
    """Calibrated, monotone gradient boosting over the pair features: P(placement lasts 6 months).

    Parameters
    ----------
    version : str
        Model version recorded with every stored suggestion, e.g. ``"placement-2026.11"``.
    learning_rate, max_iter, max_leaf_nodes, min_samples_leaf, l2_regularization, interaction_cst
        Passed to :class:`~sklearn.ensemble.HistGradientBoostingClassifier` (early stopping is
        off, so ``max_iter`` is the number of trees and a seed gives the same model).
    calibration_share : float
        Share of the groups (vacancies) held out of boosting to fit the Platt calibration.
    random_state : int
        Seed of the calibration split and of the boosting.

    Example
    -------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(0, 1, size=(400, len(FEATURES))).astype(np.float32)
    >>> y = (X[:, F["must_coverage"]] + rng.normal(0, 0.3, 400) > 0.5).astype(int)
    >>> scorer = LearnedScorer(max_iter=20).fit(X, y)
    >>> scorer.predict_fit(X[:2]).shape
    (2,)
    """

    step_tables_: list[tuple[np.ndarray, np.ndarray]] | None  # set by fit or load_model; None: walk the trees

    def __init__(
        self,
        version: str = "placement-dev",
        learning_rate: float = 0.1,
        max_iter: int = 200,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 40,
        l2_regularization: float = 1.0,
        interaction_cst: str | None = None,
        calibration_share: float = 0.2,
        random_state: int = 0,
    ) -> None:
        self.version = version
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.interaction_cst = interaction_cst
        self.calibration_share = calibration_share
        self.random_state = random_state

    def boosted_pipeline(self) -> Pipeline:
        """The unfitted feature transform + monotone boosting pipeline these parameters describe."""
        return Pipeline(
            [
                ("gaps", FunctionTransformer(support_aware_gaps)),
                (
                    "boost",
                    HistGradientBoostingClassifier(
                        learning_rate=self.learning_rate,
                        max_iter=self.max_iter,
                        max_leaf_nodes=self.max_leaf_nodes,
                        min_samples_leaf=self.min_samples_leaf,
                        l2_regularization=self.l2_regularization,
                        interaction_cst=self.interaction_cst,
                        monotonic_cst=monotone_constraints(),
                        early_stopping=False,
                        random_state=self.random_state,
                    ),
                ),
            ]
        )

    def fit(self, X: np.ndarray, y: np.ndarray, groups: np.ndarray | None = None) -> LearnedScorer:
        """Boost on most groups, then calibrate on the held-out ones.

        Parameters
        ----------
        X : ndarray of shape (n_pairs, len(FEATURES))
        y : ndarray of shape (n_pairs,), 1 when the placement lasted 6 months
        groups : ndarray of shape (n_pairs,), optional
            The vacancy of each pair: calibration holds out whole vacancies, so it is fitted on
            pairs the boosting never saw anything of. Default: every pair its own group.
        """
        if not 0.0 < self.calibration_share < 1.0:
            raise ValueError(f"calibration_share must be between 0 and 1 (exclusive); got {self.calibration_share}")
        X, y = check_X_y(X, y, dtype=np.float32)
        check_classification_targets(y)
        check_features(X, min_pairs=1)
        groups = np.arange(len(y)) if groups is None else np.asarray(groups)
        split = GroupShuffleSplit(n_splits=1, test_size=self.calibration_share, random_state=self.random_state)
        boost_rows, calibration_rows = next(split.split(X, y, groups))
        if len(np.unique(y[calibration_rows])) < 2 or len(np.unique(y[boost_rows])) < 2:
            raise ValueError(
                "both the boosting and the calibration share need placements that lasted and "
                "placements that did not; give more history or another calibration_share"
            )
        self.model_ = self.boosted_pipeline().fit(X[boost_rows], y[boost_rows])
        raw = self.model_.decision_function(X[calibration_rows]).reshape(-1, 1)
        platt = LogisticRegression(C=1e4).fit(raw, y[calibration_rows])
        slope = float(platt.coef_[0, 0])
        if slope <= 0:
            raise ValueError(
                f"calibration slope must be positive to keep the ranking; got {slope:.4f} "
                "(the boosted model does not rank held-out vacancies better than chance)"
            )
        self.calibration_slope_ = slope
        self.calibration_offset_ = float(platt.intercept_[0])
        self.classes_ = np.array([0, 1])
        self.n_features_in_ = len(FEATURES)
        self.feature_names_in_ = np.array(FEATURES, dtype=object)
        self.reference_logit_ = float(self._logit(np.zeros((1, len(FEATURES)), dtype=np.float32))[0])
        self.trained_with_ = library_versions()
        if self.interaction_cst == "no_interactions":
            self._compile_steps(X)  # sets step_tables_
        else:
            self.step_tables_ = None
        return self

    def _logit(self, X: np.ndarray) -> np.ndarray:
        """Calibrated logit in float64 through the trees (the precision contributions are summed in)."""
        return self.calibration_slope_ * self.model_.decision_function(X) + self.calibration_offset_

    def _compile_steps(self, X_check: np.ndarray) -> None:
        """Set ``step_tables_``: per model input, split thresholds and the calibrated logit step on each interval.

        The thresholds are read from the fitted trees; the step values come from the public
        ``decision_function`` at one point per interval with every other input at 0, relative to
        the all-zero point. The tables must reproduce the trees on ``X_check``, or fitting fails.
        """
        boost = self.model_.named_steps["boost"]
        thresholds: list[set[float]] = [set() for _ in FEATURES]
        for iteration in boost._predictors:
            for tree in iteration:
                splits = tree.nodes[tree.nodes["is_leaf"] == 0]
                inputs = np.unique(splits["feature_idx"])
                if len(inputs) > 1:
                    raise ValueError("interaction_cst='no_interactions' gave a tree splitting on two inputs")
                if len(inputs):
                    thresholds[int(inputs[0])].update(splits["num_threshold"].tolist())
        zero = np.zeros((1, len(FEATURES)))
        base = boost.decision_function(zero)[0]
        tables = []
        for j, cuts in enumerate(thresholds):
            cuts_j = np.array(sorted(cuts), dtype=np.float64)
            probes = np.zeros((len(cuts_j) + 1, len(FEATURES)))
            probes[:, j] = np.r_[cuts_j, cuts_j[-1] + 1.0] if len(cuts_j) else 0.0
            steps = self.calibration_slope_ * (boost.decision_function(probes) - base)
            tables.append((cuts_j, steps.astype(np.float32)))
        self.step_tables_ = tables
        check = X_check[: min(len(X_check), 200_000)]
        difference = np.abs(self._step_logit(check) - self._logit(check)).max()
        if difference > 1e-4:
            raise ValueError(f"the additive lookup tables differ from the trees by {difference:.2e} in logit")

    def _step_logit(self, X: np.ndarray) -> np.ndarray:
        """Calibrated logit from the lookup tables, float32, summed in feature order.

        Each input's step is found through a uniform grid (:class:`StepGrid`, every input's at
        once: :class:`StepLookup`) rather than a binary search: the same step, found five times
        faster. Non-finite inputs take the binary search, whose order for NaN the grid does not
        reproduce.
        """
        tables = self._compiled_tables()
        finite = bool(np.isfinite(X.sum())) if len(X) else True
        logit = np.full(len(X), self.reference_logit_, dtype=np.float32)
        if finite:
            for step in self._step_lookup().steps(X):
                logit += step
            return logit
        for j, (cuts, steps) in enumerate(tables):
            if len(cuts):
                logit += steps[np.searchsorted(cuts, _model_input(X, j), side="left")]
        return logit

    def _step_lookup(self) -> StepLookup:
        """The :class:`StepLookup` of the lookup tables, built on first use (derived, so never saved)."""
        tables = self._compiled_tables()
        cached = self.__dict__.get("_lookup")
        if cached is None or cached[0] is not tables:
            cached = (tables, StepLookup(tables))
            self.__dict__["_lookup"] = cached
        return cached[1]

    def _compiled_tables(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """``step_tables_``; the lookup-table paths are only taken once they are set."""
        if self.step_tables_ is None:
            raise RuntimeError("the scorer has no lookup tables (step_tables_ is None); walk the trees instead")
        return self.step_tables_

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Calibrated logit per pair, shape (n_pairs,), float32.

        A pair's value depends only on its own row (trees are walked row by row), so both ranking
        directions give the same score.
        """
        check_is_fitted(self, "reference_logit_")
        X = check_features(X)
        if self.step_tables_ is not None:
            return self._step_logit(X)
        return self._logit(X).astype(np.float32)

    def contributions(self, X: np.ndarray) -> np.ndarray:
        """Logit contribution of each feature per pair (n_pairs, F), for explanations.

        Method (path attribution): start at the reference pair, all features 0, the same point the
        transparent scorer's contributions are measured from (no coverage, no gaps); set the
        features to the pair's values one at a time and credit each feature with the change in
        calibrated logit; average the forward and the reverse :data:`FEATURES` order, so no feature
        always goes first. The contributions sum exactly to ``decision_function(X) -
        reference_logit_``, and since the model is monotone in every feature, an increasing
        feature never contributes below 0 and a cost never above 0. It costs 2·(F+1) predictions
        per pair: well under a millisecond for 10 suggestions with the lookup tables, a few
        milliseconds through the trees.
        """
        check_is_fitted(self, "reference_logit_")
        X = check_features(X).astype(np.float32)
        n_features = len(FEATURES)
        out = np.zeros(X.shape, dtype=np.float64)
        for start in range(0, len(X), _CONTRIBUTION_CHUNK):
            part = X[start : start + _CONTRIBUTION_CHUNK]
            for order in (np.arange(n_features), np.arange(n_features)[::-1]):
                steps = np.zeros((n_features + 1, len(part), n_features), dtype=np.float32)
                for k, j in enumerate(order):
                    steps[k + 1 :, :, j] = part[:, j]
                flat = steps.reshape(-1, n_features)
                path = self._logit(flat) if self.step_tables_ is None else self._step_logit(flat).astype(np.float64)
                logits = path.reshape(n_features + 1, len(part))
                out[start : start + len(part), order] += np.diff(logits, axis=0).T
        return (out / 2).astype(np.float32)


def library_versions() -> dict[str, str]:
    """The versions a model is trained with, recorded in its metadata for provenance."""
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "numpy": np.__version__}


class StepGrid:
    """``searchsorted(cuts, x, side="left")`` for finite x through a uniform grid over the cuts.

    The grid's cells are narrow (a few thousand over the cuts' range); a cell that holds a cut,
    or lies next to one, is marked and its values take the binary search. Every other cell maps
    to one step, so most values cost a subtraction, a multiplication and two gathers. The
    neighbours are marked so the rounding of the cell computation (far below a cell) can never
    put a value on the wrong side of a cut: the result equals the binary search exactly.
    """

    CELLS = 4096
    _SEARCH = 255  # marks a cell whose values take the binary search

    def __init__(self, cuts: np.ndarray) -> None:
        self.cuts = np.asarray(cuts, dtype=np.float64)
        if len(self.cuts) == 0 or len(self.cuts) >= self._SEARCH:
            self.table = None
            return
        first, last = float(self.cuts[0]), float(self.cuts[-1])
        width = (last - first) / (self.CELLS - 6) if last > first else max(abs(first), 1.0) * 1e-3
        if not _cells_hold_in_float32(width, max(abs(first), abs(last))):
            self.table = None  # cuts too close for float32 cells: every value takes the binary search
            return
        self.low = first - 2.5 * width
        self.inverse_width = 1.0 / width
        centres = self.low + (np.arange(-1, self.CELLS + 1) + 0.5) * width
        table = np.searchsorted(self.cuts, centres, side="left").astype(np.uint8)
        table[0], table[-1] = 0, len(self.cuts)  # below and above the grid
        holding = np.floor((self.cuts - self.low) * self.inverse_width).astype(np.int64) + 1
        for shift in (-1, 0, 1):
            table[np.clip(holding + shift, 0, self.CELLS + 1)] = self._SEARCH
        self.table = table

    def codes(self, x: np.ndarray) -> np.ndarray:
        """Index of the step of each finite value of ``x`` (float32 or float64)."""
        if self.table is None:
            return np.searchsorted(self.cuts, x, side="left")
        dtype = np.dtype(np.float32) if x.dtype == np.float32 else np.dtype(np.float64)
        cell = np.subtract(x, dtype.type(self.low), dtype=dtype)
        cell *= dtype.type(self.inverse_width)
        np.clip(cell, -1.0, self.CELLS, out=cell)
        codes = self.table[cell.astype(np.int32) + 1]
        near_cut = np.flatnonzero(codes == self._SEARCH)
        if len(near_cut):
            codes[near_cut] = np.searchsorted(self.cuts, x[near_cut], side="left")
        return codes


def _cells_hold_in_float32(width: float, scale: float) -> bool:
    """Whether float32 cell arithmetic is far finer than a cell: the premise of :class:`StepGrid`'s exactness.

    The cell width must be a normal float32 far above the float32 spacing of the cuts' values, and
    its inverse must not overflow float32.
    """
    f32 = np.finfo(np.float32)
    return bool(width > f32.tiny and width >= 64 * np.spacing(np.float32(scale)) and 1.0 / width < f32.max)


def _model_input(X: np.ndarray, j: int) -> np.ndarray:
    """Model input ``j`` of each pair: the feature, or for a gap total the float64 sum of its parts."""
    return X[:, j] if j not in GAP_TOTALS else X[:, j].astype(np.float64) + X[:, GAP_TOTALS[j]]


class StepLookup:
    """The step of every input with a lookup table, for many pairs, in feature order.

    The :class:`StepGrid` cells of all inputs form one table and their steps another, so the
    inputs of one dtype (the features; the float64 gap totals) are looked up together: a few
    operations on (inputs, pairs) arrays instead of a dozen per input, with each value's float
    operations exactly :meth:`StepGrid.codes`'s (the same steps, bit for bit). An input whose
    grid has no table keeps the binary search.
    """

    def __init__(self, tables: list[tuple[np.ndarray, np.ndarray]]) -> None:
        self.tables = tables
        self.grids = [StepGrid(cuts) for cuts, _ in tables]
        used = [j for j, (cuts, _) in enumerate(tables) if len(cuts)]
        self.order = np.array(used, dtype=np.int64)
        gridded = [j for j in used if self.grids[j].table is not None]
        self.searched = [j for j in used if self.grids[j].table is None]
        self.groups = [
            np.array([j for j in gridded if (j in GAP_TOTALS) is gap], dtype=np.int64) for gap in (False, True)
        ]
        cells = StepGrid.CELLS + 2
        self.cells = np.concatenate([self.grids[j].table for j in gridded]) if gridded else np.zeros(0, np.uint8)
        self.cell_base = np.zeros(len(tables), dtype=np.int32)  # where input j's cells start, plus 1 (below the grid)
        self.cell_base[gridded] = np.arange(len(gridded), dtype=np.int32) * cells + 1
        self.low = np.zeros(len(tables))
        self.inverse_width = np.zeros(len(tables))
        self.low[gridded] = [self.grids[j].low for j in gridded]
        self.inverse_width[gridded] = [self.grids[j].inverse_width for j in gridded]
        self.step_base = np.zeros(len(tables), dtype=np.int32)
        self.step_base[1:] = np.cumsum([len(steps) for _, steps in tables])[:-1]
        self.step_values = np.concatenate([steps for _, steps in tables]).astype(np.float32)

    def steps(self, X: np.ndarray) -> list[np.ndarray]:
        """Each used input's step per pair of finite ``X``, in feature order (float32)."""
        found: dict[int, np.ndarray] = {}
        columns = X.T
        for group in self.groups:
            if not len(group):
                continue
            values = columns[group]
            if group[0] in GAP_TOTALS:
                values = values.astype(np.float64)
                values += columns[[GAP_TOTALS[int(j)] for j in group]]
            codes = self._codes(group, values)
            codes += self.step_base[group][:, None]
            rows = self.step_values[codes]
            found.update(zip(group.tolist(), rows, strict=True))
        for j in self.searched:
            cuts, steps = self.tables[j]
            found[j] = steps[np.searchsorted(cuts, _model_input(X, j), side="left")]
        return [found[j] for j in self.order.tolist()]

    def _codes(self, group: np.ndarray, values: np.ndarray) -> np.ndarray:
        """(inputs, pairs) :meth:`StepGrid.codes` of the rows of ``values``, as int32."""
        dtype = np.dtype(np.float32) if values.dtype == np.float32 else np.dtype(np.float64)
        cell = np.subtract(values, self.low[group].astype(dtype)[:, None], dtype=dtype)
        cell *= self.inverse_width[group].astype(dtype)[:, None]
        np.clip(cell, -1.0, StepGrid.CELLS, out=cell)
        index = cell.astype(np.int32)
        index += self.cell_base[group][:, None]
        codes = self.cells[index].astype(np.int32)
        near_cut = codes == StepGrid._SEARCH
        for k in np.flatnonzero(near_cut.any(axis=1)).tolist():
            hit = np.flatnonzero(near_cut[k])
            codes[k, hit] = np.searchsorted(self.grids[int(group[k])].cuts, values[k, hit], side="left")
        return codes


def save_model(scorer: LearnedScorer, directory: Path, converted_from: dict[str, str] | None = None) -> Path:
    """Write the lookup tables of an additive model as ``model.npz`` + ``model.json``; returns the arrays path.

    Arrays: ``cuts_<feature>`` (float64 split thresholds) and ``steps_<feature>`` (float32 logit
    step per interval) for every feature in :data:`FEATURES` order, and ``reference_logit``.
    Only an additive model (``interaction_cst="no_interactions"``) has tables; a model that walks
    trees cannot be saved without pickling them, so it is refused.
    """
    check_is_fitted(scorer, "reference_logit_")
    tables = getattr(scorer, "step_tables_", None)
    if tables is None:
        raise ValueError(
            "only an additive model (interaction_cst='no_interactions') can be saved: it is stored as "
            "lookup tables, never as a pickle of trees"
        )
    arrays: dict[str, np.ndarray] = {"reference_logit": np.array(scorer.reference_logit_, dtype=np.float64)}
    for name, (cuts, steps) in zip(FEATURES, tables, strict=True):
        arrays[f"cuts_{name}"] = np.asarray(cuts, dtype=np.float64)
        arrays[f"steps_{name}"] = np.asarray(steps, dtype=np.float32)
    params = {k: v for k, v in scorer.get_params().items() if k != "version"}
    metadata: dict[str, Any] = {
        "version": scorer.version,
        "estimator": ESTIMATOR,
        "features": list(FEATURES),
        "monotone_constraints": monotone_constraints(),
        "gap_totals": _gap_totals_by_name(),
        "params": params,
        "attributes": {
            "calibration_slope": scorer.calibration_slope_,
            "calibration_offset": scorer.calibration_offset_,
        },
        "trained_with": getattr(scorer, "trained_with_", None) or library_versions(),
        "converted_from": converted_from,
    }
    return write_model_files(Path(directory), arrays, metadata)


def load_model(directory: Path | Resource, expected_sha256: dict[str, str] | None = None) -> LearnedScorer:
    """Load a model written by :func:`save_model`, after checking it; nothing in it is executed.

    Parameters
    ----------
    directory : Path or importlib.resources traversable
        A model folder (``model.npz`` and ``model.json``).
    expected_sha256 : {file name: sha256}, optional
        Digests the files must have (:data:`SHIPPED_MODEL_SHA256` for the shipped model).

    Raises
    ------
    ModelNotFoundError
        When there is no model in ``directory``.
    ModelIntegrityError
        When a digest differs, a pickle sits in the folder, or the metadata or tables do not fit
        this matcher (another feature order, other gap totals, a table of the wrong shape or not
        monotone in its feature's direction).
    """
    meta, arrays = read_model_files(Path(directory) if isinstance(directory, str) else directory, expected_sha256)
    where = str(directory)
    _check_metadata(where, meta)
    tables = _step_tables(where, arrays)
    reference = arrays.get("reference_logit")
    if reference is None or reference.shape != () or reference.dtype != np.float64 or not np.isfinite(reference):
        raise ModelIntegrityError(f"refusing model {where}: reference_logit must be one finite float64")
    known = LearnedScorer().get_params()
    scorer = LearnedScorer(version=meta.version, **{k: v for k, v in meta.params.items() if k in known})
    try:
        scorer.calibration_slope_ = float(meta.attributes["calibration_slope"])
        scorer.calibration_offset_ = float(meta.attributes["calibration_offset"])
    except KeyError as missing:
        raise ModelIntegrityError(f"refusing model {where}: model.json has no attribute {missing}") from None
    scorer.reference_logit_ = float(reference)
    scorer.step_tables_ = tables
    scorer.trained_with_ = dict(meta.trained_with)
    scorer.classes_ = np.array([0, 1])
    scorer.n_features_in_ = len(FEATURES)
    scorer.feature_names_in_ = np.array(FEATURES, dtype=object)
    return scorer


def shipped_model_resource() -> Resource:
    """The folder of the model shipped inside the package, as an :mod:`importlib.resources` traversable."""
    return files("matcher.models") / DEFAULT_MODEL_VERSION


def load_shipped_model() -> LearnedScorer:
    """The model shipped with matcher, checked against the digests recorded in code.

    Raises :class:`ModelNotFoundError` (with what to do) when this install has no model.
    """
    resource = shipped_model_resource()
    if not resource.is_dir():
        raise ModelNotFoundError(
            f"the packaged model {DEFAULT_MODEL_VERSION} is missing from this install ({resource}); "
            "reinstall matcher, set MATCHER_MODEL_DIR, or choose MATCHER_SCORER=transparent"
        )
    return load_model(resource, SHIPPED_MODEL_SHA256)


def default_model_dir() -> Path:
    """Path of the shipped model folder (installs unpack package data to files, so it is one)."""
    return Path(str(shipped_model_resource()))


def _gap_totals_by_name() -> dict[str, str]:
    return {FEATURES[total]: FEATURES[open_part] for total, open_part in GAP_TOTALS.items()}


def _check_metadata(where: str, meta: ModelMetadata) -> None:
    """Refuse a model made for other inputs than this matcher computes."""
    if meta.estimator != ESTIMATOR:
        raise ModelIntegrityError(f"refusing model {where}: it is a {meta.estimator}, not a {ESTIMATOR}")
    if meta.features != list(FEATURES):
        differ = next(
            (i for i, (a, b) in enumerate(zip(meta.features, FEATURES, strict=False)) if a != b),
            min(len(meta.features), len(FEATURES)),
        )
        raise ModelIntegrityError(
            f"refusing model {where}: its feature order differs from this matcher's at position {differ} "
            f"({meta.features[differ] if differ < len(meta.features) else 'nothing'!r} where matcher computes "
            f"{FEATURES[differ] if differ < len(FEATURES) else 'nothing'!r})"
        )
    if meta.monotone_constraints != monotone_constraints() or meta.gap_totals != _gap_totals_by_name():
        raise ModelIntegrityError(
            f"refusing model {where}: its monotone constraints or gap totals differ from this matcher's"
        )


def _step_tables(where: str, arrays: dict[str, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (cuts, steps) table per feature, each checked for dtype, shape, order and monotone direction."""
    expected = {"reference_logit"} | {f"{kind}_{name}" for name in FEATURES for kind in ("cuts", "steps")}
    if set(arrays) != expected:
        odd = sorted(set(arrays) ^ expected)
        raise ModelIntegrityError(f"refusing model {where}: model.npz arrays differ from the format ({odd[0]!r})")
    tables = []
    for name, sign in zip(FEATURES, monotone_constraints(), strict=True):
        cuts, steps = arrays[f"cuts_{name}"], arrays[f"steps_{name}"]
        problem = (
            "cuts must be float64 and steps float32"
            if cuts.dtype != np.float64 or steps.dtype != np.float32
            else "cuts and steps must be 1-D with one more step than cuts"
            if cuts.ndim != 1 or steps.ndim != 1 or len(steps) != len(cuts) + 1
            else "values must be finite"
            if not (np.isfinite(cuts).all() and np.isfinite(steps).all())
            else "cuts must increase strictly"
            if np.any(np.diff(cuts) <= 0)
            else "steps must follow the feature's monotone direction"
            if np.any(sign * np.diff(steps) < 0)
            else None
        )
        if problem:
            raise ModelIntegrityError(f"refusing model {where}: table of {name!r}: {problem}")
        tables.append((cuts, steps))
    return tables
