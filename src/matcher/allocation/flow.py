"""Congestion-aware allocation as a min-cost flow over the allowed pairs (OR-Tools).

Relevance alone sends the same strong candidates to many vacancies. Here every vacancy asks for
``openings × per_opening`` suggestions and every candidate can carry at most ``attention`` active
proposals; a min-cost flow picks the suggestions:

    source ─(attention unit arcs, cost spread·t)→ candidate ─(1, −score)→ vacancy ─(wanted, 0)→ sink

The solver first sends the most suggestions it can (coverage), then, among those, the ones with the
highest total score minus a convex spreading cost: a candidate's t-th proposal (t = 0, 1, …) costs
``spread · t`` score points, so a second proposal goes to the same person only when it buys more
relevance than that. Flows on integer capacities are integral, so no rounding step is needed, and
the same input gives the same answer (network simplex on a fixed arc order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

COST_SCALE = 1_000_000
"""Scores become integer costs in millionths: ties below that are broken by the arc order."""

DEFAULT_ATTENTION = 3
DEFAULT_PER_OPENING = 5
DEFAULT_SPREAD = 0.02


@dataclass(frozen=True)
class Allocation:
    """The chosen suggestions: for each vacancy (column), candidate rows best first, and their scores.

    ``chosen`` is the (candidates × vacancies) boolean CSR matrix of the chosen pairs.
    """

    chosen: sp.csr_matrix
    lists: list[np.ndarray]
    scores: list[np.ndarray]
    wanted: np.ndarray  # (m,) suggestions asked per vacancy

    def exposure(self) -> np.ndarray:
        """How many vacancies each candidate is suggested to."""
        return np.asarray(self.chosen.sum(axis=1)).ravel().astype(np.int64)


def _check_inputs(
    relevance: sp.spmatrix, openings: np.ndarray | int, attention: np.ndarray | int, per_opening: int
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    if not sp.issparse(relevance) or relevance.ndim != 2:
        raise ValueError(f"relevance must be a 2-d scipy.sparse matrix (candidates × vacancies); got {type(relevance)}")
    rel = sp.csr_matrix(relevance, dtype=np.float64)
    rel.sum_duplicates()
    rel.sort_indices()
    n, m = rel.shape
    if rel.nnz and (not np.isfinite(rel.data).all() or rel.data.min() < 0):
        raise ValueError("relevance scores must be finite and non-negative")
    if isinstance(per_opening, bool) or int(per_opening) != per_opening or per_opening < 1:
        raise ValueError(f"per_opening must be a positive integer; got {per_opening!r}")
    open_arr = np.broadcast_to(np.asarray(openings, dtype=np.int64), (m,)).copy()
    att_arr = np.broadcast_to(np.asarray(attention, dtype=np.int64), (n,)).copy()
    if (open_arr < 0).any():
        raise ValueError("openings must be non-negative integers, one per vacancy")
    if (att_arr < 0).any():
        raise ValueError("attention must be a non-negative integer (or one per candidate)")
    return rel, open_arr * int(per_opening), att_arr


def allocate(
    relevance: sp.spmatrix,
    openings: np.ndarray | int = 1,
    attention: np.ndarray | int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    cover: int = 5,
) -> Allocation:
    """Choose suggestions that keep relevance high while spreading them over candidates.

    Parameters
    ----------
    relevance : sparse (candidates × vacancies) matrix
        Scores of the allowed pairs only (pairs that pass the hard constraints and score above a
        floor); a missing entry is a pair that may not be suggested. Stored zeros are allowed pairs
        with score 0.
    openings : int or (vacancies,) array
        Open positions per vacancy.
    attention : int or (candidates,) array
        At most this many active proposals per candidate (default 3).
    per_opening : int
        Suggestions wanted per opening (default 5).
    spread : float
        Score points a candidate's second, third, … proposal costs more than the one before.
    cover : int
        Every vacancy's first ``cover`` suggestions come before any further one elsewhere, so as
        many vacancies as possible reach this minimum (coverage).

    Returns
    -------
    Allocation

    Example
    -------
    >>> import scipy.sparse as sp
    >>> rel = sp.csr_matrix([[0.9, 0.8], [0.5, 0.0], [0.0, 0.4]])
    >>> alloc = allocate(rel, openings=1, attention=1, per_opening=1)
    >>> [rows.tolist() for rows in alloc.lists]
    [[1], [0]]
    """
    from ortools.graph.python import min_cost_flow

    rel, wanted, att = _check_inputs(relevance, openings, attention, per_opening)
    n, m = rel.shape
    pair_cand = np.repeat(np.arange(n, dtype=np.int64), np.diff(rel.indptr))
    pair_vac = rel.indices.astype(np.int64)
    # Node numbers: 0 source, 1..n candidates, n+1..n+m vacancies, n+m+1 sink.
    source, sink = 0, n + m + 1
    active = np.flatnonzero((np.diff(rel.indptr) > 0) & (att > 0))
    slots = np.minimum(att[active], np.diff(rel.indptr)[active])
    slot_cand = np.repeat(active, slots)
    slot_rank = np.arange(len(slot_cand)) - np.repeat(np.cumsum(slots) - slots, slots)
    vac_degree = np.bincount(pair_vac, minlength=m)
    vac_cap = np.minimum(wanted, vac_degree)
    # Each vacancy's first ``cover`` suggestions earn a bonus above any score, so the solver fills
    # every vacancy's minimum before it adds a further suggestion anywhere (coverage first).
    first = np.minimum(vac_cap, cover)

    vac_nodes = 1 + n + np.arange(m)
    bonus = int(np.ceil(rel.data.max(initial=0) + spread * max(int(att.max(initial=0)) - 1, 0) + 1)) * COST_SCALE
    tails = np.concatenate([np.full(len(slot_cand), source), 1 + pair_cand, vac_nodes, vac_nodes])
    heads = np.concatenate([1 + slot_cand, 1 + n + pair_vac, np.full(2 * m, sink)])
    caps = np.concatenate([np.ones(len(slot_cand), np.int64), np.ones(rel.nnz, np.int64), first, vac_cap - first])
    costs = np.concatenate(
        [
            np.rint(spread * COST_SCALE * slot_rank).astype(np.int64),
            -np.rint(rel.data * COST_SCALE).astype(np.int64),
            np.full(m, -bonus, np.int64),
            np.zeros(m, np.int64),
        ]
    )
    total = int(min(slots.sum(), vac_cap.sum()))
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    solver.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve the allocation (status {status})")
    pair_arcs = np.arange(len(slot_cand), len(slot_cand) + rel.nnz)
    picked = solver.flows(pair_arcs) > 0
    return _allocation(rel, pair_cand[picked], pair_vac[picked], rel.data[picked], wanted)


def _allocation(
    rel: sp.csr_matrix, cand: np.ndarray, vac: np.ndarray, score: np.ndarray, wanted: np.ndarray
) -> Allocation:
    """Per-vacancy lists ordered by score, ties by candidate row (the pool's id order)."""
    n, m = rel.shape
    chosen = sp.csr_matrix((np.ones(len(cand), bool), (cand, vac)), shape=(n, m))
    order = np.lexsort((cand, -score, vac))
    cuts = np.searchsorted(vac[order], np.arange(m + 1))
    lists = [cand[order[cuts[j] : cuts[j + 1]]] for j in range(m)]
    scores = [score[order[cuts[j] : cuts[j + 1]]] for j in range(m)]
    return Allocation(chosen=chosen, lists=lists, scores=scores, wanted=wanted)


def relevance_only(
    relevance: sp.spmatrix, openings: np.ndarray | int = 1, per_opening: int = DEFAULT_PER_OPENING
) -> Allocation:
    """The baseline: each vacancy's ``openings × per_opening`` best pairs by score, no spreading."""
    rel, wanted, _ = _check_inputs(relevance, openings, 0, per_opening)
    csc = rel.tocsc()
    csc.sort_indices()
    cand, vac = csc.indices.astype(np.int64), np.repeat(np.arange(rel.shape[1]), np.diff(csc.indptr))
    score = csc.data
    order = np.lexsort((cand, -score, vac))
    rank = np.arange(len(order)) - np.searchsorted(vac[order], vac[order])
    keep = order[rank < wanted[vac[order]]]
    return _allocation(rel, cand[keep], vac[keep], score[keep], wanted)
