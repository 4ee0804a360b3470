"""Sessions of the web pages: one sign-in with an API key, then a signed cookie, CSRF and idle timeout.

The cookie carries only a random session id, signed (HMAC-SHA256) with ``Settings.session_secret``
or, when that is unset, with a secret made once per process (sessions then end at a restart). The
session itself stays in this process: the key's id (never its secret), a CSRF token and the last
time it was used. Each request re-reads the key, so a revoked key signs its sessions out at once.
Sessions live in memory, so the pages expect one worker process (as ``matcher serve`` runs).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SESSION_COOKIE = "matcher_session"
SIGNIN_COOKIE = "matcher_signin"  # double-submit CSRF token of the sign-in form, before any session


@dataclass
class Session:
    id: str
    key_id: str
    csrf: str
    last_seen: float


def _sign(secret: bytes, value: str) -> str:
    mac = hmac.new(secret, value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


class Sessions:
    """Signed session cookies with an idle timeout, kept in this process."""

    def __init__(self, secret: str | None, idle_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._secret = (secret or secrets.token_urlsafe(32)).encode()
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, key_id: str) -> tuple[Session, str]:
        """A new session for ``key_id`` and the cookie value that names it."""
        session = Session(secrets.token_urlsafe(32), key_id, secrets.token_urlsafe(32), self._clock())
        with self._lock:
            self._expire()
            self._sessions[session.id] = session
        return session, f"{session.id}.{_sign(self._secret, session.id)}"

    def get(self, cookie: str | None) -> Session | None:
        """The live session a cookie names (and mark it used), or None if forged, unknown or idle too long."""
        if not cookie or "." not in cookie:
            return None
        session_id, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, _sign(self._secret, session_id)):
            return None
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > self.idle_seconds:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def drop(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session.id, None)

    def drop_key(self, key_id: str) -> None:
        """End every session of a key (it was revoked)."""
        with self._lock:
            for sid in [s.id for s in self._sessions.values() if s.key_id == key_id]:
                del self._sessions[sid]

    def _expire(self) -> None:
        now = self._clock()
        for sid in [s.id for s in self._sessions.values() if now - s.last_seen > self.idle_seconds]:
            del self._sessions[sid]

    def signin_token(self) -> str:
        return secrets.token_urlsafe(32)


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))
