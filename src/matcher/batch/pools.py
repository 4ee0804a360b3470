"""A run's pools: the store's profiles encoded, kept in step with the snapshot on disk.

A rescoring process reads the store's (id, digest) pairs, loads the encoded pools its last run
left (:mod:`matcher.pool.snapshot`), drops the rows of profiles that were deleted, re-encodes the
profiles whose digest changed or that are new, and saves the result for the next run. Without a
snapshot, or when replaced rows make up too much of it, every profile is read and encoded again,
a batch at a time, so a million profiles are never all in memory as objects.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from ..pool import CandidatePool, VacancyPool
from ..pool.snapshot import EncodedPools, load_snapshot, save_snapshot
from ..settings import Settings
from ..store import Store
from ..store.profiles import snapshot_of
from ..taxonomy import Taxonomy

MAX_TOMBSTONE_SHARE = 0.25
"""Encode everything again when replaced rows would exceed this share of the live ones."""


@dataclass(frozen=True)
class PoolSync:
    """What loading a run's pools did: whether a snapshot was used, and how many profiles were encoded."""

    from_snapshot: bool
    encoded: tuple[int, int]  # candidates, vacancies
    removed: tuple[int, int]
    saved: bool


def snapshot_path(settings: Settings, database_url: str) -> Path | None:
    """Where the encoded pools of the store at ``database_url`` are kept: under ``settings.pool_dir``, or
    beside a SQLite file; None: nowhere (PostgreSQL without a ``pool_dir``, an in-memory database)."""
    if settings.pool_dir is not None:
        key = hashlib.sha256(database_url.encode()).hexdigest()[:16]
        return settings.pool_dir / f"pools-{key}.pkl"
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = Path(url.database)
    return database.with_name(database.name + ".pools")


def encoded_pools(
    store: Store,
    taxonomy: Taxonomy,
    path: Path | None,
    progress: Callable[[str], None] | None = None,
    digests: tuple[dict[str, str], dict[str, str]] | None = None,
) -> tuple[EncodedPools, str, PoolSync]:
    """The store's profiles as arrays-only pools, and the snapshot digest of exactly the versions encoded.

    The digest is computed from what was read, so a profile written while this runs makes it
    differ from the store's (and from a run's), never pass unnoticed. ``digests``: the store's
    (candidates, vacancies) digests by id when the caller has just read them.
    """
    now = digests if digests is not None else store.profile_digests()
    pools = load_snapshot(path, taxonomy) if path is not None else None
    from_snapshot = pools is not None and _replaced_after(pools, now) <= MAX_TOMBSTONE_SHARE * sum(map(len, now))
    if pools is None or not from_snapshot:
        pools = EncodedPools.empty(taxonomy)
    encoded, removed = [0, 0], [0, 0]
    sides: tuple[tuple[str, CandidatePool | VacancyPool], ...] = (
        ("candidates", pools.candidates),
        ("vacancies", pools.vacancies),
    )
    for s, (kind, pool) in enumerate(sides):
        current, had = now[s], pools.digests[s]
        for gone in [i for i in had if i not in current]:
            pool.remove(gone)
            del had[gone]
            removed[s] += 1
        todo = None if not from_snapshot else sorted(i for i, d in current.items() if had.get(i) != d)
        if todo == []:
            continue
        for profiles, versions in store.profile_batches(kind, todo):
            pool.extend(profiles)  # type: ignore[arg-type]  # each side's own profiles
            had.update(zip((p.id for p in profiles), versions, strict=True))
            encoded[s] += len(profiles)
            if progress is not None:
                progress(f"encoded {encoded[s]:,} {kind}")
    saved = path is not None and (not from_snapshot or any(encoded) or any(removed))
    if saved:
        assert path is not None
        save_snapshot(path, pools, taxonomy)
    digest = snapshot_of(pools.digests[0].items(), pools.digests[1].items())
    return pools, digest, PoolSync(from_snapshot, (encoded[0], encoded[1]), (removed[0], removed[1]), saved)


def _replaced_after(pools: EncodedPools, now: tuple[dict[str, str], dict[str, str]]) -> int:
    """The replaced rows the pools would hold once brought up to ``now``: theirs and one per changed or gone id."""
    stale = sum(
        1 for had, current in zip(pools.digests, now, strict=True) for i, d in had.items() if current.get(i) != d
    )
    return pools.tombstones + stale
