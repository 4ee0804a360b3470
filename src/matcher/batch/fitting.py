"""The candidate side of a full run, ranked from the pairs its vacancy blocks kept: one pass over the pairs.

A full run ranks every vacancy's candidates block by block. Each of those blocks also keeps the
pairs that can enter any list (strict, or failing one check above the stretch floor; about one
per candidate at demo density, ten at a million candidates × 20,000 vacancies) as one payload of
arrays by id. Once every vacancy block is done, the run's candidate blocks are ranked from these
pairs instead of deciding every candidate × vacancy pair a second time: a pair is decided and
scored the same way in either direction, so the stored rows are those the kernel would give
(tested). A run killed in between resumes from the stored payloads.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from ..ranking import THIN_POOL, FittingPairs, ListRules, rank_fitting_by_candidate
from ..settings import Settings
from ..store import Block, RunInfo, Store
from ..store.bulk import SuggestionArrays
from .kept import KeptPairs
from .plan import RunParams
from .work import BlockOutcome, suggestion_arrays_of


def rank_candidate_block(
    pairs: KeptPairs, candidate_ids: Sequence[str], rules: ListRules, k: int, stretch: bool = True
) -> SuggestionArrays:
    """The vacancies of ``candidate_ids`` ranked from ``pairs`` (sorted :meth:`KeptPairs.by_candidate`).

    Candidates with no fitting pair get an empty list, as the kernel gives them; ties break by
    vacancy id, as the ranker's id order does.
    """
    queries = np.array(sorted(candidate_ids), dtype=str).reshape(-1)
    lo = int(np.searchsorted(pairs.candidate_ids, queries[0], side="left")) if len(queries) else 0
    hi = int(np.searchsorted(pairs.candidate_ids, queries[-1], side="right")) if len(queries) else 0
    mine = slice(lo, hi)  # the block's ids are a run of the sorted ids, so its pairs are one slice
    cand = np.searchsorted(queries, pairs.candidate_ids[mine])
    found = np.minimum(cand, max(len(queries) - 1, 0))
    take = np.flatnonzero((cand < len(queries)) & (queries[found] == pairs.candidate_ids[mine]))
    vacancy_ids, vac_rows = np.unique(pairs.vacancy_ids[mine][take], return_inverse=True)
    fitting = FittingPairs(
        cand_rows=cand[take].astype(np.int64),
        vac_rows=vac_rows.astype(np.int64).reshape(-1),
        failed=pairs.failed[mine][take],
        distance_km=pairs.distance_km[mine][take],
        starts=np.zeros(1, dtype=np.int64),
    )
    id_rank = np.arange(len(vacancy_ids), dtype=np.int64)  # np.unique sorts: a vacancy's row is its id order
    ranked = rank_fitting_by_candidate(
        rules, [(fitting, pairs.scores[mine][take])], np.arange(len(queries)), id_rank, k, stretch
    )
    return suggestion_arrays_of(ranked, queries, vacancy_ids)


@dataclass(frozen=True)
class _Rules:
    """The list rules of the run's ranker (:class:`~matcher.ranking.ListRules`), from the settings."""

    fit_threshold: float
    stretch_floor: float
    thin_pool: int = THIN_POOL


def ranked_from_pairs(
    store: Store, settings: Settings, run: RunInfo, blocks: Sequence[Block]
) -> Iterator[BlockOutcome]:
    """Each candidate block of ``run`` ranked from its vacancy blocks' pairs, as the outcome a worker would give."""
    kept = KeptPairs.concat([KeptPairs.from_bytes(p) for p in store.fitting_pairs(run.id)]).by_candidate()
    rules = _Rules(settings.fit_threshold, settings.stretch_floor)
    top_k = RunParams.from_dict(run.params).top_k
    n_vacancies = store.counts()["vacancies"]
    for block in blocks:
        arrays = rank_candidate_block(kept, block.query_ids, rules, top_k)
        yield BlockOutcome(run.id, block.block_no, [], len(block.query_ids) * n_vacancies, arrays=arrays)
