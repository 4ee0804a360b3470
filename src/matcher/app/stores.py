"""Opening the store a front end works on: the one database URL of the settings, migrated."""

from __future__ import annotations

from ..settings import Settings
from ..store import Store


def open_store(settings: Settings) -> Store:
    """The store at ``settings.database_url``, migrated to the latest schema."""
    store = Store.from_url(settings.database_url)
    store.migrate()
    return store


def describe_store(store: Store) -> str:
    """Where the store is and at which schema, without a password."""
    url = store.engine.url.render_as_string(hide_password=True)
    return f"database at {url} is at schema {store.schema_revision()}"
