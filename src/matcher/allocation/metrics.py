"""What an allocation costs and buys: coverage, candidate exposure, congestion, relevance kept.

Every figure compares two allocations of the same relevance matrix (usually the congestion-aware
one against relevance-only), so a reader sees the price of spreading next to its gain.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .flow import Allocation

MIN_SUGGESTIONS = 5
"""A vacancy is covered when it receives at least this many suggestions (and eligible when it has that many allowed)."""
NDCG_AT = 10


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0: all equal, towards 1: one holds everything)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return 0.0
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * total))


def normalised_entropy(counts: np.ndarray) -> float:
    """Shannon entropy of the share of suggestions per item over log(#items): 1 means perfectly even.

    ReCon (Bied et al., RecSys 2023) measures congestion this way: low entropy means a few items
    take most of the suggestions.
    """
    c = np.asarray(counts, dtype=np.float64)
    if len(c) < 2 or c.sum() == 0:
        return 1.0
    p = c[c > 0] / c.sum()
    return float(-(p * np.log(p)).sum() / np.log(len(c)))


def ndcg(lists: list[np.ndarray], gain: sp.csc_matrix, wanted: np.ndarray, at: int = NDCG_AT) -> np.ndarray:
    """nDCG@at per vacancy of the candidate rows in ``lists``; the ideal takes the best gains of its column.

    The ideal list has ``min(at, wanted)`` entries, so a vacancy asking for 5 is not marked down
    for not getting 10. Vacancies without any gain get NaN. Vectorised: a list entry's gain is
    looked up by its (column, row) key among the stored gains.
    """
    gain = sp.csc_matrix(gain)
    gain.sort_indices()
    n, m = gain.shape
    col = np.repeat(np.arange(m, dtype=np.int64), np.diff(gain.indptr))
    discount = 1.0 / np.log2(np.arange(2, at + 2))
    # the ideal: each column's best min(at, wanted) gains
    order = np.lexsort((-gain.data, col))
    rank = np.arange(len(order)) - gain.indptr[col[order]]
    depth = np.minimum(at, np.asarray(wanted, dtype=np.int64))
    top = rank < depth[col[order]]
    idcg = np.bincount(col[order][top], weights=gain.data[order][top] * discount[rank[top]], minlength=m)
    # the lists: entry r of vacancy j has discount[r] and the gain stored at (j, row)
    lengths = np.array([min(len(rows), at) for rows in lists], dtype=np.int64)
    rows = np.concatenate([np.asarray(r[:at], dtype=np.int64) for r in lists]) if lists else np.zeros(0, np.int64)
    cols = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    place = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    keys = col * max(n, 1) + gain.indices
    want = cols * max(n, 1) + rows
    found = np.searchsorted(keys, want)
    hit = found < len(keys)
    hit[hit] = keys[found[hit]] == want[hit]
    got = np.where(hit, gain.data[np.minimum(found, max(len(keys) - 1, 0))] if len(keys) else 0.0, 0.0)
    dcg = np.bincount(cols, weights=got * discount[place], minlength=m)
    out = np.full(m, np.nan)
    ok = idcg > 0
    out[ok] = dcg[ok] / idcg[ok]
    return out


def allocation_metrics(
    relevance: sp.spmatrix,
    allocation: Allocation,
    gain: sp.spmatrix | None = None,
    allowed_counts: np.ndarray | None = None,
    min_suggestions: int = MIN_SUGGESTIONS,
    population: np.ndarray | None = None,
) -> dict[str, float]:
    """Coverage, exposure, congestion and relevance figures of one allocation.

    Parameters
    ----------
    relevance : the (candidates × vacancies) scores the allocation was made from.
    allocation : the chosen suggestions.
    gain : the same pairs' graded relevance for nDCG (the simulated outcomes); default the scores.
    allowed_counts : per vacancy, how many candidates are allowed in the whole pool (a run's
        strict pool size); default the stored entries of its column.
    population : boolean mask of the candidates the exposure figures (max, Gini, entropy) are
        taken over; default every candidate with an allowed pair. To compare two allocations, pass
        the candidates either of them suggests: the long tail nobody suggests would otherwise set
        the Gini by how many pairs were kept per vacancy, not by how the suggestions are spread.
    """
    rel = sp.csr_matrix(relevance)
    gain_csc = sp.csc_matrix(gain if gain is not None else rel)
    allowed = np.asarray(allowed_counts) if allowed_counts is not None else np.diff(sp.csc_matrix(rel).indptr)
    received = np.array([len(rows) for rows in allocation.lists])
    eligible = allowed >= min_suggestions
    exposure = allocation.exposure()
    reachable = np.diff(rel.indptr) > 0  # candidates allowed for at least one vacancy
    among = reachable if population is None else np.asarray(population, dtype=bool)
    scores = np.concatenate(allocation.scores) if allocation.scores else np.zeros(0)
    nd = ndcg(allocation.lists, gain_csc, allocation.wanted)
    return {
        "vacancies": len(received),
        "eligible_vacancies": int(eligible.sum()),
        "coverage": float((received[eligible] >= min_suggestions).mean()) if eligible.any() else 1.0,
        "suggestions": int(received.sum()),
        "candidates_reachable": int(reachable.sum()),
        "exposure_max": int(exposure.max()) if len(exposure) else 0,
        "exposure_population": int(among.sum()),
        "exposure_gini": gini(exposure[among]),
        "share_suggested": float((exposure[reachable] > 0).mean()) if reachable.any() else 0.0,
        "congestion_entropy_candidates": normalised_entropy(exposure[among]),
        "congestion_entropy_vacancies": normalised_entropy(received),
        "mean_score": float(scores.mean()) if len(scores) else 0.0,
        f"ndcg@{NDCG_AT}": float(np.nanmean(nd)) if np.isfinite(nd).any() else 0.0,
    }


def compare(allocated: dict[str, float], baseline: dict[str, float]) -> dict[str, float]:
    """The headline changes against relevance-only, as the issue's targets are phrased."""
    key = f"ndcg@{NDCG_AT}"
    return {
        "gini_reduction": 1 - allocated["exposure_gini"] / baseline["exposure_gini"]
        if baseline["exposure_gini"]
        else 0.0,
        "ndcg_loss": 1 - allocated[key] / baseline[key] if baseline[key] else 0.0,
        "mean_score_loss": 1 - allocated["mean_score"] / baseline["mean_score"] if baseline["mean_score"] else 0.0,
        "coverage_gain": allocated["coverage"] - baseline["coverage"],
    }


TARGETS = {"coverage": 0.95, "gini_reduction": 0.30, "ndcg_loss": 0.05}


def targets_met(allocated: dict[str, float], change: dict[str, float]) -> dict[str, bool]:
    """Whether the issue's three targets hold: coverage ≥ 95 %, Gini −30 %, nDCG@10 loss ≤ 5 %."""
    return {
        "coverage": allocated["coverage"] >= TARGETS["coverage"],
        "gini_reduction": change["gini_reduction"] >= TARGETS["gini_reduction"],
        "ndcg_loss": change["ndcg_loss"] <= TARGETS["ndcg_loss"],
    }
