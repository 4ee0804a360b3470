"""The model's step lookup through a grid equals the binary search it replaces, value for value."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from matcher.learned import StepGrid
from matcher.scoring import load_scorer
from matcher.settings import Settings

finite32 = st.floats(-1e6, 1e6, allow_nan=False, width=32)


@given(st.lists(finite32, min_size=1, max_size=40, unique=True), st.lists(finite32, min_size=1, max_size=200))
def test_grid_codes_equal_searchsorted(cuts: list[float], values: list[float]) -> None:
    cuts_64 = np.sort(np.asarray(cuts, dtype=np.float64))
    x = np.asarray(values + cuts, dtype=np.float32)
    x = np.concatenate([x, np.nextafter(x, np.float32(np.inf)), np.nextafter(x, np.float32(-np.inf))])
    grid = StepGrid(cuts_64)
    np.testing.assert_array_equal(grid.codes(x), np.searchsorted(cuts_64, x, side="left"))
    x64 = np.concatenate([x.astype(np.float64), cuts_64, np.nextafter(cuts_64, np.inf), np.nextafter(cuts_64, -np.inf)])
    np.testing.assert_array_equal(grid.codes(x64), np.searchsorted(cuts_64, x64, side="left"))


def test_shipped_model_tables_on_their_own_cuts() -> None:
    """Every cut of the shipped model, and the floats either side of it, lands on the same step."""
    for cuts, _ in load_scorer(Settings()).step_tables_:
        if not len(cuts):
            continue
        c32 = cuts.astype(np.float32)
        x = np.concatenate([c32, np.nextafter(c32, np.float32(np.inf)), np.nextafter(c32, np.float32(-np.inf))])
        x = np.concatenate([x, np.linspace(cuts[0] - 1, cuts[-1] + 1, 10_001, dtype=np.float32)])
        np.testing.assert_array_equal(StepGrid(cuts).codes(x), np.searchsorted(cuts, x, side="left"))


def _binary_search_logit(scorer, X: np.ndarray) -> np.ndarray:
    """The lookup as it was before the grid: one searchsorted per input."""
    from matcher.learned import GAP_TOTALS

    logit = np.full(len(X), scorer.reference_logit_, dtype=np.float32)
    for j, (cuts, steps) in enumerate(scorer.step_tables_):
        if len(cuts):
            column = X[:, j] if j not in GAP_TOTALS else X[:, j].astype(np.float64) + X[:, GAP_TOTALS[j]]
            logit += steps[np.searchsorted(cuts, column, side="left")]
    return logit


@given(st.lists(st.lists(st.floats(-2, 8, width=32), min_size=14, max_size=14), min_size=1, max_size=30))
def test_the_shipped_model_logit_is_bitwise_the_binary_search(rows: list[list[float]]) -> None:
    scorer = load_scorer(Settings())
    X = np.asarray(rows, dtype=np.float32)
    np.testing.assert_array_equal(scorer._step_logit(X), _binary_search_logit(scorer, X))


def test_non_finite_features_take_the_binary_search() -> None:
    scorer = load_scorer(Settings())
    X = np.zeros((3, scorer.n_features_in_), dtype=np.float32)
    X[1, 0], X[2, 7] = np.nan, np.inf
    np.testing.assert_array_equal(scorer._step_logit(X), _binary_search_logit(scorer, X))
