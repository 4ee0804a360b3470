"""Session cookies: signed, idle timeout, forgery refused; Accept-Language parsing. No browser needed."""

from __future__ import annotations

from matcher_service.pages.i18n import from_accept_language
from matcher_service.pages.session import Sessions


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_session_ends_after_the_idle_time_but_not_while_used() -> None:
    clock = Clock()
    sessions = Sessions("s" * 40, idle_seconds=60, clock=clock)
    session, cookie = sessions.create("key1")
    for _ in range(5):
        clock.now += 50
        assert sessions.get(cookie) is session
    clock.now += 61
    assert sessions.get(cookie) is None


def test_a_forged_or_foreign_cookie_names_no_session() -> None:
    sessions = Sessions("s" * 40, idle_seconds=60)
    session, cookie = sessions.create("key1")
    assert sessions.get(f"{session.id}.AAAA") is None
    assert Sessions("t" * 40, idle_seconds=60).get(cookie) is None
    assert sessions.get(None) is None and sessions.get("nodot") is None
    sessions.drop_key("key1")
    assert sessions.get(cookie) is None


def test_accept_language_picks_the_best_supported_language() -> None:
    assert from_accept_language("de-DE, fr-BE;q=0.8, en;q=0.9") == "en"
    assert from_accept_language("fr-BE,fr;q=0.9") == "fr"
    assert from_accept_language("de, it") is None and from_accept_language(None) is None
