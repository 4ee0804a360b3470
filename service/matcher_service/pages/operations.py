"""Batch operator and admin pages: upload a file and read its import report, rescoring runs, API keys."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from matcher.app import ingest_upload
from matcher.app.errors import InvalidInput, NotFound
from matcher.app.exports import to_csv
from matcher.app.ingest import KINDS
from matcher.app.rescoring import get_run, list_runs, resume_in_background, run_public, start_in_background
from matcher.imports import FORMATS
from matcher.store import Role
from matcher.store.access import split_key

from .deps import PREFIX, Page, PageRoute, finish, sessions, signed_in

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)
Operator = Annotated[Page, Depends(signed_in(Role.batch, Role.broker))]
OperatorForm = Annotated[Page, Depends(signed_in(Role.batch, Role.broker, csrf=True))]
Batch = Annotated[Page, Depends(signed_in(Role.batch))]
BatchForm = Annotated[Page, Depends(signed_in(Role.batch, csrf=True))]
Admin = Annotated[Page, Depends(signed_in(Role.admin))]
AdminForm = Annotated[Page, Depends(signed_in(Role.admin, csrf=True))]
REPORT_COLUMNS = ("line", "record", "id", "field", "reason")


def _report_rows(rejections: list[dict]) -> list[dict]:
    """Stored rejections (line, reason, detail) as report rows; the detail holds record, id and field."""
    rejections = [{**(r.get("detail") or {}), **{k: v for k, v in r.items() if k != "detail"}} for r in rejections]
    return [
        {
            "line": r.get("line"),
            "record": r.get("record"),
            "id": r.get("id"),
            "field": r.get("field"),
            "reason": r.get("reason") or r.get("message"),
        }
        for r in rejections
    ]


@router.get("/imports")
def imports_page(page: Operator) -> Response:
    recent = page.live.store.list_imports(limit=20)
    return page.render("imports.html", recent=recent, kinds=KINDS, formats=sorted(FORMATS))


@router.post("/imports")
async def upload(page: OperatorForm) -> Response:
    form = await page.request.form()
    file = form.get("file")
    kind = str(form.get("kind") or "")
    fmt = str(form.get("format") or "") or None
    if not isinstance(file, UploadFile) or not file.filename:
        raise InvalidInput("file", "choose a file to upload")
    if kind not in KINDS:
        raise InvalidInput("kind", f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    suffix = Path(file.filename).suffix[:10]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(await file.read())
        assert page.key is not None
        report = await run_in_threadpool(ingest_upload, page.live, page.key, path, kind, fmt, file.filename)
    return finish(page, RedirectResponse(f"{PREFIX}/imports/{report.import_id}", status_code=303))


@router.get("/imports/{import_id}")
def import_report(page: Operator, import_id: int) -> Response:
    summary = page.live.store.get_import(import_id)
    if summary is None:
        raise NotFound(f"no import {import_id}")
    table = _report_rows(page.live.store.import_rejections(import_id))
    return page.render("import_report.html", summary=summary, table=table, columns=REPORT_COLUMNS)


@router.get("/imports/{import_id}/rejections.csv")
def import_report_csv(page: Operator, import_id: int) -> Response:
    if page.live.store.get_import(import_id) is None:
        raise NotFound(f"no import {import_id}")
    text = to_csv(_report_rows(page.live.store.import_rejections(import_id)), REPORT_COLUMNS)
    headers = {"Content-Disposition": f'attachment; filename="import-{import_id}-rejections.csv"'}
    return finish(page, Response(text, media_type="text/csv; charset=utf-8", headers=headers))


@router.get("/runs")
def runs_page(page: Operator) -> Response:
    runs = [run_public(r) for r in list_runs(page.live.store, limit=50)]
    active = set(page.live.rescoring_threads)
    return page.render(
        "runs.html",
        runs=runs,
        active=active,
        may_start=page.key is not None and page.key.role in (Role.batch, Role.admin),
    )


@router.post("/runs")
async def start_run(page: BatchForm) -> Response:
    form = await page.request.form()
    ids = [v.strip() for v in str(form.get("vacancy_ids") or "").replace(",", " ").split() if v.strip()]
    assert page.key is not None
    run = await run_in_threadpool(start_in_background, page.live, page.key, ids or None, page.live.ranker.today)
    return finish(page, RedirectResponse(f"{PREFIX}/runs/{run.id}", status_code=303))


@router.get("/runs/{run_id}")
def run_page(page: Operator, run_id: int) -> Response:
    run = run_public(get_run(page.live.store, run_id))
    running = run_id in page.live.rescoring_threads or run["status"] in ("pending", "running")
    return page.render(
        "run.html",
        run=run,
        running=running,
        may_resume=run["status"] != "completed" and run_id not in page.live.rescoring_threads,
    )


@router.post("/runs/{run_id}/resume")
async def resume_run(page: BatchForm, run_id: int) -> Response:
    assert page.key is not None
    await run_in_threadpool(resume_in_background, page.live, page.key, run_id)
    return finish(page, RedirectResponse(f"{PREFIX}/runs/{run_id}", status_code=303))


@router.get("/keys")
def keys_page(page: Admin) -> Response:
    return page.render(
        "keys.html",
        keys=page.live.store.list_api_keys(include_revoked=True),
        roles=[r.value for r in Role],
        new_key=None,
    )


@router.post("/keys")
async def create_key(page: AdminForm) -> Response:
    form = await page.request.form()
    try:
        role = Role.parse(str(form.get("role") or ""))
    except ValueError as exc:
        raise InvalidInput("role", str(exc)) from exc
    employer_id = str(form.get("employer_id") or "").strip() or None
    if role is Role.employer and not employer_id:
        raise InvalidInput("employer_id", "an employer key needs the employer's id")
    label = str(form.get("label") or "").strip()[:100]
    store = page.live.store
    secret = store.create_api_key(role, employer_id=employer_id if role is Role.employer else None, label=label)
    store.audit(
        "create_api_key",
        page.key,
        target=split_key(secret),
        detail={"role": role.value, "employer_id": employer_id, "label": label},
    )
    return page.render(
        "keys.html",
        status=201,
        keys=store.list_api_keys(include_revoked=True),
        roles=[r.value for r in Role],
        new_key=secret,
    )


@router.post("/keys/{key_id}/revoke")
async def revoke_key(page: AdminForm, key_id: str) -> Response:
    if not page.live.store.revoke(key_id):
        raise NotFound(f"no active API key {key_id!r}")
    page.live.store.audit("revoke_api_key", page.key, target=key_id)
    sessions(page.request).drop_key(key_id)
    return finish(page, RedirectResponse(f"{PREFIX}/keys", status_code=303))
