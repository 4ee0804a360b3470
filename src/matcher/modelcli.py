"""``matcher train``, ``evaluate`` and ``simulate-history``: the command-line side of the learned scorer.

The training code is the :mod:`matcher.training` package, imported only when one of these runs: a
service that only scores never loads it.
"""

from __future__ import annotations

from pathlib import Path

from .learned import DEFAULT_MODEL_VERSION, default_model_dir


def train_command(
    history: Path, out: Path = Path("models"), seed: int = 0, version: str = DEFAULT_MODEL_VERSION
) -> str:
    """Train from a history file into ``out/<version>/``; returns the summary to print.

    Example: ``matcher train --history var/history.jsonl.gz --out models/``.
    """
    from .training.train import train

    return train(Path(history), Path(out), seed=seed, version=version).summary()


def evaluate_command(model_dir: Path | None, history: Path) -> str:
    """Evaluate a model folder (default: the shipped model) against the transparent default; returns the report.

    On the model's own training history only its held-out vacancies count (see
    :func:`matcher.training.evaluate.evaluate_model_dir`).
    """
    from .training.evaluate import evaluate_model_dir, report_text

    model = Path(model_dir) if model_dir is not None else default_model_dir()
    return report_text(evaluate_model_dir(model, Path(history)))


def simulate_command(
    out: Path, n_candidates: int | None = None, n_vacancies: int | None = None, seed: int | None = None
) -> str:
    """Write the simulated history (defaults: the shipped model's pool); returns the summary line."""
    from .training.simulate_history import SHIPPED, simulate_history

    return simulate_history(
        Path(out),
        n_candidates if n_candidates is not None else SHIPPED.n_candidates,
        n_vacancies if n_vacancies is not None else SHIPPED.n_vacancies,
        seed if seed is not None else SHIPPED.seed,
    )
