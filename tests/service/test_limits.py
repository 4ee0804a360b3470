"""Rate limits (429 with Retry-After, stricter for failed authentication) and one live pool across processes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from matcher.settings import Settings
from matcher_service import create_app
from matcher_service.http import TokenBucket
from pg import free_port
from profiles_factory import SKILLS, TODAY, candidate

from .conftest import VACANCY_A, ServerThread, seed, vacancy_body


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=2.0, burst=3)
    assert [bucket.take("k", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take("k", now=0.0) == pytest.approx(0.5)
    assert bucket.take("other", now=0.0) == 0.0  # buckets are per caller
    assert bucket.wait("k", now=0.5) == 0.0 and bucket.take("k", now=0.5) == 0.0


def _serve(url: str, taxonomy, **limits) -> ServerThread:
    port = free_port()
    server = ServerThread(create_app(Settings(database_url=url, **limits), today=TODAY, taxonomy=taxonomy), port)
    server.url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    server.start()
    return server


@pytest.fixture
def store_and_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'limits.sqlite3'}"
    store, keys = seed(url)
    yield url, store, keys
    store.dispose()


@pytest.fixture
def limited(store_and_keys, taxonomy) -> Iterator[tuple[str, dict[str, str]]]:
    url, _, keys = store_and_keys
    server = _serve(
        url, taxonomy, rate_limit_per_second=0.5, rate_limit_burst=3, failed_auth_per_minute=1, failed_auth_burst=2
    )
    try:
        yield server.url, keys  # type: ignore[attr-defined]
    finally:
        server.stop()


def test_a_key_over_its_rate_gets_429_with_retry_after(limited) -> None:
    url, keys = limited
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['broker']}"}) as client:
        statuses = [client.get("/me").status_code for _ in range(5)]
        assert statuses[:3] == [200, 200, 200] and statuses[-1] == 429
        refused = client.get("/me")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["status"] == 429
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['batch']}"}) as other:
        assert other.get("/me").status_code == 200  # another key has its own bucket


def test_failed_authentication_is_throttled_harder(limited) -> None:
    url, keys = limited
    key_id = keys["broker"].split("_")[1]
    wrong = {"Authorization": f"Bearer mk_{key_id}_not-the-secret"}
    with httpx.Client(base_url=url, headers=wrong) as client:
        assert [client.get("/me").status_code for _ in range(2)] == [401, 401]
        refused = client.get("/me")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 30
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {keys['broker']}"}) as client:
        # the address is blocked for a while, even with a right key: guessing costs time
        assert client.get("/me").status_code == 429


def test_two_processes_and_a_cli_load_see_the_same_pool(store_and_keys, taxonomy) -> None:
    """Each service has its own in-memory pool; the store's data version keeps them in step."""
    url, store, keys = store_and_keys
    first, second = _serve(url, taxonomy), _serve(url, taxonomy)
    headers = {"Authorization": f"Bearer {keys['broker']}"}
    try:
        with (
            httpx.Client(base_url=first.url, headers=headers) as one,
            httpx.Client(  # type: ignore[attr-defined]
                base_url=second.url,
                headers=headers,  # type: ignore[attr-defined]
            ) as two,
        ):
            before = two.get("/ready").json()["candidates"]
            # what `matcher load` does: write to the store from another process
            store.upsert_candidates([candidate("cli-new-1", skills=tuple(SKILLS[:3]))])
            for client in (one, two):
                assert client.get("/candidates/cli-new-1/vacancies?k=3").status_code == 200
                assert client.get("/ready").json()["candidates"] == before + 1
                ranked = client.get(f"/vacancies/{VACANCY_A}/candidates?k=100").json()["suggestions"]
                assert "cli-new-1" in {s["candidate_id"] for s in ranked}
            # a write through one service is served by the other
            assert one.post("/vacancies", json=vacancy_body("vac-from-one")).status_code == 201
            assert two.get("/vacancies/vac-from-one/candidates?k=3").status_code == 200
            assert one.delete("/vacancies/vac-from-one").status_code == 200
            assert two.get("/vacancies/vac-from-one/candidates?k=3").status_code == 404
            store.delete_candidate("cli-new-1")
            assert one.get("/candidates/cli-new-1/vacancies?k=3").status_code == 404
            assert two.get("/ready").json()["candidates"] == before
    finally:
        first.stop()
        second.stop()
