"""API keys bound to a role, and the audit log of who asked for what.

A key reads ``mk_<id>_<secret>``. The id finds the row; only a SHA-256 of the whole key is
stored, compared in constant time. A fast hash is enough here because the secret is 256 random
bits, not a password a person chose: a slow hash (scrypt) would only cost time on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from .base import StoreBase, as_utc, utcnow
from .records import ApiKey, AuditEntry, Role
from .schema import api_keys, audit_log, employers

KEY_PREFIX = "mk"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_key(secret: str) -> str | None:
    """The key id inside a presented key, or None when it is not shaped like a matcher key."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1]


def _api_key(row: Any) -> ApiKey:
    return ApiKey(
        id=row["id"],
        role=Role(row["role"]),
        employer_id=row["employer_id"],
        label=row["label"],
        created_at=as_utc(row["created_at"]),
        revoked=bool(row["revoked"]),
        expires_at=as_utc(row["expires_at"]) if row["expires_at"] is not None else None,
    )


class AccessStore(StoreBase):
    """Create, check and revoke API keys; write and read the audit log."""

    def create_api_key(self, role: str | Role, employer_id: str | None = None, label: str = "") -> str:
        """A new key for ``role``; returns the plaintext key, which is shown once and never stored.

        An employer key must name an employer that is in the store; other roles must not.
        """
        role = Role.parse(role)
        if role is Role.employer and not employer_id:
            raise ValueError("an employer key needs employer_id: the employer whose vacancies it may see")
        if role is not Role.employer and employer_id:
            raise ValueError(f"employer_id is only for employer keys; a {role.value} key sees every employer")
        key_id = secrets.token_hex(8)
        secret = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
        with self.engine.begin() as conn:
            if employer_id and conn.scalar(select(employers.c.id).where(employers.c.id == employer_id)) is None:
                raise ValueError(
                    f"employer {employer_id!r} is not in the store; load its vacancies first "
                    f"(matcher load --vacancies FILE)"
                )
            conn.execute(
                api_keys.insert().values(
                    id=key_id,
                    secret_hash=hash_secret(secret),
                    role=role.value,
                    employer_id=employer_id,
                    label=label or f"{role.value} key",
                    created_at=utcnow(),
                    revoked=False,
                )
            )
        return secret

    def authenticate(self, secret: str) -> ApiKey | None:
        """The key a request presented, or None when it is unknown, wrong or revoked."""
        key_id = split_key(secret or "")
        if key_id is None:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
        if row is None:
            hmac.compare_digest(hash_secret(secret), "0" * 64)  # same work whether or not the id exists
            return None
        if not hmac.compare_digest(hash_secret(secret), row["secret_hash"]) or row["revoked"]:
            return None
        key = _api_key(row)
        if key.expires_at is not None and key.expires_at <= utcnow():
            return None
        return key

    def set_key_expiry(self, key_id: str, expires_at: datetime | None) -> bool:
        """Let an active key expire at ``expires_at`` (None: never); False if no such active key."""
        with self.engine.begin() as conn:
            return (
                conn.execute(
                    update(api_keys)
                    .where(api_keys.c.id == key_id, api_keys.c.revoked.is_(False))
                    .values(expires_at=expires_at)
                ).rowcount
                > 0
            )

    def revoke(self, key_id: str) -> bool:
        """Revoke a key by id (the part between ``mk_`` and the next ``_``); False if unknown."""
        with self.engine.begin() as conn:
            return (
                conn.execute(
                    update(api_keys)
                    .where(api_keys.c.id == key_id, api_keys.c.revoked.is_(False))
                    .values(revoked=True, revoked_at=utcnow())
                ).rowcount
                > 0
            )

    def list_api_keys(self, include_revoked: bool = False) -> list[ApiKey]:
        query = select(api_keys).order_by(api_keys.c.created_at, api_keys.c.id)
        if not include_revoked:
            query = query.where(api_keys.c.revoked.is_(False))
        with self.engine.connect() as conn:
            return [_api_key(r) for r in conn.execute(query).mappings()]

    def audit(
        self,
        action: str,
        key: ApiKey | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
        role: str | None = None,
    ) -> None:
        """Log who (key and role) asked for what (action, target); ``detail`` is free JSON."""
        with self.engine.begin() as conn:
            self._insert_audit(conn, action, key, target, detail, role)

    def _insert_audit(
        self,
        conn: Connection,
        action: str,
        key: ApiKey | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
        role: str | None = None,
    ) -> None:
        conn.execute(
            audit_log.insert().values(
                at=utcnow(),
                key_id=key.id if key else None,
                role=key.role.value if key else role,
                action=action,
                target=target,
                detail=detail or {},
            )
        )

    def list_audit(
        self,
        key_id: str | None = None,
        action: str | None = None,
        limit: int = 100,
        target: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        before_id: int | None = None,
    ) -> list[AuditEntry]:
        """The newest audit entries first, filtered by key, action, target, time, or older than ``before_id``."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if key_id is not None:
            query = query.where(audit_log.c.key_id == key_id)
        if action is not None:
            query = query.where(audit_log.c.action == action)
        if target is not None:
            query = query.where(audit_log.c.target == target)
        if since is not None:
            query = query.where(audit_log.c.at >= since)
        if until is not None:
            query = query.where(audit_log.c.at < until)
        if before_id is not None:
            query = query.where(audit_log.c.id < before_id)
        with self.engine.connect() as conn:
            return [
                AuditEntry(
                    id=r["id"],
                    at=as_utc(r["at"]),
                    key_id=r["key_id"],
                    role=r["role"],
                    action=r["action"],
                    target=r["target"],
                    detail=dict(r["detail"]),
                )
                for r in conn.execute(query).mappings()
            ]
