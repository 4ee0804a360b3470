"""Dependencies the routes declare: the shared state, the caller's API key, role and tenant checks.

Roles: ``admin`` (everything), ``broker`` (candidates, vacancies, suggestions with ids), ``employer``
(its own vacancies, their reviews and anonymous suggestions), ``batch`` (imports and rescoring).
No key, or an unknown or revoked one: 401. A known key with the wrong role: 403. An employer asking
for another employer's vacancy: 404, exactly as for a vacancy that does not exist, so an employer
cannot learn which vacancy ids others use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from matcher.app import LivePool
from matcher.profiles import Vacancy
from matcher.store import ApiKey, Role

from .http import RateLimits, retry_after
from .languages import preferred_language

bearer = HTTPBearer(auto_error=False, description="an API key: `Authorization: Bearer mk_<id>_<secret>`")


def get_state(request: Request) -> LivePool:
    """The live pool, with whatever other writers changed since the last request taken in."""
    state: LivePool = request.app.state.matching
    state.refresh()
    return state


State = Annotated[LivePool, Depends(get_state)]


def _too_many(wait: float, what: str) -> HTTPException:
    return HTTPException(
        429,
        f"too many {what}; try again in {retry_after(wait)} s",
        headers={"Retry-After": retry_after(wait)},
    )


def current_key(
    request: Request, state: State, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> ApiKey:
    """The caller's key, or 401 naming what is wrong with the Authorization header.

    A client address that failed to authenticate too often gets 429 without its key being looked
    at; a key over its rate gets 429. Both say when to try again (``Retry-After``).
    """
    if credentials is None:
        raise HTTPException(
            401, "no API key: send the header 'Authorization: Bearer <key>'", headers={"WWW-Authenticate": "Bearer"}
        )
    limits: RateLimits = request.app.state.limits
    client = request.client.host if request.client else "unknown"
    if wait := limits.failed_auth.wait(client):
        raise _too_many(wait, "failed authentications from this address")
    key = state.store.authenticate(credentials.credentials)
    if key is None:
        limits.failed_auth.take(client)
        raise HTTPException(
            401,
            "the API key is unknown, revoked or expired; ask an admin for a new one",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if wait := limits.per_key.take(key.id):
        raise _too_many(wait, "requests with this key")
    return key


Key = Annotated[ApiKey, Depends(current_key)]


def require(*roles: Role) -> Callable[[ApiKey], ApiKey]:
    """A dependency that lets only ``roles`` through (admin always), with 403 for the others."""
    allowed = {Role.admin, *roles}
    names = ", ".join(sorted(r.value for r in allowed))

    def check(key: Key) -> ApiKey:
        if key.role not in allowed:
            article = "an" if key.role.value[0] in "aeiou" else "a"
            raise HTTPException(
                403, f"{article} {key.role.value} key may not do this; it needs one of these roles: {names}"
            )
        return key

    return check


BrokerKey = Annotated[ApiKey, Depends(require(Role.broker))]
VacancyReader = Annotated[ApiKey, Depends(require(Role.broker, Role.employer, Role.batch))]
VacancyWriter = Annotated[ApiKey, Depends(require(Role.broker, Role.employer))]
Importer = Annotated[ApiKey, Depends(require(Role.broker, Role.batch))]
RunReader = Annotated[ApiKey, Depends(require(Role.broker, Role.batch))]
RunStarter = Annotated[ApiKey, Depends(require(Role.batch))]

VacancyId = Annotated[str, Path(min_length=1, max_length=100, description="vacancy id")]
CandidateId = Annotated[str, Path(min_length=1, max_length=100, description="candidate id")]


MAX_ROW = 2_147_483_647  # the largest INTEGER key PostgreSQL stores; larger ids cannot exist
RowId = Annotated[int, Path(ge=1, le=MAX_ROW, description="numeric id")]
Offset = Annotated[int, Query(ge=0, le=MAX_ROW, description="how many items to skip")]


def not_found(kind: str, profile_id: str) -> HTTPException:
    return HTTPException(
        404, f"no {kind} with id {profile_id!r}" + (" that this key may see" if kind == "vacancy" else "")
    )


def may_see(key: ApiKey, vacancy: Vacancy) -> bool:
    return key.role is not Role.employer or vacancy.employer_id == key.employer_id


def language(
    request: Request,
    lang: Annotated[
        Literal["nl", "en"] | None,
        Query(description="language of the explanations; default: from Accept-Language, else nl"),
    ] = None,
) -> Literal["nl", "en"]:
    """``?lang=`` if given, else the first of nl or en in ``Accept-Language`` (by its q-values), else nl."""
    if lang is not None:
        return lang
    found = preferred_language(request.headers.get("accept-language"), ("nl", "en"))
    return "en" if found == "en" else "nl"


Language = Annotated[Literal["nl", "en"], Depends(language)]
