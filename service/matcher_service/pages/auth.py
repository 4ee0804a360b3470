"""Sign in with an API key once, sign out, switch language, and the home page of each role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matcher.store import Role

from .deps import PREFIX, Page, PageRoute, current_page, finish, safe_next, sessions, set_cookie, signed_in
from .i18n import LANG_COOKIE, LANGS
from .session import SESSION_COOKIE, SIGNIN_COOKIE, same_token

router = APIRouter(prefix=PREFIX, route_class=PageRoute, include_in_schema=False)
HOMES = {
    Role.admin: "/vacancies",
    Role.broker: "/vacancies",
    Role.employer: "/vacancies",
    Role.batch: "/imports",
}


@router.get("/")
def home(request: Request) -> Response:
    page = current_page(request)
    if page.key is None:
        return RedirectResponse(f"{PREFIX}/signin", status_code=303)
    return RedirectResponse(PREFIX + HOMES[page.key.role], status_code=303)


def _signin_form(page: Page, status: int = 200, error: str | None = None, notice: str | None = None) -> Response:
    token = sessions(page.request).signin_token()
    page.cookies[SIGNIN_COOKIE] = (token, 3600)
    nxt = safe_next(page.request.query_params.get("next"))
    return page.render("signin.html", status=status, signin_token=token, next=nxt, error=error, notice=notice)


@router.get("/signin")
def signin_form(request: Request) -> Response:
    page = current_page(request)
    notice = page.t["signed_out"] if request.query_params.get("out") else None
    return _signin_form(page, notice=notice)


@router.post("/signin")
async def signin(request: Request) -> Response:
    page = current_page(request)
    form = await request.form()
    if not same_token(str(form.get("signin_token") or ""), request.cookies.get(SIGNIN_COOKIE)):
        return _signin_form(page, 403, page.t["csrf"])
    key = page.live.store.authenticate(str(form.get("api_key") or "").strip())
    if key is None:
        return _signin_form(page, 401, page.t["bad_key"])
    _, cookie = sessions(request).create(key.id)
    page.live.store.audit("sign_in", key, target="pages")
    response = RedirectResponse(safe_next(str(form.get("next") or "")), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, cookie)
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/signout")
async def signout(page: Annotated[Page, Depends(signed_in(csrf=True))]) -> Response:
    assert page.session is not None
    sessions(page.request).drop(page.session)
    response = RedirectResponse(f"{PREFIX}/signin?out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return finish(page, response)


@router.get("/lang/{code}")
def switch_language(request: Request, code: str) -> Response:
    """Remember a language (a preference, no state changed on the server), then go back."""
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if code in LANGS:
        set_cookie(request, response, LANG_COOKIE, code, max_age=365 * 24 * 3600)
    return response
