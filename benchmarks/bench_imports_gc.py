"""Import benchmark: a 100,000-line JSON Lines candidate file, with the garbage collector on and off.

Run: ``.venv/bin/python benchmarks/bench_imports_gc.py [--lines 100000 --repeats 3]``

Imports used to switch the cyclic garbage collector off for the whole process while they ran
(also for every other thread, e.g. the service's pool). Now they pause it only when the importing
thread is the process's only one. This measures, in one process and alternating the modes so a
busy machine slows all alike: the old way, the command line (alone: paused, target at most 1.2
times the old way) and a threaded process (collector on). It also reports lines per second and
the 10,000-line time a unit test used to assert.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import threading
import time
from pathlib import Path

from matcher.imports import import_file
from matcher.taxonomy import load_taxonomy

CLEANER = "http://data.europa.eu/esco/occupation/303a1e34-cb16-4054-b323-81e5eec17397"  # schoonmaker gebouwen


def candidate_line() -> str:
    """The line the old unit test imported: a cleaner with 8 ESCO skills, two languages, a name."""
    skills = load_taxonomy().occupation(CLEANER).essential_skills[:8]
    candidate = {
        "id": "c0",
        "postcode": "9000",
        "competences": [{"uri": uri} for uri in skills],
        "experience": [{"occupation_uri": CLEANER, "months": 14}],
        "languages": [{"language": "nl", "level": "A2"}, {"language": "ar", "level": "C2"}],
        "coaching_need": "light",
        "personal": {"name": "Sara Janssens"},
    }
    return json.dumps(candidate)


def write_lines(path: Path, n: int) -> Path:
    line = candidate_line()
    path.write_text("".join(line.replace('"c0"', f'"c{i}"', 1) + "\n" for i in range(n)), encoding="utf-8")
    return path


def timed_import(path: Path, mode: str) -> float:
    """Seconds for one import (collected before, untimed).

    ``mode``: ``"before"`` pauses the collector for the whole process as imports did before;
    ``"cli"`` leaves it to the import, alone in the process as on the command line (it pauses);
    ``"threaded"`` keeps another thread alive, as in the service's pool (the collector stays on).
    """
    gc.collect()
    other_thread_done = threading.Event()
    helper = threading.Thread(target=other_thread_done.wait) if mode == "threaded" else None
    if helper:
        helper.start()
    if mode == "before":
        gc.disable()
    try:
        started = time.perf_counter()
        result = import_file(path)
        seconds = time.perf_counter() - started
    finally:
        gc.enable()
        other_thread_done.set()
        if helper:
            helper.join()
    assert result.accepted > 0 and not result.rejections
    del result
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    modes = ("before", "cli", "threaded")
    with tempfile.TemporaryDirectory() as tmp:
        big = write_lines(Path(tmp) / "many.jsonl", args.lines)
        small = write_lines(Path(tmp) / "ten-thousand.jsonl", 10_000)
        timed_import(small, "cli")  # warm caches and imports
        runs: dict[str, list[float]] = {mode: [] for mode in modes}
        for _ in range(args.repeats):  # alternate, so a busy spell slows every mode alike
            for mode in modes:
                runs[mode].append(timed_import(big, mode))
        small_cli = min(timed_import(small, "cli") for _ in range(args.repeats))
    best = {mode: min(times) for mode, times in runs.items()}  # the least disturbed run: the machine is shared
    figures = {
        "lines": args.lines,
        **{f"seconds_{mode}": round(t, 3) for mode, t in best.items()},
        "ratio_cli_over_before": round(best["cli"] / best["before"], 3),
        "ratio_threaded_over_before": round(best["threaded"] / best["before"], 3),
        "lines_per_second_cli": round(args.lines / best["cli"]),
        "seconds_10k_lines_cli": round(small_cli, 3),
        "target_ratio_cli": 1.2,
    }
    print(json.dumps(figures, indent=2))
    return 0 if best["cli"] / best["before"] <= 1.2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
