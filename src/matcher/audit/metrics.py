"""Per-group disparate-impact figures with bootstrap intervals.

For one grouping (say Dutch level) and a population of candidates:

* **selection rate**: share of the group's candidates that reach the top-k of at least one list;
* **disparate-impact ratio**: that rate over the best-treated group's rate; below 0.8 is flagged
  (the four-fifths rule of the US EEOC guidelines, the usual screening threshold), and the flag is
  *certain* when the whole interval lies below 0.8;
* **exposure share** (Singh & Joachims 2018): the group's share of the position-weighted attention
  ``1 / log2(1 + rank)`` over all top-k positions, against its share of the population;
* **mean score gap**: the mean score of the group's top-k suggestions minus that of all of them;
* **equal-opportunity difference** (Hardt et al. 2016): among pairs that would have led to a
  durable placement (simulated outcomes), the share the ranking put in the top-k (true-positive
  rate), minus the best group's.

Intervals come from a Poisson bootstrap over candidates (each candidate, with all their pairs, gets
a Poisson(1) weight per replicate): vectorised, and it keeps a person's pairs together. A group
smaller than ``min_group_size`` is reported with its count only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

FOUR_FIFTHS = 0.8
MIN_GROUP_SIZE = 30
N_BOOTSTRAP = 200


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class GroupFigures:
    """One group's figures; ``None`` where the group is too small or the quantity is undefined."""

    group: str
    size: int
    too_small: bool
    population_share: float
    selection_rate: Interval | None = None
    disparate_impact: Interval | None = None
    flagged: bool = False  # disparate-impact ratio below 0.8
    flag_certain: bool = False  # and the whole 95 % interval is below 0.8 too
    exposure_share: Interval | None = None
    exposure_ratio: float | None = None
    mean_score_gap: Interval | None = None
    positives: int = 0
    true_positive_rate: Interval | None = None
    equal_opportunity_difference: Interval | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AuditInputs:
    """What the figures are computed from, per candidate and per outcome pair (see :func:`group_figures`)."""

    selected: np.ndarray  # (n,) bool: in the top-k of at least one list
    exposure: np.ndarray  # (n,) float: sum of 1/log2(1+rank) over top-k positions
    score_sum: np.ndarray  # (n,) float: sum of scores of top-k suggestions
    score_count: np.ndarray  # (n,) int: number of top-k suggestions
    outcome_candidate: np.ndarray  # (p,) int: candidate index of each outcome pair
    outcome_positive: np.ndarray  # (p,) bool: durable placement (simulated)
    outcome_selected: np.ndarray  # (p,) bool: the pair is in the top-k


def position_weight(rank: np.ndarray) -> np.ndarray:
    """Attention a position gets (DCG discount, 1-based ranks), as in Singh & Joachims 2018."""
    return 1.0 / np.log2(1.0 + np.asarray(rank, dtype=np.float64))


def _fairlearn_rates(labels: np.ndarray, inputs: AuditInputs) -> tuple[dict[str, float], dict[str, float]]:
    """Selection rate per group and TPR per group, via fairlearn's MetricFrame."""
    try:
        from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate
    except ImportError as err:  # pragma: no cover - depends on the install
        raise ImportError("the audit needs fairlearn: pip install 'matcher[audit]'") from err
    sel = MetricFrame(
        metrics=selection_rate,
        y_true=np.zeros(len(labels), dtype=int),
        y_pred=inputs.selected.astype(int),
        sensitive_features=labels,
    ).by_group
    tpr: dict[str, float] = {}
    positive = inputs.outcome_positive
    if positive.any():
        frame = MetricFrame(
            metrics=true_positive_rate,
            y_true=positive[positive].astype(int),
            y_pred=inputs.outcome_selected[positive].astype(int),
            sensitive_features=labels[inputs.outcome_candidate[positive]],
        )
        tpr = {str(k): float(v) for k, v in frame.by_group.items()}
    return {str(k): float(v) for k, v in sel.items()}, tpr


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def bootstrap_weights(n: int, n_bootstrap: int = N_BOOTSTRAP, seed: int = 0) -> np.ndarray:
    """(1 + B, n) candidate weights: row 0 is the sample itself (all ones), rows 1.. Poisson(1) replicates."""
    rng = np.random.default_rng(seed)
    return np.vstack([np.ones((1, n)), rng.poisson(1.0, (n_bootstrap, n)).astype(np.float64)])


def _best(values: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """(B, 1) best value per replicate over the groups large enough to count."""
    if not counted.any():
        return np.full((len(values), 1), np.nan)
    with np.errstate(invalid="ignore"):
        masked = np.where(counted & np.isfinite(values), values, -np.inf)
    best = masked.max(axis=1, keepdims=True)
    return np.where(np.isfinite(best), best, np.nan)


def group_figures(
    labels: np.ndarray,
    inputs: AuditInputs,
    min_group_size: int = MIN_GROUP_SIZE,
    n_bootstrap: int = N_BOOTSTRAP,
    seed: int = 0,
    weights: np.ndarray | None = None,
) -> list[GroupFigures]:
    """The figures of every group in ``labels`` (one label per candidate), largest group first.

    ``weights`` (from :func:`bootstrap_weights`) lets several groupings share one set of replicates.
    """
    labels = np.asarray(labels, dtype=object)
    groups, index = np.unique(labels.astype(str), return_inverse=True)
    n, n_groups = len(labels), len(groups)
    onehot = np.zeros((n, n_groups))
    onehot[np.arange(n), index] = 1.0
    if weights is None:
        weights = bootstrap_weights(n, n_bootstrap, seed)
    # A pair's weight is its candidate's, so per-candidate counts carry the pairs into the replicates.
    pos = inputs.outcome_positive
    hit = (pos & inputs.outcome_selected).astype(float)
    per_candidate = np.column_stack(
        [
            np.ones(n),
            inputs.selected.astype(float),
            inputs.exposure,
            inputs.score_sum,
            inputs.score_count.astype(float),
            np.bincount(inputs.outcome_candidate, weights=pos.astype(float), minlength=n),
            np.bincount(inputs.outcome_candidate, weights=hit, minlength=n),
        ]
    )
    # One product gives every (replicate, quantity, group) sum: (B, n) @ (n, Q·G).
    spread = (per_candidate[:, :, None] * onehot[:, None, :]).reshape(n, -1)
    sums = (weights @ spread).reshape(len(weights), -1, n_groups)
    size, selected, exposure, score_sum, score_count, positives, hits = (sums[:, q] for q in range(sums.shape[1]))
    rate = _ratio(selected, size)
    exposure_share = _ratio(exposure, exposure.sum(axis=1, keepdims=True))
    pop_share = _ratio(size, size.sum(axis=1, keepdims=True))
    score_gap = _ratio(score_sum, score_count) - _ratio(
        score_sum.sum(axis=1, keepdims=True), score_count.sum(axis=1, keepdims=True)
    )
    tpr = _ratio(hits, positives)

    big = size[0] >= min_group_size
    has_positives = big & (positives[0] >= min_group_size)
    impact = _ratio(rate, _best(rate, big))
    eo_diff = tpr - _best(tpr, has_positives)
    sel_point, tpr_point = _fairlearn_rates(labels.astype(str), inputs)

    def interval(values: np.ndarray, g: int, point: float | None = None) -> Interval | None:
        estimate = values[0, g] if point is None else point
        if not np.isfinite(estimate):
            return None
        reps = values[1:, g]
        reps = reps[np.isfinite(reps)]
        low, high = np.percentile(reps, [2.5, 97.5]) if len(reps) else (np.nan, np.nan)
        return Interval(float(estimate), float(low), float(high))

    out = []
    for g, name in enumerate(groups.tolist()):
        base = {"group": name, "size": int(size[0, g]), "population_share": float(pop_share[0, g])}
        if not big[g]:
            out.append(GroupFigures(**base, too_small=True, positives=int(positives[0, g])))
            continue
        di = interval(impact, g)
        exposure_ratio = exposure_share[0, g] / pop_share[0, g] if pop_share[0, g] > 0 else np.nan
        out.append(
            GroupFigures(
                **base,
                too_small=False,
                selection_rate=interval(rate, g, sel_point.get(name)),
                disparate_impact=di,
                flagged=bool(di is not None and di.estimate < FOUR_FIFTHS),
                flag_certain=bool(di is not None and di.high < FOUR_FIFTHS),
                exposure_share=interval(exposure_share, g),
                exposure_ratio=float(exposure_ratio) if np.isfinite(exposure_ratio) else None,
                mean_score_gap=interval(score_gap, g),
                positives=int(positives[0, g]),
                true_positive_rate=interval(tpr, g, tpr_point.get(name)) if has_positives[g] else None,
                equal_opportunity_difference=interval(eo_diff, g) if has_positives[g] else None,
            )
        )
    return sorted(out, key=lambda f: (-f.size, f.group))
