"""Rescoring on a Dask cluster: the pools travel to each worker once, the blocks travel as ids.

The client (the machine that runs ``matcher rescore``) reads the store, builds the ranker for the
run's snapshot and scatters it to every worker with ``broadcast=True``: one copy per worker, held
under one key for the whole run. Each block is a task that takes that key and a small
:class:`~matcher.batch.work.BlockTask`; its outcome (the ranked lists) comes back to the client,
which stores it, so workers need neither the store nor its URL.

A worker that dies mid-run loses only its running tasks: the scheduler gives them to a worker
that still holds the ranker, and a block that was already stored is not scored again. Scoring is
deterministic, so the stored rows are the same as a run without the loss.

The scheduler's active memory manager (on by default) drops copies of the ranker that no waiting
block needs any more, so near the end of a run one worker may hold the only copy. If that worker
dies, the scheduler forgets the ranker and cancels the blocks that needed it; the client then
scatters the ranker again and resubmits the blocks it has not stored (at most ``RESCATTERS``
times). If every worker is lost the run fails and resumes later from its pending blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import CancelledError
from typing import Any

from ..ranking import Ranker
from .work import BlockOutcome, BlockTask, build_ranker, score_block_with

RETRIES = 3
"""Times a block may be re-run after a worker failure before the run gives up."""

RESCATTERS = 3
"""Times the ranker may be scattered again after the scheduler lost every copy of it."""

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
    if not tasks:
        return
    ranker = build_ranker(tasks[0])
    pending = {(task.direction, task.block_no): task for task in tasks}
    for _ in range(RESCATTERS + 1):
        _score_with_one_copy(client, ranker, pending, on_outcome)
        if not pending:
            return
    raise RuntimeError(
        f"the cluster lost the run's ranker {RESCATTERS + 1} times (workers dying); {len(pending)} blocks are "
        f"still to score: check the workers, then resume the run"
    )


def _score_with_one_copy(
    client: Any,
    ranker: Ranker,
    pending: dict[tuple[str, int], BlockTask],
    on_outcome: Callable[[BlockOutcome], None],
) -> None:
    """Scatter ``ranker`` once, score the ``pending`` blocks with it, and drop each stored block from ``pending``.

    Returns early (blocks left in ``pending``) when the scheduler cancelled blocks because it lost
    every copy of the ranker.
    """
    from dask.distributed import as_completed

    [shared] = client.scatter([ranker], broadcast=True, hash=False)
    futures = {
        client.submit(
            score_block_on_worker,
            shared,
            task,
            key=f"matcher-run{task.run_id}-{task.direction}-block{task.block_no}-{shared.key}",
            retries=RETRIES,
            pure=False,
        ): key
        for key, task in pending.items()
    }
    try:
        for future in as_completed(list(futures), loop=client.loop):
            try:
                outcome = future.result()
            except CancelledError:
                continue  # the ranker was lost; the block stays pending for the next scatter
            on_outcome(outcome)
            del pending[futures[future]]
            future.release()
    finally:
        client.cancel(list(futures))
        client.cancel([shared])
