"""Small values the whole store shares: the data version and the secret behind employer handles.

The data version is a counter bumped in the same transaction as every change to the profiles, by
whatever writes them (the CLI, an import, any service process). A serving process reads it with one
primary-key lookup per request and reloads only when it moved, so every process sees every change.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy import Connection, Integer, String, cast, func, select, update
from sqlalchemy.exc import IntegrityError

from ..profiles import Candidate, Vacancy
from .base import StoreBase, utcnow
from .schema import candidates, store_meta, vacancies

DATA_VERSION = "data_version"
HANDLE_SECRET = "handle_secret"


def bump_data_version(conn: Connection) -> None:
    """Count one more change to the profiles, inside the caller's transaction (the migration seeds 0)."""
    conn.execute(
        update(store_meta)
        .where(store_meta.c.name == DATA_VERSION)
        .values(value=cast(cast(store_meta.c.value, Integer) + 1, String), updated_at=utcnow())
    )


class MetaStore(StoreBase):
    """Read the data version and the profiles' digests; keep the handle secret."""

    def data_version(self) -> int:
        """How many changes the profiles have seen (0 before the first)."""
        with self.engine.connect() as conn:
            value = conn.scalar(select(store_meta.c.value).where(store_meta.c.name == DATA_VERSION))
        return int(value) if value is not None else 0

    def profile_digests(self) -> tuple[dict[str, str], dict[str, str]]:
        """Every candidate's and vacancy's digest by id: what a pool compares to find what changed."""
        with self.engine.connect() as conn:
            cands = {i: d for i, d in conn.execute(select(candidates.c.id, candidates.c.digest))}
            vacs = {i: d for i, d in conn.execute(select(vacancies.c.id, vacancies.c.digest))}
        return cands, vacs

    def candidates_by_id(self, ids: Sequence[str]) -> list[Candidate]:
        """The stored candidates among ``ids`` (the ones deleted meanwhile are left out)."""
        with self.engine.connect() as conn:
            docs = conn.scalars(select(candidates.c.profile).where(candidates.c.id.in_(list(ids)))).all()
        return [Candidate.model_validate(doc) for doc in docs]

    def vacancies_by_id(self, ids: Sequence[str]) -> list[Vacancy]:
        """The stored vacancies among ``ids``."""
        with self.engine.connect() as conn:
            docs = conn.scalars(select(vacancies.c.profile).where(vacancies.c.id.in_(list(ids)))).all()
        return [Vacancy.model_validate(doc) for doc in docs]

    def count_vacancies(self, employer_id: str | None = None) -> int:
        """How many vacancies there are (of one employer when given): the total of a listing."""
        query = select(func.count()).select_from(vacancies)
        if employer_id is not None:
            query = query.where(vacancies.c.employer_id == employer_id)
        with self.engine.connect() as conn:
            return int(conn.scalar(query) or 0)

    def count_candidates(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(candidates)) or 0)

    def handle_secret(self) -> bytes:
        """The secret that keys employers' candidate handles: made once, then the same for every process."""
        query = select(store_meta.c.value).where(store_meta.c.name == HANDLE_SECRET)
        with self.engine.begin() as conn:
            value = conn.scalar(query)
            if value is None:
                try:
                    with conn.begin_nested():
                        value = secrets.token_hex(32)
                        conn.execute(store_meta.insert().values(name=HANDLE_SECRET, value=value, updated_at=utcnow()))
                except IntegrityError:
                    value = conn.scalar(query)
        return bytes.fromhex(str(value))
