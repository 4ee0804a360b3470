"""Two-way ranking: same score both ways, hard constraints exclude, stretch matches are marked."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given

from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import Requirement, SupportOffered
from matcher.ranking import Ranker, top_k_rows
from matcher.scoring import default_scorer, load_scorer
from matcher.settings import Settings
from profiles_factory import SKILLS, TODAY, candidate, pools, vacancy


def make_ranker(encoding, cands, vacs, scorer=None) -> Ranker:
    return Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, vacs), scorer=scorer, today=TODAY)


SCORERS = {"transparent": default_scorer(), "shipped": load_scorer(Settings())}


@pytest.mark.parametrize("scorer_name", sorted(SCORERS))
@given(pool=pools())
def test_both_directions_give_the_same_score(encoding, scorer_name, pool) -> None:
    cands, vacs = pool
    ranker = make_ranker(encoding, cands, vacs, SCORERS[scorer_name])
    k = len(cands) + len(vacs)
    by_vacancy = {
        (s.candidate_id, s.vacancy_id): (s.score, s.stretch)
        for lst in ranker.top_candidates([v.id for v in vacs], k=k)
        for s in lst
    }
    by_candidate = {
        (s.candidate_id, s.vacancy_id): (s.score, s.stretch)
        for lst in ranker.top_vacancies([c.id for c in cands], k=k)
        for s in lst
    }
    strict_v = {p: v for p, v in by_vacancy.items() if not v[1]}
    strict_c = {p: v for p, v in by_candidate.items() if not v[1]}
    assert strict_v == strict_c
    for pair in by_vacancy.keys() & by_candidate.keys():
        assert by_vacancy[pair][0] == by_candidate[pair][0]


@given(pools())
def test_hard_constraints_always_exclude(encoding, pool) -> None:
    cands, vacs = pool
    ranker = make_ranker(encoding, cands, vacs)
    for lst in ranker.top_candidates([v.id for v in vacs], k=50):
        for s in lst:
            checks = ranker.check(s.candidate_id, s.vacancy_id)
            assert checks.candidate.work_permit
            assert checks.vacancy.valid_through is None or checks.vacancy.valid_through >= TODAY
            assert checks.vacancy.remote or checks.distance_km <= checks.candidate.max_commute_km + 0.05
            assert s.stretch == bool(checks.failed_checks)
            assert len(checks.failed_checks) <= 1


def test_strict_before_stretch_and_stretch_marked(encoding) -> None:
    forklift = SKILLS[0]
    vac = vacancy("raaf", must_skills=(forklift,), dutch="B2")
    cands = [
        candidate("fits", skills=(forklift,), dutch="B2"),
        candidate("dutch-short", skills=(forklift,), dutch="B1"),
        candidate("two-short", dutch="A1"),
    ]
    [ranked] = make_ranker(encoding, cands, [vac]).top_candidates(["raaf"], k=5)
    assert list(ranked.ids) == ["fits", "dutch-short"]
    assert list(ranked.stretch) == [False, True]
    assert ranked.strict_count == 1 and ranked.stretch_count == 1


def test_explanation_of_stretch_names_the_blocking_requirement(encoding) -> None:
    vac = vacancy("raaf", must_skills=(SKILLS[0],), dutch="B1", support=SupportOffered(language_support="none"))
    ranker = make_ranker(encoding, [candidate("c", skills=(SKILLS[0],), dutch="A2")], [vac])
    [ranked] = ranker.top_candidates(["raaf"], k=5)
    [suggestion] = ranked.suggestions
    en = ranker.explain(suggestion, "en")
    assert en.stretch
    assert en.would_fit_if == ["fits if Dutch B1 is relaxed to A2 with language coaching on the job"]
    assert "Dutch A2, B1 asked: gap not bridged." in en.text
    nl = ranker.explain(suggestion, "nl")
    assert nl.would_fit_if == ["past als Nederlands B1 verlaagd wordt naar A2 met taalcoaching op de werkvloer"]


def test_ties_are_broken_by_id_and_are_deterministic(encoding) -> None:
    cands = [candidate(f"c{i}", skills=(SKILLS[0],)) for i in (3, 1, 2)]
    ranker = make_ranker(encoding, cands, [vacancy("v", must_skills=(SKILLS[0],))])
    [ranked] = ranker.top_candidates(["v"], k=2)
    assert list(ranked.ids) == ["c1", "c2"]
    assert ranked.scores[0] == ranked.scores[1]


def test_top_k_rows_keeps_ties_at_the_boundary() -> None:
    scores = np.array([0.5, 0.9, 0.5, 0.5, 0.1], dtype=np.float32)
    eligible = np.array([True, True, True, True, False])
    id_rank = np.array([4, 0, 2, 1, 3])
    assert list(top_k_rows(scores, eligible, id_rank, 3)) == [1, 3, 2]


def test_expired_vacancy_and_missing_permit_never_ranked(encoding) -> None:
    vac = vacancy("old", valid_through=TODAY - timedelta(days=1))
    ranker = make_ranker(encoding, [candidate("c"), candidate("no-permit", work_permit=False)], [vac, vacancy("new")])
    assert len(ranker.top_candidates(["old"], k=5)[0]) == 0
    assert list(ranker.top_candidates(["new"], k=5)[0].ids) == ["c"]


def test_trainable_competence_is_not_a_failure(encoding) -> None:
    req = Requirement(kind="competence", value=SKILLS[1], trainable=True, training_weeks=4)
    vac = vacancy("v", requirements=[req], dutch=None)
    ranker = make_ranker(encoding, [candidate("c")], [vac])
    [ranked] = ranker.top_candidates(["v"], k=5)
    assert ranked.strict_count == 1
    text = ranker.explain(ranked.suggestions[0], "en").text
    assert "Trainable on the job:" in text and "(~4 wk)" in text


@pytest.fixture(scope="module")
def demo_ranker():
    """A few thousand demo candidates and vacancies spread over Flanders, with the shipped model."""
    from matcher.demo import generate_pool
    from matcher.taxonomy import load_taxonomy

    pool = generate_pool(3000, 80, seed=5)
    return Ranker.from_profiles(
        load_taxonomy(), pool.candidates, pool.vacancies, scorer=load_scorer(Settings()), today=TODAY
    )


def _dense_reference(ranker: Ranker, direction: str, row: int, k: int):
    """Rank one query over the whole other side with the dense kernel and no spatial index."""
    n_cand, n_vac = len(ranker.candidates.ids), len(ranker.vacancies.ids)
    if direction == "candidates":
        block, scores = ranker.score_block(np.arange(n_cand), np.array([row]))
        where, other, rank = (slice(None), 0), np.arange(n_cand), ranker.candidates.arrays().id_rank
        query = ranker.vacancies.ids[row]
    else:
        block, scores = ranker.score_block(np.array([row]), np.arange(n_vac))
        where, other, rank = (0, slice(None)), np.arange(n_vac), ranker.vacancies.arrays().id_rank
        query = ranker.candidates.ids[row]
    return ranker._rank_one(direction, query, block, scores, where, other, rank, k, True)


def _same_lists(fast, reference) -> None:
    assert (fast.query_id, fast.strict_count, fast.stretch_count) == (
        reference.query_id,
        reference.strict_count,
        reference.stretch_count,
    )
    assert [(s.candidate_id, s.vacancy_id, s.rank, s.stretch, s.failed) for s in fast] == [
        (s.candidate_id, s.vacancy_id, s.rank, s.stretch, s.failed) for s in reference
    ]
    np.testing.assert_array_equal(fast.scores, reference.scores)  # bitwise: same float32 values
    for a, b in zip(fast, reference, strict=True):
        np.testing.assert_array_equal(a.features, b.features)
        assert a.distance_km == b.distance_km


@pytest.mark.parametrize("n_threads", [1, 2])
def test_the_batch_lane_ranks_exactly_like_the_dense_kernel(demo_ranker: Ranker, n_threads: int) -> None:
    """Map grid + allowed pairs only + grid binning of the model: the same lists, bit for bit, both ways."""
    vacancy_ids = list(demo_ranker.vacancies.ids)
    ranked = demo_ranker.top_candidates(vacancy_ids, k=10, n_threads=n_threads)
    assert sum(r.strict_count for r in ranked) > 100 and sum(r.stretch_count for r in ranked) > 100
    for row, fast in enumerate(ranked):
        _same_lists(fast, _dense_reference(demo_ranker, "candidates", row, 10))
    candidate_ids = list(demo_ranker.candidates.ids[::7])
    rows = demo_ranker.candidates.rows(candidate_ids)
    for row, fast in zip(rows, demo_ranker.top_vacancies(candidate_ids, k=10, n_threads=n_threads), strict=True):
        _same_lists(fast, _dense_reference(demo_ranker, "vacancies", int(row), 10))


def test_the_map_grid_keeps_every_candidate_in_commute(demo_ranker: Ranker) -> None:
    cand, vac = demo_ranker.candidates.arrays(), demo_ranker.vacancies.arrays()
    for row in range(len(vac.active)):
        block, _ = demo_ranker.score_block(np.arange(len(cand.active)), np.array([row]))
        in_commute = np.flatnonzero(block.distance_km[:, 0] <= cand.max_commute_km)
        near = demo_ranker._near_candidates(np.array([row]))
        assert np.isin(in_commute, near).all()
        assert len(near) < len(cand.active) or vac.remote[row]
