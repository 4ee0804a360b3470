"""Bulk imports of vacancies and candidates, in the same formats and with the same rejection report as the CLI.

The body is the file itself (``curl --data-binary @vacancies.jsonl``): streamed to a temporary
file under the upload limit, then handed to :func:`matcher.imports.import_file`. Every good record
is stored and every bad one is reported with its line and reason; the import and its rejections
are kept in the store.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from matcher.app import LivePool, ingest_upload
from matcher.store import ApiKey

from ..deps import Importer, RowId, State, not_found
from ..errors import FieldError
from ..schemas import ImportDetail, ImportReport, ImportSummary, Rejection
from . import ERRORS, NOT_FOUND, TOO_LARGE

router = APIRouter(prefix="/imports", tags=["imports"], responses=ERRORS)

Kind = Literal["candidates", "vacancies"]
SUFFIX_OF_TYPE = {
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "text/csv": ".csv",
    "application/ld+json": ".jsonld",
    "application/json": ".json",
}
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "the file's bytes, as they are on disk",
        "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in SUFFIX_OF_TYPE},
    }
}


def _suffix(filename: str | None, content_type: str) -> str:
    """The temporary file's extension, from the file name given or else the media type."""
    if filename:
        suffix = Path(filename).suffix.lower()
        if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix):
            return suffix
    return SUFFIX_OF_TYPE.get(content_type.split(";")[0].strip().lower(), "")


def _rejections(state: LivePool, import_id: int) -> list[Rejection]:
    """An import's rejections as stored, each with its line and reason."""
    return [
        Rejection.model_validate({**r["detail"], "line": r["line"], "reason": r["reason"]})
        for r in state.store.import_rejections(import_id)
    ]


async def _upload(
    request: Request, state: LivePool, key: ApiKey, kind: Kind, file_format: str | None, filename: str | None
) -> ImportReport:
    """Stream the body to a temporary file, import it, and audit who imported what."""
    suffix = _suffix(filename, request.headers.get("content-type", ""))
    with tempfile.TemporaryDirectory(prefix="matcher-upload-") as directory:
        path = Path(directory) / f"upload{suffix}"
        size = 0
        with path.open("wb") as handle:
            async for chunk in request.stream():  # the BodyLimit middleware stops it at the limit
                size += len(chunk)
                handle.write(chunk)
        if size == 0:
            raise FieldError(
                "body",
                f"the upload is empty; send the {kind} file as the request body, e.g. curl --data-binary @{kind}.jsonl",
            )
        source = f"upload:{filename or 'body'}"
        report = await run_in_threadpool(ingest_upload, state, key, path, kind, file_format, source)
    return ImportReport.model_validate(report.to_dict())


async def _created(
    request: Request,
    response: Response,
    state: LivePool,
    key: ApiKey,
    kind: Kind,
    file_format: str | None,
    filename: str | None,
) -> ImportReport:
    """An upload imported, with the import's address in ``Location``."""
    report = await _upload(request, state, key, kind, file_format, filename)
    response.headers["Location"] = f"/imports/{report.import_id}"
    return report


FormatQuery = Annotated[
    str | None,
    Query(
        max_length=40,
        description=(
            "the file's format (as for `matcher import-check --format`); omitted: told from `filename` or the content"
        ),
    ),
]
FilenameQuery = Annotated[str | None, Query(max_length=200, description="the original file name, kept with the import")]


@router.post(
    "/vacancies",
    response_model=ImportReport,
    status_code=status.HTTP_201_CREATED,
    responses=TOO_LARGE,
    openapi_extra=UPLOAD_BODY,
    summary="Import a vacancy file: JSON Lines, schema.org JobPosting JSON-LD or CSV",
)
async def import_vacancies(
    request: Request,
    response: Response,
    state: State,
    key: Importer,
    format: FormatQuery = None,
    filename: FilenameQuery = None,
) -> ImportReport:
    return await _created(request, response, state, key, "vacancies", format, filename)


@router.post(
    "/candidates",
    response_model=ImportReport,
    status_code=status.HTTP_201_CREATED,
    responses=TOO_LARGE,
    openapi_extra=UPLOAD_BODY,
    summary="Import a candidate file: JSON Lines, JSON Resume or CSV",
)
async def import_candidates(
    request: Request,
    response: Response,
    state: State,
    key: Importer,
    format: FormatQuery = None,
    filename: FilenameQuery = None,
) -> ImportReport:
    return await _created(request, response, state, key, "candidates", format, filename)


@router.get("", response_model=list[ImportSummary], summary="The latest imports, newest first")
def list_imports(state: State, key: Importer, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[ImportSummary]:
    return [
        ImportSummary(
            id=i.id, kind=i.kind, source=i.source, accepted=i.accepted, rejected=i.rejected, created_at=i.created_at
        )
        for i in state.store.list_imports(limit=limit)
    ]


@router.get(
    "/{import_id:int}",
    response_model=ImportDetail,
    responses=NOT_FOUND,
    summary="One import with every rejected record, its line and reason",
)
def get_import(state: State, key: Importer, import_id: RowId) -> ImportDetail:
    found = state.store.get_import(import_id)
    if found is None:
        raise not_found("import", str(import_id))
    return ImportDetail(
        id=found.id,
        kind=found.kind,
        source=found.source,
        accepted=found.accepted,
        rejected=found.rejected,
        created_at=found.created_at,
        rejections=_rejections(state, import_id),
    )
