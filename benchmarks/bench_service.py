"""Service load run: ``GET /vacancies/{id}/candidates?k=10`` and ``/review`` against 100,000 candidates, on loopback.

Run: ``.venv/bin/python benchmarks/bench_service.py [--candidates 100000 --vacancies 1000
--requests 400 --clients 1 2 4 --endpoints candidates review --max-seconds 120]``

Generates a demo pool, loads it into a SQLite store in a temporary directory, starts the service
with uvicorn in a subprocess on a free 127.0.0.1 port (so client and server do not share a GIL),
waits until ``/ready``, then sends a bounded number of requests from a few concurrent clients,
each for a random vacancy, and prints p50/p90/p99 latency, throughput and the status codes seen.
Every request is a full one: authentication, ranking, Dutch explanations, the audit entry and the
log of served suggestions. Stops after ``--requests`` or ``--max-seconds``, whichever comes first.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import numpy as np

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.store import Store

ROOT = Path(__file__).resolve().parents[1]
SERVER = """
import sys, uvicorn
from datetime import date
from matcher.settings import Settings
from matcher_service import create_app
url, port, today = sys.argv[1], int(sys.argv[2]), date.fromisoformat(sys.argv[3])
uvicorn.run(create_app(Settings(database_url=url), today=today), host="127.0.0.1", port=port, log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_store(url: str, n_candidates: int, n_vacancies: int, seed: int) -> tuple[str, list[str]]:
    """A store holding the demo pool and a broker key; returns the key and the vacancy ids."""
    pool = generate_pool(n_candidates, n_vacancies, seed)
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(pool.candidates, pool.personal)
    store.upsert_vacancies(pool.vacancies)
    key = store.create_api_key("broker", label="load run")
    store.dispose()
    return key, [v.id for v in pool.vacancies]


def start_server(url: str, port: int, timeout: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "service"), os.environ.get("PYTHONPATH", "")]),
        # one key drives every client: measure the service, not its rate limit
        "MATCHER_RATE_LIMIT_PER_SECOND": "100000",
        "MATCHER_RATE_LIMIT_BURST": "100000",
    }
    process = subprocess.Popen([sys.executable, "-c", SERVER, url, str(port), REFERENCE_DATE.isoformat()], env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with {process.returncode} before it was ready")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"the service was not ready within {timeout:.0f} s")


ENDPOINTS = {
    "candidates": ("/vacancies/{}/candidates", {"k": 10, "lang": "nl"}),
    "review": ("/vacancies/{}/review", {}),
}


def load_run(
    base_url: str,
    key: str,
    vacancy_ids: list[str],
    n_requests: int,
    n_clients: int,
    max_seconds: float,
    seed: int,
    endpoint: str = "candidates",
) -> dict:
    """Send ``n_requests`` over ``n_clients`` threads; latencies in ms and status counts."""
    path, params = ENDPOINTS[endpoint]
    rng = np.random.default_rng(seed)
    targets = [vacancy_ids[i] for i in rng.integers(0, len(vacancy_ids), n_requests)]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + max_seconds

    def client(share: list[str]) -> None:
        with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as http:
            for vacancy_id in share:
                if time.monotonic() > stop_at:
                    return
                start = time.perf_counter()
                response = http.get(path.format(vacancy_id), params=params)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[response.status_code] += 1

    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}) as warm:
        for vacancy_id in vacancy_ids[:5]:
            warm.get(path.format(vacancy_id), params=params)
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(targets[i::n_clients],)) for i in range(n_clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    lat = np.asarray(latencies)
    return {
        "endpoint": endpoint,
        "requests": len(lat),
        "clients": n_clients,
        "seconds": round(wall, 2),
        "requests_per_second": round(len(lat) / wall, 1),
        "statuses": dict(statuses),
        "p50_ms": round(float(np.percentile(lat, 50)), 1),
        "p90_ms": round(float(np.percentile(lat, 90)), 1),
        "p99_ms": round(float(np.percentile(lat, 99)), 1),
        "max_ms": round(float(lat.max()), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument(
        "--clients",
        type=int,
        nargs="+",
        default=[1, 2, 4],
        help="concurrent clients; several values run one load run each, against the same server",
    )
    parser.add_argument("--endpoints", nargs="+", choices=sorted(ENDPOINTS), default=["candidates"])
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="matcher-bench-") as directory:
        url = f"sqlite:///{directory}/bench.sqlite3"
        started = time.perf_counter()
        key, vacancy_ids = load_store(url, args.candidates, args.vacancies, args.seed)
        loaded = time.perf_counter() - started
        port = free_port()
        started = time.perf_counter()
        server = start_server(url, port, timeout=600)
        ready = time.perf_counter() - started
        try:
            runs = [
                load_run(
                    f"http://127.0.0.1:{port}",
                    key,
                    vacancy_ids,
                    args.requests,
                    clients,
                    args.max_seconds,
                    args.seed,
                    endpoint,
                )
                for endpoint in args.endpoints
                for clients in args.clients
            ]
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        json.dumps(
            {
                "candidates": args.candidates,
                "vacancies": args.vacancies,
                "store_load_s": round(loaded, 1),
                "service_ready_s": round(ready, 1),
                "cpus": os.cpu_count(),
                "runs": runs,
            },
            indent=2,
        )
    )
    for run in runs:
        print(
            f"GET {ENDPOINTS[run['endpoint']][0].format('{id}')} with {args.candidates:,} candidates, {run['clients']} "
            f"clients: p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms over {run['requests']} requests "
            f"({run['requests_per_second']} req/s)"
        )


if __name__ == "__main__":
    main()
