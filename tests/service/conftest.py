"""A live matcher service per database: uvicorn on a free 127.0.0.1 port, driven by a real httpx client.

``service`` is parametrized over SQLite (a temp file) and PostgreSQL (a database in the throwaway
cluster of :mod:`pg`, skipped with its reason where the binaries are absent), so every test that
takes it runs on both. One server per database serves the whole session; tests that change data
use their own ids. The seed is small and hand-made: two employers, a dozen candidates in Ghent that
fit employer A's forklift vacancy to different degrees, and one API key per role.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from live_seed import EMPLOYER_A, EMPLOYER_B, VACANCY_A, VACANCY_A2, VACANCY_B, seed_candidates, seed_vacancies
from live_server import ServerThread
from matcher.settings import Settings
from matcher.store import Store
from matcher_service import create_app
from pg import free_port
from profiles_factory import FORKLIFT, SKILLS, TODAY, candidate, vacancy

UPLOAD_LIMIT = 64 * 1024
ROLES = ("none", "admin", "broker", "employer_a", "employer_b", "batch")


@dataclass
class LiveService:
    """A running service: its URL, one key per role, and the store behind it (for setup and checks)."""

    url: str
    store: Store
    keys: dict[str, str]
    database: str
    clients: dict[str, httpx.Client] = field(default_factory=dict)

    def client(self, role: str) -> httpx.Client:
        """A client that sends ``role``'s key (``none``: no key at all)."""
        if role not in self.clients:
            headers = {} if role == "none" else {"Authorization": f"Bearer {self.keys[role]}"}
            self.clients[role] = httpx.Client(base_url=self.url, headers=headers, timeout=60)
        return self.clients[role]

    def wait_for_runs(self, timeout: float = 60) -> None:
        """One rescoring run at a time per store: wait until none runs (the seed scores in well under a second)."""
        deadline = time.monotonic() + timeout
        while self.store.list_runs(status="running", limit=1) and time.monotonic() < deadline:
            time.sleep(0.05)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def seed(url: str) -> tuple[Store, dict[str, str]]:
    store = Store.from_url(url)
    store.migrate()
    people, personal = seed_candidates()
    store.upsert_candidates(people, personal)
    store.upsert_vacancies(seed_vacancies())
    store.upsert_employer(EMPLOYER_A, "Logistiek Aalst")
    keys = {role: store.create_api_key(role, label=f"test {role}") for role in ("admin", "broker", "batch")}
    keys["employer_a"] = store.create_api_key("employer", employer_id=EMPLOYER_A, label="test employer A")
    keys["employer_b"] = store.create_api_key("employer", employer_id=EMPLOYER_B, label="test employer B")
    return store, keys


def start_service(url: str, database: str, taxonomy) -> Iterator[LiveService]:
    store, keys = seed(url)
    settings = Settings(
        database_url=url,
        max_upload_bytes=UPLOAD_LIMIT,
        top_k=10,
        n_jobs=1,
        block_size=2,
        stretch_floor=0.0,  # the twelve seed candidates' stretch matches score about 13% with the shipped model
        # the matrix and the fuzzing send many requests per key; test_limits tests the limits
        rate_limit_per_second=100_000,
        rate_limit_burst=100_000,
        failed_auth_per_minute=100_000,
        failed_auth_burst=100_000,
    )
    port = free_port()
    server = ServerThread(create_app(settings, today=TODAY, taxonomy=taxonomy), port)
    server.start()
    live = LiveService(url=f"http://127.0.0.1:{port}", store=store, keys=keys, database=database)
    try:
        yield live
    finally:
        live.close()
        server.stop()
        store.dispose()


@pytest.fixture(scope="session")
def sqlite_service(tmp_path_factory, taxonomy) -> Iterator[LiveService]:
    path = tmp_path_factory.mktemp("service") / "matcher.sqlite3"
    yield from start_service(f"sqlite:///{path}", "sqlite", taxonomy)


@pytest.fixture(scope="session")
def postgresql_service(pg_cluster, taxonomy) -> Iterator[LiveService]:
    with pg_cluster.database("matcher_service") as url:
        yield from start_service(url, "postgresql", taxonomy)


@pytest.fixture(params=["sqlite", "postgresql"])
def service(request: pytest.FixtureRequest) -> LiveService:
    """The live service on SQLite, then on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_service")


def vacancy_body(vacancy_id: str, employer_id: str = EMPLOYER_A, **changes) -> dict:
    body = vacancy(vacancy_id, must_skills=tuple(SKILLS[:2]), employer_id=employer_id).model_dump(mode="json")
    return {**body, **changes}


def candidate_body(candidate_id: str, **changes) -> dict:
    body = candidate(candidate_id, skills=tuple(SKILLS[:3])).model_dump(mode="json")
    body["personal"] = {"name": "Nieuwe Kandidaat", "email": "nieuw@example.org"}
    return {**body, **changes}


__all__ = [
    "EMPLOYER_A",
    "EMPLOYER_B",
    "FORKLIFT",
    "ROLES",
    "UPLOAD_LIMIT",
    "VACANCY_A",
    "VACANCY_A2",
    "VACANCY_B",
    "LiveService",
    "candidate_body",
    "vacancy_body",
]
