"""HTTP details every response shares: security headers, the methods a path allows, rate limits.

Rate limits are token buckets per API key id (and per client address for requests that fail to
authenticate), held in memory per process: with N service processes a key gets N times the rate,
which is acceptable for throttling abuse; the failed-authentication bucket is much smaller, so
guessing secrets costs real time.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from dataclasses import dataclass, field

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# JSON needs nothing; the docs pages (self-hosted Swagger UI and ReDoc) and web pages need their own files.
API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


class SecurityHeaders:
    """Add X-Content-Type-Options, Referrer-Policy and a Content-Security-Policy; drop any server banner."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                policy = PAGE_POLICY if content_type.startswith(b"text/html") else API_POLICY
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"content-security-policy", policy.encode()),
                    (b"x-frame-options", b"DENY"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


PROBED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(app: ASGIApp, scope: Scope) -> list[str]:
    """Every method some route answers on this path in full (HEAD with GET, OPTIONS always).

    Each method is tried against the routes, so nested routers and mounts answer for themselves.
    """
    routes = getattr(app, "routes", [])
    methods = {"OPTIONS"} | {
        method
        for method in PROBED_METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    }
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


@dataclass
class TokenBucket:
    """``rate`` requests per second on average, bursts of up to ``burst``."""

    rate: float
    burst: float
    tokens: dict[str, tuple[float, float]] = field(default_factory=dict)  # who -> (tokens, at)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, who: str, now: float | None = None) -> float:
        """Seconds until ``who`` has a token again (0.0: now), without taking one."""
        now = time.monotonic() if now is None else now
        with self.lock:
            tokens, at = self.tokens.get(who, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def take(self, who: str, now: float | None = None) -> float:
        """Take one token for ``who``: 0.0 if allowed, else the seconds to wait before the next is free."""
        now = time.monotonic() if now is None else now
        with self.lock:
            tokens, at = self.tokens.get(who, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self.tokens[who] = (tokens - 1.0, now)
                if len(self.tokens) > 100_000:  # forget the idle, so the table stays small
                    self.tokens = {k: v for k, v in self.tokens.items() if now - v[1] < self.burst / self.rate}
                return 0.0
            self.tokens[who] = (tokens, now)
            return (1.0 - tokens) / self.rate


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))


@dataclass
class RateLimits:
    """The buckets of one service process: per key, and per client address for failed authentication."""

    per_key: TokenBucket
    failed_auth: TokenBucket


class ETags:
    """A strong ETag on every 200 JSON answer to GET, and 304 when ``If-None-Match`` already has it.

    The tag is a digest of the body, so it changes exactly when the answer would: a profile, a
    ranking or a review a client already holds costs no transfer when it has not changed.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        wanted = dict(scope.get("headers") or ()).get(b"if-none-match", b"").decode("latin-1")
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def buffered(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
            elif message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if message["status"] != 200 or not content_type.startswith(b"application/json"):
                    passthrough = True
                    await send(message)
                else:
                    start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await _finish()

        async def _finish() -> None:
            assert start is not None
            body = b"".join(chunks)
            tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            if tag in [t.strip().removeprefix("W/") for t in wanted.split(",")] or wanted.strip() == "*":
                keep = [(k, v) for k, v in headers if k.lower() != b"content-type"]
                await send({**start, "status": 304, "headers": [*keep, (b"etag", tag.encode())]})
                await send({"type": "http.response.body", "body": b""})
                return
            headers += [(b"etag", tag.encode()), (b"content-length", str(len(body)).encode())]
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
