"""The simulated outcome model as a graded relevance: the chance a pair becomes a durable placement.

The shipped model is trained on simulated outcomes (``simulate_history``); measuring the relevance
an allocation keeps against the same causal model, with its unobserved effects at zero, says how
many durable placements spreading would cost if the simulation were the world. The simulation is
imported lazily: it lives in ``training/`` (moving to ``matcher.training``) and is not needed to
allocate.
"""

from __future__ import annotations

import importlib
from types import ModuleType

import numpy as np

_MODULES = ("matcher.training.simulate_history", "training.simulate_history")


def _simulation() -> ModuleType:
    for name in _MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    raise ImportError(
        "the simulated outcome model (simulate_history) is not importable; run from the repository "
        "or install matcher with its training package"
    )


def durable_placement_probability(features: np.ndarray, coaching_need: np.ndarray) -> np.ndarray:
    """P(hired) · P(still employed after 6 months) per pair, from the simulation's causal model.

    ``features`` is (pairs, F) in :data:`matcher.features.FEATURES` order; ``coaching_need`` is the
    candidate's need per pair (0 none, 1 light, 2 intensive).
    """
    sim = _simulation()
    X = np.asarray(features, dtype=np.float64)
    zero = np.zeros(len(X))
    need = np.asarray(coaching_need, dtype=np.float64)
    hire = 1 / (1 + np.exp(-sim.hire_logit(X, zero)))
    stay = 1 / (1 + np.exp(-sim.retention_logit(X, need, zero, zero)))
    return hire * stay
