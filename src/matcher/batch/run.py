"""Running and resuming a rescoring run over the store, on joblib or on a Dask cluster.

A run first ranks candidates for its vacancies, block by block, then vacancies for the affected
candidates. A run over every vacancy ranks every candidate; a run over selected vacancies (after
an import) ranks the candidates it suggested for them, each against all vacancies in the store,
so each stored list is complete. Each block is stored in one transaction as its result arrives,
and a run resumes by scoring its pending blocks only: killed or not, it ends with the same rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Literal

from joblib import Parallel, delayed, parallel_config

from ..scoring import load_scorer
from ..settings import Settings
from ..store import Block, RunInfo, Store
from ..store.bulk import Provenance
from ..taxonomy import load_taxonomy
from .allocating import ALLOCATION_TOP_N, allocation_pending, finish_allocation
from .cluster import score_on_cluster
from .fitting import ranked_from_pairs
from .plan import RunParams, candidate_side, vacancy_side
from .work import BlockOutcome, BlockTask, SnapshotChanged, score_block, with_provenance

Backend = Literal["loky", "threading", "dask"]
BACKENDS = ("loky", "threading", "dask")
Progress = Callable[[RunInfo], None]


def start_run(
    store: Store,
    settings: Settings,
    vacancy_ids: Sequence[str] | None = None,
    today: date | None = None,
    lang: str = "nl",
    allocate: bool = False,
) -> int:
    """Plan a new run over ``vacancy_ids`` (None: every vacancy) and return its id.

    With ``allocate`` the run's last phase spreads its suggestions (:mod:`.allocating`), with the
    attention and suggestions per opening of ``settings`` fixed in the run's parameters.
    """
    all_vacancies = store.vacancy_ids()
    if vacancy_ids is not None:
        unknown = sorted(set(vacancy_ids) - set(all_vacancies))
        if unknown:
            raise ValueError(
                f"vacancy {unknown[0]!r} is not in the store"
                + (f" ({len(unknown) - 1} more unknown)" if len(unknown) > 1 else "")
            )
    selected = sorted(set(vacancy_ids)) if vacancy_ids is not None else all_vacancies
    params = RunParams(
        today=(today or date.today()).isoformat(),
        top_k=settings.top_k,
        block_size=settings.block_size,
        lang=lang,
        vacancy_ids=None if vacancy_ids is None else selected,
        allocation_top_n=ALLOCATION_TOP_N if allocate else 0,
        allocation_attention=settings.allocation_attention,
        allocation_per_opening=settings.allocation_per_opening,
        candidates_from_pairs=vacancy_ids is None and not allocate and settings.one_pass,
    )
    blocks = vacancy_side(selected, settings.block_size)
    if vacancy_ids is None:
        candidates = store.candidate_ids()
        blocks += candidate_side(candidates, settings.block_size, len(candidates), len(all_vacancies))
    return store.create_run(
        "all" if vacancy_ids is None else "selected",
        params.to_dict(),
        load_scorer(settings).version,
        store.snapshot(),
        blocks,
    )


def _plan_candidate_side(store: Store, run: RunInfo) -> bool:
    """For a selected run whose vacancy side is done: plan the candidates it suggested, once."""
    if run.scope != "selected" or store.blocks(run.id, direction="vacancies"):
        return False
    params = RunParams.from_dict(run.params)
    counts = store.counts()
    blocks = candidate_side(
        store.run_candidate_ids(run.id), params.block_size, counts["candidates"], counts["vacancies"]
    )
    return store.add_blocks(run.id, blocks) if blocks else False


@contextlib.contextmanager
def _backend(backend: str, scheduler: str | None) -> Iterator[None]:
    """joblib's backend for the run; for Dask, a client on the given scheduler for its duration."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}; got {backend!r}")
    if backend != "dask":
        with parallel_config(backend=backend):
            yield
        return
    if not scheduler:
        raise ValueError("backend 'dask' needs the scheduler address, e.g. tcp://10.0.0.5:8786")
    from dask.distributed import Client

    with Client(scheduler, set_as_default=False) as client, parallel_config(backend="dask", client=client):
        _clients.append(client)
        try:
            yield
        finally:
            _clients.remove(client)


_clients: list = []  # the Dask client of the run in progress, if any (see _backend)


def _tasks(store: Store, settings: Settings, run: RunInfo, blocks: Sequence[Block]) -> list[BlockTask]:
    params = RunParams.from_dict(run.params)
    return [
        BlockTask(
            settings=settings,
            database_url=store.url,
            run_id=run.id,
            block_no=b.block_no,
            direction=b.direction,
            query_ids=tuple(b.query_ids),
            snapshot=run.snapshot,
            model_version=run.model_version,
            today=params.today,
            top_k=params.top_k,
            lang=params.lang,
            allocation_top_n=params.allocation_top_n,
            keep_fitting=params.candidates_from_pairs and b.direction == "candidates",
        )
        for b in blocks
    ]


def run_provenance(run: RunInfo) -> Provenance:
    """What each stored suggestion of ``run`` records: its model, the ESCO version, the run's day and language."""
    params = RunParams.from_dict(run.params)
    return Provenance(run.model_version, load_taxonomy().esco_version, params.today, params.lang)


def _get_run(store: Store, run_id: int) -> RunInfo:
    run = store.get_run(run_id)
    if run is None:
        raise ValueError(f"no rescoring run {run_id}; list the runs with Store.list_runs()")
    return run


def _score_pending(store: Store, settings: Settings, run_id: int, n_jobs: int, progress: Progress | None) -> None:
    run = _get_run(store, run_id)
    pending = store.pending_blocks(run_id)
    if not pending:
        return
    from_pairs: list[Block] = []
    if RunParams.from_dict(run.params).candidates_from_pairs:  # ranked after every vacancy block (batch.fitting)
        from_pairs = [b for b in pending if b.direction == "vacancies"]
        pending = [b for b in pending if b.direction != "vacancies"]

    digests = store.profile_digests()  # the run's snapshot: unchanged while it runs (checked at its start)
    provenance = run_provenance(run)

    def stored(outcome: BlockOutcome) -> None:
        if outcome.allocation_pairs is not None:  # before the block counts as done, so a done block has its pairs
            store.put_allocation_pairs(outcome.run_id, outcome.block_no, outcome.allocation_pairs)
        if outcome.fitting_pairs is not None:
            store.put_fitting_pairs(outcome.run_id, outcome.block_no, outcome.fitting_pairs)
        arrays = () if outcome.arrays is None else (with_provenance(outcome.arrays, digests, provenance),)
        store.complete_block(
            outcome.run_id, outcome.block_no, outcome.lists, outcome.pairs, run.model_version, arrays=arrays
        )
        if progress is not None:
            progress(_get_run(store, run_id))

    tasks = _tasks(store, settings, run, pending)
    if _clients and tasks:  # a Dask cluster: the pools go to each worker once (batch.cluster)
        score_on_cluster(_clients[-1], tasks, stored)
    elif tasks:
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
        for outcome in parallel(delayed(score_block)(task) for task in tasks):
            stored(outcome)
    if from_pairs:
        for outcome in ranked_from_pairs(store, settings, run, from_pairs):
            stored(outcome)
        store.drop_fitting_pairs(run_id)


def _resumable(store: Store, settings: Settings, run_id: int) -> RunInfo:
    run = _get_run(store, run_id)
    if run.status == "completed":
        return run
    if store.snapshot() != run.snapshot:
        raise SnapshotChanged(
            f"the candidates or vacancies changed since rescoring run {run_id} started, so it "
            f"cannot resume with the same results; start a new run: matcher rescore"
        )
    version = load_scorer(settings).version
    if version != run.model_version:
        raise SnapshotChanged(
            f"rescoring run {run_id} started with model {run.model_version!r}, the current model "
            f"is {version!r}; start a new run: matcher rescore"
        )
    return run


def run_rescoring(
    store: Store,
    settings: Settings,
    vacancy_ids: Sequence[str] | None = None,
    run_id: int | None = None,
    progress: Progress | None = None,
    backend: Backend = "loky",
    scheduler: str | None = None,
    today: date | None = None,
    allocate: bool = False,
) -> int:
    """Score, rank and store top-k both ways; a new run, or resume ``run_id``. Returns the run id.

    Parameters
    ----------
    store : the store to read profiles from and write suggestions to.
    settings : ``block_size``, ``top_k`` and ``n_jobs`` (workers; -1 for all cores or Dask workers).
    vacancy_ids : the vacancies to rescore (e.g. tonight's import); None rescores everything.
    run_id : resume this run instead: only its pending blocks are scored.
    progress : called with the run after each stored block (and once at the start).
    backend : ``loky`` (processes), ``threading``, or ``dask`` with ``scheduler`` its address.
    today : reference date for vacancy expiry (default: the day the run starts).
    allocate : end a new run by spreading its suggestions over the openings (:mod:`.allocating`);
        a resumed run allocates if it was started so, whatever this says.
    """
    if run_id is None:
        run_id = start_run(store, settings, vacancy_ids, today, allocate=allocate)  # snapshot, model: just now
    elif vacancy_ids is not None:
        raise ValueError("give either vacancy_ids (a new run) or run_id (resume a run), not both")
    elif _resumable(store, settings, run_id).status == "completed":
        return run_id
    store.set_run_status(run_id, "running")
    if progress is not None:
        progress(_get_run(store, run_id))
    try:
        with _backend(backend, scheduler):
            _score_pending(store, settings, run_id, settings.n_jobs, progress)
            if _plan_candidate_side(store, _get_run(store, run_id)):
                if progress is not None:
                    progress(_get_run(store, run_id))
                _score_pending(store, settings, run_id, settings.n_jobs, progress)
        if allocation_pending(store, _get_run(store, run_id)):
            finish_allocation(store, _get_run(store, run_id))
    except Exception as exc:
        store.set_run_status(run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    store.set_run_status(run_id, "completed")
    if progress is not None:
        progress(_get_run(store, run_id))
    return run_id
