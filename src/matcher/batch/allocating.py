"""A run's last phase: spread its suggestions over the openings, from the pairs its blocks kept.

A run started with ``allocate`` has its vacancy blocks keep each vacancy's best fitting pairs
(:data:`ALLOCATION_TOP_N`) beside their top-k lists. Once every block is done, this phase reads
those pairs back, allocates (:func:`matcher.allocation.allocate_pairs`: deterministic, no scoring)
and stores the lists and the metrics of both rankings with the run, before the run is marked
completed. A run that died after scoring resumes straight into this phase.
"""

from __future__ import annotations

from ..allocation import AllocationPairs, allocate_pairs
from ..store import RunInfo, Store
from .plan import RunParams

ALLOCATION_TOP_N = 50
"""Fitting pairs kept per vacancy for the allocation: well above the 5 per opening wanted, so it can spread."""


def allocation_pending(store: Store, run: RunInfo) -> bool:
    """Whether the run was started to allocate and has no allocation stored yet."""
    return RunParams.from_dict(run.params).allocation_top_n > 0 and store.run_allocation(run.id) is None


def finish_allocation(store: Store, run: RunInfo) -> dict:
    """Allocate over the run's kept pairs and store the result with the run; returns the stored metrics."""
    params = RunParams.from_dict(run.params)
    pairs = AllocationPairs.concat([AllocationPairs.from_bytes(p) for p in store.allocation_pairs(run.id)])
    allocation = allocate_pairs(pairs, attention=params.allocation_attention, per_opening=params.allocation_per_opening)
    metrics = {**allocation.metrics, "seconds": {k: round(v, 3) for k, v in allocation.seconds.items()}}
    lists = {vid: [[cid, score] for cid, score in items] for vid, items in allocation.suggestions().items()}
    store.put_run_allocation(run.id, metrics, lists)
    return metrics
