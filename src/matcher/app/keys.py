"""API keys: create (the secret is shown once), list and revoke, each audited."""

from __future__ import annotations

from ..settings import Settings
from ..store import Role
from ..store.access import split_key
from .errors import InvalidInput, NotFound
from .stores import open_store


def create_key(settings: Settings, role: str, employer_id: str | None = None, label: str = "") -> str:
    """Create an API key; the returned text holds the key, which is shown this once only."""
    try:
        parsed = Role.parse(role)
    except ValueError as exc:
        raise InvalidInput("role", str(exc)) from exc
    store = open_store(settings)
    try:
        secret = store.create_api_key(parsed, employer_id=employer_id, label=label)
        key_id = split_key(secret)
        store.audit(
            "create_api_key",
            target=key_id,
            role="cli",
            detail={"role": parsed.value, "employer_id": employer_id, "label": label},
        )
    finally:
        store.dispose()
    bound = f" for employer {employer_id}" if parsed is Role.employer else ""
    return f"created {parsed.value} key {key_id}{bound}. Store it now, it is not shown again:\n{secret}"


def revoke_key(settings: Settings, key_id: str) -> str:
    store = open_store(settings)
    try:
        if not store.revoke(key_id):
            raise NotFound(f"no active API key {key_id!r}")
        store.audit("revoke_api_key", target=key_id, role="cli")
    finally:
        store.dispose()
    return f"revoked key {key_id}"
