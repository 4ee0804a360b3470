"""Small values the whole store shares: the data version and the secret behind employer handles.

The data version is a counter bumped in the same transaction as every change to the profiles, by
whatever writes them (the CLI, an import, any service process). A serving process reads it with one
primary-key lookup per request and reloads only when it moved, so every process sees every change.
"""

from __future__ import annotations

import secrets
import typing
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, Integer, String, Text, cast, func, select, type_coerce, update
from sqlalchemy.exc import IntegrityError

from ..profiles import Candidate, Vacancy
from .base import StoreBase, utcnow
from .schema import candidates, store_meta, vacancies

PROFILE_BATCH = 20_000
"""Profiles validated and handed on at once when a pool is encoded from the store."""
ID_BATCH = 5_000
"""Ids per ``IN`` list when selected profiles are read (well under any database's parameter limit)."""

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

    def profile_batches(
        self, kind: str, ids: Sequence[str] | None = None, batch_size: int = PROFILE_BATCH
    ) -> Iterator[tuple[list[Candidate] | list[Vacancy], list[str]]]:
        """The stored profiles of one side (those among ``ids`` when given) with their digests, a batch at a time.

        For encoding a large pool without holding every profile at once. Each profile is validated
        from the stored JSON text (pydantic's parser, no ``json.loads`` first); ids deleted
        meanwhile are left out. The digests are those of the profiles returned, so a caller can
        tell exactly which versions it encoded.
        """
        table = candidates if kind == "candidates" else vacancies
        model: type[Candidate] | type[Vacancy] = Candidate if kind == "candidates" else Vacancy
        text = cast(table.c.profile, Text) if self.dialect == "postgresql" else type_coerce(table.c.profile, Text)
        query = select(table.c.id, table.c.digest, text).order_by(table.c.id)
        groups = [None] if ids is None else [list(ids[i : i + ID_BATCH]) for i in range(0, len(ids), ID_BATCH)]
        with self.engine.connect() as conn:
            for group in groups:
                selected = query if group is None else query.where(table.c.id.in_(group))
                result = conn.execution_options(yield_per=batch_size).execute(selected)
                for rows in result.partitions(batch_size):
                    profiles = [model.model_validate_json(doc) for _, _, doc in rows]
                    yield profiles, [digest for _, digest, _ in rows]  # type: ignore[misc]

    def candidates_by_id(self, ids: Sequence[str]) -> list[Candidate]:
        """The stored candidates among ``ids`` (the ones deleted meanwhile are left out)."""
        return [typing.cast(Candidate, p) for batch, _ in self.profile_batches("candidates", ids) for p in batch]

    def vacancies_by_id(self, ids: Sequence[str]) -> list[Vacancy]:
        """The stored vacancies among ``ids``."""
        return [typing.cast(Vacancy, p) for batch, _ in self.profile_batches("vacancies", ids) for p in batch]

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
