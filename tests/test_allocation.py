"""Allocation: hand cases, properties against scipy's assignment and max-flow solvers, the run step."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import maximum_flow

from matcher.allocation import (
    allocate,
    allocate_lists,
    allocate_run,
    allocate_scored,
    allocation_metrics,
    gini,
    ndcg,
    normalised_entropy,
    relevance_only,
)
from matcher.allocation.flow import greedy_cover_set
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.ranking import Ranker


def test_a_strong_candidate_is_not_sent_everywhere():
    # Candidate 0 is best for both vacancies; with attention 1 the second vacancy gets candidate 2.
    rel = sp.csr_matrix([[0.9, 0.8], [0.5, 0.0], [0.0, 0.4]])
    alloc = allocate(rel, openings=1, attention=1, per_opening=1)
    assert [rows.tolist() for rows in alloc.lists] == [[1], [0]]
    assert relevance_only(rel, 1, 1).lists[1].tolist() == [0]


def test_coverage_comes_before_score():
    # Vacancy 1 has exactly candidates 0..4; vacancy 0 could use them too (higher scores) but has others.
    dense = np.zeros((10, 2))
    dense[:5, 1] = 0.3
    dense[:, 0] = np.linspace(0.2, 0.95, 10)[::-1]
    alloc = allocate(sp.csr_matrix(dense), openings=1, attention=1, per_opening=5)
    assert sorted(alloc.lists[1].tolist()) == [0, 1, 2, 3, 4]
    assert sorted(alloc.lists[0].tolist()) == [5, 6, 7, 8, 9]


def test_lists_are_ordered_by_score_and_respect_openings():
    rel = sp.csr_matrix(np.array([[0.2, 0.9], [0.8, 0.1], [0.5, 0.6], [0.7, 0.0]]))
    alloc = allocate(rel, openings=np.array([2, 1]), attention=2, per_opening=1)
    assert alloc.lists[0].tolist() == [1, 3]
    assert alloc.lists[1].tolist() == [0]
    assert np.all(np.diff(alloc.scores[0]) <= 0)


def test_spread_moves_a_second_proposal_to_someone_else():
    # Candidate 0 slightly better everywhere; a spreading cost above the gap hands vacancy 1 to candidate 1.
    rel = sp.csr_matrix([[0.80, 0.80], [0.75, 0.75]])
    assert allocate(rel, 1, attention=2, per_opening=1, spread=0.0).exposure().tolist() in ([2, 0], [1, 1])
    assert allocate(rel, 1, attention=2, per_opening=1, spread=0.1).exposure().tolist() == [1, 1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"relevance": np.ones((2, 2))}, "scipy.sparse"),
        ({"relevance": sp.csr_matrix([[-0.1]])}, "non-negative"),
        ({"relevance": sp.csr_matrix([[0.1]]), "per_opening": 0}, "per_opening"),
        ({"relevance": sp.csr_matrix([[0.1]]), "attention": -1}, "attention"),
    ],
)
def test_bad_inputs_name_the_parameter(kwargs, message):
    with pytest.raises(ValueError, match=message):
        allocate(**kwargs)


@st.composite
def sparse_instances(draw):
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, 6))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    mask = rng.random((n, m)) < draw(st.floats(0.1, 1.0))
    scores = np.round(rng.random((n, m)), 3) * mask
    rel = sp.csr_matrix(np.where(mask, scores + 0.001, 0))
    openings = rng.integers(0, 3, m)
    attention = draw(st.integers(0, 3))
    return rel, openings, attention


def _max_suggestions(rel: sp.csr_matrix, wanted: np.ndarray, attention: int) -> int:
    """Reference: the maximum number of suggestions by scipy's max-flow on the same network."""
    n, m = rel.shape
    src, sink = n + m, n + m + 1
    cand, vac = rel.nonzero()
    rows = np.concatenate([np.full(n, src), cand, n + np.arange(m)])
    cols = np.concatenate([np.arange(n), n + vac, np.full(m, sink)])
    caps = np.concatenate([np.full(n, attention), np.ones(len(cand)), wanted]).astype(np.int32)
    graph = sp.csr_matrix((caps, (rows, cols)), shape=(n + m + 2, n + m + 2))
    return int(maximum_flow(graph, src, sink).flow_value)


def _fits(rel: sp.csr_matrix, attention: int, columns: np.ndarray, cover: int) -> bool:
    """Reference: can every vacancy in ``columns`` receive ``cover`` at once? (scipy's max-flow)"""
    n, m = rel.shape
    src, sink = n + m, n + m + 1
    cand, vac = rel.nonzero()
    keep = np.isin(vac, columns)
    rows = np.concatenate([np.full(n, src), cand[keep], n + np.asarray(columns, dtype=np.int64)])
    cols = np.concatenate([np.arange(n), n + vac[keep], np.full(len(columns), sink)])
    caps = np.concatenate([np.full(n, attention), np.ones(int(keep.sum())), np.full(len(columns), cover)])
    graph = sp.csr_matrix((caps.astype(np.int32), (rows, cols)), shape=(n + m + 2, n + m + 2))
    return int(maximum_flow(graph, src, sink).flow_value) == cover * len(columns)


def _max_coverage(rel: sp.csr_matrix, attention: int, eligible: np.ndarray, cover: int) -> int:
    """Reference: the most eligible vacancies that can all reach ``cover``, by trying every subset."""
    cols = np.flatnonzero(eligible)
    best = 0
    for mask in range(1 << len(cols)):
        subset = cols[[bool(mask >> i & 1) for i in range(len(cols))]]
        if len(subset) > best and _fits(rel, attention, subset, cover):
            best = len(subset)
    return best


@given(sparse_instances(), st.integers(2, 3), st.integers(1, 2))
def test_allocation_is_feasible_and_covers_the_most_vacancies(instance, per_opening, cover):
    rel, openings, attention = instance
    alloc = allocate(rel, openings, attention, per_opening, cover=cover)
    chosen = alloc.chosen.toarray()
    assert not (chosen & (rel.toarray() == 0)).any()  # only allowed pairs
    assert (chosen.sum(axis=1) <= attention).all()
    assert (chosen.sum(axis=0) <= openings * per_opening).all()
    eligible = (np.diff(rel.tocsc().indptr) >= cover) & (openings * per_opening >= cover)
    best = _max_coverage(rel, attention, eligible, cover)
    received = chosen.sum(axis=0)
    assert int((received[eligible] >= cover).sum()) >= best  # the most vacancies reach their minimum
    assert int(alloc.guaranteed.sum()) == best
    assert best <= alloc.coverage_bound <= int(eligible.sum())
    again = allocate(rel, openings, attention, per_opening, cover=cover)
    assert all(np.array_equal(a, b) for a, b in zip(alloc.lists, again.lists, strict=True))


def test_the_exact_coverage_stage_beats_giving_up_greedily():
    # Attention 1, minimum 2: greedily giving up the vacancy furthest from its minimum covers 2 of the
    # 4 vacancies here; the integer program finds 3 (vacancy 2 ← 0, 1; 1 ← 2, 3; 3 ← 4, 5).
    dense = np.array([[0, 0, 1, 0], [0, 0, 1, 0], [0, 1, 1, 0], [1, 1, 1, 1], [0, 0, 1, 1], [1, 0, 0, 1]], float)
    rel = sp.csr_matrix(dense * 0.5)
    att = np.ones(6, dtype=np.int64)
    eligible = np.ones(4, dtype=bool)
    assert greedy_cover_set(rel, att, eligible, 2).sum() == 2
    alloc = allocate(rel, openings=1, attention=1, per_opening=2, cover=2)
    assert int(alloc.guaranteed.sum()) == _max_coverage(rel, 1, eligible, 2) == 3
    assert sum(len(rows) >= 2 for rows in alloc.lists) == 3


def test_without_binding_attention_it_is_relevance_only():
    # Distinct scores, attention above every demand, no coverage stage: the best pairs by score.
    rng = np.random.default_rng(3)
    dense = np.where(rng.random((12, 4)) < 0.6, rng.permutation(48).reshape(12, 4) / 48 + 0.01, 0)
    rel = sp.csr_matrix(dense)
    alloc = allocate(rel, openings=1, attention=4, per_opening=3, spread=0.0, cover=0)
    base = relevance_only(rel, openings=1, per_opening=3)
    assert [rows.tolist() for rows in alloc.lists] == [rows.tolist() for rows in base.lists]


@given(st.integers(1, 6), st.integers(0, 5), st.integers(0, 2**31 - 1))
def test_one_to_one_allocation_is_the_optimal_assignment_of_ndcg(m, extra, seed):
    # Dense scores, attention 1, one suggestion per vacancy: nDCG@1 of a vacancy is its score over its
    # best score, so the flow is the maximum-weight assignment of those ratios.
    scores = np.random.default_rng(seed).integers(1, 1000, (m + extra, m)) / 1000
    alloc = allocate(sp.csr_matrix(scores), openings=1, attention=1, per_opening=1, spread=0.0, cover=0)
    ratio = scores / scores.max(axis=0)
    rows, cols = linear_sum_assignment(ratio, maximize=True)
    got = sum(ratio[alloc.lists[j], j].sum() for j in range(m))
    assert np.isclose(got, ratio[rows, cols].sum(), atol=1e-5)


def test_gini_and_entropy_hand_cases():
    assert gini(np.array([1, 1, 1, 1])) == 0.0
    assert gini(np.array([0, 0, 0, 4])) == pytest.approx(0.75)
    assert gini(np.array([1, 3])) == pytest.approx(0.25)  # mean abs difference 1 over 2·mean 2
    assert normalised_entropy(np.array([2, 2, 2])) == pytest.approx(1.0)
    assert normalised_entropy(np.array([4, 0])) == pytest.approx(0.0)


def test_ndcg_hand_case():
    # Vacancy 0 gains: rows 0,1,2 = 1.0, 0.5, 0.0; list [1, 0] against ideal [0, 1].
    gain = sp.csc_matrix(np.array([[1.0], [0.5], [0.0]]))
    got = ndcg([np.array([1, 0])], gain, wanted=np.array([2]))
    dcg, idcg = 0.5 + 1.0 / np.log2(3), 1.0 + 0.5 / np.log2(3)
    assert got[0] == pytest.approx(dcg / idcg)


def test_metrics_hand_case():
    # 6 candidates, 2 vacancies; vacancy 0 has 5 allowed, vacancy 1 has 2 (not eligible).
    dense = np.zeros((6, 2))
    dense[:5, 0] = [0.9, 0.8, 0.7, 0.6, 0.5]
    dense[[0, 5], 1] = [0.9, 0.4]
    rel = sp.csr_matrix(dense)
    base = relevance_only(rel, openings=1, per_opening=5)
    figures = allocation_metrics(rel, base)
    assert figures["eligible_vacancies"] == 1 and figures["coverage"] == 1.0
    assert figures["exposure_max"] == 2  # candidate 0 in both lists
    assert figures["share_suggested"] == 1.0
    assert figures["mean_score"] == pytest.approx((0.9 + 0.8 + 0.7 + 0.6 + 0.5 + 0.9 + 0.4) / 7)
    assert figures["exposure_gini"] == pytest.approx(gini(np.array([2, 1, 1, 1, 1, 1])))
    assert figures["ndcg@10"] == pytest.approx(1.0)  # gains are the scores: relevance-only is ideal


@pytest.fixture(scope="module")
def ranker(taxonomy):
    pool = generate_pool(n_candidates=400, n_vacancies=25, seed=4, taxonomy=taxonomy)
    return Ranker.from_profiles(taxonomy, pool.candidates, pool.vacancies, today=REFERENCE_DATE)


def test_allocate_run_respects_attention_and_reports_both_rankings(ranker):
    run = allocate_run(ranker, top_n=30, attention=2)
    exposure = run.allocation.exposure()
    assert exposure.max() <= 2
    suggested = run.suggestions()
    assert set(suggested) == set(ranker.vacancies.ids)
    for vid, items in suggested.items():
        assert len(items) <= ranker.vacancies.profile(vid).positions * 5
        for cid, _ in items:
            assert ranker.check(cid, vid).strict
    m = run.metrics
    assert m["allocated"]["exposure_max"] <= m["relevance_only"]["exposure_max"]
    assert m["allocated"]["mean_score"] <= m["relevance_only"]["mean_score"] + 1e-9
    assert 0 <= m["allocated"]["ndcg@10"] <= 1
    assert "relevance-only" in run.summary()
    assert run.to_dict()["metrics"]["parameters"]["gain"].startswith("simulated")


def test_allocate_lists_matches_the_run_on_the_same_pairs(ranker):
    lists = ranker.top_candidates(ranker.vacancies.ids, k=30, stretch=False)
    need = {cid: int(ranker.candidates.profile(cid).coaching_need) for cid in ranker.candidates.ids}
    openings = {vid: ranker.vacancies.profile(vid).positions for vid in ranker.vacancies.ids}
    from_lists = allocate_lists(lists, openings, coaching_need=need)
    from_run = allocate_run(ranker, top_n=30)
    assert from_lists.suggestions() == {
        vid: items for vid, items in from_run.suggestions().items() if vid in from_lists.vacancy_ids
    }
    assert from_lists.metrics["allocated"]["coverage"] == pytest.approx(from_run.metrics["allocated"]["coverage"])


def test_allocate_scored_takes_plain_lists_and_gives_the_same_as_the_matrix():
    scored = {"v1": [("c1", 0.9), ("c2", 0.5)], "v2": [("c1", 0.8), ("c3", 0.4)]}
    run = allocate_scored(scored, attention=1, per_opening=1)
    assert run.suggestions() == {"v1": [("c2", 0.5)], "v2": [("c1", 0.8)]}
    assert run.suggestions("relevance_only") == {"v1": [("c1", 0.9)], "v2": [("c1", 0.8)]}
    assert run.metrics["parameters"]["gain"] == "score"


@pytest.mark.parametrize("shape", [(3, 2), (0, 2), (3, 0), (0, 0)])
def test_nothing_allowed_gives_empty_lists(shape):
    rel = sp.csr_matrix(shape)
    alloc = allocate(rel)
    assert [rows.tolist() for rows in alloc.lists] == [[] for _ in range(shape[1])]
    assert allocation_metrics(rel, alloc)["suggestions"] == 0


def test_allocate_run_with_no_vacancies(ranker):
    run = allocate_run(ranker, vacancy_ids=[])
    assert run.suggestions() == {} and run.metrics["allocated"]["suggestions"] == 0


def test_coverage_and_exposure_hand_case():
    # v0 has 6 fitting candidates and gets 5; v1 has 5 in the pool but only 4 were kept, so it gets 4
    # (eligible, not covered); v2 has 2 (not eligible). Exposure per candidate: 3, 2, 2, 2, 1, 0, 1.
    dense = np.zeros((7, 3))
    dense[:6, 0] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    dense[:4, 1] = [0.9, 0.8, 0.7, 0.6]
    dense[[0, 6], 2] = [0.9, 0.4]
    rel = sp.csr_matrix(dense)
    base = relevance_only(rel, openings=1, per_opening=5)
    figures = allocation_metrics(rel, base, allowed_counts=np.array([6, 5, 2]))
    exposure = np.array([3, 2, 2, 2, 1, 0, 1])
    assert base.exposure().tolist() == exposure.tolist()
    assert figures["eligible_vacancies"] == 2 and figures["coverage"] == 0.5
    assert figures["exposure_max"] == 3 and figures["share_suggested"] == pytest.approx(6 / 7)
    mean_abs_difference = np.abs(exposure[:, None] - exposure[None, :]).mean()
    assert figures["exposure_gini"] == pytest.approx(mean_abs_difference / (2 * exposure.mean()))
    p = np.array([5, 4, 2]) / 11
    assert figures["congestion_entropy_vacancies"] == pytest.approx(-(p * np.log(p)).sum() / np.log(3))
