"""API keys: create (the secret is shown once), list, revoke and let expire, each audited."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

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


def list_keys(settings: Settings, include_revoked: bool = False) -> list[dict[str, Any]]:
    """Every key's public part (never a secret), oldest first, with its expiry."""
    store = open_store(settings)
    try:
        keys = store.list_api_keys(include_revoked=include_revoked)
    finally:
        store.dispose()
    return [
        {
            "id": k.id,
            "role": k.role.value,
            "employer_id": k.employer_id,
            "label": k.label,
            "created_at": k.created_at.isoformat(),
            "expires_at": k.expires_at.isoformat() if k.expires_at else None,
            "revoked": k.revoked,
        }
        for k in keys
    ]


def keys_text(keys: list[dict[str, Any]]) -> str:
    """The keys as a table for a terminal."""
    if not keys:
        return "no API keys; create one with: matcher create-key --role broker"
    lines = [f"{'id':<16}  {'role':<8}  {'employer':<12}  {'created':<10}  {'expires':<10}  label"]
    for k in keys:
        expires = (k["expires_at"] or "never")[:10]
        state = " (revoked)" if k["revoked"] else ""
        lines.append(
            f"{k['id']:<16}  {k['role']:<8}  {k['employer_id'] or '-':<12}  {k['created_at'][:10]:<10}  "
            f"{expires:<10}  {k['label']}{state}"
        )
    return "\n".join(lines)


def expire_key(settings: Settings, key_id: str, on: date | None) -> str:
    """Let a key stop working at the start of ``on`` (UTC); None: it never expires."""
    when = datetime.combine(on, time(0), tzinfo=UTC) if on else None
    store = open_store(settings)
    try:
        if not store.set_key_expiry(key_id, when):
            raise NotFound(f"no active API key {key_id!r}; list them with: matcher keys list")
        store.audit(
            "expire_api_key", target=key_id, role="cli", detail={"expires_at": when.isoformat() if when else None}
        )
    finally:
        store.dispose()
    return f"key {key_id} expires {on.isoformat()}" if on else f"key {key_id} never expires"
