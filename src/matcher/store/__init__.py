"""The store: profiles, imports, rescoring runs, suggestions, API keys and the audit log.

One :class:`Store` over SQLAlchemy Core runs on the embedded SQLite default and on PostgreSQL
alike; the database URL (``MATCHER_DATABASE_URL``) is the only switch. Its parts live in small
modules by job: :mod:`.profiles`, :mod:`.runs`, :mod:`.access`.

>>> import tempfile
>>> store = Store.from_url(f"sqlite:///{tempfile.mkdtemp()}/doc.sqlite3")
>>> store.migrate()
>>> store.counts()
{'candidates': 0, 'vacancies': 0, 'employers': 0}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .access import AccessStore
from .allocations import AllocationStore
from .base import normalise_url, utcnow
from .changes import ChangeStore
from .decisions import DecisionRecord, DecisionStore
from .fitting import FittingPairStore
from .meta import MetaStore
from .profiles import ProfileStore
from .records import (
    ApiKey,
    AuditEntry,
    Block,
    ImportSummary,
    Role,
    RunInfo,
    StoredSuggestion,
    SuggestionList,
    SuggestionRow,
)
from .retention import RetentionStore
from .runs import RunStore


class Store(
    ProfileStore,
    RunStore,
    AccessStore,
    MetaStore,
    RetentionStore,
    DecisionStore,
    AllocationStore,
    ChangeStore,
    FittingPairStore,
):
    """Everything matcher keeps, behind one object. Open it with :meth:`Store.from_url`."""

    def log_served(
        self,
        lists: Sequence[SuggestionList],
        model_version: str,
        action: str,
        key: ApiKey | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Log suggestions served outside a run and audit who was served them, in one transaction."""
        with self.engine.begin() as conn:
            self._insert_lists(conn, None, lists, model_version, utcnow())
            self._insert_audit(conn, action, key, target, detail)


__all__ = [
    "ApiKey",
    "AuditEntry",
    "Block",
    "DecisionRecord",
    "ImportSummary",
    "Role",
    "RunInfo",
    "Store",
    "StoredSuggestion",
    "SuggestionList",
    "SuggestionRow",
    "normalise_url",
]
