"""Incremental rescoring after an import: rescore only the pairs the changes can affect.

The stored lists are the latest completed list of every query (a full run, then incremental runs
on top). After candidates or vacancies were added, changed or removed, a list can change only if:

* its query itself is new or changed: ranked again against the whole other side;
* it shows a changed or removed profile: ranked again;
* a new or changed profile now forms a strict (or stretch) pair with it that scores at least its
  stored k-th strict (stretch) score, or the strict list is not full: ranked again (ties count);
* its strict pool crosses the thin-pool line (the stretch part appears or goes): ranked again;
* otherwise only its pool sizes can change (a pair that was or becomes strict or one-off without
  being shown): the rows are copied with the new sizes.

The pool-size changes need what the old version of a changed or removed profile contributed; the
store keeps the versions that updates and deletes replaced (``replaced_profiles``), and they are
scored against the current other side in the same ranker (under alias ids, then removed). The
result equals a full rescoring of the same store (``tests/test_incremental.py``).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from ..profiles import Candidate, Vacancy
from ..ranking import CANDIDATES_PER_BLOCK, NEAR_PAIRS_PER_BLOCK, Ranker, list_classes
from ..scoring import load_scorer
from ..settings import Settings
from ..store import RunInfo, Store
from ..store.profiles import snapshot_of
from ..taxonomy import Taxonomy, load_taxonomy
from .merge import NewPairs, StoredRow, exact_merge, merged_lists
from .plan import RunParams, candidate_side, vacancy_side
from .pools import encoded_pools, snapshot_path
from .run import _tasks, run_provenance
from .work import score_block_with, with_provenance

ALIAS = "\x00was\x00"
"""Prefix of the alias id an old profile version is pooled under while its pairs are scored."""


@dataclass
class Changes:
    """New, changed and removed ids of one side since the base run, and the old versions."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    old: dict[str, dict] = field(default_factory=dict)

    @property
    def touched(self) -> list[str]:
        return self.changed + self.removed

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.removed)


@dataclass(frozen=True)
class IncrementalSummary:
    run_id: int | None
    base_run: int
    vacancies: Changes
    candidates: Changes
    ranked_vacancies: int  # vacancy lists ranked again
    ranked_candidates: int
    resized_lists: int  # lists copied with new pool sizes
    merged_lists: int = 0  # lists brought up to date from their stored rows and the new pairs (.merge)


def base_run(store: Store) -> RunInfo:
    """The latest completed full or incremental run: the state the stored lists are in."""
    for run in store.list_runs(status="completed", limit=200):
        if run.scope in ("all", "incremental"):
            return run
    raise ValueError("no completed full rescoring in this store yet; run one first: matcher rescore")


def _changes(store: Store, kind: str, direction: str, since: RunInfo, now: dict[str, str]) -> tuple[Changes, dict]:
    lists = store.latest_lists(direction)
    replaced = store.replaced_since(kind, since.created_at)
    out = Changes()
    for i, digest in now.items():
        if i not in lists:
            out.new.append(i)
        elif i in replaced and replaced[i][0] != digest:
            out.changed.append(i)
    out.removed = [i for i in lists if i not in now and i in replaced]
    out.old = {i: replaced[i][1] for i in out.touched}
    for ids in (out.new, out.changed, out.removed):
        ids.sort()
    return out, lists


@dataclass(frozen=True)
class _SidePairs:
    """Every allowed pair of some rows of the changed side: the other side's row and the pair's classes."""

    other: np.ndarray
    own: np.ndarray
    strict: np.ndarray
    one_off: np.ndarray
    score: np.ndarray
    failed: np.ndarray
    distance_km: np.ndarray


def _side_pairs(ranker: Ranker, kind: str, rows: np.ndarray) -> _SidePairs:
    """The allowed pairs of these rows of ``kind`` against the whole other side, in blocks."""
    parts: list[tuple[np.ndarray, ...]] = []
    if kind == "vacancies":
        for b in ranker._vacancy_blocks(rows, NEAR_PAIRS_PER_BLOCK) if len(rows) else []:
            pairs, scores = ranker.score_pairs(ranker._near_candidates(b), b, by="vacancy")
            strict, one_off = list_classes(ranker, pairs.failed, scores)
            parts.append((pairs.cand_rows, pairs.vac_rows, strict, one_off, scores, pairs.failed, pairs.distance_km))
    else:
        for start in range(0, len(rows), CANDIDATES_PER_BLOCK):
            b = rows[start : start + CANDIDATES_PER_BLOCK]
            pairs, scores = ranker.score_pairs(b, ranker._near_vacancies(b), by="candidate")
            strict, one_off = list_classes(ranker, pairs.failed, scores)
            parts.append((pairs.vac_rows, pairs.cand_rows, strict, one_off, scores, pairs.failed, pairs.distance_km))
    if not parts:
        z = np.zeros(0, np.int64)
        return _SidePairs(z, z, z.astype(bool), z.astype(bool), z.astype(np.float32), z, z.astype(np.float32))
    return _SidePairs(*(np.concatenate(column) for column in zip(*parts, strict=True)))


def _pooled(ranker: Ranker, kind: str, ids: Sequence[str]) -> np.ndarray:
    pool = ranker.vacancies if kind == "vacancies" else ranker.candidates
    return pool.rows(list(ids)) if ids else np.zeros(0, np.int64)


def _old_rows(ranker: Ranker, kind: str, changes: Changes) -> np.ndarray:
    """Pool the old versions under alias ids; their rows (removed again by :func:`_unpool`)."""
    if not changes.touched:
        return np.zeros(0, np.int64)
    model = Vacancy if kind == "vacancies" else Candidate
    old = [model.model_validate(changes.old[i]).model_copy(update={"id": ALIAS + i}) for i in changes.touched]
    pool = ranker.vacancies if kind == "vacancies" else ranker.candidates
    pool.extend(old)  # type: ignore[arg-type]  # the pool of the profiles' own kind
    ranker.candidates.arrays(), ranker.vacancies.arrays()
    return pool.rows([p.id for p in old])


def _unpool(ranker: Ranker, kind: str, changes: Changes) -> None:
    pool = ranker.vacancies if kind == "vacancies" else ranker.candidates
    for i in changes.touched:
        pool.remove(ALIAS + i)
    ranker.candidates.arrays(), ranker.vacancies.arrays()


@dataclass
class _Affected:
    """The other side's lists a change reaches: ranked again in full, merged, or copied with new pool sizes."""

    again: set[str]
    resized: dict[str, tuple[int, int, int]]
    merge: dict[str, tuple[int, int]] = field(default_factory=dict)  # query → new (strict, stretch) counts
    rows: dict[str, list[StoredRow]] = field(default_factory=dict)
    new: NewPairs | None = None
    touched: set[str] = field(default_factory=set)


def _affected(
    store: Store,
    ranker: Ranker,
    kind: str,
    changes: Changes,
    other_lists: dict[str, tuple[int, int, int]],
    k: int,
) -> _Affected:
    """Lists of the other side to rank again or merge, and those whose only change is their pool sizes.

    ``kind`` is the side that changed; ``other_lists`` the other side's latest lists.
    """
    own_pool = ranker.vacancies if kind == "vacancies" else ranker.candidates
    other_pool = ranker.candidates if kind == "vacancies" else ranker.vacancies
    other_direction = "vacancies" if kind == "vacancies" else "candidates"
    other_ids = np.asarray(other_pool.ids, dtype=object)
    thin = max(k, ranker.thin_pool)
    new_rows = _pooled(ranker, kind, changes.new + changes.changed)
    new = _side_pairs(ranker, kind, new_rows)
    own_ids = np.asarray(own_pool.ids, dtype=object)[new.own] if len(new.own) else np.zeros(0, dtype=object)
    old_rows = _old_rows(ranker, kind, changes)
    try:
        old = _side_pairs(ranker, kind, old_rows)
    finally:
        if len(old_rows):
            _unpool(ranker, kind, changes)
    n = len(other_ids)
    d_strict = np.bincount(new.other[new.strict], minlength=n) - np.bincount(old.other[old.strict], minlength=n)
    d_one = np.bincount(new.other[new.one_off], minlength=n) - np.bincount(old.other[old.one_off], minlength=n)
    again: set[str] = set()
    touched = changes.touched
    if touched:
        lists = {q: r for q, (r, _s, _t) in other_lists.items()}
        again |= {q for q, *_ in store.list_rows(other_direction, lists, others=touched)}
    # new strict / one-off pairs that may enter a list: compare with its stored k-th scores
    entering = new.strict | new.one_off
    candidates_in = {other_ids[r] for r in np.unique(new.other[entering]).tolist()}
    candidates_in = {q for q in candidates_in if q in other_lists and q not in again}
    rows = store.list_rows(other_direction, {q: other_lists[q][0] for q in candidates_in}) if candidates_in else []
    shown: dict[str, list[list[float]]] = {q: [[], []] for q in candidates_in}
    fetched: dict[str, list[StoredRow]] = {q: [] for q in candidates_in}  # whole lists, kept for the merges
    for row in rows:
        shown[row[0]][1 if row[4] else 0].append(row[3])
        fetched[row[0]].append(row)
    for r, strict, one_off, score in zip(
        new.other[entering].tolist(),
        new.strict[entering].tolist(),
        new.one_off[entering].tolist(),
        new.score[entering].tolist(),
        strict=True,
    ):
        q = other_ids[r]
        if q not in shown:
            continue
        strict_scores, stretch_scores = shown[q]
        s_new = other_lists[q][1] + int(d_strict[r])
        beats_strict = len(strict_scores) < k or score >= min(strict_scores)
        beats_stretch = s_new < thin and (len(stretch_scores) < k or score >= min(stretch_scores))
        if (strict and beats_strict) or (one_off and beats_stretch):
            again.add(q)
    resized: dict[str, tuple[int, int, int]] = {}
    for r in np.flatnonzero((d_strict != 0) | (d_one != 0)).tolist():
        q = other_ids[r]
        if q not in other_lists or q in again or q.startswith(ALIAS):
            continue
        run_id, s, t = other_lists[q]
        s_new, t_new = s + int(d_strict[r]), t + int(d_one[r])
        if (s < thin) != (s_new < thin):
            again.add(q)
        else:
            resized[q] = (run_id, s_new, t_new)
    out = _Affected(again, resized, touched=set(touched))
    _plan_merges(store, out, other_direction, other_lists, other_pool.row_of, (d_strict, d_one), k, thin, fetched)
    out.new = NewPairs(
        query_ids=other_ids[new.other[entering]],
        other_ids=own_ids[entering],
        strict=new.strict[entering],
        score=new.score[entering],
        failed=new.failed[entering],
        distance_km=new.distance_km[entering],
    )
    return out


def _plan_merges(
    store: Store,
    affected: _Affected,
    direction: str,
    other_lists: dict[str, tuple[int, int, int]],
    row_of: dict[str, int],
    deltas: tuple[np.ndarray, np.ndarray],
    k: int,
    thin: int,
    fetched: dict[str, list[StoredRow]],
) -> None:
    """Move the lists that merging brings up to date exactly (:mod:`.merge`) from ``again`` to ``merge``.

    ``fetched``: whole lists already read (the ones a new pair may enter), so they are not read twice.
    """
    d_strict, d_one = deltas
    stored = [q for q in affected.again if q in other_lists and q in row_of]
    rows: dict[str, list[StoredRow]] = {q: fetched.get(q, []) for q in stored}
    missing = {q: other_lists[q][0] for q in stored if q not in fetched}
    for row in store.list_rows(direction, missing) if missing else []:
        rows[row[0]].append(row)
    for q in stored:
        _run, s, t = other_lists[q]
        r = row_of[q]
        s_new, t_new = s + int(d_strict[r]), t + int(d_one[r])
        if exact_merge(rows[q], affected.touched, (s, t), s_new, k, thin):
            affected.merge[q] = (s_new, t_new)
            affected.rows[q] = rows[q]
    affected.again -= set(affected.merge)


def rescore_changes(
    store: Store,
    settings: Settings,
    today: date | None = None,
    taxonomy: Taxonomy | None = None,
    progress: Callable[[str], None] | None = None,
    ranker: Ranker | None = None,
) -> IncrementalSummary:
    """Bring the stored top-k both ways up to date with the store's profiles, rescoring only what changed.

    Continues the latest completed full or incremental run (same day, model and k); refuses a
    different day or model (vacancy expiry and every score would change: run a full rescoring).

    ``ranker``: pools already holding exactly the store's current profiles (a long-lived process
    that took the import in), so the store is not read at all. Otherwise the pools come from the
    snapshot the last run left (:mod:`.pools`), with only the changed profiles encoded. The pools
    gain tombstone rows for the old versions scored.
    """
    base = base_run(store)
    params = RunParams.from_dict(base.params)
    if today is not None and today.isoformat() != params.today:
        raise ValueError(
            f"the stored lists are for {params.today}; a new day changes every vacancy's expiry: run a full rescoring"
        )
    scorer = load_scorer(settings)
    if scorer.version != base.model_version:
        raise ValueError(f"the stored lists are from model {base.model_version!r}: run a full rescoring")
    digests = store.profile_digests()  # read once: the changes, the pools and the rows' references
    vac_changes, vac_lists = _changes(store, "vacancies", "candidates", base, digests[1])
    cand_changes, cand_lists = _changes(store, "candidates", "vacancies", base, digests[0])
    if not vac_changes and not cand_changes:
        return IncrementalSummary(None, base.id, vac_changes, cand_changes, 0, 0, 0)
    if ranker is None:
        path = snapshot_path(settings, store.url)
        pools, snapshot, _ = encoded_pools(store, taxonomy or load_taxonomy(), path, digests=digests)
        ranker = Ranker(
            pools.candidates,
            pools.vacancies,
            scorer=scorer,
            today=date.fromisoformat(params.today),
            fit_threshold=settings.fit_threshold,
            stretch_floor=settings.stretch_floor,
        )
        n_candidates, n_vacancies = len(ranker.candidates), len(ranker.vacancies)
    else:
        ranker = copy.copy(ranker)  # shares the pools; the run's day and thresholds are its own
        ranker.today = date.fromisoformat(params.today)
        ranker.fit_threshold, ranker.stretch_floor = settings.fit_threshold, settings.stretch_floor
        ranker.scorer = scorer
        snapshot = snapshot_of(digests[0].items(), digests[1].items())
        n_candidates, n_vacancies = len(ranker.candidates), len(ranker.vacancies)
    k = params.top_k
    thin = max(k, ranker.thin_pool)
    on_cand = _affected(store, ranker, "vacancies", vac_changes, cand_lists, k)
    on_vac = _affected(store, ranker, "candidates", cand_changes, vac_lists, k)
    cand_full = set(cand_changes.new + cand_changes.changed)
    vac_full = set(vac_changes.new + vac_changes.changed)
    cand_merge = {q: c for q, c in on_cand.merge.items() if q not in cand_full}
    vac_merge = {q: c for q, c in on_vac.merge.items() if q not in vac_full}
    cand_again = (on_cand.again | cand_full) & set(ranker.candidates.row_of)
    vac_again = (on_vac.again | vac_full) & set(ranker.vacancies.row_of)
    done = cand_again | set(cand_merge)
    cand_resized = {q: v for q, v in on_cand.resized.items() if q not in done and q in ranker.candidates.row_of}
    done = vac_again | set(vac_merge)
    vac_resized = {q: v for q, v in on_vac.resized.items() if q not in done and q in ranker.vacancies.row_of}
    blocks = vacancy_side(sorted(vac_again), params.block_size) + candidate_side(
        sorted(cand_again), params.block_size, n_candidates, n_vacancies
    )
    merged: dict[int, tuple[str, dict[str, tuple[int, int]], _Affected]] = {}  # block number → merged lists
    for direction, lists, affected in (("vacancies", cand_merge, on_cand), ("candidates", vac_merge, on_vac)):
        if lists:
            merged[len(blocks)] = (direction, lists, affected)
            blocks.append((direction, sorted(lists)))
    run_params = replace(params, vacancy_ids=None, base_run=base.id).to_dict()
    run_id = store.create_run("incremental", run_params, base.model_version, snapshot, blocks)
    run = store.get_run(run_id)
    assert run is not None
    try:
        provenance = run_provenance(run)
        tasks = _tasks(store, settings, run, store.pending_blocks(run_id))
        for task in tasks:
            if task.block_no in merged:
                direction, lists, affected = merged[task.block_no]
                assert affected.new is not None
                ranked = merged_lists(
                    direction, task.query_ids, affected.rows, affected.new.by_query(), lists, affected.touched, k, thin
                )
                arrays = (with_provenance(ranked, digests, provenance),)
                store.complete_block(run_id, task.block_no, [], 0, run.model_version, arrays=arrays)
        scored = [task for task in tasks if task.block_no not in merged]
        workers = max(1, (os.cpu_count() or 1) if settings.n_jobs < 0 else settings.n_jobs)
        with ThreadPoolExecutor(workers) as pool:  # the blocks share the ranker, as a threading run's do
            for task, outcome in zip(scored, pool.map(lambda t: score_block_with(ranker, t), scored), strict=True):
                assert outcome.arrays is not None  # an incremental block is ranked as arrays
                arrays = (with_provenance(outcome.arrays, digests, provenance),)
                store.complete_block(run_id, task.block_no, [], outcome.pairs, run.model_version, arrays=arrays)
        resized = store.copy_lists(run, "vacancies", cand_resized) + store.copy_lists(run, "candidates", vac_resized)
    except Exception as exc:
        store.set_run_status(run_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    store.set_run_status(run_id, "completed")
    if progress is not None:
        progress(f"run {run_id}: {len(vac_again)} vacancy and {len(cand_again)} candidate lists ranked again")
    del resized
    return IncrementalSummary(
        run_id,
        base.id,
        vac_changes,
        cand_changes,
        len(vac_again),
        len(cand_again),
        len(cand_resized) + len(vac_resized),
        len(vac_merge) + len(cand_merge),
    )
