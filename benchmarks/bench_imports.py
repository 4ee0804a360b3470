"""Import speed and peak memory on a large file, against a baseline checkout in the same run.

Writes a JSON Lines candidate file (and a CSV vacancy file) of ``--lines`` good records, then
imports each in a fresh subprocess (``matcher.imports.import_file``, no taxonomy: normalisation is
measured elsewhere) and reports wall time, records per second and peak RSS (``ru_maxrss`` of the
child). With ``--baseline DIR`` (a ``src`` tree of another commit, e.g. made with
``git archive <commit> src | tar -x -C DIR``) the same files are imported by that code too and
the ratios printed. Every record is kept in the result, so memory grows with the records kept;
what must not grow is the rest: the file text, its lines and the drafts are streamed.

    python benchmarks/bench_imports.py --lines 1000000 --baseline /tmp/matcher-base/src
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "src"
CHILD = """
import sys
from matcher.imports import import_file
result = import_file(sys.argv[1], sys.argv[2])
print(result.total, result.accepted, result.rejected)
"""


def write_candidates(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            record = {
                "id": f"c{n:07d}",
                "postcode": "9000",
                "competences": [{"text": "heftruck besturen"}],
                "languages": [{"language": "nl", "level": "A2"}],
                "personal": {"name": "Fatma Yılmaz"},
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_vacancies(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("id;employer_id;title;postcode;skills;languages;description\n")
        for n in range(lines - 1):
            out.write(f"v{n:07d};e{n % 500};Magazijnier;9000;orderpicking|heftruck besturen;nl:A2;Koelcel, 2°C\n")


def run(source: Path, path: Path, kind: str) -> dict[str, float]:
    """Import ``path`` in a child process with ``source`` first on the path: seconds and peak MB."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), kind], env=env, stdout=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    output = child.stdout.read().decode().split() if child.stdout else []
    if status != 0:
        raise RuntimeError(f"import with {source} failed (status {status})")
    total = int(output[0])
    return {"seconds": seconds, "records": total, "per_second": total / seconds, "peak_mb": usage.ru_maxrss / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--baseline", type=Path, help="a src directory of the code to compare with")
    parser.add_argument("--only", choices=["jsonl", "csv"], help="one file type only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="matcher-bench-imports-") as tmp:
        files = {
            "jsonl": (Path(tmp) / "candidates.jsonl", "candidates", write_candidates),
            "csv": (Path(tmp) / "vacancies.csv", "vacancies", write_vacancies),
        }
        for name, (path, kind, write) in files.items():
            if args.only and name != args.only:
                continue
            write(path, args.lines)
            size = path.stat().st_size / 2**20
            now = run(SOURCE, path, kind)
            print(
                f"{name}: {args.lines:,} lines, {size:.0f} MB: {now['seconds']:.1f} s, "
                f"{now['per_second']:,.0f} records/s, peak {now['peak_mb']:,.0f} MB"
            )
            if args.baseline:
                try:
                    base = run(args.baseline, path, kind)
                except RuntimeError as exc:
                    print(f"  baseline: {exc}")
                    continue
                print(
                    f"  baseline: {base['seconds']:.1f} s, {base['per_second']:,.0f} records/s, peak "
                    f"{base['peak_mb']:,.0f} MB; time ratio {now['seconds'] / base['seconds']:.2f}, "
                    f"memory ratio {now['peak_mb'] / base['peak_mb']:.2f}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
