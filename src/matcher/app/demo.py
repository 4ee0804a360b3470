"""The demo pool in a store, with one API key per role: what ``matcher demo`` serves."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..imports import ImportResult
from ..settings import Settings
from ..store import Role
from .ingest import ingest_files, store_imports
from .showcase import DEMO_CANDIDATES, DEMO_SEED, DEMO_VACANCIES, ensure_demo_pool
from .stores import open_store


def load_demo(
    settings: Settings,
    demo_dir: Path,
    n_candidates: int = DEMO_CANDIDATES,
    n_vacancies: int = DEMO_VACANCIES,
    seed: int = DEMO_SEED,
    imported: Mapping[Path, ImportResult[Any]] | None = None,
) -> dict[str, str]:
    """Write a demo pool into ``demo_dir`` (if not there yet), load it into the store, and make one key per role.

    ``imported`` holds imports of the pool's files already made (by the showcase), stored as they
    are instead of importing the files again. Returns the keys by role; the employer key is bound
    to the employer with the most vacancies. The keys are kept in ``demo_dir/keys.json`` (readable
    by the owner only) and reused on the next run while they still authenticate, so repeated
    ``make run`` does not pile up never-revoked keys.
    """
    from ..demo.writing import EMPLOYERS_JSONL

    demo_dir = Path(demo_dir)
    if imported:
        store_imports(settings, imported)
    else:
        candidates, vacancies = ensure_demo_pool(demo_dir, n_candidates, n_vacancies, seed)
        ingest_files(settings, {"candidates": candidates, "vacancies": vacancies})
    store = open_store(settings)
    try:
        for line in (demo_dir / EMPLOYERS_JSONL).read_text(encoding="utf-8").splitlines():
            employer = json.loads(line)
            store.upsert_employer(employer["id"], employer.get("name"))
        vacancies_stored = store.list_vacancies()
        employer_ids = {v.employer_id for v in vacancies_stored}
        busiest = max(employer_ids, key=lambda e: (sum(v.employer_id == e for v in vacancies_stored), e))
        kept = _kept_keys(demo_dir / KEYS_JSON)
        keys: dict[str, str] = {}
        for role in Role:
            employer_id = busiest if role is Role.employer else None
            secret = kept.get(role.value, "")
            key = store.authenticate(secret) if secret else None
            if key is None or key.role is not role or key.employer_id != employer_id:
                secret = store.create_api_key(role, employer_id=employer_id, label=f"demo {role.value} key")
            keys[role.value] = secret
        _keep_keys(demo_dir / KEYS_JSON, keys)
        return keys
    finally:
        store.dispose()


KEYS_JSON = "keys.json"


def _kept_keys(path: Path) -> dict[str, str]:
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in kept.items()} if isinstance(kept, dict) else {}


def _keep_keys(path: Path, keys: dict[str, str]) -> None:
    """Write the demo keys for the owner only (0600), created with those permissions, never wider."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(keys, handle, indent=2)
    os.chmod(path, 0o600)
