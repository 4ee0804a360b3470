"""One-off: convert the pickled ``models/<version>/model.joblib`` into the pickle-free package model.

Run once (December 2026) on the model the repository had shipped since placement-2026.11:

    .venv/bin/python tools/convert_model.py models/placement-2026.11 src/matcher/models/placement-2026.11

It checks the joblib file against the sha256 written beside it when it was trained (our own file,
so this is the one place a pickle is loaded, and only here, outside the library), takes the lookup
tables of the additive model, writes them with :func:`matcher.learned.save_model`, carries over
``metrics.json`` (with the new file size) and rewrites ``model_card.md`` from it. It then loads the
result the way matcher will and refuses to finish unless every score of ``tests/data``'s fixture
is bitwise identical. Once converted, ``models/`` was removed from the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
from pathlib import Path

import joblib
import numpy as np

from matcher.learned import LearnedScorer, load_model, save_model
from matcher.training.model_card import model_card

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "data" / "placement-2026.11-scores.npz"


def unpickle_checked(directory: Path) -> tuple[LearnedScorer, str]:
    """The pickled scorer and its sha256, after checking the file against ``model.joblib.sha256``."""
    data = (directory / "model.joblib").read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    recorded = (directory / "model.joblib.sha256").read_text(encoding="ascii").split()[0]
    if digest != recorded:
        raise SystemExit(f"{directory}/model.joblib: sha256 {digest} differs from the recorded {recorded}")
    scorer = joblib.load(io.BytesIO(data))
    if not isinstance(scorer, LearnedScorer):
        raise SystemExit(f"{directory}/model.joblib holds a {type(scorer).__name__}")
    return scorer, digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="folder with model.joblib, model.joblib.sha256, metrics.json")
    parser.add_argument("target", type=Path, help="package model folder to write")
    args = parser.parse_args(argv)

    scorer, digest = unpickle_checked(args.source)
    metrics = json.loads((args.source / "metrics.json").read_text(encoding="utf-8"))
    scorer.trained_with_ = dict(metrics["environment"])  # what it was trained with, not what converts it
    arrays = save_model(scorer, args.target, converted_from={"file": "model.joblib", "sha256": digest})

    metrics["model_bytes"] = arrays.stat().st_size
    text = json.dumps(metrics, indent=2, ensure_ascii=False) + "\n"
    (args.target / "metrics.json").write_text(text, encoding="utf-8")
    (args.target / "model_card.md").write_text(model_card(metrics), encoding="utf-8")

    converted = load_model(args.target)
    fixture = np.load(FIXTURE, allow_pickle=False)
    X = fixture["features"]
    for name in ("predict_fit", "decision_function"):
        if not np.array_equal(getattr(converted, name)(X), fixture[name]):
            raise SystemExit(f"converted model: {name} differs from the pickled model's on the fixture")
    if not np.array_equal(converted.contributions(X[: len(fixture["contributions"])]), fixture["contributions"]):
        raise SystemExit("converted model: contributions differ from the pickled model's on the fixture")
    for name in ("model.npz", "model.json"):
        print(f"{name}  sha256 {hashlib.sha256((args.target / name).read_bytes()).hexdigest()}")
    print(f"{args.target}: scores on {len(X)} fixture pairs bitwise identical to {args.source}/model.joblib")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
