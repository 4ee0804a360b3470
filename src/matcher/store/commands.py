"""What the ``matcher`` CLI runs against the store: keys, loading files, rescoring, migrating.

Each command takes the one :class:`~matcher.settings.Settings` object, opens the store at its
database URL, brings the schema up to date, does one job and returns the text to print.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..settings import Settings
from . import Role, RunInfo, Store
from .access import split_key

if TYPE_CHECKING:
    from ..imports import ImportResult


def open_store(settings: Settings) -> Store:
    """The store at ``settings.database_url``, migrated to the latest schema."""
    store = Store.from_url(settings.database_url)
    store.migrate()
    return store


def migrate_command(settings: Settings) -> str:
    store = open_store(settings)
    return f"database at {store.engine.url.render_as_string(hide_password=True)} is at schema {store.schema_revision()}"


def create_key_command(settings: Settings, role: str, employer_id: str | None = None, label: str = "") -> str:
    """Create an API key; the returned text holds the key, which is shown this once only."""
    store = open_store(settings)
    role = Role.parse(role)
    secret = store.create_api_key(role, employer_id=employer_id, label=label)
    key_id = split_key(secret)
    store.audit(
        "create_api_key",
        target=key_id,
        role="cli",
        detail={"role": role.value, "employer_id": employer_id, "label": label},
    )
    bound = f" for employer {employer_id}" if role is Role.employer else ""
    return f"created {role.value} key {key_id}{bound}. Store it now, it is not shown again:\n{secret}"


def revoke_key_command(settings: Settings, key_id: str) -> str:
    store = open_store(settings)
    if not store.revoke(key_id):
        raise ValueError(f"no active API key {key_id!r}; list keys with Store.list_api_keys()")
    store.audit("revoke_api_key", target=key_id, role="cli")
    return f"revoked key {key_id}"


def load_into_store(
    settings: Settings,
    candidates_file: Path | str | None = None,
    vacancies_file: Path | str | None = None,
    **options: Any,
) -> str:
    """Import candidate and/or vacancy files into the store, logging each import and its rejections.

    ``options`` go to :func:`matcher.imports.import_file` (``encoding``, ``columns``)."""
    from ..imports import import_file
    from ..taxonomy import load_taxonomy

    if candidates_file is None and vacancies_file is None:
        raise ValueError("give a candidates file, a vacancies file, or both")
    taxonomy = load_taxonomy()
    imported = {}
    for kind, file in (("candidates", candidates_file), ("vacancies", vacancies_file)):
        if file is None:
            continue
        path = Path(file)
        if not path.exists():
            raise ValueError(f"{path}: no such file")
        imported[path] = import_file(path, kind=kind, taxonomy=taxonomy, **options)
    return store_imports(settings, imported)


def store_imports(settings: Settings, imported: Mapping[Path, ImportResult]) -> str:
    """Store imports already made (file → result), logging each import and its rejections."""
    store = open_store(settings)
    lines = []
    for path, result in imported.items():
        import_id = store.ingest(result, str(path), role="cli")
        lines.append(f"import {import_id}: {len(result.records)} {result.kind} stored from {path.name}")
        lines.append(result.summary_text())
    counts = store.counts()
    lines.append(
        f"store holds {counts['candidates']} candidates, {counts['vacancies']} vacancies, "
        f"{counts['employers']} employers"
    )
    return "\n".join(lines)


class _Bar:
    """A tqdm bar over a run's blocks; the total grows when the candidate side is planned."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, run: RunInfo) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(
                total=run.total_blocks,
                initial=run.done_blocks,
                unit="block",
                file=sys.stderr,
                desc=f"run {run.id}",
                dynamic_ncols=True,
            )
        self.bar.total = run.total_blocks
        self.bar.n = run.done_blocks
        self.bar.set_postfix(pairs=f"{run.pairs:,}", refresh=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def rescore_command(
    settings: Settings,
    run_id: int | None = None,
    backend: str = "loky",
    scheduler: str | None = None,
    progress: bool = True,
    vacancy_ids: Sequence[str] | None = None,
    today: date | None = None,
) -> str:
    """Run a new rescoring run (all vacancies, or ``vacancy_ids``) or resume ``run_id``; a summary."""
    from ..batch import run_rescoring

    store = open_store(settings)
    resumed = run_id is not None
    bar = _Bar() if progress else None
    try:
        run_id = run_rescoring(
            store,
            settings,
            vacancy_ids=vacancy_ids,
            run_id=run_id,
            progress=bar,
            backend=backend,
            scheduler=scheduler,
            today=today,
        )  # type: ignore[arg-type]
    finally:
        if bar is not None:
            bar.close()
    run = store.get_run(run_id)
    if run is None:
        raise ValueError(f"no rescoring run {run_id}")
    store.audit(
        "rescore",
        role="cli",
        target=f"run {run.id}",
        detail={"status": run.status, "resumed": resumed, "backend": backend, "pairs": run.pairs},
    )
    lists = store.run_lists(run_id)
    by_direction = {d: sum(1 for row in lists if row[0] == d) for d in ("candidates", "vacancies")}
    return (
        f"run {run.id} {run.status}: {run.done_blocks}/{run.total_blocks} blocks, {run.pairs:,} pairs scored, "
        f"top-{run.params['top_k']} stored for {by_direction['candidates']} vacancies and "
        f"{by_direction['vacancies']} candidates (model {run.model_version})"
    )
