"""Page timings on the 10k demo pool: the median time of each page, in process, with the API as baseline.

Run: ``.venv/bin/python benchmarks/bench_pages.py [--candidates 10000 --vacancies 200 --repeat 15]``

Loads the demo pool into a SQLite store in a temporary directory, starts the app with its lifespan
in a Starlette TestClient (no network: the time is the page's own work: session check, use case,
rendering), signs in once per role through the sign-in form, then requests each page ``--repeat``
times (after one warm-up) and prints the median and p90 in ms, with the API's JSON ranking of the
same vacancy as a baseline in the same process. The target is a median under 300 ms per page.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.settings import Settings
from matcher.store import Store
from matcher_service import create_app


def load(url: str, n_candidates: int, n_vacancies: int, seed: int) -> tuple[dict[str, str], str, str, str]:
    pool = generate_pool(n_candidates, n_vacancies, seed)
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(pool.candidates, pool.personal)
    store.upsert_vacancies(pool.vacancies)
    busiest, _ = Counter(v.employer_id for v in pool.vacancies).most_common(1)[0]
    keys = {role: store.create_api_key(role) for role in ("broker", "batch", "admin")}
    keys["employer"] = store.create_api_key("employer", employer_id=busiest)
    store.dispose()
    own = next(v.id for v in pool.vacancies if v.employer_id == busiest)
    return keys, pool.vacancies[0].id, own, pool.candidates[0].id


def sign_in(client: TestClient, key: str) -> None:
    client.cookies.clear()
    page = client.get("/ui/signin")
    token = re.search(r'name="signin_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/ui/signin", data={"signin_token": token, "api_key": key, "next": "/ui/"}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def timed(client: TestClient, path: str, repeat: int, headers: dict[str, str] | None = None) -> tuple[float, float]:
    assert client.get(path, headers=headers).status_code == 200, path
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'matcher.sqlite3'}"
        keys, vacancy, own, candidate = load(url, args.candidates, args.vacancies, args.seed)
        app = create_app(Settings(database_url=url), today=REFERENCE_DATE)
        with TestClient(app) as client:
            rows = []
            baseline = timed(
                client,
                f"/vacancies/{vacancy}/candidates?k=20",
                args.repeat,
                {"Authorization": f"Bearer {keys['broker']}"},
            )
            rows.append(("API GET /vacancies/{id}/candidates?k=20 (baseline)", *baseline))
            pages = {
                "broker": [
                    "/ui/vacancies",
                    "/ui/vacancies?q=magazijn",
                    f"/ui/vacancies/{vacancy}",
                    f"/ui/vacancies/{vacancy}/check",
                    "/ui/candidates?place=Gent&radius=15&dutch=B1",
                    f"/ui/candidates/{candidate}",
                ],
                "employer": ["/ui/vacancies", f"/ui/vacancies/{own}", f"/ui/vacancies/{own}?req_0=wish&lever=mentor"],
                "batch": ["/ui/imports", "/ui/runs"],
                "admin": ["/ui/keys"],
            }
            for role, paths in pages.items():
                sign_in(client, keys[role])
                for path in paths:
                    shown = path.replace(vacancy, "{id}").replace(own, "{own}").replace(candidate, "{cid}")
                    rows.append(
                        (
                            f"{role:8s} {shown}",
                            *timed(client, path, args.repeat),
                        )
                    )
    print(f"pages on {args.candidates:,} candidates / {args.vacancies} vacancies, {args.repeat} requests each")
    print(f"{'page':62s} {'median ms':>10s} {'p90 ms':>8s} {'x baseline':>10s}")
    for name, median, p90 in rows:
        print(f"{name:62s} {median:10.1f} {p90:8.1f} {median / rows[0][1]:10.2f}")


if __name__ == "__main__":
    main()
