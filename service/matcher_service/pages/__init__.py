"""The web pages: server-rendered HTML for brokers, employers and batch operators under ``/ui``.

Every page calls the use cases of :mod:`matcher.app`, as the API routes do; what a role may see is
the same as in the API. Mounted by :func:`matcher_service.create_app` with :data:`router` and the
static files at :data:`STATIC_DIR` under ``/static``.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

from . import auth, candidates, operations, vacancies
from .deps import PREFIX, STATIC_DIR

router = APIRouter(include_in_schema=False)


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse(PREFIX + "/", status_code=307)


for module in (auth, vacancies, candidates, operations):
    router.include_router(module.router)

__all__ = ["PREFIX", "STATIC_DIR", "router"]
