"""The FastAPI app: one lifespan that loads taxonomy, store and pools once, and the routers mounted in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.staticfiles import StaticFiles

from matcher import __version__
from matcher.app import LivePool
from matcher.app.retention import PruneSchedule
from matcher.settings import Settings
from matcher.taxonomy import Taxonomy

from . import pages
from .docs_pages import install_docs
from .errors import BodyLimit, install_error_handlers
from .http import ETags, RateLimits, SecurityHeaders, TokenBucket
from .routes import audit, candidates, health, imports, oversight, rescoring, text, vacancies

DESCRIPTION = """
Vacancy/candidate matching for the Flemish labour market: ranked, explained suggestions both ways,
white-raven reviews of vacancies, bulk imports and rescoring runs.

Send an API key as `Authorization: Bearer mk_<id>_<secret>`. Roles: **admin** (everything),
**broker** (candidates with personal data, vacancies, suggestions with candidate ids),
**employer** (its own vacancies, their reviews and anonymous suggestions only),
**batch** (imports and rescoring runs). Errors are always
`{"error": {"status", "message", "fields": [{"field", "location", "message"}]}}`.
"""


def create_app(
    settings: Settings | None = None, today: date | None = None, taxonomy: Taxonomy | None = None
) -> FastAPI:
    """The service for ``settings`` (default: read from ``MATCHER_*``).

    ``today`` fixes the reference date for vacancy expiry (demo data, tests); ``taxonomy`` reuses one
    already loaded. Both default to what a production start needs: the current date, the packaged ESCO.
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = await run_in_threadpool(LivePool.load, settings, today, taxonomy)
        app.state.matching = state
        pruning = PruneSchedule(state.store, settings.retention_days, settings.prune_every_hours).start()
        try:
            yield
        finally:
            pruning.stop()
            await run_in_threadpool(state.close)

    app = FastAPI(
        title="matcher",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served from the app's own files by install_docs, not from a CDN
        redoc_url=None,
    )
    app.state.limits = RateLimits(
        per_key=TokenBucket(settings.rate_limit_per_second, settings.rate_limit_burst),
        failed_auth=TokenBucket(settings.failed_auth_per_minute / 60, settings.failed_auth_burst),
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(ETags)
    app.add_middleware(SecurityHeaders)
    for router in (
        health.router,
        vacancies.router,
        candidates.router,
        imports.router,
        rescoring.router,
        audit.router,
        oversight.router,
        text.router,
    ):
        app.include_router(router)
    install_docs(app)

    # The web pages (issue 15): HTML under /ui, their CSS and JS under /static.
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC_DIR), name="static")
    return app
