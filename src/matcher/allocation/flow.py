"""Congestion-aware allocation: coverage first, then relevance, as two network-flow problems (OR-Tools).

Relevance alone sends the same strong candidates to many vacancies. Here every vacancy asks for
``openings × per_opening`` suggestions and every candidate can carry at most ``attention`` active
proposals. The choice is lexicographic:

1. **Coverage.** As many vacancies as possible that have at least ``cover`` allowed candidates get
   ``cover`` suggestions (:func:`cover_set`). Maximising that *count* is a threshold problem, not a
   flow; a max-flow with capacity ``cover`` per vacancy bounds it from above
   (:func:`coverage_bound`). The parts of the pair graph where a max-flow leaves a vacancy short
   are solved exactly as a small integer program (SCIP), with a greedy max-flow fallback.
2. **Relevance.** Among allocations that give every vacancy of that set its ``cover`` suggestions
   (hard lower bounds, so no large priority cost has to outweigh relevance), a min-cost flow
   maximises the mean nDCG@10 on the model's own scores. Each vacancy's list positions are nodes, so
   the flow is exact for the discounted gain: pair → position r costs ``−score·d(r)/IDCG``, with
   ``d(r) = 1/log2(r+2)`` and IDCG the vacancy's best possible DCG over its allowed pairs. Every
   vacancy weighs the same, as in the metric. Positions past the 10th (vacancies with more than two
   openings) earn a tiny ``score·ε`` so their lists still fill.
3. **Spreading** is a bounded tie-breaker: a candidate's t-th proposal (t = 0, 1, …) costs
   ``spread·t`` of one vacancy's nDCG (default 0.002), so it moves a proposal to someone else only
   when that costs next to nothing.

    source ─(attention unit arcs, spread·t)→ candidate ─(1)→ pair ─(1, −gain at r)→ position r of the vacancy → sink

Flows on integer capacities are integral, so no rounding step is needed, and the same input gives
the same answer (network simplex on a fixed arc order, ties by the arc order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

COST_SCALE = 1_000_000
"""Gains become integer costs in millionths of one vacancy's nDCG: ties below that go by arc order."""

DEFAULT_ATTENTION = 3
DEFAULT_PER_OPENING = 5
DEFAULT_SPREAD = 0.002
DEFAULT_COVER = 5
NDCG_AT = 10
BEYOND = 1e-3
"""Weight of a suggestion placed past position ``NDCG_AT``, per score point (fills long lists)."""


@dataclass(frozen=True)
class Allocation:
    """The chosen suggestions: for each vacancy (column), candidate rows best first, and their scores.

    ``chosen`` is the (candidates × vacancies) boolean CSR matrix of the chosen pairs.
    ``guaranteed`` marks the vacancies the coverage stage promised ``cover`` suggestions (all False
    for relevance-only), ``coverage_bound`` is the max-flow upper bound on how many eligible
    vacancies can reach ``cover`` at all (-1 when not computed).
    """

    chosen: sp.csr_matrix
    lists: list[np.ndarray]
    scores: list[np.ndarray]
    wanted: np.ndarray  # (m,) suggestions asked per vacancy
    guaranteed: np.ndarray | None = None
    coverage_bound: int = -1

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


def _pairs(rel: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """(candidate row, vacancy column) of every stored pair, in CSR order."""
    return np.repeat(np.arange(rel.shape[0], dtype=np.int64), np.diff(rel.indptr)), rel.indices.astype(np.int64)


def _max_flows(rel: sp.csr_matrix, att: np.ndarray, active: np.ndarray, cover: int) -> np.ndarray:
    """Per vacancy, the units it receives in one maximum flow with capacity ``cover`` on each active vacancy."""
    from ortools.graph.python import max_flow

    n, m = rel.shape
    cand, vac = _pairs(rel)
    sel = active[vac]
    used = np.unique(cand[sel])
    source, sink = 0, n + m + 1
    solver = max_flow.SimpleMaxFlow()
    tails = np.concatenate([np.full(len(used), source), 1 + cand[sel], 1 + n + np.arange(m)])
    heads = np.concatenate([1 + used, 1 + n + vac[sel], np.full(m, sink)])
    caps = np.concatenate([att[used], np.ones(int(sel.sum()), np.int64), np.where(active, cover, 0)])
    solver.add_arcs_with_capacity(tails, heads, caps)
    status = solver.solve(source, sink)
    if status != solver.OPTIMAL:
        raise RuntimeError(f"max-flow did not solve the coverage stage (status {status})")
    first = len(used) + int(sel.sum())
    return np.asarray(solver.flows(np.arange(first, first + m)), dtype=np.int64)


def eligible_vacancies(rel: sp.csr_matrix, cover: int, allowed_counts: np.ndarray | None = None) -> np.ndarray:
    """Vacancies with at least ``cover`` allowed candidates, the same definition the coverage metric uses.

    ``allowed_counts`` is each vacancy's whole allowed pool (a run keeps only its best pairs);
    a vacancy must also have ``cover`` pairs in ``rel`` to be served from it.
    """
    kept = np.bincount(rel.indices, minlength=rel.shape[1])
    allowed = kept if allowed_counts is None else np.asarray(allowed_counts)
    return (allowed >= cover) & (kept >= cover) & (cover > 0)


def coverage_bound(rel: sp.csr_matrix, att: np.ndarray, eligible: np.ndarray, cover: int) -> int:
    """Upper bound on the eligible vacancies that can all receive ``cover`` suggestions.

    A maximum flow with capacity ``cover`` per eligible vacancy is the most minimum-units any
    allocation can deliver; each vacancy left short misses at least one unit, at most ``cover``, so
    at least ``ceil(missing / cover)`` are short.
    """
    if cover <= 0 or not eligible.any():
        return int(eligible.sum())
    missing = cover * int(eligible.sum()) - int(_max_flows(rel, att, eligible, cover).sum())
    return int(eligible.sum()) - -(-missing // cover)


MIP_SECONDS = 20.0
"""Time limit of the exact coverage stage; past it (it has not happened on the benchmarks) the greedy set is used."""


def cover_set(rel: sp.csr_matrix, att: np.ndarray, eligible: np.ndarray, cover: int, exact: bool = True) -> np.ndarray:
    """The largest set of eligible vacancies that can all receive ``cover`` suggestions at once.

    The vacancies and candidates split into connected parts; a part where one max-flow already
    gives every eligible vacancy its ``cover`` is covered whole. Only the contested parts are a
    threshold problem: there an integer program (SCIP, bundled with OR-Tools: binary pair and
    vacancy variables, ``Σ pairs ≤ attention`` per candidate, ``Σ pairs ≥ cover·y`` per vacancy,
    maximise ``Σ y``) finds the largest set; on a time-out, or with ``exact=False``, the greedy
    :func:`greedy_cover_set` does. The result is checked by a max-flow before it is returned.
    """
    greedy = greedy_cover_set(rel, att, eligible, cover)
    if not exact or cover <= 0 or greedy.sum() == eligible.sum():
        return greedy
    contested = _contested(rel, att, eligible, cover)
    found = _exact_cover(rel, att, eligible & contested, cover)
    if found is None:
        return greedy
    chosen = (eligible & ~contested) | found
    if chosen.sum() <= greedy.sum() or int(_max_flows(rel, att, chosen, cover).sum()) < cover * int(chosen.sum()):
        return greedy
    return chosen


def _contested(rel: sp.csr_matrix, att: np.ndarray, eligible: np.ndarray, cover: int) -> np.ndarray:
    """Eligible vacancies in a connected part of the pair graph where some vacancy falls short in a max-flow."""
    from scipy.sparse.csgraph import connected_components

    n = rel.shape[0]
    sub = sp.csr_matrix(rel.multiply(eligible[np.newaxis, :].astype(np.float64)))
    sub.data[:] = 1.0
    graph = sp.bmat([[None, sub], [sub.T, None]], format="csr")
    _, label = connected_components(graph, directed=False)
    got = _max_flows(rel, att, eligible, cover)
    short_parts = np.unique(label[n:][eligible & (got < cover)])
    return eligible & np.isin(label[n:], short_parts)


def _exact_cover(rel: sp.csr_matrix, att: np.ndarray, eligible: np.ndarray, cover: int) -> np.ndarray | None:
    """The maximum coverage set among ``eligible`` by integer programming, or None when not proven in time."""
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return None
    cand, vac = _pairs(rel)
    sel = np.flatnonzero(eligible[vac])
    cols = np.flatnonzero(eligible)
    x = [solver.BoolVar(f"x{p}") for p in sel]
    y = {int(j): solver.BoolVar(f"y{j}") for j in cols}
    by_cand: dict[int, list] = {}
    by_vac: dict[int, list] = {}
    for var, p in zip(x, sel, strict=True):
        by_cand.setdefault(int(cand[p]), []).append(var)
        by_vac.setdefault(int(vac[p]), []).append(var)
    for i, xs in by_cand.items():
        solver.Add(solver.Sum(xs) <= int(att[i]))
    for j, yj in y.items():
        solver.Add(solver.Sum(by_vac.get(j, [])) >= cover * yj)
    solver.Maximize(solver.Sum(list(y.values())))
    solver.SetNumThreads(1)
    solver.SetTimeLimit(int(MIP_SECONDS * 1000))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    chosen = np.zeros(rel.shape[1], dtype=bool)
    chosen[[j for j, yj in y.items() if yj.solution_value() > 0.5]] = True
    return chosen


def greedy_cover_set(rel: sp.csr_matrix, att: np.ndarray, eligible: np.ndarray, cover: int) -> np.ndarray:
    """Eligible vacancies that can all receive ``cover`` suggestions at once (a large such set, greedily).

    Max-flows with capacity ``cover`` on the vacancies still in the set: while some fall short,
    give up the one furthest from its minimum (ties: the smaller pool, then the lower column), so
    its candidates go to the others; afterwards take back, last given up first, every vacancy that
    fits again. Deterministic, and never above :func:`coverage_bound`.
    """
    active = eligible.copy()
    if cover <= 0 or not active.any():
        return active
    pool = np.bincount(rel.indices, minlength=rel.shape[1])
    given_up: list[int] = []
    while True:
        got = _max_flows(rel, att, active, cover)
        short = np.flatnonzero(active & (got < cover))
        if not len(short):
            break
        worst = int(short[np.lexsort((short, pool[short], got[short]))[0]])
        active[worst] = False
        given_up.append(worst)
    for col in reversed(given_up):
        active[col] = True
        if int(_max_flows(rel, att, active, cover).sum()) < cover * int(active.sum()):
            active[col] = False
    return active


def _ideal_dcg(rel: sp.csr_matrix, cand: np.ndarray, vac: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Per vacancy, the DCG of its best ``depth`` scores (the nDCG denominator on scores)."""
    order = np.lexsort((cand, -rel.data, vac))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order)) - np.searchsorted(vac[order], vac[order])
    gains = np.where(rank < depth[vac], rel.data / np.log2(rank + 2), 0.0)
    return np.bincount(vac, weights=gains, minlength=rel.shape[1])


def allocate(
    relevance: sp.spmatrix,
    openings: np.ndarray | int = 1,
    attention: np.ndarray | int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    cover: int = DEFAULT_COVER,
    allowed_counts: np.ndarray | None = None,
) -> Allocation:
    """Choose suggestions: first as many eligible vacancies as possible reach ``cover``, then the best nDCG.

    Parameters
    ----------
    relevance : sparse (candidates × vacancies) matrix
        Scores of the allowed pairs only (pairs that fit: no failed check, score at or above the
        fit threshold); a missing entry is a pair that may not be suggested. Stored zeros are
        allowed pairs with score 0.
    openings : int or (vacancies,) array
        Open positions per vacancy.
    attention : int or (candidates,) array
        At most this many active proposals per candidate (default 3).
    per_opening : int
        Suggestions wanted per opening (default 5).
    spread : float
        Share of one vacancy's nDCG a candidate's second, third, … proposal costs more than the one
        before: a tie-breaker towards spreading.
    cover : int
        The minimum of suggestions a vacancy must reach to count as covered; 0 skips the coverage
        stage (relevance first).
    allowed_counts : (vacancies,) array, optional
        Each vacancy's whole allowed pool when ``relevance`` keeps only its best pairs: which
        vacancies are eligible for coverage (default: the stored entries per column).

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
    cand, vac = _pairs(rel)
    eligible = eligible_vacancies(rel, cover, allowed_counts) & (wanted >= cover)
    bound = coverage_bound(rel, att, eligible, cover)
    guaranteed = cover_set(rel, att, eligible, cover)

    # Positions: vacancy j has min(wanted, pairs) of them; pair p may take any of its vacancy's.
    positions = np.minimum(wanted, np.bincount(vac, minlength=m))
    pos_start = np.concatenate([[0], np.cumsum(positions)])
    depth = np.minimum(NDCG_AT, wanted)
    idcg = _ideal_dcg(rel, cand, vac, depth)
    reps = positions[vac]
    arc_pair = np.repeat(np.arange(rel.nnz), reps)
    arc_rank = np.arange(len(arc_pair)) - np.repeat(np.cumsum(reps) - reps, reps)
    arc_vac = vac[arc_pair]
    score = rel.data[arc_pair]
    norm = np.where(idcg[arc_vac] > 0, idcg[arc_vac], 1.0)
    gain = np.where(arc_rank < depth[arc_vac], score / np.log2(arc_rank + 2) / norm, BEYOND * score)

    # Attention slots: a candidate's t-th slot costs spread·t.
    active = np.flatnonzero((np.diff(rel.indptr) > 0) & (att > 0))
    slots = np.minimum(att[active], np.diff(rel.indptr)[active])
    slot_cand = np.repeat(active, slots)
    slot_rank = np.arange(len(slot_cand)) - np.repeat(np.cumsum(slots) - slots, slots)

    # Nodes: 0 source, candidates, pairs, positions, sink.
    cand0, pair0 = 1, 1 + n
    pos0 = pair0 + rel.nnz
    source, sink = 0, pos0 + int(pos_start[-1])
    n_pos = int(pos_start[-1])
    pos_vac = np.repeat(np.arange(m), positions)
    pos_rank = np.arange(n_pos) - pos_start[pos_vac]
    forced = guaranteed[pos_vac] & (pos_rank < cover)  # every guaranteed vacancy's first `cover` positions
    free = ~forced
    total = int(min(len(slot_cand), n_pos))
    tails = np.concatenate(
        [np.full(len(slot_cand), source), cand0 + cand, pair0 + arc_pair, pos0 + np.flatnonzero(free), [source]]
    )
    heads = np.concatenate(
        [
            cand0 + slot_cand,
            pair0 + np.arange(rel.nnz),
            pos0 + pos_start[arc_vac] + arc_rank,
            np.full(int(free.sum()), sink),
            [sink],
        ]
    )
    n_unit = len(slot_cand) + rel.nnz + len(arc_pair) + int(free.sum())
    caps = np.concatenate([np.ones(n_unit, np.int64), [total]])
    costs = np.concatenate(
        [
            np.rint(spread * COST_SCALE * slot_rank),
            np.zeros(rel.nnz),
            -np.rint(gain * COST_SCALE),
            np.zeros(int(free.sum()) + 1),
        ]
    ).astype(np.int64)
    # A forced position absorbs one unit itself (a lower bound of 1 on its arc to the sink).
    n_forced = int(forced.sum())
    supply_nodes = np.concatenate([[source, sink], pos0 + np.flatnonzero(forced)]).astype(np.int64)
    supplies = np.concatenate([[total], [-(total - n_forced)], -np.ones(n_forced, np.int64)]).astype(np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    solver.set_nodes_supplies(supply_nodes, supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not solve the allocation (status {status})")
    pair_arcs = np.arange(len(slot_cand), len(slot_cand) + rel.nnz)
    picked = solver.flows(pair_arcs) > 0
    return _allocation(rel, cand[picked], vac[picked], rel.data[picked], wanted, guaranteed, bound)


def _allocation(
    rel: sp.csr_matrix,
    cand: np.ndarray,
    vac: np.ndarray,
    score: np.ndarray,
    wanted: np.ndarray,
    guaranteed: np.ndarray | None = None,
    bound: int = -1,
) -> Allocation:
    """Per-vacancy lists ordered by score, ties by candidate row (the pool's id order)."""
    n, m = rel.shape
    chosen = sp.csr_matrix((np.ones(len(cand), bool), (cand, vac)), shape=(n, m))
    order = np.lexsort((cand, -score, vac))
    cuts = np.searchsorted(vac[order], np.arange(m + 1))
    lists = [cand[order[cuts[j] : cuts[j + 1]]] for j in range(m)]
    scores = [score[order[cuts[j] : cuts[j + 1]]] for j in range(m)]
    return Allocation(
        chosen=chosen, lists=lists, scores=scores, wanted=wanted, guaranteed=guaranteed, coverage_bound=bound
    )


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
