"""Run or resume one rescoring run in this process: ``python -m matcher.batch.worker``.

Settings come from ``MATCHER_*`` environment variables, as everywhere. Batch schedulers (cron,
systemd, Kubernetes jobs) start this and restart it after a crash with ``--run-id``; the CLI's
``matcher rescore`` does the same with a progress bar.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from datetime import date

from ..settings import Settings
from ..store import RunInfo, Store
from .run import BACKENDS, run_rescoring


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matcher.batch.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--run-id", type=int, help="resume this run (default: start a new one)")
    parser.add_argument("--vacancy", dest="vacancy_ids", action="append", help="rescore only this vacancy; repeatable")
    parser.add_argument("--backend", choices=BACKENDS, default="loky")
    parser.add_argument("--scheduler", help="Dask scheduler address for --backend dask, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--today", help="reference date for vacancy expiry, YYYY-MM-DD (new runs only)")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds to wait after each stored block, to spare a database shared with the service",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    store = Store.from_url(settings.database_url)
    store.migrate()

    def report(run: RunInfo) -> None:
        print(f"run {run.id}: {run.done_blocks}/{run.total_blocks} blocks, {run.pairs} pairs", flush=True)
        if args.pause and run.status == "running":
            time.sleep(args.pause)

    try:
        run_id = run_rescoring(
            store,
            settings,
            vacancy_ids=args.vacancy_ids,
            run_id=args.run_id,
            progress=report,
            backend=args.backend,
            scheduler=args.scheduler,
            today=date.fromisoformat(args.today) if args.today else None,
        )
    except (ValueError, RuntimeError) as exc:
        print(f"matcher worker: {exc}", file=sys.stderr)
        return 2
    print(f"run {run_id} completed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
