"""Congestion-aware allocation: spread suggestions over candidates within openings and attention.

>>> import scipy.sparse as sp
>>> from matcher.allocation import allocate
>>> alloc = allocate(sp.csr_matrix([[0.9, 0.8], [0.5, 0.0], [0.0, 0.4]]), attention=1, per_opening=1)
>>> [rows.tolist() for rows in alloc.lists]
[[1], [0]]
"""

from .flow import Allocation, allocate, cover_set, coverage_bound, relevance_only
from .metrics import allocation_metrics, gini, ndcg, normalised_entropy
from .pairs import AllocationPairs, pairs_from_lists
from .run import AllocationRun, allocate_lists, allocate_pairs, allocate_run, allocate_scored, ranked_pairs, summarise

__all__ = [
    "Allocation",
    "AllocationPairs",
    "AllocationRun",
    "allocate",
    "allocate_lists",
    "allocate_pairs",
    "allocate_run",
    "allocate_scored",
    "allocation_metrics",
    "cover_set",
    "coverage_bound",
    "gini",
    "ndcg",
    "normalised_entropy",
    "pairs_from_lists",
    "ranked_pairs",
    "relevance_only",
    "summarise",
]
