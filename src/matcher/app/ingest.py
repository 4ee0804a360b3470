"""Ingesting files: validate, normalise, store, and record the import and its audit entry.

One path for every front end: ``matcher load`` (:func:`ingest_files`), the HTTP import and the
pages' upload (:func:`ingest_upload`, which also updates the live pool), and ``matcher demo``
(:func:`store_imports`, for imports already made). Every good record is stored; every bad one is
reported with its line and reason, and kept with the import in the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..imports import ImportResult, import_file
from ..settings import Settings
from ..store import ApiKey, Store
from ..taxonomy import Taxonomy, load_taxonomy
from .errors import InvalidInput
from .live import LivePool
from .stores import open_store

KINDS = ("candidates", "vacancies")


@dataclass
class IngestReport:
    """What one import did: the import's id in the store, what was kept, what was refused and why."""

    import_id: int
    kind: str
    format: str | None
    source: str
    record_ids: list[str]
    rejections: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return len(self.record_ids)

    @property
    def rejected(self) -> int:
        """Records rejected (a record with several problems counts once)."""
        return len({(r.get("record"), r.get("id")) for r in self.rejections})

    def to_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "format": self.format,
            "source": self.source,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "record_ids": self.record_ids,
            "rejections": self.rejections,
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        return (
            f"import {self.import_id}: {self.accepted} {self.kind} stored from {Path(self.source).name}, "
            f"{self.rejected} rejected"
        )


def _warning(warning: Any) -> dict[str, Any]:
    return warning.to_dict() if hasattr(warning, "to_dict") else {"message": str(warning)}


def read_file(
    path: Path | str,
    kind: str | None,
    settings: Settings,
    taxonomy: Taxonomy | None = None,
    file_format: str | None = None,
    today: date | None = None,
    encoding: str | None = None,
    columns: Path | str | None = None,
) -> ImportResult[Any]:
    """Validate and normalise a file without storing it (``matcher import-check``).

    ``encoding`` overrides the detected one; ``columns`` maps other CSV header names (a TOML or CSV file).
    """
    path = Path(path)
    if not path.exists():
        raise InvalidInput("file", f"{path}: no such file")
    if kind is not None and kind not in KINDS:
        raise InvalidInput("kind", f"kind must be one of {', '.join(KINDS)}; got {kind!r}")
    return import_file(
        path,
        kind,
        file_format,
        encoding=encoding,
        columns=columns,
        taxonomy=taxonomy or load_taxonomy(),
        settings=settings,
        today=today,
    )


def store_import(store: Store, result: ImportResult[Any], source: str, key: ApiKey | None = None) -> IngestReport:
    """Store an import's records with its import record, rejections and audit entry (see :meth:`Store.ingest`)."""
    import_id = store.ingest(result, source, key=key, role=None if key is not None else "cli")
    return report_of(import_id, result, source)


def report_of(import_id: int, result: ImportResult[Any], source: str) -> IngestReport:
    """The report of a stored import."""
    return IngestReport(
        import_id=import_id,
        kind=result.kind,
        format=result.format,
        source=source,
        record_ids=[r.id for r in result.records],
        rejections=[r.to_dict() for r in result.rejections],
        warnings=[_warning(w) for w in result.warnings],
    )


def store_imports(settings: Settings, imported: Mapping[Path, ImportResult[Any]]) -> list[IngestReport]:
    """Store imports already made (file → result) in the settings' store."""
    store = open_store(settings)
    try:
        return [store_import(store, result, str(path)) for path, result in imported.items()]
    finally:
        store.dispose()


def read_files(
    settings: Settings,
    files: Mapping[str, Path | str | None],
    taxonomy: Taxonomy | None = None,
    encoding: str | None = None,
    columns: Path | str | None = None,
) -> dict[Path, ImportResult[Any]]:
    """Read candidate and/or vacancy files (``{"candidates": path, "vacancies": path}``), none stored yet."""
    given = {kind: Path(path) for kind, path in files.items() if path is not None}
    if not given:
        raise InvalidInput("file", "give a candidates file, a vacancies file, or both")
    taxonomy = taxonomy or load_taxonomy()
    return {
        path: read_file(path, kind, settings, taxonomy, encoding=encoding, columns=columns)
        for kind, path in given.items()
    }


def ingest_files(
    settings: Settings, files: Mapping[str, Path | str | None], taxonomy: Taxonomy | None = None
) -> list[IngestReport]:
    """Import candidate and/or vacancy files (``{"candidates": path, "vacancies": path}``) into the store."""
    return store_imports(settings, read_files(settings, files, taxonomy))


def store_summary(
    settings: Settings, reports: Sequence[IngestReport], results: Iterable[ImportResult[Any]] = ()
) -> str:
    """Each import's summary (and, given the results, its counts per reason) and what the store holds now."""
    store = open_store(settings)
    try:
        counts = store.counts()
    finally:
        store.dispose()
    lines = [r.summary() for r in reports]
    lines += [result.summary_text() for result in results]
    lines.append(
        f"store holds {counts['candidates']} candidates, {counts['vacancies']} vacancies, "
        f"{counts['employers']} employers"
    )
    return "\n".join(lines)


def ingest_upload(
    live: LivePool, key: ApiKey, path: Path, kind: str, file_format: str | None, source: str
) -> IngestReport:
    """Import an uploaded file into the store and the live pool, and audit who imported it."""
    try:
        result = import_file(
            path, kind, file_format, taxonomy=live.taxonomy, settings=live.settings, today=live.ranker.today
        )
    except ValueError as exc:  # unknown format, or a file that is not the format or kind it claims to be
        raise InvalidInput("format" if file_format else "body", str(exc), "query" if file_format else "body") from exc
    # unknown postcodes are rejected by the import itself, with their line, so the pools place every record
    return report_of(live.ingest(result, source, key), result, source)
