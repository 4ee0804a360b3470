"""Two-way ranking: same score both ways, hard constraints exclude, stretch matches are marked."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given

from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import Requirement, SupportOffered
from matcher.ranking import Ranker, top_k_rows
from matcher.scoring import load_scorer
from matcher.settings import Settings
from profiles_factory import SKILLS, TODAY, candidate, pools, vacancy


def make_ranker(encoding, cands, vacs, scorer=None, **options) -> Ranker:
    return Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, vacs), scorer=scorer, today=TODAY, **options)


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
    # the smallest change first (coaching on the job bridges A2 to B1: no need to lower the level), then
    # each alternative single change, all computed by re-checking and re-scoring the pair
    assert en.would_fit_if == ["offer language coaching on the job", "lower Dutch B1 to A2"]
    assert en.summary.startswith("Stretch match (")
    assert en.summary.endswith("fits after one change: offer language coaching on the job; or: lower Dutch B1 to A2.")
    assert "Dutch A2, B1 asked: gap not bridged." in en.text
    nl = ranker.explain(suggestion, "nl")
    assert nl.would_fit_if == ["taalcoaching op de werkvloer aanbieden", "Nederlands B1 verlagen naar A2"]


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
    ranker = make_ranker(encoding, [candidate("c")], [vac], fit_threshold=0.0)  # the check, not the score
    [ranked] = ranker.top_candidates(["v"], k=5)
    assert ranked.strict_count == 1
    text = ranker.explain(ranked.suggestions[0], "en").text
    assert "Trainable on the job:" in text and "(~4 wk)" in text


@given(pools())
def test_a_fit_has_no_failed_check_and_a_score_at_the_threshold_and_stretch_is_above_the_floor(encoding, pool) -> None:
    cands, vacs = pool
    ranker = make_ranker(encoding, cands, vacs, fit_threshold=0.4, stretch_floor=0.2)
    for lst in ranker.top_candidates([v.id for v in vacs], k=50):
        for s in lst:
            assert s.score >= (0.2 if s.stretch else 0.4)
            assert (s.failed == 0) != s.stretch
            summary = ranker.explain(s, "nl").summary
            assert summary.startswith("Stretchmatch" if s.stretch else "Past")


def test_one_threshold_from_settings_for_ranking_and_review(encoding, monkeypatch) -> None:
    from matcher.review import review_vacancy

    monkeypatch.setenv("MATCHER_FIT_THRESHOLD", "0.42")
    monkeypatch.setenv("MATCHER_STRETCH_FLOOR", "0.2")
    ranker = make_ranker(encoding, [candidate("c")], [vacancy("v")])
    assert (ranker.fit_threshold, ranker.stretch_floor) == (0.42, 0.2)
    assert review_vacancy(ranker, "v").fit_threshold == 0.42


def test_stretch_text_names_the_minimal_level_not_the_candidates_own(encoding) -> None:
    """Regression (issue 14): "relax B1 to A1 with a course" where A2 is bridged by the coaching on offer."""
    vac = vacancy("raaf", must_skills=(SKILLS[0],), dutch="B1", support=SupportOffered(language_support="on_the_job"))
    ranker = make_ranker(encoding, [candidate("c", skills=(SKILLS[0],), dutch="A1")], [vac], fit_threshold=0.0)
    [suggestion] = ranker.top_candidates(["raaf"], k=5)[0].suggestions
    changes = ranker.explain(suggestion, "en").would_fit_if
    assert changes == ["offer a language course", "lower Dutch B1 to A2"]


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
    assert sum(r.strict_count for r in ranked) > 20 and sum(r.stretch_count for r in ranked) > 20  # not vacuous
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


def test_an_empty_list_says_why(encoding) -> None:
    from matcher.app import ranked_lists, ranked_lists_text

    old = vacancy("old", valid_through=TODAY - timedelta(days=2))
    ranker = make_ranker(encoding, [candidate("c")], [old, vacancy("v", must_skills=(SKILLS[0],))])
    text = ranked_lists_text(ranker, ranked_lists(ranker, ranker.top_candidates(["old", "v"], k=3), "nl"), "nl")
    assert f"de vacature is vervallen op {(TODAY - timedelta(days=2)).isoformat()}" in text
    assert "geen bereikbare kandidaat past (score ≥ 35%)" in text
