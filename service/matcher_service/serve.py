"""Running the service: ``serve`` for a configured store, ``demo_serve`` for a demo pool with demo keys."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from matcher.demo import REFERENCE_DATE
from matcher.imports import ImportResult
from matcher.settings import Settings
from matcher.showcase import DEMO_CANDIDATES, DEMO_SEED, DEMO_VACANCIES, ensure_demo_pool
from matcher.store import Role, Store

from .app import create_app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the service on ``host:port`` until interrupted (one process: the pools live in memory)."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def load_demo(
    settings: Settings,
    demo_dir: Path,
    n_candidates: int = DEMO_CANDIDATES,
    n_vacancies: int = DEMO_VACANCIES,
    seed: int = DEMO_SEED,
    imported: Mapping[Path, ImportResult] | None = None,
) -> dict[str, str]:
    """Write a demo pool into ``demo_dir`` (if not there yet), load it into the store, and make one key per role.

    ``imported`` holds imports of the pool's files already made (by the showcase), stored as they
    are instead of importing the files again. Returns the new keys by role; the employer key is
    bound to the employer with the most vacancies.
    """
    from matcher.demo.writing import EMPLOYERS_JSONL
    from matcher.store.commands import load_into_store, store_imports

    demo_dir = Path(demo_dir)
    if imported:
        store_imports(settings, imported)
    else:
        load_into_store(settings, *ensure_demo_pool(demo_dir, n_candidates, n_vacancies, seed))
    store = Store.from_url(settings.database_url)
    try:
        for line in (demo_dir / EMPLOYERS_JSONL).read_text(encoding="utf-8").splitlines():
            employer = json.loads(line)
            store.upsert_employer(employer["id"], employer.get("name"))
        vacancies = store.list_vacancies()
        busiest = max({v.employer_id for v in vacancies}, key=lambda e: (sum(v.employer_id == e for v in vacancies), e))
        return {
            role.value: store.create_api_key(
                role, employer_id=busiest if role is Role.employer else None, label=f"demo {role.value} key"
            )
            for role in Role
        }
    finally:
        store.dispose()


def demo_serve(
    settings: Settings,
    demo_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    out: TextIO = sys.stdout,
    imported: Mapping[Path, ImportResult] | None = None,
) -> None:
    """Load a demo pool, print one API key per role and the docs URL, and serve until interrupted."""
    import uvicorn

    keys = load_demo(settings, demo_dir, imported=imported)
    url = f"http://{host}:{port}"
    print(f"matcher demo service on {url}; OpenAPI page: {url}/docs", file=out)
    print("Demo API keys (synthetic data; send as 'Authorization: Bearer <key>'):", file=out)
    for role, secret in keys.items():
        print(f"  {role:<9} {secret}", file=out)
    print(f"Try: curl -H 'Authorization: Bearer {keys['broker']}' '{url}/vacancies?limit=3'", file=out, flush=True)
    uvicorn.run(create_app(settings, today=REFERENCE_DATE), host=host, port=port, log_level="info")
