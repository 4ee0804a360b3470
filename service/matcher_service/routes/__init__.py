"""One router per resource, mounted in :func:`matcher_service.app.create_app`."""

from __future__ import annotations

from typing import Any

from ..schemas import ErrorResponse

Responses = dict[int | str, dict[str, Any]]

ERRORS: Responses = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in (
        (401, "no API key, or an unknown or revoked one"),
        (403, "the key's role may not do this"),
        (422, "a field is invalid; the error names it"),
    )
}
NOT_FOUND: Responses = {404: {"model": ErrorResponse, "description": "no such resource, or one this key may not see"}}
CONFLICT: Responses = {409: {"model": ErrorResponse, "description": "the id is taken, or the state does not allow it"}}
TOO_LARGE: Responses = {
    413: {"model": ErrorResponse, "description": "the body is larger than MATCHER_MAX_UPLOAD_BYTES"}
}
