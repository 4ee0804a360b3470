"""Planning a rescoring run: its parameters and how its queries split into blocks.

Blocks are cut from ids in sorted order, so the same store and settings always give the same
blocks; a resumed run therefore finds exactly the blocks it left pending.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RunParams:
    """What a run was started with; a resumed run uses these, never today's settings.

    ``today`` fixes vacancy expiry for the whole run, so a run resumed after midnight still
    scores like the run that started.
    """

    today: str
    top_k: int
    block_size: int
    lang: str = "nl"
    vacancy_ids: list[str] | None = None  # None: every vacancy in the store
    allocation_top_n: int = 0  # > 0: the run ends by allocating over each vacancy's best this many fitting pairs
    allocation_attention: int = 3
    allocation_per_opening: int = 5
    base_run: int | None = None  # an incremental run: the run whose stored lists it brings up to date
    candidates_from_pairs: bool = False  # a full run: the candidate side is ranked from the vacancy blocks' pairs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunParams:
        return cls(**data)


def chunk(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` sorted and cut into lists of at most ``size``."""
    if size < 1:
        raise ValueError(f"block size must be at least 1; got {size}")
    ordered = sorted(ids)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def candidate_block_size(block_size: int, n_candidates: int, n_vacancies: int) -> int:
    """Candidates per block so a candidate block scores about as many pairs as a vacancy block.

    A vacancy block scores ``block_size × n_candidates`` pairs; a candidate block scores
    ``size × n_vacancies``.
    """
    return max(1, block_size * max(n_candidates, 1) // max(n_vacancies, 1))


def vacancy_side(vacancy_ids: Sequence[str], block_size: int) -> list[tuple[str, list[str]]]:
    """Blocks of vacancies whose best candidates are ranked (direction ``candidates``)."""
    return [("candidates", ids) for ids in chunk(vacancy_ids, block_size)]


def candidate_side(
    candidate_ids: Sequence[str], block_size: int, n_candidates: int, n_vacancies: int
) -> list[tuple[str, list[str]]]:
    """Blocks of candidates whose best vacancies are ranked (direction ``vacancies``)."""
    size = candidate_block_size(block_size, n_candidates, n_vacancies)
    return [("vacancies", ids) for ids in chunk(candidate_ids, size)]
