"""Oversight: spreading a run's suggestions, auditing them for disparate impact, and the records kept.

Matching for employment is high-risk AI under the EU AI Act: suggestions are spread so the same few
candidates are not sent everywhere (:func:`rescore_and_allocate`, :func:`run_allocation`), audited per group
(:func:`audit_run`), and every broker decision and outcome is recorded with who and when
(:func:`matcher.app.decisions.record`) and exported for an auditor (:func:`export_records`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..audit import AuditReport, lists_from_stored, run_audit
from ..settings import Settings
from ..store import Store
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
    """:func:`rescore` with allocation as the run's last phase; the summary ends with both rankings' figures.

    The allocation reuses the pairs the run's vacancy blocks kept (no second scoring pass) and is
    stored with the run (:meth:`Store.run_allocation`); resuming the run (``run_id``) finishes it.
    """
    summary = rescore(settings, allocate=True, **options)
    store = open_store(settings)
    try:
        run_id = options.get("run_id") or store.list_runs(limit=1)[0].id
        allocation = store.run_allocation(run_id)
        if allocation is not None:
            figures = allocation["metrics"]
            store.audit(
                "allocate_run",
                target=str(run_id),
                role="cli",
                detail={"change": figures["change"], "targets_met": figures["targets_met"]},
            )
    finally:
        store.dispose()
    if allocation is None:
        summary += f"\nrun {run_id} was started without allocation; start a new one with: matcher rescore --allocate"
    return summary


def run_allocation(store: Store, run_id: int) -> dict[str, Any]:
    """A completed run's stored allocation: ``metrics`` (both rankings) and ``lists`` per vacancy."""
    run = get_run(store, run_id)
    if run.status != "completed":
        raise InvalidInput(
            "run_id", f"rescoring run {run_id} is {run.status}; resume it first: matcher rescore --run-id"
        )
    allocation = store.run_allocation(run_id)
    if allocation is None:
        raise NotFound(f"rescoring run {run_id} made no allocation; start one with: matcher rescore --allocate")
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
