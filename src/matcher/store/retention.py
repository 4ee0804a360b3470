"""Deleting logs older than the retention period: served suggestions (outside runs) and the audit log.

Rescoring runs' stored top-k are not logs of what someone was shown; they are kept until their run
is deleted. Both deletions use the indexed timestamps, so pruning a large log is a range delete.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from .base import StoreBase
from .schema import audit_log, replaced_profiles, suggestion_lists, suggestions


class RetentionStore(StoreBase):
    """Prune what is older than a moment; each call is one transaction and returns the rows deleted."""

    def prune_served(self, before: datetime) -> int:
        """Delete suggestions served outside rescoring runs before ``before``; the number of suggestion rows."""
        with self.engine.begin() as conn:
            deleted = conn.execute(
                delete(suggestions).where(suggestions.c.run_id.is_(None), suggestions.c.created_at < before)
            ).rowcount
            conn.execute(
                delete(suggestion_lists).where(
                    suggestion_lists.c.run_id.is_(None), suggestion_lists.c.created_at < before
                )
            )
        return int(deleted)

    def prune_audit(self, before: datetime) -> int:
        """Delete audit entries written before ``before``."""
        with self.engine.begin() as conn:
            return int(conn.execute(delete(audit_log).where(audit_log.c.at < before)).rowcount)

    def prune_replaced(self, before: datetime) -> int:
        """Delete replaced profile versions from before ``before``.

        Incremental rescoring needs the versions replaced since the run it continues; pass that
        run's start (or earlier), never a later moment.
        """
        with self.engine.begin() as conn:
            return int(conn.execute(delete(replaced_profiles).where(replaced_profiles.c.replaced_at < before)).rowcount)
