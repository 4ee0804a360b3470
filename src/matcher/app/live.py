"""The live pool: the store and the in-memory ranker over it, shared by the service and the pages.

The pools are built once from the store; every create, update and delete then writes to the store
first and re-encodes only the profile it touched. Ranking reads the pools under a shared lock and
writes take it exclusively, so a request never sees a half-applied change.

Other writers (``matcher load``, an import, another service process) bump the store's data version;
:meth:`LivePool.refresh`, called before each request, reads it (one primary-key lookup) and, when
it moved, compares the profiles' digests and re-encodes only what changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..imports import ImportResult
from ..profiles import Candidate, PersonalData, Vacancy
from ..ranking import Ranker
from ..settings import Settings
from ..store import ApiKey, Store
from ..store.profiles import digest_of, profile_json
from ..taxonomy import Taxonomy, load_taxonomy
from .stores import open_store


class ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers so writes are not starved."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


@dataclass
class LivePool:
    """The store and the in-memory ranker every request shares; built by :meth:`load`."""

    settings: Settings
    store: Store
    taxonomy: Taxonomy
    ranker: Ranker
    lock: ReadWriteLock = field(default_factory=ReadWriteLock)
    rescoring_threads: dict[int, threading.Thread] = field(default_factory=dict)
    data_version: int = -1
    handle_secret: bytes = b""
    digests: tuple[dict[str, str], dict[str, str]] = field(default_factory=lambda: ({}, {}))
    _refreshing: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, settings: Settings, today: date | None = None, taxonomy: Taxonomy | None = None) -> LivePool:
        """Open and migrate the store, then encode every stored profile once."""
        store = open_store(settings)
        taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
        version = store.data_version()
        candidates, vacancies, _ = store.load_profiles()
        ranker = Ranker.from_settings(settings, taxonomy, candidates, vacancies, today=today)
        live = cls(settings=settings, store=store, taxonomy=taxonomy, ranker=ranker, data_version=version)
        live.digests = store.profile_digests()
        live.handle_secret = store.handle_secret()
        live._pack()
        return live

    def refresh(self) -> bool:
        """Take in what other writers changed since the last look; True if anything was reloaded.

        Cheap when nothing changed (one lookup of the data version). Concurrent requests do not
        reload twice: one reloads, the others serve what is there.
        """
        version = self.store.data_version()
        if version == self.data_version or not self._refreshing.acquire(blocking=False):
            return False
        try:
            stored_c, stored_v = self.store.profile_digests()
            known_c, known_v = self.digests
            changed_c = [i for i, d in stored_c.items() if known_c.get(i) != d]
            changed_v = [i for i, d in stored_v.items() if known_v.get(i) != d]
            gone_c = [i for i in known_c if i not in stored_c]
            gone_v = [i for i in known_v if i not in stored_v]
            new_c = self.store.candidates_by_id(changed_c) if changed_c else []
            new_v = self.store.vacancies_by_id(changed_v) if changed_v else []
            with self.lock.writing():
                if new_c:
                    self.ranker.candidates.extend(new_c)
                if new_v:
                    self.ranker.vacancies.extend(new_v)
                for i in gone_c:
                    if i in self.ranker.candidates.row_of:
                        self.ranker.candidates.remove(i)
                for i in gone_v:
                    if i in self.ranker.vacancies.row_of:
                        self.ranker.vacancies.remove(i)
                self.digests = (stored_c, stored_v)
                self.data_version = version
                self._pack()
            return bool(new_c or new_v or gone_c or gone_v)
        finally:
            self._refreshing.release()

    def _remember(self, profiles: Sequence[Candidate | Vacancy]) -> None:
        """Record the digests of profiles this process wrote, so a refresh does not reload them."""
        known = self.digests[0] if profiles and isinstance(profiles[0], Candidate) else self.digests[1]
        for p in profiles:
            known[p.id] = digest_of(profile_json(p))

    @property
    def model_version(self) -> str:
        return self.ranker.scorer.version

    def _pack(self) -> None:
        """Pack the pools' arrays now, so the next ranking request does not pay for it."""
        self.ranker.candidates.arrays()
        self.ranker.vacancies.arrays()

    def check_places(self, profiles: Sequence[Candidate | Vacancy]) -> None:
        """Refuse profiles the pools cannot place (an unknown postcode) before anything is written.

        Raises :class:`~matcher.geo.UnknownPostcodeError` naming the postcodes.
        """
        self.ranker.candidates.encoding.postcodes.index(p.postcode for p in profiles)

    # Places are checked first and the store is written next: if either refuses, nothing changed.

    def _take_in(self, kind: str, profiles: Sequence[Candidate] | Sequence[Vacancy]) -> None:
        """Profiles this process just stored: encode them, remember their digests, pack (under the write lock)."""
        pool = self.ranker.candidates if kind == "candidates" else self.ranker.vacancies
        pool.extend(profiles)  # type: ignore[arg-type]  # the pool of the profiles' own kind
        self._remember(profiles)
        self._pack()

    def put_candidates(self, candidates: Sequence[Candidate], personal: Sequence[PersonalData] = ()) -> None:
        self.check_places(candidates)
        with self.lock.writing():
            self.store.upsert_candidates(candidates, personal)
            self._take_in("candidates", candidates)

    def delete_candidate(self, candidate_id: str) -> bool:
        with self.lock.writing():
            deleted = self.store.delete_candidate(candidate_id)
            self.digests[0].pop(candidate_id, None)
            if candidate_id in self.ranker.candidates.row_of:
                self.ranker.candidates.remove(candidate_id)
                self._pack()
            return deleted

    def put_vacancies(self, vacancies: Sequence[Vacancy]) -> None:
        self.check_places(vacancies)
        with self.lock.writing():
            self.store.upsert_vacancies(vacancies)
            self._take_in("vacancies", vacancies)

    def delete_vacancy(self, vacancy_id: str) -> bool:
        with self.lock.writing():
            deleted = self.store.delete_vacancy(vacancy_id)
            self.digests[1].pop(vacancy_id, None)
            if vacancy_id in self.ranker.vacancies.row_of:
                self.ranker.vacancies.remove(vacancy_id)
                self._pack()
            return deleted

    def ingest(self, result: ImportResult[Any], source: str, key: ApiKey | None) -> int:
        """Store an import (records, import record, audit entry; :meth:`Store.ingest`) and pool its records."""
        self.check_places(result.records)
        with self.lock.writing():
            import_id = self.store.ingest(result, source, key=key, role=None if key is not None else "cli")
            self._take_in(result.kind, result.records)
        return import_id

    def close(self) -> None:
        for thread in list(self.rescoring_threads.values()):
            thread.join(timeout=5)
        self.store.dispose()
