"""Retention: served-suggestion logs, the audit log and decision records are kept for a period, then pruned.

The default period (``MATCHER_RETENTION_DAYS``, 183 days) is the six months the AI Act asks
deployers of high-risk systems to keep logs at least. ``matcher prune`` prunes once; ``matcher
serve`` prunes every ``MATCHER_PRUNE_EVERY_HOURS`` in a background thread.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from ..settings import Settings
from ..store import Store
from ..store.base import utcnow
from .stores import open_store

log = logging.getLogger("matcher.app")


def prune(store: Store, retention_days: int, now: datetime | None = None) -> dict[str, Any]:
    """Delete served-suggestion logs and audit entries older than ``retention_days``; what was deleted."""
    if retention_days < 1:
        raise ValueError(f"retention_days must be at least 1; got {retention_days}")
    cutoff = (now or utcnow()) - timedelta(days=retention_days)
    served = store.prune_served(cutoff)
    audit = store.prune_audit(cutoff)
    records = store.prune_records(cutoff)
    result = {
        "before": cutoff.isoformat(),
        "served_suggestions": served,
        "audit_entries": audit,
        "decision_records": records,
    }
    store.audit("prune", role="system", detail=result)
    return result


def prune_command(settings: Settings, retention_days: int | None = None) -> str:
    """``matcher prune``: prune the store of ``settings`` once, as one line of text."""
    store = open_store(settings)
    try:
        result = prune(store, retention_days or settings.retention_days)
    finally:
        store.dispose()
    return (
        f"pruned {result['served_suggestions']:,} served suggestions, {result['audit_entries']:,} audit entries "
        f"and {result['decision_records']:,} decision and outcome records from before {result['before']}"
    )


class PruneSchedule:
    """Prune ``store`` every ``every_hours`` in a daemon thread until :meth:`stop`; the first run is at start."""

    def __init__(self, store: Store, retention_days: int, every_hours: float) -> None:
        self.store, self.retention_days, self.every = store, retention_days, every_hours * 3600
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="matcher-prune", daemon=True)

    def start(self) -> PruneSchedule:
        if self.every > 0:
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                prune(self.store, self.retention_days)
            except Exception:  # a failed prune must not stop the service; the next one tries again
                log.exception("pruning old logs failed")
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
