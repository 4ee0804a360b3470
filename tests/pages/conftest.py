"""A live matcher service with the pages, on a throwaway store, and a real Chromium driven by Playwright.

The browser is Debian's ``chromium`` (``apt-get install chromium``), launched by path; where no
Chromium can be found, or Playwright is not installed, the browser tests skip saying so. The seed is
small and hand-made: two employers, a dozen candidates near Ghent with names (so a test can check
that an employer page never shows one), one vacancy with an unrecognised and a to-confirm requirement.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import live_seed
from live_seed import EMPLOYER_A, EMPLOYER_B, VACANCY_A, VACANCY_A2, VACANCY_B
from live_server import ServerThread
from matcher.profiles import Candidate, PersonalData, Requirement, SupportOffered, Vacancy
from matcher.settings import Settings
from matcher.store import Store
from matcher_service import create_app
from pg import free_port
from profiles_factory import SKILLS, TODAY

__all__ = ["EMPLOYER_A", "EMPLOYER_B", "VACANCY_A", "VACANCY_A2", "VACANCY_B"]  # the seed's ids, for the page tests
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def seed_vacancies() -> list[Vacancy]:
    """The shared seed; employer A's vacancies get a title, a coaching capacity, an unrecognised
    and a to-confirm requirement."""
    return live_seed.seed_vacancies(
        support_a=SupportOffered(language_support="on_the_job", workplace_coaching="mentor", coaching_capacity=2),
        extra_requirements_a2=[
            Requirement(kind="competence", text="kan goed plooien met dozen"),
            Requirement(
                kind="competence", value=SKILLS[4], text="orderpicken", to_confirm=True, alternatives=[SKILLS[5]]
            ),
        ],
        title="Heftruckchauffeur Gent",
    )


def seed_candidates() -> tuple[list[Candidate], list[PersonalData]]:
    return live_seed.seed_candidates(contact=False)


@dataclass
class PagesServer:
    url: str
    store: Store
    keys: dict[str, str]
    database: str


def seed(url: str) -> tuple[Store, dict[str, str]]:
    store = Store.from_url(url)
    store.migrate()
    people, personal = seed_candidates()
    store.upsert_candidates(people, personal)
    store.upsert_vacancies(seed_vacancies())
    keys = {role: store.create_api_key(role, label=f"test {role}") for role in ("admin", "broker", "batch")}
    keys["employer"] = store.create_api_key("employer", employer_id=EMPLOYER_A, label="test employer A")
    keys["employer_b"] = store.create_api_key("employer", employer_id=EMPLOYER_B, label="test employer B")
    return store, keys


def serve(url: str, database: str, taxonomy, idle_minutes: int = 30) -> Iterator[PagesServer]:
    store, keys = seed(url)
    settings = Settings(
        database_url=url,
        top_k=10,
        n_jobs=1,
        block_size=2,
        session_idle_minutes=idle_minutes,
        stretch_floor=0.0,  # the hand-made seed pool's stretch matches score below the default floor
        rate_limit_per_second=100_000,  # a browser loads pages, CSS and JS faster than a person clicks
        rate_limit_burst=100_000,
    )
    port = free_port()
    server = ServerThread(create_app(settings, today=TODAY, taxonomy=taxonomy), port)
    server.start()
    try:
        yield PagesServer(f"http://127.0.0.1:{port}", store, keys, database)
    finally:
        server.stop()
        store.dispose()


@pytest.fixture(scope="session")
def sqlite_pages(tmp_path_factory, taxonomy) -> Iterator[PagesServer]:
    path = tmp_path_factory.mktemp("pages") / "matcher.sqlite3"
    yield from serve(f"sqlite:///{path}", "sqlite", taxonomy)


@pytest.fixture(scope="session")
def postgresql_pages(pg_cluster, taxonomy) -> Iterator[PagesServer]:
    with pg_cluster.database("matcher_pages") as url:
        yield from serve(url, "postgresql", taxonomy)


def find_chromium() -> str | None:
    for path in CHROMIUM_PATHS:
        if Path(path).exists():
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def browser():
    """Chromium for one module: Playwright's sync API holds an event loop in this thread while it runs,
    so it must stop before other modules' tests run their own (anyio.run)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright")
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium found (install Debian's package: apt-get install -y chromium)")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """A function giving a fresh page in its own context (own cookies), closed after the test."""
    contexts = []

    def make(locale: str = "nl-BE"):
        context = browser.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}, accept_downloads=True, bypass_csp=True
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
