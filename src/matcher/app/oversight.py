"""Oversight: spreading a run's suggestions, auditing them for disparate impact, and the records kept.

Matching for employment is high-risk AI under the EU AI Act: suggestions are spread so the same few
candidates are not sent everywhere (:func:`allocate_run_lists`), audited per group
(:func:`audit_run`), and every broker decision and outcome is recorded with who and when
(:func:`matcher.app.decisions.record`) and exported for an auditor (:func:`export_records`).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..allocation import AllocationRun
from ..audit import AuditReport, lists_from_stored, run_audit
from ..settings import Settings
from ..store import ApiKey, Store
from .errors import InvalidInput, NotFound
from .rescoring import get_run, rescore
from .stores import open_store


def _latest_completed(store: Store, run_id: int | None) -> int:
    if run_id is not None:
        get_run(store, run_id)
        return run_id
    runs = store.list_runs(status="completed", limit=1)
    if not runs:
        raise NotFound("no completed rescoring run yet; run one first: matcher rescore")
    return runs[0].id


def rescore_and_allocate(settings: Settings, **options: Any) -> str:
    """:func:`rescore`, then spread the run's suggestions (:func:`matcher.app.oversight.allocate_run_lists`)."""
    summary = rescore(settings, **options)
    store = open_store(settings)
    try:
        run = store.list_runs(limit=1)[0]
        allocation = allocate_run_lists(settings, store, run.id)
    finally:
        store.dispose()
    return f"{summary}\nspread over the openings (run {run.id}):\n{allocation.summary()}"


def allocate_run_lists(settings: Settings, store: Store, run_id: int, key: ApiKey | None = None) -> AllocationRun:
    """Spread a completed run's suggestions over its vacancies' openings; the result is audited with the run.

    The pool is scored as the run scored it (same profiles, model and reference date), each
    vacancy's best 50 fitting pairs are kept, and a min-cost flow on whole numbers chooses the
    suggestions: deterministic, so allocating the same run again gives the same lists.
    """
    from ..allocation import allocate_run
    from ..ranking import Ranker
    from ..taxonomy import load_taxonomy

    run = get_run(store, run_id)
    if run.status != "completed":
        raise InvalidInput("run_id", f"rescoring run {run_id} is {run.status}; allocate once it has completed")
    candidates, vacancies, snapshot = store.load_profiles()
    if snapshot != run.snapshot:
        raise InvalidInput("run_id", f"the profiles changed since rescoring run {run_id}; rescore first")
    today = date.fromisoformat(run.params["today"])
    ranker = Ranker.from_settings(settings, load_taxonomy(), candidates, vacancies, today=today)
    allocation = allocate_run(
        ranker,
        vacancy_ids=run.params.get("vacancy_ids"),
        attention=settings.allocation_attention,
        per_opening=settings.allocation_per_opening,
    )
    store.audit(
        "allocate_run",
        key,
        target=str(run_id),
        detail={**allocation.to_dict(), "suggestions": allocation.suggestions()},
        role=None if key is not None else "cli",
    )
    return allocation


def audit_run(
    settings: Settings,
    run_id: int | None = None,
    attributes: Path | None = None,
    k: int = 10,
    out_dir: Path | None = None,
) -> tuple[AuditReport, tuple[Path, Path] | None]:
    """The disparate-impact audit of a run's stored lists (default: the latest completed run).

    ``attributes`` is a CSV of audit attributes supplied apart from the profiles (candidate_id and any of
    age_band, gender, nationality_group); they are read for this audit only, never stored or scored.
    """
    from ..demo.audit_attributes import read_audit_attributes

    store = open_store(settings)
    try:
        run_id = _latest_completed(store, run_id)
        lists = lists_from_stored(s for s in store.run_suggestions(run_id) if not s.stretch)
        candidates, _, _ = store.load_profiles()
        supplied = read_audit_attributes(attributes) if attributes is not None else None
        report = run_audit(lists, candidates, attributes=supplied, k=k)
        written = report.write(out_dir) if out_dir is not None else None
        store.audit("audit_run", target=str(run_id), role="cli", detail={"k": k, "attributes": supplied is not None})
    finally:
        store.dispose()
    return report, written


def export_records(
    settings: Settings, out: Path, since: datetime | None = None, until: datetime | None = None
) -> dict[str, int]:
    """Suggestions, decisions and outcomes of a period as JSON Lines for an auditor; counts per kind."""
    store = open_store(settings)
    try:
        counts = store.export_records(out, since=since, until=until)
        store.audit("export_records", target=str(out), role="cli", detail={"counts": counts})
    finally:
        store.dispose()
    return counts
