"""The ``matcher`` command line: demo data, import checks, ranking, and the demo run.

Each sub-command is a small function that parses its arguments, calls the library and prints.
Errors a user can fix are printed as one line on stderr with exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from . import ESCO_ATTRIBUTION, __version__
from .settings import Settings


class UsageError(Exception):
    """A problem the user can fix: printed as one line, exit code 2."""


def _load_records(path: Path, kind: str, taxonomy) -> list:
    """Import a file, print its rejection report to stderr, and return the accepted records."""
    from .imports import import_file

    if not path.exists():
        raise UsageError(f"{path}: no such file")
    result = import_file(path, kind=kind, taxonomy=taxonomy)
    if result.rejections or result.warnings:
        print(result.to_text(), file=sys.stderr)
    return result.records


def _ranker(args: argparse.Namespace, settings: Settings):
    from .ranking import Ranker
    from .scoring import load_scorer
    from .taxonomy import load_taxonomy

    tax = load_taxonomy()
    vacancies = _load_records(Path(args.vacancies), "vacancies", tax)
    candidates = _load_records(Path(args.candidates), "candidates", tax)
    today = date.fromisoformat(args.today) if args.today else None
    return Ranker.from_profiles(tax, candidates, vacancies, scorer=load_scorer(settings), today=today)


def cmd_rank(args: argparse.Namespace, settings: Settings) -> int:
    from .report import ranked_lists_json, ranked_lists_table

    ranker = _ranker(args, settings)
    direction = args.direction
    if direction == "candidates":
        ids = args.ids or ranker.vacancies.ids_active()
        results = ranker.top_candidates(ids, k=args.top)
    else:
        ids = args.ids or ranker.candidates.ids_active()
        results = ranker.top_vacancies(ids, k=args.top)
    if args.format == "json":
        print(json.dumps(ranked_lists_json(ranker, results, args.lang), ensure_ascii=False, indent=2))
    else:
        print(ranked_lists_table(ranker, results, args.lang))
    return 0


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from .review import rank_by_white_raven, review_vacancy

    ranker = _ranker(args, settings)
    tax = ranker.candidates.encoding.taxonomy
    if args.vacancy is None:
        ids = [
            v
            for v in ranker.vacancies.ids_active()
            if args.employer is None or ranker.vacancies.profile(v).employer_id == args.employer
        ]
        rows = rank_by_white_raven(ranker, ids, settings.fit_threshold)
        if args.format == "json":
            print(
                json.dumps(
                    [{"vacancy_id": v, "white_raven_index": w, "reachable": r, "strict": s} for v, w, r, s in rows],
                    indent=2,
                )
            )
        else:
            for v, w, r, s in rows:
                print(f"{w:6.3f}  {s:>6} / {r:<6}  {ranker.vacancies.profile(v).title} [{v}]")
        return 0
    if args.vacancy not in ranker.vacancies.row_of:
        raise UsageError(f"vacancy {args.vacancy!r} is not in {args.vacancies}")
    review = review_vacancy(ranker, args.vacancy, settings.fit_threshold)
    if args.format == "json":
        print(json.dumps(review.to_dict(args.lang, tax), ensure_ascii=False, indent=2))
    else:
        print(review.to_text(args.lang, tax))
    return 0


def cmd_import_check(args: argparse.Namespace, settings: Settings) -> int:
    from .imports import check_file
    from .taxonomy import load_taxonomy

    path = Path(args.file)
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    result = check_file(path, kind=args.kind, format=args.format, taxonomy=load_taxonomy())
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.to_text())
    return 1 if result.rejections else 0


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
    from .showcase import run_showcase

    imported = run_showcase(Path(args.out), settings, lang=args.lang)
    if not args.no_serve:
        from matcher_service import demo_serve

        print()
        demo_serve(settings, Path(args.out), host=args.host, port=args.port, imported=imported)
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from matcher_service import serve

    serve(settings, host=args.host, port=args.port)
    return 0


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from .store.commands import load_into_store

    print(load_into_store(settings, args.candidates, args.vacancies))
    return 0


def cmd_rescore(args: argparse.Namespace, settings: Settings) -> int:
    from .store.commands import rescore_command

    today = date.fromisoformat(args.today) if args.today else None
    print(
        rescore_command(
            settings,
            run_id=args.run_id,
            backend=args.backend,
            scheduler=args.scheduler,
            progress=not args.no_progress,
            vacancy_ids=args.vacancy or None,
            today=today,
        )
    )
    return 0


def cmd_create_key(args: argparse.Namespace, settings: Settings) -> int:
    from .store.commands import create_key_command

    print(create_key_command(settings, args.role, args.employer, args.label))
    return 0


def cmd_revoke_key(args: argparse.Namespace, settings: Settings) -> int:
    from .store.commands import revoke_key_command

    print(revoke_key_command(settings, args.key_id))
    return 0


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from .store.commands import migrate_command

    print(migrate_command(settings))
    return 0


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from .modelcli import train_command

    print(train_command(Path(args.history), Path(args.out), seed=args.seed, version=args.version))
    return 0


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    from .learned import default_model_dir
    from .modelcli import evaluate_command

    model = Path(args.model) if args.model else (settings.model_dir or default_model_dir())
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

    p = sub.add_parser("train", help="train the placement model from a history file (training/README.md)")
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
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("rescore", help="score all affected pairs in blocks and store top-k both ways; resumable")
    p.add_argument("--run-id", type=int, help="resume this run instead of starting a new one")
    p.add_argument("--vacancy", action="append", help="only these vacancies (after an import); repeatable")
    p.add_argument("--backend", choices=["loky", "threading", "dask"], default="loky")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --backend dask)")
    p.add_argument("--today", help="reference date for vacancy expiry, YYYY-MM-DD (default: today)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_rescore)

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
    except (ValueError, KeyError, OSError, RuntimeError) as exc:
        print(f"matcher {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
