"""Allocation as a step after scoring: from a ranker (or a run's top lists) to spread suggestions.

A rescoring run that allocates ranks each vacancy's candidates ``top_n`` deep once (``top_n``
well above the suggestions wanted, so the solver has room to spread) and keeps those fitting pairs
as compact arrays (:mod:`.pairs`); its last phase allocates over them (:func:`allocate_pairs`) and
reports the figures of both the allocated and the relevance-only lists, without scoring the pool
again. :func:`allocate_run` does the same in one process from a ranker.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..ranking import RankedList, Ranker
from .flow import (
    DEFAULT_ATTENTION,
    DEFAULT_COVER,
    DEFAULT_PER_OPENING,
    DEFAULT_SPREAD,
    Allocation,
    allocate,
    relevance_only,
)
from .metrics import allocation_metrics, compare, targets_met
from .pairs import AllocationPairs, pairs_from_lists

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
        return summarise(self.metrics)


def summarise(metrics: Mapping[str, Any]) -> str:
    """An allocation's stored figures (``AllocationRun.metrics``) as the table the CLI prints."""
    a, b = metrics["allocated"], metrics["relevance_only"]
    gain = "simulated outcomes" if str(metrics["parameters"]["gain"]).startswith("simulated") else "on scores"
    rows = [
        ("coverage of eligible vacancies", "coverage", "{:.1%}"),
        ("candidates suggested at least once", "share_suggested", "{:.1%}"),
        ("max vacancies per candidate", "exposure_max", "{}"),
        ("exposure Gini", "exposure_gini", "{:.3f}"),
        ("congestion entropy (candidates)", "congestion_entropy_candidates", "{:.3f}"),
        ("congestion entropy (vacancies)", "congestion_entropy_vacancies", "{:.3f}"),
        ("mean score", "mean_score", "{:.4f}"),
        (f"nDCG@10 ({gain})", "ndcg@10", "{:.4f}"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'':{width}}  {'relevance-only':>15}  {'allocated':>10}"]
    lines += [f"{label:{width}}  {fmt.format(b[key]):>15}  {fmt.format(a[key]):>10}" for label, key, fmt in rows]
    change, met = metrics["change"], metrics["targets_met"]
    lines.append(
        f"Gini {change['gini_reduction']:.1%} lower ({'met' if met['gini_reduction'] else 'MISSED'} ≥ 30%), "
        f"nDCG@10 loss {change['ndcg_loss']:.2%} ({'met' if met['ndcg_loss'] else 'MISSED'} ≤ 5%), "
        f"coverage {a['coverage']:.1%} ({'met' if met['coverage'] else 'MISSED'} ≥ 95%)"
    )
    if "coverage_bound" in a:
        lines.append(
            f"{a['eligible_vacancies']} eligible vacancies (≥ 5 fitting candidates); at most "
            f"{a['coverage_bound']:.1%} can reach 5 suggestions at attention {metrics['parameters']['attention']} "
            f"(max-flow bound); {a['guaranteed_vacancies']} were guaranteed them"
        )
    return "\n".join(lines)


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
    cover: int = DEFAULT_COVER,
) -> AllocationRun:
    t = time.perf_counter()
    allocated = allocate(rel, openings, attention, per_opening, spread, cover, allowed_counts)
    seconds["allocate"] = time.perf_counter() - t
    baseline = relevance_only(rel, openings, per_opening)
    either = (allocated.exposure() > 0) | (baseline.exposure() > 0)
    a = allocation_metrics(rel, allocated, gain, allowed_counts, population=either)
    b = allocation_metrics(rel, baseline, gain, allowed_counts, population=either)
    a["coverage_bound"] = allocated.coverage_bound / a["eligible_vacancies"] if a["eligible_vacancies"] else 1.0
    a["guaranteed_vacancies"] = int(allocated.guaranteed.sum()) if allocated.guaranteed is not None else 0
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
            "cover": cover,
            "top_n": int(np.diff(sp.csc_matrix(rel).indptr).max(initial=0)),
            "gain": "simulated durable-placement probability" if gain is not None else "score",
        },
    }
    seconds["allocation_total"] = time.perf_counter() - t
    return AllocationRun(candidate_ids, vacancy_ids, allocated, baseline, metrics, seconds)


def allocate_pairs(
    pairs: AllocationPairs,
    attention: int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    cover: int = DEFAULT_COVER,
) -> AllocationRun:
    """Allocate over a run's kept pairs (:class:`AllocationPairs`): what a rescoring run's last phase does.

    The nDCG figures use the pairs' simulated gains when every pair has one, else the scores.
    """
    candidate_ids, rows = np.unique(pairs.candidate_ids, return_inverse=True)
    cols = np.repeat(np.arange(len(pairs.vacancy_ids)), np.diff(pairs.offsets))
    shape = (len(candidate_ids), len(pairs.vacancy_ids))
    rel = sp.csr_matrix((pairs.scores.astype(np.float64), (rows, cols)), shape=shape)
    gain = None
    if len(pairs) and np.isfinite(pairs.gains).all():
        gain = sp.csr_matrix((pairs.gains.astype(np.float64), (rows, cols)), shape=shape)
    elif len(pairs):
        warnings.warn("the simulated outcome model was not importable; nDCG is computed on the scores", stacklevel=2)
    return _finish(
        rel,
        gain,
        pairs.strict_count.astype(np.int64),
        candidate_ids.astype(object),
        pairs.vacancy_ids.tolist(),
        pairs.positions.astype(np.int64),
        attention,
        per_opening,
        spread,
        {},
        cover,
    )


def ranked_pairs(ranker: Ranker, vacancy_ids: Sequence[str], top_n: int = TOP_N, n_threads: int = 1) -> AllocationPairs:
    """Each vacancy's best ``top_n`` fitting pairs from ``ranker``, as a run's vacancy blocks keep them."""
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1; got {top_n}")
    ids = list(vacancy_ids)
    lists = ranker.top_candidates(ids, k=top_n, stretch=False, n_threads=n_threads)
    strict_ids = [s.candidate_id for lst in lists for s in lst.suggestions]
    need = ranker.candidates.arrays().coaching_need[ranker.candidates.rows(strict_ids)] if strict_ids else None
    positions = ranker.vacancies.arrays().positions[ranker.vacancies.rows(ids)].tolist()
    return pairs_from_lists(lists, positions, coaching_need=need, top_n=top_n)


def allocate_run(
    ranker: Ranker,
    vacancy_ids: Sequence[str] | None = None,
    top_n: int = TOP_N,
    attention: int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    cover: int = DEFAULT_COVER,
    n_threads: int = 1,
) -> AllocationRun:
    """Rank every vacancy's best ``top_n`` fitting candidates with ``ranker`` and allocate (one process)."""
    ids = list(vacancy_ids) if vacancy_ids is not None else list(ranker.vacancies.ids)
    t = time.perf_counter()
    pairs = ranked_pairs(ranker, ids, top_n, n_threads)
    scored = time.perf_counter() - t
    run = allocate_pairs(pairs, attention, per_opening, spread, cover)
    run.seconds["score_and_select"] = scored
    return run


def allocate_lists(
    lists: Sequence[RankedList],
    openings: Mapping[str, int] | None = None,
    attention: int = DEFAULT_ATTENTION,
    per_opening: int = DEFAULT_PER_OPENING,
    spread: float = DEFAULT_SPREAD,
    coaching_need: Mapping[str, int] | None = None,
) -> AllocationRun:
    """Allocate over ranked lists of candidates for vacancies (their strict suggestions).

    ``openings`` maps a vacancy id to its positions (default 1). With ``coaching_need`` (candidate id
    → 0, 1, 2) the nDCG figures use the simulated outcome model on the suggestions' features.
    """
    positions = openings or {}
    need = None
    if coaching_need is not None:
        need = np.array(
            [coaching_need.get(s.candidate_id, 0) for lst in lists for s in lst.suggestions if not s.stretch]
        )
    pairs = pairs_from_lists(lists, [positions.get(lst.query_id, 1) for lst in lists], coaching_need=need)
    return allocate_pairs(pairs, attention, per_opening, spread)


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
