"""Scoring one block: the task that runs in a joblib or Dask worker.

A task carries only ids and settings. The worker reads the profiles from the store itself (only
those changed since the pools on disk, :mod:`.pools`) and keeps the ranker it built for the run's
snapshot, so a worker that scores many blocks reads the store and encodes the pools once, and
nothing large travels between processes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from ..ranking import (
    RankedArrays,
    RankedList,
    Ranker,
    top_candidates_arrays,
    top_candidates_with_fitting,
    top_vacancies_arrays,
)
from ..scoring import load_scorer
from ..settings import Settings
from ..store import Store, SuggestionList, SuggestionRow
from ..store.bulk import Provenance, SuggestionArrays, inputs_ref
from ..taxonomy import load_taxonomy
from .kept import KeptPairs
from .pools import encoded_pools, snapshot_path


class SnapshotChanged(RuntimeError):
    """The store's profiles differ from those the run started on."""


@dataclass(frozen=True)
class BlockTask:
    """Everything a worker needs to score one block; small, so it pickles cheaply."""

    settings: Settings
    database_url: str
    run_id: int
    block_no: int
    direction: str
    query_ids: tuple[str, ...]
    snapshot: str
    model_version: str
    today: str
    top_k: int
    lang: str
    allocation_top_n: int = 0  # > 0: vacancy blocks also keep each vacancy's best this many fitting pairs
    keep_fitting: bool = False  # a vacancy block also keeps the pairs that can enter any list (batch.fitting)


@dataclass(frozen=True)
class BlockOutcome:
    """A scored block as it travels back to the process that stores it.

    A batch block comes back as ``arrays`` (flat arrays of ids, ranks, scores and flags, no
    explanation: the storing side adds each row's compact explanation, see :func:`with_provenance`)
    and ``lists`` is empty; ``lists`` holds explained :class:`SuggestionList` objects for callers
    that build outcomes by hand. Further optional fields (e.g. the allocation step's allowed pairs)
    go after ``arrays``, with defaults, so both kinds of outcome keep pickling the same way.
    """

    run_id: int
    block_no: int
    lists: list[SuggestionList]
    pairs: int
    arrays: SuggestionArrays | None = None
    allocation_pairs: bytes | None = None  # AllocationPairs.to_bytes() of a vacancy block, when the run allocates
    fitting_pairs: bytes | None = None  # KeptPairs.to_bytes() of a vacancy block, when the run ranks in one pass


_lock = threading.Lock()
_ranker_key: tuple[str, str, str] | None = None
_ranker: Ranker | None = None


def build_ranker(task: BlockTask) -> Ranker:
    """The ranker for a task's run, read from the store and checked against the run's snapshot and model."""
    return _build_ranker(task)


def _build_ranker(task: BlockTask) -> Ranker:
    taxonomy = load_taxonomy()
    store = Store.from_url(task.database_url)
    try:
        pools, snapshot, _ = encoded_pools(store, taxonomy, snapshot_path(task.settings, task.database_url))
    finally:
        store.dispose()
    if snapshot != task.snapshot:
        raise SnapshotChanged(
            f"the candidates or vacancies changed since rescoring run {task.run_id} started (an import during the "
            f"run?); its results would mix two states of the data. Start a new run: matcher rescore"
        )
    scorer = load_scorer(task.settings)
    if scorer.version != task.model_version:
        raise SnapshotChanged(
            f"rescoring run {task.run_id} started with model {task.model_version!r}, the current "
            f"model is {scorer.version!r}; start a new run: matcher rescore"
        )
    return Ranker(
        pools.candidates,
        pools.vacancies,
        scorer=scorer,
        today=date.fromisoformat(task.today),
        fit_threshold=task.settings.fit_threshold,
        stretch_floor=task.settings.stretch_floor,
    )


def ranker_for(task: BlockTask) -> Ranker:
    """The ranker for the task's run, built once per worker process and snapshot.

    Only the latest ranker is kept, so a long-lived worker does not accumulate old pools.
    """
    global _ranker_key, _ranker
    key = (task.database_url, task.snapshot, task.today)
    with _lock:
        if _ranker_key != key or _ranker is None:
            _ranker, _ranker_key = _build_ranker(task), key
        return _ranker


def suggestion_list(ranked: RankedList, explanations: Sequence[dict[str, Any]]) -> SuggestionList:
    """A ranked list as the store keeps it: every pair with its explanation (one per suggestion, in order)."""
    rows = [
        SuggestionRow(
            vacancy_id=s.vacancy_id,
            candidate_id=s.candidate_id,
            rank=s.rank,
            score=s.score,
            stretch=s.stretch,
            failed=s.failed,
            distance_km=s.distance_km,
            explanation=e,
        )
        for s, e in zip(ranked.suggestions, explanations, strict=False)
    ]
    return SuggestionList(
        direction=ranked.direction,
        query_id=ranked.query_id,
        strict_count=ranked.strict_count,
        stretch_count=ranked.stretch_count,
        rows=rows,
    )


def score_block(task: BlockTask) -> BlockOutcome:
    """Rank one block's queries against the whole other side, with explanations."""
    return score_block_with(ranker_for(task), task)


def score_block_with(ranker: Ranker, task: BlockTask) -> BlockOutcome:
    """:func:`score_block` with a ranker given (on a Dask worker: the copy scattered to it)."""
    ids = list(task.query_ids)
    if task.direction == "candidates" and task.allocation_top_n > 0:
        # ranked once, deep enough for the allocation; the stored lists are the top_k of the same ranking
        from ..allocation.pairs import rank_with_pairs

        lists, kept = rank_with_pairs(ranker, ids, task.top_k, task.allocation_top_n)
        arrays = arrays_from_lists("candidates", lists)
        pairs = len(ids) * len(ranker.candidates)
        return BlockOutcome(task.run_id, task.block_no, [], pairs, arrays=arrays, allocation_pairs=kept.to_bytes())
    if task.direction == "candidates" and task.keep_fitting:
        ranked, fitting = top_candidates_with_fitting(ranker, ids, k=task.top_k)
        payload = KeptPairs.of(ranker, fitting).to_bytes()
        arrays = suggestion_arrays(ranker, ranked)
        pairs = len(ids) * len(ranker.candidates)
        return BlockOutcome(task.run_id, task.block_no, [], pairs, arrays=arrays, fitting_pairs=payload)
    if task.direction == "candidates":
        ranked = top_candidates_arrays(ranker, ids, k=task.top_k)
        pairs = len(ids) * len(ranker.candidates)
    else:
        ranked = top_vacancies_arrays(ranker, ids, k=task.top_k)
        pairs = len(ids) * len(ranker.vacancies)
    return BlockOutcome(task.run_id, task.block_no, [], pairs, arrays=suggestion_arrays(ranker, ranked))


def suggestion_arrays(ranker: Ranker, ranked: RankedArrays) -> SuggestionArrays:
    """Ranked arrays with pool rows turned into ids, in query id order (as the store keeps them)."""
    if ranked.direction == "candidates":
        return suggestion_arrays_of(ranked, ranker.vacancies.ids, ranker.candidates.ids)
    return suggestion_arrays_of(ranked, ranker.candidates.ids, ranker.vacancies.ids)


def suggestion_arrays_of(
    ranked: RankedArrays, query_ids: Sequence[str] | np.ndarray, other_ids: Sequence[str] | np.ndarray
) -> SuggestionArrays:
    """:func:`suggestion_arrays` with the ids of the rows given: the queries' and the suggested side's."""
    queries = np.asarray(query_ids, dtype=object)[ranked.query_rows]
    order = np.argsort(queries.astype(str), kind="stable")
    lengths = np.diff(ranked.starts)[order]
    starts = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    # row r of query q (in id order) is row ranked.starts[q] + (r - starts[q]) of the ranked arrays
    take = np.arange(starts[-1], dtype=np.int64) + np.repeat(ranked.starts[:-1][order] - starts[:-1], lengths)
    others = np.asarray(other_ids, dtype=object)[ranked.other_rows[take]]
    query_of_row = np.repeat(queries[order], lengths)
    vacancy_ids, candidate_ids = (query_of_row, others) if ranked.direction == "candidates" else (others, query_of_row)
    return SuggestionArrays(
        direction=ranked.direction,
        query_ids=queries[order],
        strict_count=ranked.strict_count[order],
        stretch_count=ranked.stretch_count[order],
        starts=starts,
        vacancy_ids=vacancy_ids,
        candidate_ids=candidate_ids,
        rank=ranked.rank[take],
        score=ranked.score[take],
        stretch=ranked.stretch[take],
        failed=ranked.failed[take],
        distance_km=ranked.distance_km[take],
        explanations=(),
    )


def arrays_from_lists(direction: str, lists: Sequence[RankedList]) -> SuggestionArrays:
    """Ranked lists (objects) as the same flat arrays :func:`suggestion_arrays` gives, in query id order."""
    ordered = sorted(lists, key=lambda ranked: ranked.query_id)
    rows = [s for ranked in ordered for s in ranked.suggestions]
    starts = np.zeros(len(ordered) + 1, dtype=np.int64)
    np.cumsum([len(ranked.suggestions) for ranked in ordered], out=starts[1:])
    return SuggestionArrays(
        direction=direction,
        query_ids=np.array([ranked.query_id for ranked in ordered], dtype=object),
        strict_count=np.array([ranked.strict_count for ranked in ordered], dtype=np.int64),
        stretch_count=np.array([ranked.stretch_count for ranked in ordered], dtype=np.int64),
        starts=starts,
        vacancy_ids=np.array([s.vacancy_id for s in rows], dtype=object),
        candidate_ids=np.array([s.candidate_id for s in rows], dtype=object),
        rank=np.array([s.rank for s in rows], dtype=np.int64),
        score=np.array([s.score for s in rows], dtype=np.float32),
        stretch=np.array([s.stretch for s in rows], dtype=bool),
        failed=np.array([s.failed for s in rows], dtype=np.int64),
        distance_km=np.array([s.distance_km for s in rows], dtype=np.float32),
        explanations=(),
    )


def with_provenance(
    arrays: SuggestionArrays, digests: tuple[dict[str, str], dict[str, str]], provenance: Provenance
) -> SuggestionArrays:
    """Each row's compact explanation: the reference to its inputs (the two profiles' digests) and the run's day."""
    cands, vacs = digests
    model, lang = provenance.model_version, provenance.lang
    head, tail = provenance.explanation_parts()  # the same text as explanation_json, without json.dumps per row
    return replace(
        arrays,
        explanations=[
            head + inputs_ref(cands.get(c, ""), vacs.get(v, ""), model, lang) + tail
            for c, v in zip(arrays.candidate_ids.tolist(), arrays.vacancy_ids.tolist(), strict=True)
        ],
    )
