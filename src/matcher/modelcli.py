"""``matcher train`` and ``matcher evaluate``: the command-line side of the learned scorer.

Training code lives in the repository's ``training/`` folder, not in the installed library: a
service that only scores has no use for it. These two functions reach it from a source checkout
(the repository root above ``src/``) and fail with one clear line anywhere else.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

from .learned import DEFAULT_MODEL_VERSION

REPO_ROOT = Path(__file__).resolve().parents[2]


def _training(module: str) -> ModuleType:
    """Import ``training.<module>`` from the source checkout this package runs from."""
    if not (REPO_ROOT / "training" / f"{module}.py").is_file():
        raise FileNotFoundError(
            f"this command needs a source checkout of matcher: no training/{module}.py under {REPO_ROOT}"
        )
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    return importlib.import_module(f"training.{module}")


def train_command(
    history: Path, out: Path = Path("models"), seed: int = 0, version: str = DEFAULT_MODEL_VERSION
) -> str:
    """Train from a history file into ``out/<version>/``; returns the summary to print.

    Example: ``matcher train --history var/history.jsonl.gz --out models/``.
    """
    return _training("train").train(Path(history), Path(out), seed=seed, version=version).summary()


def evaluate_command(model_dir: Path, history: Path) -> str:
    """Evaluate a model folder against the transparent default on a history file; returns the report.

    On the model's own training history only its held-out vacancies count (see
    :func:`training.evaluate.evaluate_model_dir`).
    """
    evaluate = _training("evaluate")
    return evaluate.report_text(evaluate.evaluate_model_dir(Path(model_dir), Path(history)))


def simulate_command(
    out: Path, n_candidates: int | None = None, n_vacancies: int | None = None, seed: int | None = None
) -> str:
    """Write the simulated history (defaults: the shipped model's pool); returns the summary line."""
    simulate = _training("simulate_history")
    shipped = simulate.SHIPPED
    return simulate.simulate_history(
        Path(out),
        n_candidates if n_candidates is not None else shipped.n_candidates,
        n_vacancies if n_vacancies is not None else shipped.n_vacancies,
        seed if seed is not None else shipped.seed,
    )
