"""Rescoring on a Dask cluster: the pools travel to each worker once, the blocks travel as ids.

The client (the machine that runs ``matcher rescore``) reads the store, builds the ranker for the
run's snapshot and scatters it to every worker with ``broadcast=True``: one copy per worker, held
under one key for the whole run. Each block is a task that takes that key and a small
:class:`~matcher.batch.work.BlockTask`; its outcome (the ranked lists) comes back to the client,
which stores it, so workers need neither the store nor its URL.

A worker that dies mid-run loses only its running tasks: the scheduler gives them to a worker
that still holds the ranker (every worker has a copy), and a block that was already stored is
not scored again. Scoring is deterministic, so the stored rows are the same as a run without the
loss. If every worker is lost the run fails and resumes later from its pending blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..ranking import Ranker
from .work import BlockOutcome, BlockTask, build_ranker, score_block_with

RETRIES = 3
"""Times a block may be re-run after a worker failure before the run gives up."""

_rankers_seen: dict[int, set[int]] = {}  # run id -> ids of the ranker objects this worker scored it with


def score_block_on_worker(ranker: Ranker, task: BlockTask) -> BlockOutcome:
    """The task run on a worker: ``ranker`` is the scattered copy this worker holds."""
    _rankers_seen.setdefault(task.run_id, set()).add(id(ranker))
    return score_block_with(ranker, task)


def rankers_seen(run_id: int) -> int:
    """How many distinct ranker objects this worker process scored a run's blocks with (1: sent once)."""
    return len(_rankers_seen.get(run_id, ()))


def score_on_cluster(client: Any, tasks: Sequence[BlockTask], on_outcome: Callable[[BlockOutcome], None]) -> None:
    """Score ``tasks`` on the client's workers and hand each outcome to ``on_outcome`` as it arrives."""
    from dask.distributed import as_completed

    if not tasks:
        return
    ranker = build_ranker(tasks[0])
    [shared] = client.scatter([ranker], broadcast=True, hash=False)
    futures = [
        client.submit(
            score_block_on_worker,
            shared,
            task,
            key=f"matcher-run{task.run_id}-{task.direction}-block{task.block_no}-{shared.key}",
            retries=RETRIES,
            pure=False,
        )
        for task in tasks
    ]
    try:
        for future in as_completed(futures, loop=client.loop):
            on_outcome(future.result())
            future.release()
    finally:
        client.cancel(futures)
        client.cancel([shared])
