"""Every error leaves the service as the same JSON shape, with a message a person can act on.

``{"error": {"status": 422, "message": "...", "fields": [{"field": "postcode", "location": "body",
"message": "..."}]}}``. Validation errors name each field; a request body over the upload limit is
refused with 413 before it is read in full; an unexpected failure is a 500 that says when and with
which reference it was logged, and never shows a traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from matcher.app.errors import AppError, Conflict, InvalidInput
from matcher.geo import UnknownPostcodeError
from matcher.imports.errors import sentence

from .http import allowed_methods

log = logging.getLogger("matcher.service")

LOCATIONS = {"body", "query", "path", "header", "cookie"}


def too_large_message(limit: int) -> str:
    return (
        f"the request body is larger than the limit of {limit:,} bytes; split the upload into smaller files "
        f"or ask an admin to raise MATCHER_MAX_UPLOAD_BYTES"
    )


class FieldError(Exception):
    """A request that passed schema validation but is still wrong in one named field: 422."""

    def __init__(self, field: str, message: str, location: str = "body") -> None:
        super().__init__(message)
        self.field, self.location, self.message = field, location, message


def error_body(status: int, message: str, fields: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    return {"error": {"status": status, "message": message, "fields": list(fields)}}


def error_response(
    status: int, message: str, fields: Iterable[dict[str, str]] = (), headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(status, message, fields), status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> tuple[str, str]:
    """("body", "requirements", 0, "value") -> ("requirements.0.value", "body")."""
    parts = list(loc)
    location = str(parts.pop(0)) if parts and parts[0] in LOCATIONS else "body"
    # pydantic adds the model or validator name for unions and model validators; it names no field
    parts = [p for p in parts if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))]
    return ".".join(str(p) for p in parts) or location, location


def validation_fields(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Each error with its field and a sentence in the words the imports use (:func:`matcher.imports.errors.sentence`).

    One vocabulary: ``postcode '12' must be 4 digits, e.g. 9000`` reads the same in an import report
    and in an API error, not pydantic's "String should match pattern".
    """
    fields = []
    for err in errors:
        name, location = _field(tuple(err.get("loc", ())))
        if err.get("type") in ("too_long", "json_invalid") or "type" not in err:
            message = str(err.get("msg", "invalid value"))
        else:
            message = sentence({"input": None, **err}, name)
        fields.append({"field": name, "location": location, "message": message.removeprefix("Value error, ")})
    return fields


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    malformed = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if malformed is not None:
        context = malformed.get("ctx", {}).get("error", "")
        return error_response(
            422,
            f"the request body is not valid JSON ({context}); check quotes, commas and "
            f"brackets, and send Content-Type: application/json".replace(" ()", ""),
        )
    not_an_object = next(
        (
            e
            for e in errors
            if tuple(e.get("loc", ())) == ("body",)
            and e.get("type") in ("model_attributes_type", "dict_type", "model_type")
        ),
        None,
    )
    if not_an_object is not None:
        return error_response(
            422,
            "the request body must be a JSON object; send it with Content-Type: application/json",
            validation_fields([not_an_object]),
        )
    fields = validation_fields(errors)
    names = ", ".join(dict.fromkeys(f["field"] for f in fields))
    first = fields[0]["message"] if fields else "invalid request"
    return error_response(422, f"invalid value for {names}: {first}", fields)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        allow = ", ".join(allowed_methods(request.app, request.scope))
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        headers["Allow"] = allow
        message = f"{request.method} is not allowed on this path; it allows {allow}"
    elif exc.status_code == 404 and message == "Not Found":
        message = "no such path; see /docs for the endpoints"
    elif exc.status_code == 400 and message == "There was an error parsing the body":
        # FastAPI's answer to a body it cannot decode (not UTF-8): a validation problem, as documented
        return error_response(
            422,
            "the request body is not valid JSON in UTF-8; send it encoded as UTF-8 with Content-Type: application/json",
        )
    return error_response(exc.status_code, message, headers=headers or None)


async def _unknown_postcode(_request: Request, exc: UnknownPostcodeError) -> JSONResponse:
    return await _field_error(_request, FieldError("postcode", str(exc)))


async def _field_error(_request: Request, exc: FieldError) -> JSONResponse:
    return error_response(
        422,
        f"invalid value for {exc.field}: {exc.message}",
        [{"field": exc.field, "location": exc.location, "message": exc.message}],
    )


async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
    """A use case's refusal: its status and message; a bad field is named like a validation error."""
    if isinstance(exc, InvalidInput):
        return await _field_error(_request, FieldError(exc.field, exc.message, exc.location))
    if isinstance(exc, Conflict) and exc.run_id is not None:
        body = error_body(exc.status, exc.message)
        body["error"]["run_id"] = exc.run_id
        return JSONResponse(body, status_code=exc.status, headers={"Location": f"/rescoring/runs/{exc.run_id}"})
    return error_response(exc.status, exc.message)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    reference = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s on %s %s", reference, request.method, request.url.path, exc_info=exc)
    return error_response(
        500,
        f"internal error (reference {reference}); the request was not completed. Try again; "
        f"if it keeps failing, give this reference to the matcher administrators",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(FieldError, _field_error)  # type: ignore[arg-type]
    app.add_exception_handler(UnknownPostcodeError, _unknown_postcode)  # type: ignore[arg-type]
    app.add_exception_handler(AppError, _app_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


class BodyLimit:
    """Refuse a request body over ``max_bytes`` before the app parses it.

    A declared Content-Length over the limit is answered at once. A body sent in chunks without one
    is counted as it arrives; at the limit the app is told the client left (so it stops reading, and
    never holds more than the limit), whatever it answers is dropped, and the client gets the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = error_response(413, too_large_message(self.max_bytes))
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "the Content-Length header is not a number")(scope, receive, send)
            elif int(declared) > self.max_bytes:
                await too_large(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        received, exceeded = 0, False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not exceeded:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not exceeded:
                raise
        if exceeded:
            await too_large(scope, receive, send)
