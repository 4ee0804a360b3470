"""What every page shares: its route class (errors as HTML pages), the signed-in caller, roles, CSRF, rendering.

Roles and tenancy are those of the API: admin sees everything, a broker candidates and vacancies,
an employer only its own vacancies (another's reads as not found), a batch operator imports and
rescoring runs. Every form that changes something carries the session's CSRF token.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from matcher.app import AppError, LivePool
from matcher.store import ApiKey, Role

from .i18n import LANG_NAMES, LANGS, engine_lang, request_lang, words
from .session import SESSION_COOKIE, Session, Sessions, same_token

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATES = Jinja2Templates(directory=PACKAGE / "templates")
STATIC_DIR = PACKAGE / "static"
PREFIX = "/ui"
_sessions_lock = threading.Lock()

# Pages are HTML for people; the service's own security headers apply too, these make the pages strict.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class PageError(Exception):
    """A page that cannot be shown: rendered as an error page with ``status``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class Redirect(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def sessions(request: Request) -> Sessions:
    state = request.app.state
    with _sessions_lock:
        if getattr(state, "pages_sessions", None) is None:
            settings = live_pool(request).settings
            state.pages_sessions = Sessions(settings.session_secret, settings.session_idle_minutes * 60)
    return state.pages_sessions


def live_pool(request: Request) -> LivePool:
    return request.app.state.matching


@dataclass
class Page:
    """One request of a page: who asks, in which language, and how to answer in HTML."""

    request: Request
    live: LivePool
    lang: str
    key: ApiKey | None = None
    session: Session | None = None
    cookies: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    @property
    def engine_lang(self) -> Any:
        return engine_lang(self.lang)

    @property
    def t(self) -> dict[str, str]:
        return words(self.lang)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        response = TEMPLATES.TemplateResponse(
            self.request,
            template,
            {
                "t": self.t,
                "lang": self.lang,
                "langs": LANGS,
                "lang_names": LANG_NAMES,
                "key": self.key,
                "csrf": self.session.csrf if self.session else "",
                "path": self.request.url.path,
                "here": quote(self.request.url.path + (f"?{self.request.url.query}" if self.request.url.query else "")),
                "prefix": PREFIX,
                **context,
            },
            status_code=status,
        )
        return finish(self, response)  # type: ignore[return-value]


def finish(page: Page, response: Response) -> Response:
    for name, value in PAGE_HEADERS.items():
        response.headers.setdefault(name, value)
    for name, (value, max_age) in page.cookies.items():
        set_cookie(page.request, response, name, value, max_age)
    return response


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="strict",
    )


def _find_key(live: LivePool, key_id: str) -> ApiKey | None:
    return next((k for k in live.store.list_api_keys() if k.id == key_id), None)


def current_page(request: Request) -> Page:
    """The page's caller if signed in (a live session of an active key), else an anonymous page."""
    live = live_pool(request)
    page = Page(request, live, request_lang(request))
    session = sessions(request).get(request.cookies.get(SESSION_COOKIE))
    if session is not None:
        key = _find_key(live, session.key_id)
        if key is None:
            sessions(request).drop(session)
        else:
            page.key, page.session = key, session
    return page


def signed_in(*roles: Role, csrf: bool = False) -> Callable[[Request], Coroutine[Any, Any, Page]]:
    """A dependency: the signed-in page of a key with one of ``roles`` (admin always), form CSRF checked."""
    allowed = {Role.admin, *roles}

    async def dependency(request: Request) -> Page:
        page = current_page(request)
        if page.key is None:
            target = request.url.path if request.method == "GET" else PREFIX + "/"
            raise Redirect(f"{PREFIX}/signin?next={quote(target)}")
        if roles and page.key.role not in allowed:
            raise PageError(403, page.t["forbidden"])
        if csrf:
            form = await request.form()
            assert page.session is not None
            if not same_token(str(form.get("csrf") or ""), page.session.csrf):
                raise PageError(403, page.t["csrf"])
        return page

    return dependency


def error_page(request: Request, status: int, message: str) -> Response:
    page = current_page(request)
    title = {404: "not_found", 403: "forbidden"}.get(status, "error")
    return page.render("error.html", status=status, title=page.t[title], message=message)


class PageRoute(APIRoute):
    """A route whose refusals are HTML pages (or a redirect to sign in), never JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Redirect as redirect:
                return RedirectResponse(redirect.location, status_code=303)
            except PageError as exc:
                return error_page(request, exc.status, exc.message)
            except AppError as exc:
                return error_page(request, exc.status, exc.message)
            except RequestValidationError as exc:
                first = exc.errors()[0] if exc.errors() else {}
                where = ".".join(str(p) for p in first.get("loc", ())[1:])
                return error_page(request, 422, f"{where}: {first.get('msg', 'invalid input')}")

        return page_handler


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else goes home (no open redirect)."""
    if target and target.startswith(PREFIX) and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"
