"""Candidate pages for brokers: search and filter, and a candidate's ranked vacancies with decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from matcher.app import serve_vacancies
from matcher.app.decisions import DECISIONS, OUTCOMES, decisions
from matcher.app.errors import NotFound
from matcher.app.search import search_candidates
from matcher.store import Role

from .deps import PREFIX, Page, PageRoute, signed_in
from .vacancies import COACHING, LEVELS, filters_of

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)
Broker = Annotated[Page, Depends(signed_in(Role.broker))]


@router.get("/candidates")
def candidate_list(page: Broker) -> Response:
    filters = filters_of(page)
    found = search_candidates(page.live, filters, page.engine_lang)
    names = {cid: p.name for cid, p in page.live.store.get_personals([c.id for c in found.profiles]).items()}
    return page.render("candidates.html", filters=filters, found=found, names=names, levels=LEVELS, coaching=COACHING)


@router.get("/candidates/{candidate_id}")
def candidate_page(page: Broker, candidate_id: str) -> Response:
    live, key = page.live, page.key
    assert key is not None
    body = serve_vacancies(live, key, candidate_id, live.settings.top_k, page.engine_lang)
    with live.lock.reading():
        if candidate_id not in live.ranker.candidates.row_of:
            raise NotFound.profile("candidate", candidate_id)
        candidate = live.ranker.candidates.profile(candidate_id)
    personal = live.store.get_personal(candidate_id)
    made = decisions(live.store, candidate_id=candidate_id)
    skills = [
        live.taxonomy.skill(c.uri).label(page.engine_lang)
        if c.uri and live.taxonomy.is_skill(c.uri)
        else (c.text or "")
        for c in candidate.competences
    ]
    return page.render(
        "candidate.html",
        candidate=candidate,
        personal=personal,
        skills=skills,
        body=body,
        decisions={vid: d for (vid, _), d in made.items()},
        decision_choices=DECISIONS,
        outcome_choices=OUTCOMES,
        saved=page.request.query_params.get("saved"),
    )
