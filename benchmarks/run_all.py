"""Run every benchmark in turn (``make bench``); each prints its figures and its targets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    ["taxonomy_accuracy.py", "--quick"],
    ["bench_ranking.py"],
    ["bench_review.py"],
    ["bench_service.py"],
    ["bench_imports.py"],
    ["bench_imports_gc.py"],
)


def main() -> int:
    failed = 0
    for script, *args in BENCHMARKS:
        print(f"\n### {script} {' '.join(args)}", flush=True)
        failed += subprocess.call([sys.executable, str(HERE / script), *args]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
