"""Vacancy pages: a broker's search and vacancy page with ranked candidates, decisions and exports;
an employer's own vacancies by white-raven index and the vacancy check with "what if"."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from matcher.app import serve_candidates, visible_vacancy
from matcher.app.decisions import DECISIONS, OUTCOMES, decisions, record_decision, record_outcome
from matcher.app.errors import InvalidInput
from matcher.app.exports import rows, to_csv, to_xlsx
from matcher.app.search import Filters, search_vacancies
from matcher.app.whatif import LEVERS, Changes, apply_changes, can_lower, main_obstacles, what_if
from matcher.profiles import CEFR, CoachingNeed
from matcher.store import Role

from .deps import PREFIX, Page, PageRoute, finish, signed_in
from .views import funnel_bars, requirement_rows, requirement_text, support_text

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)

Reader = Annotated[Page, Depends(signed_in(Role.broker, Role.employer))]
Broker = Annotated[Page, Depends(signed_in(Role.broker))]
BrokerForm = Annotated[Page, Depends(signed_in(Role.broker, csrf=True))]
LEVELS = [c.name for c in CEFR]
COACHING = [c.name for c in CoachingNeed]


def filters_of(page: Page) -> Filters:
    q = page.request.query_params
    radius = q.get("radius") or "10"
    try:
        radius_km = float(radius)
    except ValueError as exc:
        raise InvalidInput("radius", f"radius must be a number of km; got {radius!r}", "query") from exc
    available = q.get("available_by") or ""
    try:
        available_by = date.fromisoformat(available) if available else None
    except ValueError as exc:
        raise InvalidInput("available_by", f"a date like 2026-12-01; got {available!r}", "query") from exc
    return Filters(
        text=q.get("q", ""),
        place=q.get("place", ""),
        radius_km=radius_km,
        skill=q.get("skill", ""),
        dutch=q.get("dutch", ""),
        coaching=q.get("coaching", ""),
        available_by=available_by,
    )


@router.get("/vacancies")
def vacancy_list(page: Reader) -> Response:
    if page.key is not None and page.key.role is Role.employer:
        return employer_list(page)
    filters = filters_of(page)
    found = search_vacancies(page.live, page.key, filters, page.engine_lang)  # type: ignore[arg-type]
    return page.render("vacancies.html", filters=filters, found=found, levels=LEVELS)


def employer_list(page: Page) -> Response:
    live, key = page.live, page.key
    assert key is not None
    with live.lock.reading():
        pool = live.ranker.vacancies
        own = [v for v in pool.ids_active() if pool.profile(v).employer_id == key.employer_id]
        found = main_obstacles(live.ranker, own, live.settings.fit_threshold)
        table = []
        for vacancy_id, row in sorted(found.items(), key=lambda item: (-item[1]["white_raven_index"], item[0])):
            vacancy = pool.profile(vacancy_id)
            reason = _reason(page, vacancy, row["obstacle"], row)
            table.append({"vacancy_id": vacancy_id, "title": vacancy.title, **row, "reason": reason})
    return page.render("my_vacancies.html", rows=table)


def _reason(page: Page, vacancy: Any, obstacle: tuple[int, int] | None, row: dict[str, Any]) -> str:
    nl = page.engine_lang == "nl"
    if obstacle is None:
        return (
            f"{row['strict']} van {row['reachable']} bereikbare kandidaten passen."
            if nl
            else f"{row['strict']} of {row['reachable']} reachable candidates fit."
        )
    position, failing = obstacle
    what = (
        ("begeleidingsnood" if nl else "coaching need")
        if position < 0
        else requirement_text(vacancy.requirements[position], page.live.taxonomy, page.engine_lang)
    )
    return (
        f"'{what}' houdt {failing} van {row['reachable']} bereikbare kandidaten tegen."
        if nl
        else f"'{what}' keeps out {failing} of {row['reachable']} reachable candidates."
    )


@router.get("/vacancies/{vacancy_id}")
def vacancy_page(page: Reader, vacancy_id: str) -> Response:
    if page.key is not None and page.key.role is Role.employer:
        return check_page(page, vacancy_id)
    live, key = page.live, page.key
    assert key is not None
    body = serve_candidates(live, key, vacancy_id, live.settings.top_k, page.engine_lang)
    with live.lock.reading():
        vacancy = visible_vacancy(live, key, vacancy_id)
    personal = live.store.get_personals([s["candidate_id"] for s in body["suggestions"]])
    made = decisions(live.store, vacancy_id=vacancy_id)
    return page.render(
        "vacancy.html",
        vacancy=vacancy,
        requirements=requirement_rows(vacancy, live.taxonomy, page.engine_lang),
        support=support_text(vacancy, page.engine_lang),
        body=body,
        names={cid: p.name for cid, p in personal.items()},
        decisions={cid: d for (_, cid), d in made.items()},
        decision_choices=DECISIONS,
        outcome_choices=OUTCOMES,
        saved=page.request.query_params.get("saved"),
    )


@router.post("/vacancies/{vacancy_id}/decisions")
async def save_decision(page: BrokerForm, vacancy_id: str) -> Response:
    form = await page.request.form()
    assert page.key is not None
    candidate_id = str(form.get("candidate_id") or "")
    if form.get("outcome"):
        await run_in_threadpool(record_outcome, page.live, page.key, vacancy_id, candidate_id, str(form["outcome"]))
    else:
        await run_in_threadpool(
            record_decision,
            page.live,
            page.key,
            vacancy_id,
            candidate_id,
            str(form.get("decision") or ""),
            str(form.get("reason") or ""),
        )
    back = str(form.get("back") or f"{PREFIX}/vacancies/{vacancy_id}")
    if not back.startswith(PREFIX + "/"):
        back = f"{PREFIX}/vacancies/{vacancy_id}"
    sep = "&" if "?" in back else "?"
    return finish(page, RedirectResponse(f"{back}{sep}saved={candidate_id}#c-{candidate_id}", status_code=303))


@router.get("/vacancies/{vacancy_id}/export.{fmt}")
def export(page: Broker, vacancy_id: str, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput("format", f"export as csv or xlsx; got {fmt!r}", "path")
    assert page.key is not None
    body = serve_candidates(page.live, page.key, vacancy_id, page.live.settings.top_k, page.engine_lang)
    table = rows(body, decisions(page.live.store, vacancy_id=vacancy_id))
    name = f"suggestions-{vacancy_id}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        return finish(page, Response(to_csv(table), media_type="text/csv; charset=utf-8", headers=headers))
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return finish(page, Response(to_xlsx(table), media_type=media, headers=headers))


def changes_of(page: Page, n_requirements: int) -> Changes:
    q = page.request.query_params
    toggles = {i: q[f"req_{i}"] for i in range(n_requirements) if q.get(f"req_{i}", "keep") != "keep"}
    return Changes.parse(toggles, set(q.getlist("lever")))


Writer = Annotated[Page, Depends(signed_in(Role.broker, Role.employer, csrf=True))]


@router.post("/vacancies/{vacancy_id}/apply")
async def apply_what_if(page: Writer, vacancy_id: str) -> Response:
    """Store the vacancy as the what-if panel changed it (the same write as PUT /vacancies/{id})."""
    form = await page.request.form()
    assert page.key is not None
    with page.live.lock.reading():
        n_requirements = len(visible_vacancy(page.live, page.key, vacancy_id).requirements)
    toggles = {i: str(form[f"req_{i}"]) for i in range(n_requirements) if form.get(f"req_{i}", "keep") != "keep"}
    changes = Changes.parse(toggles, {str(v) for v in form.getlist("lever")})
    await run_in_threadpool(apply_changes, page.live, page.key, vacancy_id, changes)
    return finish(page, RedirectResponse(f"{PREFIX}/vacancies/{vacancy_id}?applied=1", status_code=303))


@router.get("/vacancies/{vacancy_id}/check")
def vacancy_check(page: Reader, vacancy_id: str) -> Response:
    return check_page(page, vacancy_id)


def check_page(page: Page, vacancy_id: str) -> Response:
    live, key = page.live, page.key
    assert key is not None
    with live.lock.reading():
        vacancy = visible_vacancy(live, key, vacancy_id)
    changes = changes_of(page, len(vacancy.requirements))
    result = what_if(live, key, vacancy_id, changes, page.engine_lang)
    current, tried = result["current"], result["what_if"]
    shown = tried or current
    body = serve_candidates(live, key, vacancy_id, 10, page.engine_lang) if key.role is Role.employer else None
    shrink = sorted(current["checks"], key=lambda c: -c["failing"])[:3]
    return page.render(
        "check.html",
        vacancy=vacancy,
        requirements=requirement_rows(vacancy, live.taxonomy, page.engine_lang),
        lowerable=[can_lower(r) for r in vacancy.requirements],
        changes=changes,
        levers=LEVERS,
        current=current,
        tried=tried,
        funnel=funnel_bars(shown["funnel"], page.t),
        shrink=[c for c in shrink if c["failing"] > 0],
        suggestions=body,
        applied=page.request.query_params.get("applied"),
    )
