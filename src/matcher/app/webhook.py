"""An optional webhook called when a rescoring run ends, signed so the receiver can trust it.

``MATCHER_WEBHOOK_URL`` receives a POST with the run as JSON (as ``GET /rescoring/runs/{id}``
gives it) and the header ``X-Matcher-Signature: sha256=<hex HMAC-SHA256 of the body under
MATCHER_WEBHOOK_SECRET>``. A failing receiver is logged and never fails the run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request
from typing import Any

from ..settings import Settings

log = logging.getLogger("matcher.app")
SIGNATURE_HEADER = "X-Matcher-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def run_ended_body(run: dict[str, Any]) -> bytes:
    payload: dict[str, Any] = {"event": "rescoring_run_ended", "run": run}
    return json.dumps(payload, default=str, sort_keys=True).encode()


def notify_run_ended(settings: Settings, run: dict[str, Any], timeout: float = 5.0) -> bool:
    """POST the ended run (as :func:`.rescoring.run_public` gives it) to the webhook, if one is configured.

    True when the receiver answered 2xx.
    """
    if not settings.webhook_url:
        return False
    body = run_ended_body(run)
    headers = {"Content-Type": "application/json", "User-Agent": "matcher-webhook"}
    if settings.webhook_secret:
        headers[SIGNATURE_HEADER] = signature(settings.webhook_secret, body)
    request = urllib.request.Request(settings.webhook_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status: int = response.status
            return 200 <= status < 300
    except OSError as exc:
        log.warning("webhook %s for run %s failed: %s", settings.webhook_url, run.get("id"), exc)
        return False
