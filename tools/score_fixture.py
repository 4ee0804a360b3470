"""Save the default scorer's scores on realistic pairs, so a later model format can be held to them.

Run once before the shipped model changed format (commit a873609, when it was still
``models/placement-2026.11/model.joblib``):

    .venv/bin/python tools/score_fixture.py --out tests/data/placement-2026.11-scores.npz

The pairs come from a demo pool through the real feature pipeline: the pairs the hard constraints
allow (the ones ranking shows) and a share of the others (the ranker scores every pair of a block).
``tests/test_model_files.py`` loads the fixture and requires bitwise identical scores.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.ranking import Ranker
from matcher.scoring import load_scorer
from matcher.settings import Settings
from matcher.taxonomy import load_taxonomy

N_ALLOWED, N_OTHER, N_CONTRIBUTIONS = 3000, 1000, 200


def fixture_pairs(n_candidates: int = 800, n_vacancies: int = 120, seed: int = 11) -> np.ndarray:
    """(N_ALLOWED + N_OTHER, F) float32 feature rows from a demo pool, in a fixed order."""
    taxonomy = load_taxonomy()
    pool = generate_pool(n_candidates, n_vacancies, seed=seed, taxonomy=taxonomy)
    encoding = Encoding(taxonomy)
    ranker = Ranker(
        CandidatePool(encoding, pool.candidates), VacancyPool(encoding, pool.vacancies), today=REFERENCE_DATE
    )
    block, _ = ranker.score_block(slice(None), np.arange(len(pool.vacancies)))
    X = block.feature_matrix()
    allowed = np.flatnonzero(block.allowed.ravel())
    other = np.flatnonzero(~block.allowed.ravel())
    rng = np.random.default_rng(seed)
    rows = np.r_[
        rng.choice(allowed, min(N_ALLOWED, len(allowed)), replace=False),
        rng.choice(other, min(N_OTHER, len(other)), replace=False),
    ]
    return np.ascontiguousarray(X[rows], dtype=np.float32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    scorer = load_scorer(Settings())
    X = fixture_pairs()
    np.savez_compressed(
        args.out,
        features=X,
        predict_fit=scorer.predict_fit(X),
        decision_function=scorer.decision_function(X),
        contributions=scorer.contributions(X[:N_CONTRIBUTIONS]),
        version=np.array(scorer.version),
    )
    print(f"{args.out}: {len(X)} pairs scored by {scorer.version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
