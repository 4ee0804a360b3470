"""A full run's fitting pairs by id: what its vacancy blocks keep for its candidate side (:mod:`.fitting`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..npz import from_npz, to_npz
from ..ranking import FittingPairs, Ranker

_ARRAYS = ("candidate_ids", "vacancy_ids", "scores", "failed", "distance_km")


@dataclass(frozen=True)
class KeptPairs:
    """Fitting pairs by id, in no particular order (see the module docstring)."""

    candidate_ids: np.ndarray  # (p,) str
    vacancy_ids: np.ndarray  # (p,) str
    scores: np.ndarray  # (p,) float32, bitwise the scorer's
    failed: np.ndarray  # (p,) int64 bitmask
    distance_km: np.ndarray  # (p,) float32

    def __len__(self) -> int:
        return len(self.scores)

    @classmethod
    def of(cls, ranker: Ranker, parts: Sequence[tuple[FittingPairs, np.ndarray]]) -> KeptPairs:
        """A block's fitting pairs (pool rows) by id."""
        if not parts:
            return cls.concat([])
        cand_rows = np.concatenate([p.cand_rows for p, _ in parts]).tolist()
        vac_rows = np.concatenate([p.vac_rows for p, _ in parts]).tolist()
        cand_ids, vac_ids = ranker.candidates.ids, ranker.vacancies.ids  # only the rows kept are looked up
        return cls(
            candidate_ids=np.array([cand_ids[r] for r in cand_rows], dtype=str).reshape(-1),
            vacancy_ids=np.array([vac_ids[r] for r in vac_rows], dtype=str).reshape(-1),
            scores=np.concatenate([s for _, s in parts]).astype(np.float32, copy=False),
            failed=np.concatenate([p.failed for p, _ in parts]).astype(np.int64, copy=False),
            distance_km=np.concatenate([p.distance_km for p, _ in parts]).astype(np.float32, copy=False),
        )

    def to_bytes(self) -> bytes:
        """An ``.npz`` payload (no pickles), what the store keeps per vacancy block."""
        return to_npz(self, _ARRAYS)

    @classmethod
    def from_bytes(cls, payload: bytes) -> KeptPairs:
        return cls(**from_npz(payload, _ARRAYS))

    @classmethod
    def concat(cls, parts: Sequence[KeptPairs]) -> KeptPairs:
        if not parts:
            empty_ids = np.zeros(0, dtype="U1")
            return cls(empty_ids, empty_ids, np.zeros(0, np.float32), np.zeros(0, np.int64), np.zeros(0, np.float32))
        return cls(**{name: np.concatenate([getattr(p, name) for p in parts]) for name in _ARRAYS})

    def by_candidate(self) -> KeptPairs:
        """The same pairs sorted by candidate id, so a block of sorted ids is one slice."""
        order = np.argsort(self.candidate_ids, kind="stable")
        return KeptPairs(**{name: getattr(self, name)[order] for name in _ARRAYS})
