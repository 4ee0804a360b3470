"""The ``matcher`` command line: demo data, import checks, ranking, and the demo run.

Each sub-command is a small function that parses its arguments, calls the library and prints.
Errors a user can fix are printed as one line on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ESCO_ATTRIBUTION, __version__, app
from .settings import Settings

if TYPE_CHECKING:
    from .ranking import Ranker
    from .store import RunInfo


class UsageError(Exception):
    """A problem the user can fix: printed as one line, exit code 2."""


def _ranker(args: argparse.Namespace, settings: Settings) -> Ranker:
    """A ranker over the two files given; each import's report goes to stderr."""
    from .ranking import Ranker
    from .taxonomy import load_taxonomy

    tax = load_taxonomy()
    records = {}
    for kind in ("vacancies", "candidates"):
        result = app.read_file(Path(getattr(args, kind)), kind, settings, tax)
        if result.rejections or result.warnings:
            print(result.to_text(), file=sys.stderr)
        records[kind] = result.records
    today = date.fromisoformat(args.today) if args.today else None
    return Ranker.from_settings(settings, tax, records["candidates"], records["vacancies"], today=today)


def _print_json(body: object) -> None:
    print(json.dumps(body, ensure_ascii=False, indent=2, default=str))


def cmd_rank(args: argparse.Namespace, settings: Settings) -> int:
    ranker = _ranker(args, settings)
    lists = app.rank(ranker, args.direction, args.ids, args.top, args.lang)
    if args.format == "json":
        _print_json(lists)
    else:
        print(app.ranked_lists_text(ranker, lists, args.lang))
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    ranker = _ranker(args, settings)
    if args.vacancy is None:
        rows = app.white_ravens(ranker, settings, employer_id=args.employer)
        if args.format == "json":
            _print_json(rows)
        else:
            print(app.white_ravens_text(rows, args.lang))
        return 0
    if args.vacancy not in ranker.vacancies.row_of:
        raise UsageError(f"vacancy {args.vacancy!r} is not in {args.vacancies}")
    if args.format == "json":
        _print_json(app.review_one(ranker, settings, args.vacancy, args.lang))
    else:
        print(app.review_text(ranker, settings, args.vacancy, args.lang))
    return 0


def _import_options(args: argparse.Namespace) -> dict[str, Any]:
    return {"encoding": args.encoding, "columns": args.columns}


def _after_import(args: argparse.Namespace, results: Sequence[Any]) -> int:
    """Write ``--report``; exit 1 when a record was rejected, unless ``--allow-rejects``."""
    from .imports import write_report_csv

    if args.report:
        for n, result in enumerate(results):
            target = Path(args.report) if n == 0 else Path(args.report).with_stem(f"{Path(args.report).stem}-{n + 1}")
            write_report_csv(result, target)
            print(f"report written to {target}", file=sys.stderr)
    return 1 if any(r.rejections for r in results) and not args.allow_rejects else 0


def cmd_import_check(args: argparse.Namespace, settings: Settings) -> int:
    result = app.read_file(Path(args.file), args.kind, settings, file_format=args.format, **_import_options(args))
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.summary_text())
    return _after_import(args, [result])


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from .taxonomy import load_taxonomy
    from .text.command import extract_file

    print(extract_file(args.file, load_taxonomy(), as_json=args.json))
    return 0


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from .demo import main_demo_data

    print(main_demo_data(args.candidates, args.vacancies, args.seed, Path(args.out)))
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from .app.demo import load_demo
    from .app.serving import http_server
    from .app.showcase import run_showcase
    from .demo import REFERENCE_DATE

    server = None if args.no_serve else http_server()  # a missing service is said before the long showcase
    imported = run_showcase(Path(args.out), settings, lang=args.lang)
    if server is not None:
        print()
        keys = load_demo(settings, Path(args.out), imported=imported)
        url = f"http://{args.host}:{args.port}"
        banner = [
            f"matcher demo service on {url}; OpenAPI page: {url}/docs",
            "Demo API keys (synthetic data; send as 'Authorization: Bearer <key>', or paste one at sign-in):",
            *(f"  {role:<9} {secret}" for role, secret in keys.items()),
            f"Start here: open {url}/ui/ and sign in with the broker key (then try the employer, batch and admin keys)",
            f"Or: curl -H 'Authorization: Bearer {keys['broker']}' '{url}/vacancies?limit=3'",
        ]
        server(settings, args.host, args.port, today=REFERENCE_DATE, banner=banner)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from .app.serving import http_server

    http_server()(settings, args.host, args.port)
    return 0


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    files = {"candidates": args.candidates, "vacancies": args.vacancies}
    results = app.read_files(settings, files, **_import_options(args))
    reports = app.store_imports(settings, results)
    print(app.store_summary(settings, reports, results.values()))
    return _after_import(args, list(results.values()))


class _Bar:
    """A tqdm bar over a run's blocks; the total grows when the candidate side is planned."""

    def __init__(self) -> None:
        self.bar: Any = None

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


def cmd_rescore(args: argparse.Namespace, settings: Settings) -> int:
    from .app.oversight import rescore_and_allocate
    from .app.rescoring import rescore, rescore_changed

    today = date.fromisoformat(args.today) if args.today else None
    if args.changed:
        if args.run_id or args.vacancy or args.allocate:
            raise SystemExit("matcher rescore --changed takes no --run-id, --vacancy or --allocate")
        print(rescore_changed(settings, today=today))
        return 0
    bar = None if args.no_progress else _Bar()
    try:
        print(
            (rescore_and_allocate if args.allocate else rescore)(
                settings,
                run_id=args.run_id,
                backend=args.backend,
                scheduler=args.scheduler,
                progress=bar,
                vacancy_ids=args.vacancy or None,
                today=today,
            )
        )
    finally:
        if bar is not None:
            bar.close()
    return 0


def _moment(text: str | None, name: str) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--{name} {text!r} must be a date or time like 2026-06-01 or 2026-06-01T08:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from .app.oversight import audit_run

    attributes = Path(args.attributes) if args.attributes else None
    if attributes is not None and not attributes.exists():
        raise UsageError(f"{attributes}: no such file")
    report, written = audit_run(settings, args.run_id, attributes, k=args.k, out_dir=Path(args.out))
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.model_card_section())
        if written:
            print(f"report written to {written[0]} and {written[1]}")
    return 0


def cmd_export_records(args: argparse.Namespace, settings: Settings) -> int:
    from .app.oversight import export_records

    counts = export_records(settings, Path(args.out), _moment(args.since, "since"), _moment(args.until, "until"))
    print(f"wrote {', '.join(f'{n} {kind} records' for kind, n in counts.items())} to {args.out}")
    return 0


def cmd_runs(args: argparse.Namespace, settings: Settings) -> int:
    from .app.rescoring import get_run, list_runs, run_public, run_summary

    store = app.open_store(settings)
    try:
        if args.run_id is not None:
            run = get_run(store, args.run_id)
            if args.json:
                _print_json(run_public(run))
            else:
                print(run_summary(store, run))
            return 0
        runs = list_runs(store, status=args.status, limit=args.limit)
        if args.json:
            _print_json([run_public(r) for r in runs])
        elif not runs:
            print("no rescoring runs yet; start one with: matcher rescore")
        else:
            print(f"{'run':>5}  {'status':<9}  {'scope':<8}  {'blocks':>11}  {'pairs':>14}  {'started':<19}  model")
            for r in runs:
                print(
                    f"{r.id:>5}  {r.status:<9}  {r.scope:<8}  {f'{r.done_blocks}/{r.total_blocks}':>11}  "
                    f"{r.pairs:>14,}  {r.created_at:%Y-%m-%d %H:%M:%S}  {r.model_version}"
                )
    finally:
        store.dispose()
    return 0


def cmd_create_key(args: argparse.Namespace, settings: Settings) -> int:
    from .app.keys import create_key

    print(create_key(settings, args.role, args.employer, args.label))
    return 0


def cmd_revoke_key(args: argparse.Namespace, settings: Settings) -> int:
    from .app.keys import revoke_key

    print(revoke_key(settings, args.key_id))
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    store = app.open_store(settings)
    try:
        print(app.describe_store(store))
    finally:
        store.dispose()
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from .modelcli import train_command

    print(train_command(Path(args.history), Path(args.out), seed=args.seed, version=args.version))
    return 0


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from .modelcli import evaluate_command

    model = Path(args.model) if args.model else settings.model_dir
    print(evaluate_command(model, Path(args.history)))
    return 0


def cmd_simulate(args: argparse.Namespace, settings: Settings) -> int:
    from .modelcli import simulate_command

    print(simulate_command(Path(args.out), args.candidates, args.vacancies, args.seed))
    return 0


def _add_model_commands(sub) -> None:
    from .learned import DEFAULT_MODEL_VERSION

    p = sub.add_parser(
        "simulate-history", help="simulated placement history from a demo pool (documented causal model)"
    )
    p.add_argument("--out", default="var/history.jsonl.gz")
    p.add_argument("--candidates", type=int)
    p.add_argument("--vacancies", type=int)
    p.add_argument("--seed", type=int)
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("train", help="train the placement model from a history file (src/matcher/training/README.md)")
    p.add_argument("--history", required=True)
    p.add_argument("--out", default="models")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--version", default=DEFAULT_MODEL_VERSION)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="evaluate a model against the transparent default on a history file")
    p.add_argument("--model", help="model folder (default: MATCHER_MODEL_DIR or the shipped model)")
    p.add_argument("--history", required=True)
    p.set_defaults(func=cmd_evaluate)


def _add_store_commands(sub) -> None:
    p = sub.add_parser("load", help="import candidate and vacancy files into the store (MATCHER_DATABASE_URL)")
    p.add_argument("--candidates", help="candidate file")
    p.add_argument("--vacancies", help="vacancy file")
    _import_flags(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("rescore", help="score all affected pairs in blocks and store top-k both ways; resumable")
    p.add_argument("--run-id", type=int, help="resume this run instead of starting a new one")
    p.add_argument("--vacancy", action="append", help="only these vacancies (after an import); repeatable")
    p.add_argument(
        "--changed",
        action="store_true",
        help="incremental: bring the stored lists up to date with the profiles added, changed or removed since "
        "the last completed run, rescoring only the pairs that can change (the result equals a full rescoring)",
    )
    p.add_argument("--backend", choices=["loky", "threading", "dask"], default="loky")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --backend dask)")
    p.add_argument("--today", help="reference date for vacancy expiry, YYYY-MM-DD (default: today)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--allocate",
        action="store_true",
        help="then spread the suggestions over the vacancies' openings and the candidates' attention "
        "(MATCHER_ALLOCATION_PER_OPENING, MATCHER_ALLOCATION_ATTENTION) and print the figures of both rankings",
    )
    p.set_defaults(func=cmd_rescore)

    p = sub.add_parser("audit", help="disparate-impact audit of a rescoring run's suggestions (JSON and HTML)")
    p.add_argument("--run-id", type=int, help="the run to audit (default: the latest completed run)")
    p.add_argument(
        "--attributes", help="CSV of audit attributes supplied apart: candidate_id, age_band, gender, nationality_group"
    )
    p.add_argument("--k", type=int, default=10, help="top-k counted as selected (default 10)")
    p.add_argument("--out", default="var/audit", help="folder for audit-<time>.json and .html")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("export-records", help="suggestions, decisions and outcomes as JSON Lines for an auditor")
    p.add_argument("--since", help="from this date or time (ISO), inclusive")
    p.add_argument("--until", help="until this date or time (ISO), exclusive")
    p.add_argument("--out", required=True, help="the JSON Lines file to write")
    p.set_defaults(func=cmd_export_records)

    p = sub.add_parser("runs", help="rescoring runs, newest first; with a run id, that run")
    p.add_argument("run_id", nargs="?", type=int, help="show this run")
    p.add_argument("--status", choices=["running", "completed", "failed"])
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true", help="as JSON")
    p.set_defaults(func=cmd_runs)

    p = sub.add_parser("create-key", help="create an API key for a role (the secret is shown once)")
    p.add_argument("--role", required=True, choices=["admin", "broker", "employer", "batch"])
    p.add_argument("--employer", help="the employer an employer key is bound to")
    p.add_argument("--label", default="")
    p.set_defaults(func=cmd_create_key)

    p = sub.add_parser("revoke-key", help="revoke an API key by its id")
    p.add_argument("key_id")
    p.set_defaults(func=cmd_revoke_key)

    p = sub.add_parser("db-upgrade", help="create or upgrade the database schema (Alembic migrations)")
    p.set_defaults(func=cmd_db_upgrade)


def _import_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--encoding", help="the file's encoding, e.g. cp1252 (default: detected, UTF-8 or cp1252)")
    p.add_argument("--columns", metavar="MAP", help="a TOML or CSV file mapping other CSV header names to columns")
    p.add_argument("--report", metavar="FILE", help="write every rejection and warning to FILE as CSV")
    p.add_argument("--allow-rejects", action="store_true", help="exit 0 even when records were rejected")


# --- operations: retention and API keys (logic in matcher.app.retention and matcher.app.keys) ---


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    from .app.retention import prune_command

    print(prune_command(settings, args.days))
    return 0


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from .app import keys

    if args.action == "list":
        listed = keys.list_keys(settings, include_revoked=args.all)
        print(json.dumps(listed, indent=2) if args.json else keys.keys_text(listed))
    elif args.action == "revoke":
        print(keys.revoke_key(settings, args.key_id))
    else:
        print(keys.expire_key(settings, args.key_id, None if args.on == "never" else date.fromisoformat(args.on)))
    return 0


def _add_operations_commands(sub: Any) -> None:
    p = sub.add_parser("prune", help="delete served-suggestion logs and audit entries older than the retention period")
    p.add_argument("--days", type=int, help="keep this many days (default MATCHER_RETENTION_DAYS, 183)")
    p.set_defaults(func=cmd_prune)

    p = sub.add_parser("keys", help="API keys: list them, revoke one, or set when one expires")
    actions = p.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="every active key (never a secret)")
    listing.add_argument("--all", action="store_true", help="revoked keys too")
    listing.add_argument("--json", action="store_true", help="as JSON")
    revoke = actions.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    expire = actions.add_parser("expire", help="let a key stop working on a date (YYYY-MM-DD, or 'never')")
    expire.add_argument("key_id")
    expire.add_argument("--on", required=True)
    p.set_defaults(func=cmd_keys)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="matcher",
        description=f"matcher {__version__}: vacancy–candidate "
        f"matching for the Flemish labour market. Data: {ESCO_ATTRIBUTION}.",
    )
    parser.add_argument("--version", action="version", version=f"matcher {__version__} ({ESCO_ATTRIBUTION})")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("rank", help="ranked, explained suggestions both ways")
    p.add_argument("--vacancies", required=True, help="vacancy file (JSON Lines, JobPosting JSON-LD or CSV)")
    p.add_argument("--candidates", required=True, help="candidate file (JSON Lines, JSON Resume or CSV)")
    p.add_argument("--top", type=int, default=10, help="suggestions per query (default 10)")
    p.add_argument(
        "--direction",
        choices=["candidates", "vacancies"],
        default="candidates",
        help="candidates: best candidates per vacancy; vacancies: best vacancies per candidate",
    )
    p.add_argument("--id", dest="ids", action="append", help="only this vacancy (or candidate) id; repeatable")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--today", help="reference date for vacancy expiry, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("review", help="white-raven review of a vacancy: pool sizes, relaxations, support levers")
    p.add_argument("--vacancy", help="vacancy id; without it, rank the vacancies by white-raven index")
    p.add_argument("--employer", help="with no --vacancy: only this employer's vacancies")
    p.add_argument("--vacancies", required=True)
    p.add_argument("--candidates", required=True)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--today", help="reference date for vacancy expiry, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("import-check", help="report every rejected record of an import file")
    p.add_argument("file")
    p.add_argument("--kind", choices=["vacancies", "candidates"])
    p.add_argument("--format", help="jsonl, jobposting, jsonresume or csv (default: detected)")
    p.add_argument("--json", action="store_true", help="the report as JSON")
    _import_flags(p)
    p.set_defaults(func=cmd_import_check)

    p = sub.add_parser("extract", help="skills, languages, licences, experience, ... found in a text, HTML or CV file")
    p.add_argument("file", help=".txt, .html, .docx or .pdf; - reads standard input")
    p.add_argument("--json", action="store_true", help="the spans as JSON")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("demo-data", help="write a synthetic Flemish demo pool in the import formats")
    p.add_argument("--candidates", type=int, default=2000)
    p.add_argument("--vacancies", type=int, default=100)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default="var/demo")
    p.set_defaults(func=cmd_demo_data)

    p = sub.add_parser(
        "demo",
        help="the main job on the embedded default: a demo pool normalised, ranked and "
        "reviewed, then served over HTTP with a demo key per role",
    )
    p.add_argument("--out", default="var/demo")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument("--no-serve", action="store_true", help="print the showcase only")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="the HTTP service over the store (MATCHER_DATABASE_URL); OpenAPI at /docs")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)
    _add_store_commands(sub)
    _add_model_commands(sub)
    _add_operations_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace, Settings], int] = args.func
    try:
        return func(args, Settings())
    except UsageError as exc:
        print(f"matcher: {exc}", file=sys.stderr)
        return 2
    except app.AppError as exc:
        print(f"matcher {args.command}: {exc.message}", file=sys.stderr)
        return 2
    except (ValueError, KeyError, OSError, RuntimeError) as exc:
        print(f"matcher {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
