"""Rescoring runs: start, resume, list, and score in the background for the service.

A run plans its blocks at once (so a bad vacancy id is refused before anything runs), then scores
them on joblib or Dask; progress is in the store, so any front end can show it.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np

from ..batch import Backend, Progress, SnapshotChanged, run_rescoring, start_run
from ..batch.incremental import rescore_changes
from ..ranking import Ranker, Suggestion
from ..settings import Settings
from ..store import ApiKey, RunInfo, Store, StoredSuggestion
from ..store.bulk import inputs_ref
from .errors import Conflict, InvalidInput, NotFound
from .live import LivePool
from .stores import open_store
from .webhook import notify_run_ended

log = logging.getLogger("matcher.app")


def run_summary(store: Store, run: RunInfo) -> str:
    """One line on what a run did, and the figures of its allocation when it made one."""
    lists = store.run_lists(run.id)
    by_direction = {d: sum(1 for row in lists if row[0] == d) for d in ("candidates", "vacancies")}
    line = (
        f"run {run.id} {run.status}: {run.done_blocks}/{run.total_blocks} blocks, {run.pairs:,} pairs scored, "
        f"top-{run.params['top_k']} stored for {by_direction['candidates']} vacancies and "
        f"{by_direction['vacancies']} candidates (model {run.model_version})"
    )
    allocation = store.run_allocation(run.id)
    if allocation is None:
        return line
    from ..allocation import summarise

    return f"{line}\nspread over the openings (run {run.id}):\n{summarise(allocation['metrics'])}"


def get_run(store: Store, run_id: int) -> RunInfo:
    run = store.get_run(run_id)
    if run is None:
        raise NotFound(f"no rescoring run {run_id}; list them with: matcher runs")
    return run


def rescore(
    settings: Settings,
    run_id: int | None = None,
    backend: Backend = "loky",
    scheduler: str | None = None,
    progress: Progress | None = None,
    vacancy_ids: Sequence[str] | None = None,
    today: date | None = None,
    allocate: bool = False,
) -> str:
    """Run a new rescoring run (all vacancies, or ``vacancy_ids``) or resume ``run_id``, in this process.

    With ``allocate`` a new run ends by spreading its suggestions (see :mod:`matcher.batch.allocating`);
    a resumed run finishes whatever phase it started with.
    """
    store = open_store(settings)
    try:
        resumed = run_id is not None
        if resumed:
            get_run(store, run_id)  # type: ignore[arg-type]
        try:
            run_id = run_rescoring(
                store,
                settings,
                vacancy_ids=vacancy_ids,
                run_id=run_id,
                progress=progress,
                backend=backend,
                scheduler=scheduler,
                today=today,
                allocate=allocate,
            )
        except SnapshotChanged as exc:
            raise Conflict(str(exc)) from exc
        run = get_run(store, run_id)
        store.audit(
            "rescore",
            role="cli",
            target=f"run {run.id}",
            detail={"status": run.status, "resumed": resumed, "backend": backend, "pairs": run.pairs},
        )
        return run_summary(store, run)
    finally:
        store.dispose()


def rescore_changed(settings: Settings, today: date | None = None) -> str:
    """Incremental rescoring in this process: only what the last imports can change.

    See :mod:`matcher.batch.incremental`; a different day or model is refused (:class:`Conflict`).
    """
    store = open_store(settings)
    try:
        refuse_if_running(store)
        try:
            summary = rescore_changes(store, settings, today=today)
        except ValueError as exc:
            raise Conflict(str(exc)) from exc
        if summary.run_id is None:
            return f"nothing changed since run {summary.base_run}: the stored lists are up to date"
        run = get_run(store, summary.run_id)
        store.audit(
            "rescore_changed",
            role="cli",
            target=f"run {run.id}",
            detail={"base_run": summary.base_run, "status": run.status, "pairs": run.pairs},
        )
        v, c = summary.vacancies, summary.candidates
        return (
            f"run {run.id} {run.status} (incremental on run {summary.base_run}): vacancies {len(v.new)} new, "
            f"{len(v.changed)} changed, {len(v.removed)} removed; candidates {len(c.new)} new, {len(c.changed)} "
            f"changed, {len(c.removed)} removed; ranked again {summary.ranked_vacancies} vacancy and "
            f"{summary.ranked_candidates} candidate lists, {summary.resized_lists} lists with new pool sizes only"
        )
    finally:
        store.dispose()


def list_runs(store: Store, status: str | None = None, limit: int = 50) -> list[RunInfo]:
    return store.list_runs(status=status, limit=limit)


def run_public(run: RunInfo) -> dict[str, Any]:
    """A run as JSON for every front end."""
    return {
        "id": run.id,
        "status": run.status,
        "scope": run.scope,
        "model_version": run.model_version,
        "total_blocks": run.total_blocks,
        "done_blocks": run.done_blocks,
        "progress": round(run.progress, 4),
        "pairs": run.pairs,
        "error": run.error,
        "created_at": run.created_at,
        "updated_at": run.updated_at,
    }


def _score_in_background(live: LivePool, run_id: int) -> None:
    def work() -> None:
        try:
            run_rescoring(live.store, live.settings, run_id=run_id, backend="threading")
        except Exception:  # the run records its own failure; the thread must not die silently
            log.exception("rescoring run %s failed", run_id)
        finally:
            live.rescoring_threads.pop(run_id, None)
            ended = live.store.get_run(run_id)
            if ended is not None:
                notify_run_ended(live.settings, run_public(ended))

    thread = threading.Thread(target=work, name=f"rescoring-{run_id}", daemon=True)
    live.rescoring_threads[run_id] = thread
    thread.start()


_starting = threading.Lock()


def refuse_if_running(store: Store) -> None:
    """One active run per store: a second one would score the same pairs twice, at the same time."""
    running = store.list_runs(status="running", limit=1)
    if running:
        run = running[0]
        raise Conflict(
            f"rescoring run {run.id} is running ({run.done_blocks}/{run.total_blocks} blocks); poll "
            f"GET /rescoring/runs/{run.id} and start a new run when it ends (if its service stopped, resume it)",
            run_id=run.id,
        )


def start_in_background(
    live: LivePool, key: ApiKey, vacancy_ids: Sequence[str] | None, today: date | None, allocate: bool = False
) -> RunInfo:
    """Plan a run now (a bad vacancy id is refused at once) and score it in a thread of this process.

    With ``allocate`` the run ends by spreading its suggestions (:mod:`matcher.batch.allocating`).

    Refused with :class:`Conflict` (naming the running run) while another run of this store is running.
    """
    with _starting:
        refuse_if_running(live.store)
        try:
            run_id = start_run(live.store, live.settings, vacancy_ids, today=today, allocate=allocate)
        except ValueError as exc:
            raise InvalidInput("vacancy_ids", str(exc)) from exc
    live.store.audit(
        "start_rescoring",
        key,
        target=str(run_id),
        detail={"vacancy_ids": len(vacancy_ids) if vacancy_ids else "all", "allocate": allocate},
    )
    _score_in_background(live, run_id)
    return get_run(live.store, run_id)


def resume_in_background(live: LivePool, key: ApiKey, run_id: int) -> RunInfo:
    """Resume a run that stopped before it completed, unless that cannot give the same results."""
    run = get_run(live.store, run_id)
    if run.status == "completed":
        raise Conflict(f"rescoring run {run_id} is completed; start a new run to rescore")
    if run_id in live.rescoring_threads:
        raise Conflict(f"rescoring run {run_id} is being scored by this service now; poll its progress", run_id=run_id)
    if live.store.snapshot() != run.snapshot:
        raise Conflict(
            f"the candidates or vacancies changed since rescoring run {run_id} started, so it cannot resume "
            f"with the same results; start a new run with POST /rescoring/runs"
        )
    live.store.audit("resume_rescoring", key, target=str(run_id))
    _score_in_background(live, run_id)
    return run


def stored_suggestions(
    live: LivePool,
    vacancy_id: str | None = None,
    candidate_id: str | None = None,
    run_id: int | None = None,
    direction: str | None = None,
) -> list[StoredSuggestion]:
    """A stored list (:meth:`Store.list_suggestions`) with each explanation rendered from its inputs.

    A run stores per suggestion only what its explanation is made from (see
    :mod:`matcher.store.bulk`); the text is rendered here, for the few rows read, from the pooled
    profiles and the run's day, exactly as the run would have rendered it. When a profile changed
    after the run, its reference no longer matches and the explanation says ``inputs_changed``
    (it then describes today's profile); a profile removed since keeps the compact record.
    """
    rows = live.store.list_suggestions(
        vacancy_id=vacancy_id, candidate_id=candidate_id, direction=direction, run_id=run_id
    )
    with live.lock.reading():
        rankers: dict[str, Ranker] = {}  # one per run day: a shallow copy shares the pools

        def on_the_day(day: str) -> Ranker:
            if day not in rankers:
                rankers[day] = copy.copy(live.ranker)
                rankers[day].today = date.fromisoformat(day)
            return rankers[day]

        return [_rendered(live, row, on_the_day) for row in rows]


def _rendered(live: LivePool, row: StoredSuggestion, on_the_day: Callable[[str], Ranker]) -> StoredSuggestion:
    compact = row.explanation
    if "inputs" not in compact or "today" not in compact:
        return row  # an explanation stored whole (served logs, or runs before compact storage)
    ranker = live.ranker
    if row.candidate_id not in ranker.candidates.row_of or row.vacancy_id not in ranker.vacancies.row_of:
        return row
    suggestion = Suggestion(
        candidate_id=row.candidate_id,
        vacancy_id=row.vacancy_id,
        score=row.score,
        rank=row.rank,
        stretch=row.stretch,
        failed=row.failed,
        distance_km=row.distance_km,
        features=np.zeros(0, dtype=np.float32),
    )
    explanation = on_the_day(compact["today"]).explain(suggestion, compact.get("lang", "nl")).to_dict()
    cands, vacs = live.digests
    now = inputs_ref(cands.get(row.candidate_id, ""), vacs.get(row.vacancy_id, ""), row.model_version, compact["lang"])
    if now != compact["inputs"]:
        explanation["inputs_changed"] = True
    return dataclasses.replace(row, explanation=explanation)
