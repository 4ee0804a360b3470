"""The allocation's input as compact arrays: each vacancy's best fitting pairs, kept by the run that scored them.

A rescoring run already ranks every vacancy's candidates; its vacancy blocks rank ``top_n`` deep
(instead of ``top_k``) once, keep those strict pairs here, and hand the usual ``top_k`` lists to
the store (:func:`trim_list`, the same lists ``top_k`` would have given). The allocation then reads
these arrays back instead of scoring the pool a second time.

Per pair: the candidate id, the score and the simulated durable-placement probability (the gain the
nDCG figures are measured with; NaN where the simulation is not importable). Per vacancy: its id,
openings and whole strict-pool size (for eligibility: a vacancy with 5 fitting candidates is
eligible even when only its best 50 are kept).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..npz import from_npz, to_npz
from ..ranking import RankedList, Ranker

_ARRAYS = ("vacancy_ids", "positions", "strict_count", "offsets", "candidate_ids", "scores", "gains")


@dataclass(frozen=True)
class AllocationPairs:
    """Best fitting pairs of some vacancies: vacancy j's pairs are ``offsets[j]:offsets[j+1]``, best first."""

    vacancy_ids: np.ndarray  # (m,) str
    positions: np.ndarray  # (m,) int64: openings
    strict_count: np.ndarray  # (m,) int64: the whole strict pool, not just the pairs kept
    offsets: np.ndarray  # (m+1,) int64
    candidate_ids: np.ndarray  # (p,) str
    scores: np.ndarray  # (p,) float32
    gains: np.ndarray  # (p,) float32; NaN: no simulated gain

    def __len__(self) -> int:
        return len(self.candidate_ids)

    def to_bytes(self) -> bytes:
        """An ``.npz`` payload (no pickles), what the store keeps per block."""
        return to_npz(self, _ARRAYS)

    @classmethod
    def from_bytes(cls, payload: bytes) -> AllocationPairs:
        return cls(**from_npz(payload, _ARRAYS))

    @classmethod
    def concat(cls, parts: Sequence[AllocationPairs]) -> AllocationPairs:
        """Several blocks' pairs as one, vacancies in the order given."""
        if not parts:
            return cls.empty()
        sizes = np.concatenate([[0], np.cumsum([len(p) for p in parts])[:-1]])
        offsets = np.concatenate([[0]] + [p.offsets[1:] + base for p, base in zip(parts, sizes, strict=True)])
        joined = {name: np.concatenate([getattr(p, name) for p in parts]) for name in _ARRAYS if name != "offsets"}
        return cls(offsets=offsets.astype(np.int64), **joined)

    @classmethod
    def empty(cls) -> AllocationPairs:
        return cls(
            vacancy_ids=np.zeros(0, dtype="U1"),
            positions=np.zeros(0, np.int64),
            strict_count=np.zeros(0, np.int64),
            offsets=np.zeros(1, np.int64),
            candidate_ids=np.zeros(0, dtype="U1"),
            scores=np.zeros(0, np.float32),
            gains=np.zeros(0, np.float32),
        )


def pairs_from_lists(
    lists: Sequence[RankedList],
    positions: Sequence[int],
    coaching_need: np.ndarray | None = None,
    top_n: int | None = None,
) -> AllocationPairs:
    """The strict suggestions of ranked candidate lists (one per vacancy) as :class:`AllocationPairs`.

    ``coaching_need`` is each strict suggestion's candidate need (0, 1, 2), in order; with it the
    simulated gain is computed, without it the gains are NaN. ``top_n`` keeps at most that many per
    vacancy (default: all strict suggestions given).
    """
    if any(lst.direction != "candidates" for lst in lists):
        raise ValueError("allocation pairs come from lists of candidates for vacancies (direction 'candidates')")
    kept = [[s for s in lst.suggestions if not s.stretch][:top_n] for lst in lists]
    flat = [s for strict in kept for s in strict]
    counts = np.array([len(strict) for strict in kept], dtype=np.int64)
    gains = np.full(len(flat), np.nan, dtype=np.float32)
    if coaching_need is not None and flat:
        gains = _simulated_gains(np.stack([s.features for s in flat]), np.asarray(coaching_need))
    return AllocationPairs(
        vacancy_ids=np.array([lst.query_id for lst in lists], dtype=str) if lists else np.zeros(0, dtype="U1"),
        positions=np.asarray(positions, dtype=np.int64).reshape(len(lists)),
        strict_count=np.array([lst.strict_count for lst in lists], dtype=np.int64),
        offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        candidate_ids=np.array([s.candidate_id for s in flat], dtype=str) if flat else np.zeros(0, dtype="U1"),
        scores=np.array([s.score for s in flat], dtype=np.float32),
        gains=gains,
    )


def _simulated_gains(features: np.ndarray, need: np.ndarray) -> np.ndarray:
    from .outcomes import durable_placement_probability

    try:
        return durable_placement_probability(features, need).astype(np.float32)
    except ImportError:
        return np.full(len(features), np.nan, dtype=np.float32)


def trim_list(ranked: RankedList, k: int, thin_pool: int) -> RankedList:
    """The list :meth:`Ranker.top_candidates` gives for ``k`` from one it gave for a larger k.

    The deeper list holds the best strict matches, then (if its strict pool is under its own
    threshold) the best stretch matches; stretch matches belong to the ``k`` list only when the
    strict pool is under ``max(k, thin_pool)``, which the deeper list's threshold covers. Ranks are
    numbered again from 1.
    """
    strict = [s for s in ranked.suggestions if not s.stretch][:k]
    stretch = [s for s in ranked.suggestions if s.stretch][:k] if ranked.strict_count < max(k, thin_pool) else []
    suggestions = [dataclasses.replace(s, rank=rank) for rank, s in enumerate(strict + stretch, start=1)]
    return dataclasses.replace(ranked, suggestions=suggestions)


def rank_with_pairs(
    ranker: Ranker, vacancy_ids: Sequence[str], top_k: int, top_n: int
) -> tuple[list[RankedList], AllocationPairs]:
    """Rank ``max(top_k, top_n)`` deep once: the ``top_k`` lists a run stores and the best ``top_n`` fitting pairs.

    What a rescoring run's vacancy blocks do when the run allocates (:mod:`matcher.batch.work`).
    """
    ids = list(vacancy_ids)
    deep = ranker.top_candidates(ids, k=max(top_k, top_n))
    strict_ids = [s.candidate_id for lst in deep for s in [x for x in lst.suggestions if not x.stretch][:top_n]]
    need = ranker.candidates.arrays().coaching_need[ranker.candidates.rows(strict_ids)] if strict_ids else None
    positions = ranker.vacancies.arrays().positions[ranker.vacancies.rows(ids)].tolist()
    kept = pairs_from_lists(deep, positions, coaching_need=need, top_n=top_n)
    return [trim_list(r, top_k, ranker.thin_pool) for r in deep], kept
