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

from .access import AccessStore
from .base import normalise_url
from .profiles import ProfileStore
from .records import (ApiKey, AuditEntry, Block, ImportSummary, Role, RunInfo, StoredSuggestion, SuggestionList,
                      SuggestionRow)
from .runs import RunStore


class Store(ProfileStore, RunStore, AccessStore):
    """Everything matcher keeps, behind one object. Open it with :meth:`Store.from_url`."""


__all__ = ["ApiKey", "AuditEntry", "Block", "ImportSummary", "Role", "RunInfo", "Store", "StoredSuggestion",
           "SuggestionList", "SuggestionRow", "normalise_url"]
