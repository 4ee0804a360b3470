"""Allocation as a step after scoring: from a ranker (or a run's top lists) to spread suggestions.

A rescoring run scores every pair block by block; this step keeps each vacancy's ``top_n`` best
strict pairs (``top_n`` well above the suggestions wanted, so the solver has room to spread),
allocates over that sparse matrix and reports the figures of both the allocated and the
relevance-only lists. The same entry point takes the stored top lists of a run, so a run that
already scored can be allocated without scoring again.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..features import FEATURES
from ..ranking import RankedList, Ranker, top_k_rows
from .flow import DEFAULT_ATTENTION, DEFAULT_PER_OPENING, DEFAULT_SPREAD, Allocation, allocate, relevance_only
from .metrics import allocation_metrics, compare, targets_met

TOP_N = 50
"""Strict pairs kept per vacancy as the allocation's input."""


@dataclass
class AllocationRun:
    """An allocation with its relevance-only baseline, both sides' ids, figures and timings."""

    candidate_ids: np.ndarray  # (n,) object: row → candidate id
    vacancy_ids: list[str]  # column → vacancy id
    allocation: Allocation
    baseline: Allocation
    metrics: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def suggestions(self, which: str = "allocated") -> dict[str, list[tuple[str, float]]]:
        """Per vacancy id, the (candidate id, score) suggestions best first."""
        alloc = self.allocation if which == "allocated" else self.baseline
        return {
            vid: list(zip(self.candidate_ids[rows].tolist(), np.round(scores, 6).tolist(), strict=True))
            for vid, rows, scores in zip(self.vacancy_ids, alloc.lists, alloc.scores, strict=True)
        }

    def to_dict(self) -> dict:
        """Figures and timings, JSON-ready (what a run stores and a front end prints)."""
        return {"metrics": self.metrics, "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}

    def summary(self) -> str:
        """Both rankings' figures side by side, one line each, and whether the targets hold."""
        a, b = self.metrics["allocated"], self.metrics["relevance_only"]
        rows = [
            ("coverage of eligible vacancies", "coverage", "{:.1%}"),
            ("candidates suggested at least once", "share_suggested", "{:.1%}"),
            ("max vacancies per candidate", "exposure_max", "{}"),
            ("exposure Gini", "exposure_gini", "{:.3f}"),
            ("congestion entropy (candidates)", "congestion_entropy_candidates", "{:.3f}"),
            ("congestion entropy (vacancies)", "congestion_entropy_vacancies", "{:.3f}"),
            ("mean score", "mean_score", "{:.4f}"),
            ("nDCG@10 (simulated outcomes)", "ndcg@10", "{:.4f}"),
        ]
        width = max(len(r[0]) for r in rows)
        lines = [f"{'':{width}}  {'relevance-only':>15}  {'allocated':>10}"]
        lines += [f"{label:{width}}  {fmt.format(b[key]):>15}  {fmt.format(a[key]):>10}" for label, key, fmt in rows]
        change, met = self.metrics["change"], self.metrics["targets_met"]
        lines.append(
            f"Gini {change['gini_reduction']:.1%} lower ({'met' if met['gini_reduction'] else 'MISSED'} ≥ 30%), "
            f"nDCG@10 loss {change['ndcg_loss']:.2%} ({'met' if met['ndcg_loss'] else 'MISSED'} ≤ 5%), "
            f"coverage {a['coverage']:.1%} ({'met' if met['coverage'] else 'MISSED'} ≥ 95%)"
        )
        return "\n".join(lines)


def _simulated_gain(
    feats: list[np.ndarray], need: np.ndarray, c: np.ndarray, v: np.ndarray, shape: tuple[int, int]
) -> sp.csr_matrix | None:
    """The simulated durable-placement probability of each pair, or None (nDCG on scores) without the simulation."""
    from .outcomes import durable_placement_probability

    try:
        p = durable_placement_probability(np.concatenate(feats), need)
    except ImportError as err:
        warnings.warn(f"{err}; nDCG is computed on the scores instead", stacklevel=3)
        return None
    return sp.csr_matrix((p, (c, v)), shape=shape)


def _finish(
    rel: sp.csr_matrix,
    gain: sp.csr_matrix | None,
    allowed_counts: np.ndarray,
    candidate_ids: np.ndarray,
    vacancy_ids: list[str],
    openings: np.ndarray,
    attention: np.ndarray | int,
    per_opening: int,
    spread: float,
    seconds: dict[str, float],
) -> AllocationRun:
    t = time.perf_counter()
    allocated = allocate(rel, openings, attention, per_opening, spread)
    seconds["allocate"] = time.perf_counter() - t
    baseline = relevance_only(rel, openings, per_opening)
    either = (allocated.exposure() > 0) | (baseline.exposure() > 0)
    a = allocation_metrics(rel, allocated, gain, allowed_counts, population=either)
    b = allocation_metrics(rel, baseline, gain, allowed_counts, population=either)
    change = compare(a, b)
    metrics: dict[str, Any] = {
        "allocated": a,
        "relevance_only": b,
        "change": change,
        "targets_met": targets_met(a, change),
        "parameters": {
            "attention": attention if np.isscalar(attention) else "per candidate",
            "per_opening": per_opening,
            "spread": spread,
            "top_n": int(np.diff(sp.csc_matrix(rel).indptr).max(initial=0)),
            "gain": "simulated durable-placement probability" if gain is not None else "score",
        },
    }
    return AllocationRun(candidate_ids, vacancy_ids, allocated, baseline, metrics, seconds)


def allocate_run(
    ranker: Ranker,
    vacancy_ids: Sequence[str] | None = None,
    top_n: int = TOP_N,
    attention: np.ndarray | int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    floor: float = 0.0,
    n_threads: int = 1,
    simulated_gain: bool = True,
) -> AllocationRun:
    """Score every candidate against ``vacancy_ids`` (default all), keep the top_n strict pairs, allocate.

    ``floor`` drops pairs scoring at or below it. With ``simulated_gain`` the nDCG figures use the
    simulated outcome model (:mod:`.outcomes`), otherwise the scores.
    """
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1; got {top_n}")
    vacancy_ids = list(vacancy_ids) if vacancy_ids is not None else list(ranker.vacancies.ids)
    vac_rows = ranker.vacancies.rows(vacancy_ids)
    column_of = np.empty(len(ranker.vacancies.ids), dtype=np.int64)
    column_of[vac_rows] = np.arange(len(vac_rows))
    cand_arrays = ranker.candidates.arrays()
    id_rank = cand_arrays.id_rank
    # Seeded with empty pieces so that no vacancies, or no strict pairs, still concatenate.
    cand, vac, score = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.float32)]
    feats = [np.zeros((0, len(FEATURES)), np.float32)]
    allowed_counts = np.zeros(len(vac_rows), dtype=np.int64)
    t = time.perf_counter()
    for rows, block, scores in ranker.scored_blocks(vac_rows, n_threads=n_threads):
        # a fit as ranking defines it: no failed check and a score at or above the fit threshold
        keep = block.strict & (scores >= np.float32(ranker.fit_threshold)) & (scores > floor)
        allowed_counts[column_of[rows]] = keep.sum(axis=0)
        ranks = id_rank[block.cand_rows]
        for j, vac_row in enumerate(rows):
            picked = top_k_rows(scores[:, j], keep[:, j], ranks, top_n)
            cand.append(block.cand_rows[picked])
            vac.append(np.full(len(picked), column_of[vac_row]))
            score.append(scores[picked, j])
            if simulated_gain:
                feats.append(block.features[:, picked, j].T)
    seconds = {"score_and_select": time.perf_counter() - t}
    shape = (len(ranker.candidates.ids), len(vac_rows))
    c, v = np.concatenate(cand), np.concatenate(vac)
    rel = sp.csr_matrix((np.concatenate(score).astype(np.float64), (c, v)), shape=shape)
    gain = _simulated_gain(feats, cand_arrays.coaching_need[c], c, v, shape) if simulated_gain else None
    openings = np.array([ranker.vacancies.profile(vid).positions for vid in vacancy_ids], dtype=np.int64)
    candidate_ids = np.asarray(ranker.candidates.ids, dtype=object)
    return _finish(
        rel, gain, allowed_counts, candidate_ids, vacancy_ids, openings, attention, per_opening, spread, seconds
    )


def allocate_lists(
    lists: Sequence[RankedList],
    openings: Mapping[str, int] | None = None,
    attention: int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    coaching_need: Mapping[str, int] | None = None,
) -> AllocationRun:
    """Allocate over a run's stored top lists (candidates for vacancies; strict suggestions only).

    ``openings`` maps a vacancy id to its positions (default 1). With ``coaching_need`` (candidate id
    → 0, 1, 2) the nDCG figures use the simulated outcome model on the suggestions' features.
    """
    if any(lst.direction != "candidates" for lst in lists):
        raise ValueError("allocate_lists takes lists of candidates for vacancies (direction 'candidates')")
    vacancy_ids = [lst.query_id for lst in lists]
    pairs = [(s, j) for j, lst in enumerate(lists) for s in lst.suggestions if not s.stretch]
    candidate_ids, rel, c, v = _matrix(len(lists), [(s.candidate_id, j, s.score) for s, j in pairs])
    gain = None
    if coaching_need is not None and pairs:
        need = np.array([coaching_need.get(s.candidate_id, 0) for s, _ in pairs])
        gain = _simulated_gain([np.stack([s.features for s, _ in pairs])], need, c, v, rel.shape)
    positions = openings or {}
    open_arr = np.array([positions.get(vid, 1) for vid in vacancy_ids], dtype=np.int64)
    allowed_counts = np.array([lst.strict_count for lst in lists], dtype=np.int64)
    return _finish(rel, gain, allowed_counts, candidate_ids, vacancy_ids, open_arr, attention, per_opening, spread, {})


def allocate_scored(
    scored: Mapping[str, Sequence[tuple[str, float]]],
    openings: Mapping[str, int] | None = None,
    attention: int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    allowed_counts: Mapping[str, int] | None = None,
) -> AllocationRun:
    """Allocate over plain ``{vacancy id: [(candidate id, score), …]}`` lists, e.g. a stored run's strict top lists.

    Without pair features the nDCG figures use the scores as gains. ``allowed_counts`` gives each
    vacancy's whole strict pool size (default: the length of its list).
    """
    vacancy_ids = list(scored)
    triples = [(cid, j, float(score)) for j, vid in enumerate(vacancy_ids) for cid, score in scored[vid]]
    candidate_ids, rel, _, _ = _matrix(len(vacancy_ids), triples)
    positions, counts = openings or {}, allowed_counts or {}
    open_arr = np.array([positions.get(vid, 1) for vid in vacancy_ids], dtype=np.int64)
    allowed = np.array([counts.get(vid, len(scored[vid])) for vid in vacancy_ids], dtype=np.int64)
    return _finish(rel, None, allowed, candidate_ids, vacancy_ids, open_arr, attention, per_opening, spread, {})


def _matrix(
    n_vacancies: int, triples: Sequence[tuple[str, int, float]]
) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray, np.ndarray]:
    """Candidate ids (sorted), the (candidates × vacancies) score matrix and each triple's row and column."""
    candidate_ids = np.array(sorted({cid for cid, _, _ in triples}), dtype=object)
    row_of = {cid: i for i, cid in enumerate(candidate_ids.tolist())}
    c = np.array([row_of[cid] for cid, _, _ in triples], dtype=np.int64)
    v = np.array([j for _, j, _ in triples], dtype=np.int64)
    scores = np.array([score for _, _, score in triples], dtype=np.float64)
    rel = sp.csr_matrix((scores, (c, v)), shape=(len(candidate_ids), n_vacancies))
    return candidate_ids, rel, c, v
