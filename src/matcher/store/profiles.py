"""Candidates, their personal data, vacancies, employers and import runs in the store.

Profiles go in and come out as the pydantic models of :mod:`matcher.profiles`; the store adds a
digest of each profile so a rescoring run can prove it scored the data it started from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Connection, Select, delete, func, select

from ..profiles import Candidate, PersonalData, Vacancy
from .base import StoreBase, as_utc, utcnow
from .meta import bump_data_version
from .records import ImportSummary
from .schema import (
    candidates,
    employers,
    import_rejections,
    import_runs,
    personal_data,
    replaced_profiles,
    vacancies,
)

#: Records per transaction when an import is stored.
INGEST_BATCH = 5_000
#: A running import that has written nothing for this long is shown as interrupted.
STALLED_AFTER = timedelta(minutes=10)


def profile_json(profile: Candidate | Vacancy) -> dict[str, Any]:
    return profile.model_dump(mode="json")


def digest_of(document: dict[str, Any]) -> str:
    """A stable hash of a profile: key order and whitespace never change it."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def snapshot_of(candidate_digests: Iterable[tuple[str, str]], vacancy_digests: Iterable[tuple[str, str]]) -> str:
    """One digest over every (id, digest) of both sides, in id order."""
    h = hashlib.sha256()
    for side, rows in (("c", candidate_digests), ("v", vacancy_digests)):
        for profile_id, digest in sorted(rows):
            h.update(f"{side}\t{profile_id}\t{digest}\n".encode())
    return h.hexdigest()


def _keep_replaced(conn: Connection, kind: str, rows: Sequence[dict[str, Any]], now: Any) -> None:
    """Keep the stored versions that ``rows`` (id and new digest; None: a delete) replace, when they differ."""
    table = candidates if kind == "candidates" else vacancies
    new_digest = {r["id"]: r["digest"] for r in rows}
    ids = list(new_digest)
    kept = []
    for start in range(0, len(ids), 500):
        query = select(table.c.id, table.c.digest, table.c.profile).where(table.c.id.in_(ids[start : start + 500]))
        for profile_id, digest, doc in conn.execute(query):
            if new_digest[profile_id] != digest:
                kept.append(
                    {"kind": kind, "profile_id": profile_id, "digest": digest, "profile": doc, "replaced_at": now}
                )
    if kept:
        conn.execute(replaced_profiles.insert(), kept)


def _rejection_row(rejection: Any) -> dict[str, Any]:
    """Accept the import module's rejection objects, dicts or plain strings alike."""
    if hasattr(rejection, "to_dict"):
        detail = rejection.to_dict()
    elif is_dataclass(rejection) and not isinstance(rejection, type):
        detail = asdict(rejection)
    elif isinstance(rejection, dict):
        detail = dict(rejection)
    else:
        detail = {"reason": str(rejection)}
    # NUL, controls and lone surrogates written as visible escapes: PostgreSQL refuses them in JSON
    # and text, and SQLite must store the same
    detail = _printable_json(json.loads(json.dumps(detail, default=str)))
    line = detail.get("line")
    return {
        "line": line if isinstance(line, int) else None,
        "reason": _printable(str(detail.get("reason") or detail.get("message") or rejection), 10_000),
        "detail": detail,
    }


class ProfileStore(StoreBase):
    """Upsert, read, list and delete profiles; record imports."""

    # --- employers -------------------------------------------------------------------------

    def upsert_employer(self, employer_id: str, name: str | None = None) -> None:
        """Create or rename an employer (a tenant); a None name keeps the stored one."""
        now = utcnow()
        row = {"id": employer_id, "created_at": now, "updated_at": now}
        with self.engine.begin() as conn:
            if name is None:
                self._upsert(conn, employers, [row], keys=["id"], keep=("created_at", "updated_at"))
            else:
                self._upsert(conn, employers, [{**row, "name": name}], keys=["id"])

    def get_employer(self, employer_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(employers).where(employers.c.id == employer_id)).mappings().first()
        return None if row is None else {"id": row["id"], "name": row["name"]}

    def list_employers(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(employers.c.id, employers.c.name).order_by(employers.c.id)).mappings()
            return [dict(r) for r in rows]

    def delete_employer(self, employer_id: str) -> bool:
        """Delete an employer without vacancies; one with vacancies is refused, naming how many."""
        with self.engine.begin() as conn:
            open_count = conn.scalar(select(func.count()).where(vacancies.c.employer_id == employer_id))
            if open_count:
                raise ValueError(f"employer {employer_id!r} still has {open_count} vacancies; delete them first")
            return conn.execute(delete(employers).where(employers.c.id == employer_id)).rowcount > 0

    # --- candidates ------------------------------------------------------------------------

    def upsert_candidates(self, profiles: Sequence[Candidate], personal: Sequence[PersonalData] = ()) -> int:
        """Insert or replace candidates and their personal data in one transaction."""
        with self.engine.begin() as conn:
            return self._write_candidates(conn, profiles, personal)

    def _write_candidates(
        self, conn: Connection, profiles: Sequence[Candidate], personal: Sequence[PersonalData] = ()
    ) -> int:
        now = utcnow()
        rows = []
        for cand in profiles:
            doc = profile_json(cand)
            rows.append(
                {
                    "id": cand.id,
                    "postcode": cand.postcode,
                    "coaching_need": cand.coaching_need.name,
                    "available_from": cand.available_from,
                    "profile": doc,
                    "digest": digest_of(doc),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        personal_rows = [
            {
                "candidate_id": p.candidate_id,
                "data": p.model_dump(mode="json", exclude={"candidate_id"}),
                "updated_at": now,
            }
            for p in personal
        ]
        _keep_replaced(conn, "candidates", rows, now)
        self._upsert(conn, candidates, rows, keys=["id"])
        self._upsert(conn, personal_data, personal_rows, keys=["candidate_id"], keep=())
        bump_data_version(conn)
        return len(rows)

    def upsert_candidate(self, candidate: Candidate, personal: PersonalData | None = None) -> None:
        if personal is not None and personal.candidate_id != candidate.id:
            raise ValueError(f"personal data is for {personal.candidate_id!r}, not for candidate {candidate.id!r}")
        self.upsert_candidates([candidate], [personal] if personal else [])

    def get_candidate(self, candidate_id: str) -> Candidate | None:
        with self.engine.connect() as conn:
            doc = conn.scalar(select(candidates.c.profile).where(candidates.c.id == candidate_id))
        return None if doc is None else Candidate.model_validate(doc)

    def get_personal(self, candidate_id: str) -> PersonalData | None:
        """A candidate's personal data: for brokers only, never for scoring or employers."""
        with self.engine.connect() as conn:
            data = conn.scalar(select(personal_data.c.data).where(personal_data.c.candidate_id == candidate_id))
        return None if data is None else PersonalData.model_validate({**data, "candidate_id": candidate_id})

    def get_personals(self, candidate_ids: Sequence[str]) -> dict[str, PersonalData]:
        """The personal data of several candidates in one query, by candidate id; those without none."""
        if not candidate_ids:
            return {}
        query = select(personal_data.c.candidate_id, personal_data.c.data).where(
            personal_data.c.candidate_id.in_(list(candidate_ids))
        )
        with self.engine.connect() as conn:
            return {
                cid: PersonalData.model_validate({**data, "candidate_id": cid}) for cid, data in conn.execute(query)
            }

    def list_candidates(self, limit: int | None = None, offset: int = 0) -> list[Candidate]:
        query = select(candidates.c.profile).order_by(candidates.c.id).offset(offset).limit(limit)
        with self.engine.connect() as conn:
            return [Candidate.model_validate(doc) for doc in conn.scalars(query)]

    def delete_candidate(self, candidate_id: str) -> bool:
        """Delete a candidate and, with it, their personal data."""
        with self.engine.begin() as conn:
            conn.execute(delete(personal_data).where(personal_data.c.candidate_id == candidate_id))
            _keep_replaced(conn, "candidates", [{"id": candidate_id, "digest": None}], utcnow())
            bump_data_version(conn)
            return conn.execute(delete(candidates).where(candidates.c.id == candidate_id)).rowcount > 0

    # --- vacancies -------------------------------------------------------------------------

    def upsert_vacancies(self, profiles: Sequence[Vacancy]) -> int:
        """Insert or replace vacancies; an employer seen for the first time is created."""
        with self.engine.begin() as conn:
            return self._write_vacancies(conn, profiles)

    def _write_vacancies(self, conn: Connection, profiles: Sequence[Vacancy]) -> int:
        now = utcnow()
        rows = []
        for vac in profiles:
            doc = profile_json(vac)
            rows.append(
                {
                    "id": vac.id,
                    "employer_id": vac.employer_id,
                    "title": vac.title,
                    "postcode": vac.postcode,
                    "valid_through": vac.valid_through,
                    "profile": doc,
                    "digest": digest_of(doc),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        employer_rows = [
            {"id": e, "created_at": now, "updated_at": now} for e in sorted({vac.employer_id for vac in profiles})
        ]
        self._upsert(conn, employers, employer_rows, keys=["id"], keep=("created_at", "updated_at"))
        _keep_replaced(conn, "vacancies", rows, now)
        self._upsert(conn, vacancies, rows, keys=["id"])
        bump_data_version(conn)
        return len(rows)

    def upsert_vacancy(self, vacancy: Vacancy) -> None:
        self.upsert_vacancies([vacancy])

    def get_vacancy(self, vacancy_id: str) -> Vacancy | None:
        with self.engine.connect() as conn:
            doc = conn.scalar(select(vacancies.c.profile).where(vacancies.c.id == vacancy_id))
        return None if doc is None else Vacancy.model_validate(doc)

    def list_vacancies(
        self, employer_id: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Vacancy]:
        """Vacancies in id order, only one employer's when ``employer_id`` is given."""
        query = select(vacancies.c.profile).order_by(vacancies.c.id).offset(offset).limit(limit)
        if employer_id is not None:
            query = query.where(vacancies.c.employer_id == employer_id)
        with self.engine.connect() as conn:
            return [Vacancy.model_validate(doc) for doc in conn.scalars(query)]

    def delete_vacancy(self, vacancy_id: str) -> bool:
        with self.engine.begin() as conn:
            _keep_replaced(conn, "vacancies", [{"id": vacancy_id, "digest": None}], utcnow())
            bump_data_version(conn)
            return conn.execute(delete(vacancies).where(vacancies.c.id == vacancy_id)).rowcount > 0

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                # COUNT(*) without GROUP BY always returns one row, so the scalar is never None
                name: cast(int, conn.scalar(select(func.count()).select_from(table)))
                for name, table in (("candidates", candidates), ("vacancies", vacancies), ("employers", employers))
            }

    # --- snapshots for rescoring -----------------------------------------------------------

    def snapshot(self) -> str:
        """The digest of every profile both sides; it changes when any profile does."""
        with self.engine.connect() as conn:
            cand = conn.execute(select(candidates.c.id, candidates.c.digest)).all()
            vac = conn.execute(select(vacancies.c.id, vacancies.c.digest)).all()
        return snapshot_of(cand, vac)

    def load_profiles(self) -> tuple[list[Candidate], list[Vacancy], str]:
        """All candidates and vacancies in id order, with the snapshot digest of exactly these rows."""
        with self.engine.connect() as conn:
            cand = conn.execute(
                select(candidates.c.id, candidates.c.digest, candidates.c.profile).order_by(candidates.c.id)
            ).all()
            vac = conn.execute(
                select(vacancies.c.id, vacancies.c.digest, vacancies.c.profile).order_by(vacancies.c.id)
            ).all()
        snapshot = snapshot_of([(i, d) for i, d, _ in cand], [(i, d) for i, d, _ in vac])
        return (
            [Candidate.model_validate(doc) for _, _, doc in cand],
            [Vacancy.model_validate(doc) for _, _, doc in vac],
            snapshot,
        )

    def candidate_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(select(candidates.c.id).order_by(candidates.c.id)))

    def vacancy_ids(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(select(vacancies.c.id).order_by(vacancies.c.id)))

    # --- imports ---------------------------------------------------------------------------

    def record_import(self, kind: str, source: str, record_ids: Sequence[str], rejections: Sequence[Any]) -> int:
        """Log an import: what was accepted (by id) and each rejected row with its line and reason."""
        if kind not in ("candidates", "vacancies"):
            raise ValueError(f"import kind must be 'candidates' or 'vacancies'; got {kind!r}")
        with self.engine.begin() as conn:
            inserted = conn.execute(
                import_runs.insert().values(
                    kind=kind,
                    source=source,
                    accepted=len(record_ids),
                    rejected=len(rejections),
                    record_ids=list(record_ids),
                    created_at=utcnow(),
                )
            ).inserted_primary_key
            assert inserted is not None  # an autoincrement insert always has a key
            import_id = inserted[0]
            rows = [{"import_id": import_id, **_rejection_row(r)} for r in rejections]
            if rows:
                conn.execute(import_rejections.insert(), rows)
        return int(import_id)

    def ingest(
        self,
        result: Any,
        source: str,
        *,
        key: Any = None,
        role: str | None = "cli",
        batch_size: int = INGEST_BATCH,
    ) -> int:
        """Store an import's accepted records with its import record, rejections and audit entry; the import id.

        ``result`` is a :class:`matcher.imports.ImportResult`. Up to ``batch_size`` records this is one
        transaction. A larger import writes its import record and audit entry first (status
        ``running``), the records in transactions of ``batch_size`` (each beating ``updated_at``),
        and the counts, rejections and status ``completed`` last: a crash leaves an import that
        :meth:`list_imports` shows as ``interrupted``, and importing the file again completes it
        (records are upserted by id).
        """
        if result.kind not in ("candidates", "vacancies"):
            raise ValueError(f"import kind must be 'candidates' or 'vacancies'; got {result.kind!r}")
        records, source = list(result.records), _printable(source)
        personal_of = {p.candidate_id: p for p in result.personal}
        action = f"import_{result.kind}"
        with self.engine.begin() as conn:
            import_id = self._start_import(conn, result.kind, source)
            self._insert_audit(  # type: ignore[attr-defined]
                conn, action, key, str(import_id), {"source": source, "records": result.total}, role
            )
            if len(records) <= batch_size:
                self._write_batch(conn, result.kind, records, personal_of)
                self._finish_import(conn, import_id, result, records)
                return import_id
        for start in range(0, len(records), batch_size):
            batch = records[start : start + batch_size]
            with self.engine.begin() as conn:
                self._write_batch(conn, result.kind, batch, personal_of)
                conn.execute(import_runs.update().where(import_runs.c.id == import_id).values(updated_at=utcnow()))
        with self.engine.begin() as conn:
            self._finish_import(conn, import_id, result, records)
        return import_id

    def _start_import(self, conn: Connection, kind: str, source: str) -> int:
        now = utcnow()
        inserted = conn.execute(
            import_runs.insert().values(
                kind=kind,
                source=source,
                accepted=0,
                rejected=0,
                record_ids=[],
                created_at=now,
                updated_at=now,
                status="running",
            )
        ).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])

    def _write_batch(
        self, conn: Connection, kind: str, records: Sequence[Any], personal_of: dict[str, PersonalData]
    ) -> None:
        if kind == "candidates":
            found = [personal_of[r.id] for r in records if r.id in personal_of]
            self._write_candidates(conn, records, found)
        else:
            self._write_vacancies(conn, records)

    def _finish_import(self, conn: Connection, import_id: int, result: Any, records: Sequence[Any]) -> None:
        now = utcnow()
        conn.execute(
            import_runs.update()
            .where(import_runs.c.id == import_id)
            .values(
                accepted=len(records),
                rejected=len(result.rejections),
                record_ids=[r.id for r in records],
                status="completed",
                updated_at=now,
                finished_at=now,
            )
        )
        rows = [{"import_id": import_id, **_rejection_row(r)} for r in result.rejections]
        for start in range(0, len(rows), 1000):
            conn.execute(import_rejections.insert(), rows[start : start + 1000])

    def list_imports(self, limit: int = 50) -> list[ImportSummary]:
        query = _import_summaries().order_by(import_runs.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [_import_summary(r) for r in conn.execute(query).mappings()]

    def get_import(self, import_id: int) -> ImportSummary | None:
        """One import's summary, or None when there is no import with this id."""
        with self.engine.connect() as conn:
            row = conn.execute(_import_summaries().where(import_runs.c.id == import_id)).mappings().first()
        return None if row is None else _import_summary(row)

    def import_rejections(self, import_id: int) -> list[dict[str, Any]]:
        query = (
            select(import_rejections.c.line, import_rejections.c.reason, import_rejections.c.detail)
            .where(import_rejections.c.import_id == import_id)
            .order_by(import_rejections.c.id)
        )
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def import_record_ids(self, import_id: int) -> list[str]:
        """The ids an import accepted, e.g. the vacancies to rescore after tonight's import."""
        with self.engine.connect() as conn:
            ids = conn.scalar(select(import_runs.c.record_ids).where(import_runs.c.id == import_id))
        if ids is None:
            raise KeyError(f"no import run {import_id}")
        return list(ids)


def _import_summaries() -> Select:
    return select(
        import_runs.c.id,
        import_runs.c.kind,
        import_runs.c.source,
        import_runs.c.accepted,
        import_runs.c.rejected,
        import_runs.c.created_at,
        import_runs.c.status,
        import_runs.c.updated_at,
    )


def _import_summary(row: Any) -> ImportSummary:
    """A running import whose writes stopped more than :data:`STALLED_AFTER` ago is interrupted."""
    data = dict(row)
    beat = data.pop("updated_at", None) or data["created_at"]
    if data["status"] == "running" and utcnow() - as_utc(beat) > STALLED_AFTER:
        data["status"] = "interrupted"
    return ImportSummary(**{**data, "created_at": as_utc(data["created_at"])})


def _printable_json(value: Any) -> Any:
    if isinstance(value, str):
        return _printable(value, 10_000)
    if isinstance(value, dict):
        return {_printable(str(k)): _printable_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable_json(v) for v in value]
    return value


def _printable(text: str, limit: int = 500) -> str:
    """Text without control characters, NUL or broken characters (an upload's file name, a reason)."""
    from ..imports.limits import safe

    return safe(text)[:limit]
