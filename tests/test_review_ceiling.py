"""The review's ceilings and bounds against brute force: whom a family of combinations can have in the pool.

A :class:`~matcher.review.counts.Ceiling` says that whoever is strict under a combination of
some score-lowering options with options that cannot lower a score is strict under those
score-lowering options with the strongest option of every other group. The searches re-score only
the candidates a ceiling has in the pool and prune by the bounds it gives, so both are checked here
against ranking the whole pool for every rewritten vacancy: the strict candidates of every
combination lie within its ceiling, and no combination gains more than its bound.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import Requirement, Shift
from matcher.ranking import Ranker
from matcher.review.counts import Bounds, PoolCounter, _enumerate, _lowering
from matcher.review.options import vacancy_options
from profiles_factory import SKILLS, TODAY, candidate, vacancy
from test_review_exact import THRESHOLD, adversarial_pools, apply_all, make_ranker

MAX_COMBINATIONS = 80  # brute-forced per pool (each a full re-ranking)


def strict_ids(encoding, cands, vac, threshold: float) -> set[str]:
    """The strict pool of ``vac`` by ranking every candidate for it."""
    ranker = Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, [vac]), today=TODAY, fit_threshold=threshold)
    [ranked] = ranker.top_candidates([vac.id], k=len(cands) + 1, stretch=False)
    return {s.candidate_id for s in ranked.suggestions}


def assert_ceilings_hold(encoding, cands, vac, threshold: float) -> int:
    """Check every ceiling and bound of up to three options; the number of combinations checked."""
    ranker = make_ranker(encoding, cands, [vac], threshold)
    counter = PoolCounter(ranker, vac.id, threshold)
    options = vacancy_options(vac, ranker.vacancies.slots(vac.id))
    enumerated = _enumerate(options, range(1, 4))
    lowerings = list({tuple(o.key for o in low): low for c in enumerated.combos if (low := _lowering(c))}.values())
    counter.ceilings(options, [(), *lowerings])  # every family's ceiling, as a search may evaluate them
    bounds = Bounds(counter, options, enumerated)
    ids = np.array(ranker.candidates.ids)[counter.cand_rows]
    base = strict_ids(encoding, cands, vac, threshold)
    assert set(ids[counter.strict]) == base
    checked = 0
    for i, combo in enumerate(enumerated.combos[:MAX_COMBINATIONS]):
        strict = strict_ids(encoding, cands, apply_all(vac, combo), threshold)
        assert len(strict) - len(base) <= bounds.values[i], [o.key for o in combo]
        ceiling = counter._covering_ceiling(combo)
        if ceiling is not None:  # without a score-lowering option the strict pool stays, and is not re-scored
            joining = strict if ceiling.lowering else strict - base
            assert joining <= set(ids[ceiling.joins]), [o.key for o in combo]
        checked += 1
    return checked


@settings(max_examples=40, deadline=None)
@given(adversarial_pools())
def test_ceilings_hold_every_strict_candidate_and_bounds_every_gain(encoding, pool) -> None:
    cands, vac, threshold = pool
    assert_ceilings_hold(encoding, cands, vac, threshold)


def test_a_ceiling_of_score_lowering_options_is_tight_on_a_pool_built_for_it(encoding) -> None:
    """Part-time hours and no night shifts (both may lower a score) with a language level and training.

    Built so that the families of the score-lowering sets have ceilings that bring candidates in
    and leave strict candidates out, and bounds that some combination meets exactly: a ceiling
    that forgot a term, or a bound off by one, fails here.
    """
    skills = SKILLS[:3]
    reqs = [Requirement(kind="competence", value=s) for s in skills[:2]]
    vac = vacancy(
        "raven",
        must_skills=(),
        requirements=reqs,
        dutch="B2",
        hours_min=38.0,
        hours_max=40.0,
        shifts=[Shift.day, Shift.night],
    )
    cands = [
        candidate("all", skills=skills[:2], dutch="B2"),
        candidate("part", skills=skills[:2], dutch="B2", hours_max=30.0),
        candidate("part-dutch", skills=skills[:2], dutch="B1", hours_max=30.0),
        candidate("part-skill", skills=skills[:1], dutch="B2", hours_max=32.0),
        candidate("no-car", skills=skills[:2], dutch="B1", has_car=False),
        candidate("far-off", skills=skills[2:], dutch="A1"),
    ]
    for threshold in (0.0, 0.1, THRESHOLD):
        assert assert_ceilings_hold(encoding, cands, vac, threshold) > 10
