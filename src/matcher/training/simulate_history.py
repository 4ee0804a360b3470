"""Simulate a placement history from a demo pool, with a documented causal model.

No public history of placements exists, so the shipped model learns from simulated outcomes. The
simulation has three steps, each deterministic for a seed:

1. **A demo pool** (:func:`matcher.demo.generate_pool`), its free-text competences resolved to the
   ESCO skills they were written from, as import normalisation would leave them.
2. **Proposals as a broker makes them.** For every vacancy: the :data:`N_RANKED` best strict
   candidates by the transparent default ranker, the :data:`N_STRETCH` best stretch candidates
   (one failed check), and :data:`N_RANDOM` random candidates among those the hard constraints
   allow who hold some of the asked competences (spontaneous applications and a broker's wider
   search; any allowed candidate when too few do). Ranked proposals alone would teach a model
   nothing about pairs the default ranker dislikes.
3. **Outcomes from the causal model** below, computed from each pair's features (the same
   quantities the feature pipeline computes) and the candidate's coaching need:
   ``hired ~ Bernoulli(sigmoid(hire logit))`` and, when hired,
   ``stays ~ Bernoulli(sigmoid(retention logit))``; ``retained_6m = hired and stays``.

The causal model, and why (logit points; coefficients in :data:`HIRE` and :data:`RETENTION`):

* **Competences** drive both hiring and retention: must coverage +2.0 / +1.6; a must skill missing
  and not trainable −1.5 / −1.2 (per share of must skills); a trainable gap costs far less
  (−0.5 / −0.3), as training on the job closes it.
* **Language**: an *open* gap (nothing bridges it) costs 0.8 for the first CEFR step and 1.4 for
  each further step in retention, convex because two steps below the work's level make daily
  instructions and safety rules unmanageable; a gap *bridged* by the support offered costs only
  0.2 per step: language coaching while working is what lets newcomers stay (VDAB's
  *taalcoaching op de werkvloer*). Employers weigh open gaps less at hiring (−0.6) than the
  workplace later does.
* **Coaching**: an unmet coaching need costs 0.8·u + 0.3·u² for u unmet steps (−1.1 for one,
  −2.8 for two): people far from the labour market drop out in the first months without
  workplace coaching (*werkplekbegeleiding*), and with it they stay. Met need leaves a small
  residual −0.15 per step of need, which the features do not see (coaching need itself is not a
  feature), so the per-group report shows what a model misses. An open language gap with unmet
  coaching costs a further 0.5: nobody bridges the misunderstandings.
* **Commute** costs 0.5 per share of the candidate's maximum, and 3.0 more per share beyond 0.6:
  long commutes break placements after the first weeks, short ones hardly matter.
* **Hours and shifts**: −1.5 × the share of the vacancy's hours range the person cannot work,
  −0.9 × the share of shifts they do not accept (childcare, transport at night).
* **Experience and diplomas** weigh at hiring (−0.35 per missing year, −0.3 per education step)
  but hardly for retention (−0.08, −0.05): the white-raven requirements filter, they do not
  predict who stays.
* **Occupation match** +0.5 / +0.5; **missing driving licence** −1.0 / −0.7.
* **Noise**: an employer effect on hiring (sd 0.5), a workplace effect on retention (sd 0.4) and
  a person effect on retention (sd 0.5), none observed by any model; plus the Bernoulli draws.
* **Not modelled**: protected attributes (gender, nationality, age, origin: the personal data is
  never read) and the demo's job-seeker groups play no part; proposals are independent trials
  (no competition for a vacancy's positions); no feedback from earlier placements.

Run: ``python -m matcher.training.simulate_history --out var/history.jsonl.gz`` (defaults: the shipped
model's pool, see :data:`SHIPPED`).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.demo.catalogue import build_catalogue
from matcher.features import FEATURES, F
from matcher.profiles import Candidate, Competence
from matcher.ranking import Ranker, top_k_rows
from matcher.taxonomy import Taxonomy, load_taxonomy

from .history import write_history

N_RANKED = 15
N_STRETCH = 5
N_RANDOM = 10
HISTORY_DAYS = (200, 900)  # proposals 200-900 days before the pool's reference date
RECENT_SHARE = 0.03  # proposals of the last 6 months: hired ones have no outcome yet


@dataclass(frozen=True)
class Shipped:
    """The demo pool and seed the shipped model's history is simulated from."""

    n_candidates: int = 12000
    n_vacancies: int = 2500
    seed: int = 2026


SHIPPED = Shipped()

HIRE_INTERCEPT = -1.2
HIRE: dict[str, float] = {
    "must_coverage": 2.0,
    "other_coverage": 0.4,
    "trainable_gap": -0.5,
    "missing_must_skills": -1.5,
    "language_gap_open": -0.6,
    "language_gap_bridged": -0.2,
    "coaching_unmet": -0.3,
    "commute_ratio": -0.5,
    "hours_fit": 0.8,
    "shift_fit": 0.4,
    "experience_gap_years": -0.35,
    "occupation_match": 0.5,
    "licence_missing": -1.0,
    "education_gap": -0.3,
}
RETENTION_INTERCEPT = -0.2
RETENTION: dict[str, float] = {
    "must_coverage": 1.6,
    "other_coverage": 0.4,
    "trainable_gap": -0.3,
    "missing_must_skills": -1.2,
    "language_gap_bridged": -0.2,
    "experience_gap_years": -0.08,
    "occupation_match": 0.5,
    "licence_missing": -0.7,
    "education_gap": -0.05,
}
LANGUAGE_FIRST_STEP, LANGUAGE_FURTHER_STEP = 1.0, 2.0
COACHING_LINEAR, COACHING_SQUARE, COACHING_RESIDUAL = 1.0, 0.5, 0.15
LANGUAGE_AND_COACHING = 0.8
COMMUTE_LINEAR, COMMUTE_KNEE, COMMUTE_BEYOND_KNEE = 0.3, 0.6, 4.0
HOURS_MISSED, SHIFTS_MISSED = 2.0, 1.2
SD_EMPLOYER_HIRE, SD_WORKPLACE, SD_PERSON = 0.5, 0.4, 0.5


def _linear(X: np.ndarray, weights: dict[str, float]) -> np.ndarray:
    return sum((weight * X[:, F[name]] for name, weight in weights.items()), start=np.zeros(len(X)))


def hire_logit(X: np.ndarray, employer_effect: np.ndarray) -> np.ndarray:
    """The employer's decision after a proposal: visible fit, with experience and diplomas over-weighted."""
    return HIRE_INTERCEPT + _linear(X, HIRE) + employer_effect


def retention_logit(
    X: np.ndarray, coaching_need: np.ndarray, workplace_effect: np.ndarray, person_effect: np.ndarray
) -> np.ndarray:
    """Whether a hired person is still employed after 6 months (see the module docstring for why)."""
    open_gap = X[:, F["language_gap_open"]].astype(np.float64)
    unmet = X[:, F["coaching_unmet"]].astype(np.float64)
    commute = X[:, F["commute_ratio"]].astype(np.float64)
    return (
        RETENTION_INTERCEPT
        + _linear(X, RETENTION)
        - LANGUAGE_FIRST_STEP * np.minimum(open_gap, 1)
        - LANGUAGE_FURTHER_STEP * np.maximum(open_gap - 1, 0)
        - COACHING_LINEAR * unmet
        - COACHING_SQUARE * unmet**2
        - COACHING_RESIDUAL * coaching_need
        - LANGUAGE_AND_COACHING * ((open_gap > 0) & (unmet > 0))
        - COMMUTE_LINEAR * commute
        - COMMUTE_BEYOND_KNEE * np.maximum(commute - COMMUTE_KNEE, 0)
        - HOURS_MISSED * (1 - X[:, F["hours_fit"]])
        - SHIFTS_MISSED * (1 - X[:, F["shift_fit"]])
        + workplace_effect
        + person_effect
    )


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def resolve_free_text(candidates: list[Candidate], taxonomy: Taxonomy) -> list[Candidate]:
    """Give free-text competences the ESCO skill the demo wrote them from, as normalisation would."""
    catalogue = build_catalogue(taxonomy)
    uri_of = {
        text.casefold(): uri
        for uri, phrasings in zip(catalogue.skill_uris, catalogue.skill_phrasings, strict=False)
        for text in phrasings
    }
    resolved = []
    for cand in candidates:
        if all(c.uri for c in cand.competences):
            resolved.append(cand)
            continue
        comps = [
            c
            if c.uri or c.text is None or c.text.casefold() not in uri_of
            else Competence(uri=uri_of[c.text.casefold()], text=c.text, match_score=1.0)
            for c in cand.competences
        ]
        resolved.append(cand.model_copy(update={"competences": comps}))
    return resolved


def propose(ranker: Ranker, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate rows, vacancy rows and features of the pairs a broker would propose."""
    id_rank = ranker.candidates.arrays().id_rank
    cand_rows, vac_rows, features = [], [], []
    for rows, block, scores in ranker.scored_blocks(np.arange(len(ranker.vacancies.ids))):
        one_off = block.allowed & (np.bitwise_count(block.failed) == 1)
        strict, ranks = block.strict, id_rank[block.cand_rows]  # strict is computed on each access
        for j, vac_row in enumerate(rows):
            rng = np.random.default_rng([seed, int(vac_row)])
            chosen = [
                top_k_rows(scores[:, j], strict[:, j], ranks, N_RANKED),
                top_k_rows(scores[:, j], one_off[:, j], ranks, N_STRETCH),
            ]
            others = np.setdiff1d(np.flatnonzero(block.allowed[:, j]), np.concatenate(chosen))
            related = others[block.features[F["must_coverage"], others, j] > 0]
            others = related if len(related) >= N_RANDOM else others
            chosen.append(np.sort(rng.choice(others, size=min(N_RANDOM, len(others)), replace=False)))
            picked = np.concatenate(chosen)
            cand_rows.append(block.cand_rows[picked])
            vac_rows.append(np.full(len(picked), vac_row))
            features.append(block.features[:, picked, j].T)
    return np.concatenate(cand_rows), np.concatenate(vac_rows), np.concatenate(features).astype(np.float32)


def simulate_outcomes(
    X: np.ndarray,
    coaching_need: np.ndarray,
    cand_rows: np.ndarray,
    vac_rows: np.ndarray,
    n_candidates: int,
    n_vacancies: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``hired`` and ``retained_6m`` per pair from the causal model."""
    rng = np.random.default_rng([seed, 1])
    employer = rng.normal(0, SD_EMPLOYER_HIRE, n_vacancies)[vac_rows]
    workplace = rng.normal(0, SD_WORKPLACE, n_vacancies)[vac_rows]
    person = rng.normal(0, SD_PERSON, n_candidates)[cand_rows]
    hired = rng.random(len(X)) < _sigmoid(hire_logit(X, employer))
    stays = rng.random(len(X)) < _sigmoid(retention_logit(X, coaching_need, workplace, person))
    return hired, hired & stays


def simulate_history(
    out: Path,
    n_candidates: int = SHIPPED.n_candidates,
    n_vacancies: int = SHIPPED.n_vacancies,
    seed: int = SHIPPED.seed,
    taxonomy: Taxonomy | None = None,
) -> str:
    """Write a simulated history file (format: :mod:`matcher.training.history`) and return a summary line."""
    taxonomy = taxonomy if taxonomy is not None else load_taxonomy()
    pool = generate_pool(n_candidates, n_vacancies, seed, taxonomy=taxonomy)
    candidates = resolve_free_text(pool.candidates, taxonomy)
    ranker = Ranker.from_profiles(taxonomy, candidates, pool.vacancies, today=REFERENCE_DATE)
    cand_rows, vac_rows, X = propose(ranker, seed)
    coaching_need = ranker.candidates.arrays().coaching_need[cand_rows].astype(np.float64)
    hired, retained = simulate_outcomes(
        X, coaching_need, cand_rows, vac_rows, len(candidates), len(pool.vacancies), seed
    )

    rng = np.random.default_rng([seed, 2])
    days_back = rng.integers(*HISTORY_DAYS, size=len(pool.vacancies))
    recent = rng.random(len(pool.vacancies)) < RECENT_SHARE
    days_back[recent] = rng.integers(10, 180, size=int(recent.sum()))
    placements = []
    for c, v, h, r in zip(cand_rows.tolist(), vac_rows.tolist(), hired.tolist(), retained.tolist(), strict=False):
        known = not (recent[v] and h)
        placements.append(
            {
                "candidate": candidates[c].id,
                "vacancy": pool.vacancies[v].id,
                "proposed_on": (REFERENCE_DATE - timedelta(days=int(days_back[v]))).isoformat(),
                "hired": h,
                "retained_6m": r if known else None,
            }
        )
    used_c, used_v = np.unique(cand_rows), np.unique(vac_rows)
    meta = {
        "simulated": True,
        "generator": "training/simulate_history.py",  # its path when the shipped history was made: kept, so
        # the same command still gives the same bytes and the sha256 recorded in the shipped metrics.json
        "seed": seed,
        "n_candidates": n_candidates,
        "n_vacancies": n_vacancies,
        "features": list(FEATURES),
        "description": "Simulated outcomes from a documented causal model over a synthetic demo pool; "
        "not real placements.",
    }
    write_history(
        out,
        meta,
        {candidates[c].id: candidates[c] for c in used_c.tolist()},
        {pool.vacancies[v].id: pool.vacancies[v] for v in used_v.tolist()},
        placements,
    )
    return (
        f"wrote {len(placements)} proposals ({hired.mean():.1%} hired, {retained.mean():.1%} retained 6 months) "
        f"for {len(used_v)} vacancies and {len(used_c)} candidates to {out}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/history.jsonl.gz"))
    parser.add_argument("--candidates", type=int, default=SHIPPED.n_candidates)
    parser.add_argument("--vacancies", type=int, default=SHIPPED.n_vacancies)
    parser.add_argument("--seed", type=int, default=SHIPPED.seed)
    args = parser.parse_args(argv)
    print(simulate_history(args.out, args.candidates, args.vacancies, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
