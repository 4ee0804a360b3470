"""Scoring one block: the task that runs in a joblib or Dask worker.

A task carries only ids and settings. The worker reads the profiles from the store itself and
keeps the ranker it built for the run's snapshot, so a worker that scores many blocks reads the
store and encodes the pools once, and nothing large travels between processes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from ..explain import Lang
from ..ranking import RankedList, Ranker
from ..scoring import load_scorer
from ..settings import Settings
from ..store import Store, SuggestionList, SuggestionRow
from ..taxonomy import load_taxonomy


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


@dataclass(frozen=True)
class BlockOutcome:
    run_id: int
    block_no: int
    lists: list[SuggestionList]
    pairs: int
    allocation_pairs: bytes | None = None  # AllocationPairs.to_bytes() of a vacancy block, when the run allocates


_lock = threading.Lock()
_ranker_key: tuple[str, str, str] | None = None
_ranker: Ranker | None = None


def build_ranker(task: BlockTask) -> Ranker:
    """The ranker for a task's run, read from the store and checked against the run's snapshot and model."""
    return _build_ranker(task)


def _build_ranker(task: BlockTask) -> Ranker:
    store = Store.from_url(task.database_url)
    try:
        candidates, vacancies, snapshot = store.load_profiles()
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
    return Ranker.from_profiles(
        load_taxonomy(),
        candidates,
        vacancies,
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
    allocation_pairs = None
    if task.direction == "candidates" and task.allocation_top_n > 0:
        from ..allocation.pairs import rank_with_pairs

        ranked, kept = rank_with_pairs(ranker, ids, task.top_k, task.allocation_top_n)
        allocation_pairs = kept.to_bytes()
        pairs = len(ids) * len(ranker.candidates)
    elif task.direction == "candidates":
        ranked = ranker.top_candidates(ids, k=task.top_k)
        pairs = len(ids) * len(ranker.candidates)
    else:
        ranked = ranker.top_vacancies(ids, k=task.top_k)
        pairs = len(ids) * len(ranker.vacancies)
    lang = cast(Lang, task.lang)
    lists = [suggestion_list(r, ranker.explain_list(r, lang)) for r in ranked]
    return BlockOutcome(task.run_id, task.block_no, lists, pairs, allocation_pairs)
