"""The contract every scorer keeps, run over each one: a new scorer is added to SCORERS, not copied tests.

Monotone in each feature's direction (on feature rows and on profiles), the same score for a pair
whichever way it is ranked and whatever block it is in, NaN and inf refused naming the feature,
probabilities of the right shape, and scikit-learn's own estimator checks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

from matcher.features import FEATURES, INCREASING, F
from matcher.geo import distance_km
from matcher.learned import LearnedScorer, load_shipped_model
from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import CEFR, Competence, LanguageLevel, SupportOffered
from matcher.ranking import Ranker
from matcher.scoring import TransparentScorer, default_scorer
from profiles_factory import POSTCODES, TODAY, candidates, pools, vacancies

SCORERS = {"transparent": default_scorer(), "placement": load_shipped_model()}
scorer_names = pytest.mark.parametrize("name", sorted(SCORERS))

UPPER = {  # plausible ranges of each feature, from matcher.features
    "must_coverage": 1,
    "other_coverage": 1,
    "trainable_gap": 1,
    "missing_must_skills": 1,
    "language_gap_open": 6,
    "language_gap_bridged": 2,
    "coaching_unmet": 2,
    "commute_ratio": 1,
    "hours_fit": 1,
    "shift_fit": 1,
    "experience_gap_years": 5,
    "occupation_match": 1,
    "licence_missing": 2,
    "education_gap": 5,
}
feature_rows = st.tuples(*[st.floats(0, UPPER[name], width=32) for name in FEATURES]).map(
    lambda row: np.array([row], dtype=np.float32)
)


@pytest.fixture(autouse=True, scope="module")
def one_openmp_thread():
    """The estimator checks fit on tiny data: extra OpenMP threads only spin-wait on a busy machine."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


def random_features(seed: int, n: int, high: float = 1.5) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, high, size=(n, len(FEATURES))).astype(np.float32)


@scorer_names
def test_predict_proba_is_a_probability_per_pair(name) -> None:
    scorer = SCORERS[name]
    X = random_features(0, 2000, high=3.0)
    p = scorer.predict_proba(X)
    assert p.shape == (2000, 2) and np.all((p >= 0) & (p <= 1)) and np.allclose(p.sum(axis=1), 1)
    fit = scorer.predict_fit(X)
    assert fit.dtype == np.float32 and np.array_equal(fit, p[:, 1].astype(np.float32))
    assert np.array_equal(scorer.predict(X), (fit >= 0.5).astype(int))
    assert scorer.predict_fit(np.zeros((0, len(FEATURES)), dtype=np.float32)).shape == (0,)


@scorer_names
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("method", ["predict_fit", "predict_proba", "decision_function", "contributions"])
def test_non_finite_features_are_refused_naming_the_feature(name, bad, method) -> None:
    X = random_features(1, 20)
    X[7, F["commute_ratio"]] = bad
    with pytest.raises(ValueError, match=r"feature 'commute_ratio' is .* \(NaN or inf\) in row 7"):
        getattr(SCORERS[name], method)(X)


@scorer_names
def test_wrong_width_is_refused(name) -> None:
    with pytest.raises(ValueError, match=f"shape \\(n_pairs, {len(FEATURES)}\\)"):
        SCORERS[name].predict_fit(np.zeros((3, len(FEATURES) - 1), dtype=np.float32))


@scorer_names
def test_unfitted_scorer_says_what_to_call(name) -> None:
    with pytest.raises(NotFittedError, match=type(SCORERS[name]).__name__):
        clone(SCORERS[name]).predict_fit(np.zeros((1, len(FEATURES)), dtype=np.float32))


@scorer_names
@given(x=feature_rows, feature=st.sampled_from(FEATURES), delta=st.floats(0.01, 2.0))
def test_raising_a_feature_moves_the_score_in_its_direction(name, x, feature, delta) -> None:
    scorer = SCORERS[name]
    raised = x.copy()
    raised[0, F[feature]] += np.float32(delta)
    before, after = scorer.predict_fit(x)[0], scorer.predict_fit(raised)[0]
    assert after >= before if feature in INCREASING else after <= before


@scorer_names
@given(x=feature_rows, share=st.floats(0.01, 1.0))
def test_support_that_bridges_a_gap_never_lowers_the_score(name, x, share) -> None:
    scorer = SCORERS[name]
    steps = np.float32(min(float(x[0, F["language_gap_open"]]), 1.0))
    bridged = x.copy()
    bridged[0, F["language_gap_open"]] -= steps
    bridged[0, F["language_gap_bridged"]] += steps
    trainable = x.copy()
    moved = np.float32(share) * x[0, F["missing_must_skills"]]
    trainable[0, F["missing_must_skills"]] -= moved
    trainable[0, F["trainable_gap"]] += moved
    assert scorer.predict_fit(bridged)[0] >= scorer.predict_fit(x)[0]
    assert scorer.predict_fit(trainable)[0] >= scorer.predict_fit(x)[0]


@scorer_names
def test_a_pair_scores_bitwise_the_same_alone_and_in_any_block(name) -> None:
    scorer = SCORERS[name]
    X = random_features(2, 500, high=2.0)
    together = scorer.predict_fit(X)
    alone = np.array([scorer.predict_fit(X[i : i + 1])[0] for i in range(0, 500, 50)])
    shuffled = np.random.default_rng(3).permutation(500)
    assert np.array_equal(together[::50], alone)
    assert np.array_equal(scorer.predict_fit(X[shuffled]), together[shuffled])


@scorer_names
def test_contributions_sum_to_the_logit_and_keep_each_features_sign(name) -> None:
    scorer = SCORERS[name]
    X = random_features(4, 10)
    contributions = scorer.contributions(X)
    reference = scorer.decision_function(np.zeros((1, len(FEATURES)), dtype=np.float32))[0]
    assert contributions.shape == X.shape
    assert np.allclose(contributions.sum(axis=1) + reference, scorer.decision_function(X), atol=1e-4)
    increasing = np.array([feature in INCREASING for feature in FEATURES])
    assert np.all(contributions[:, increasing] >= -1e-6) and np.all(contributions[:, ~increasing] <= 1e-6)
    assert np.all(scorer.contributions(np.zeros((1, len(FEATURES)), dtype=np.float32)) == 0)


def make_ranker(encoding, cands, vacs, scorer) -> Ranker:
    return Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, vacs), scorer=scorer, today=TODAY)


@scorer_names
@given(pool=pools())
def test_both_ranking_directions_give_bitwise_the_same_score(encoding, name, pool) -> None:
    cands, vacs = pool
    ranker = make_ranker(encoding, cands, vacs, SCORERS[name])
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


def pair_score(encoding, scorer, cand, vac) -> float:
    _, scores = make_ranker(encoding, [cand], [vac], scorer).score_block(slice(None), np.arange(1))
    return float(scores[0, 0])


profile_examples = settings(max_examples=25)


@scorer_names
@profile_examples
@given(cand=candidates("c"), vac=vacancies("v"), data=st.data())
def test_giving_a_required_competence_never_lowers_the_score(encoding, name, cand, vac, data) -> None:
    asked = [r.value for r in vac.requirements if r.kind.value == "competence"]
    assume(asked)
    skill = data.draw(st.sampled_from(asked))
    better = cand.model_copy(update={"competences": [*cand.competences, Competence(uri=skill)]})
    assert pair_score(encoding, SCORERS[name], better, vac) >= pair_score(encoding, SCORERS[name], cand, vac)


@scorer_names
@profile_examples
@given(cand=candidates("c"), vac=vacancies("v"))
def test_raising_dutch_never_lowers_the_score(encoding, name, cand, vac) -> None:
    level = cand.language_level("nl")
    assume(level < CEFR.C2)
    others = [lang for lang in cand.languages if lang.language != "nl"]
    better = cand.model_copy(update={"languages": [*others, LanguageLevel(language="nl", level=CEFR(level + 1))]})
    assert pair_score(encoding, SCORERS[name], better, vac) >= pair_score(encoding, SCORERS[name], cand, vac)


@scorer_names
@profile_examples
@given(
    cand=candidates("c"),
    vac=vacancies("v"),
    language=st.sampled_from(["on_the_job", "course"]),
    coaching=st.sampled_from(["mentor", "job_coach"]),
)
def test_offering_support_never_lowers_the_score(encoding, name, cand, vac, language, coaching) -> None:
    base = vac.support
    support = SupportOffered(
        language_support=max(int(base.language_support), ["none", "on_the_job", "course"].index(language)),
        workplace_coaching=max(int(base.workplace_coaching), ["none", "mentor", "job_coach"].index(coaching)),
        coaching_capacity=max(base.coaching_capacity, 1),
        training_on_the_job=base.training_on_the_job,
    )
    better = vac.model_copy(update={"support": support})
    assert pair_score(encoding, SCORERS[name], cand, better) >= pair_score(encoding, SCORERS[name], cand, vac)


@scorer_names
@profile_examples
@given(cand=candidates("c"), vac=vacancies("v"), new_postcode=st.sampled_from(POSTCODES))
def test_moving_closer_never_lowers_the_score(encoding, name, cand, vac, new_postcode) -> None:
    assume(distance_km(new_postcode, vac.postcode) <= distance_km(cand.postcode, vac.postcode))
    closer = cand.model_copy(update={"postcode": new_postcode})
    assert pair_score(encoding, SCORERS[name], closer, vac) >= pair_score(encoding, SCORERS[name], cand, vac)


# scikit-learn's estimator checks. Their data have 1 to 10 columns; a scorer reads exactly the
# len(FEATURES) pair features in a fixed order and refuses any other width (check_features), so
# every check that fits or predicts on such data cannot apply. What each would have verified:
FIXED_WIDTH = {
    "check_classifier_data_not_an_array": "fit/predict on lists instead of arrays",
    "check_classifiers_classes": "string and integer class labels",
    "check_classifiers_one_label": "a clear error for a single class",
    "check_classifiers_train": "training accuracy and output shapes",
    "check_decision_proba_consistency": "decision_function and predict_proba rank alike",
    "check_dict_unchanged": "predicting leaves the estimator unchanged",
    "check_dont_overwrite_parameters": "fit leaves public parameters alone",
    "check_dtype_object": "object-dtype input",
    "check_estimators_dtypes": "float32, int32 and int64 input",
    "check_estimators_fit_returns_self": "fit returns self",
    "check_estimators_nan_inf": "NaN and inf refused (our own test above covers it at 14 columns)",
    "check_estimators_overwrite_params": "fit keeps parameters",
    "check_estimators_pickle": "pickling a fitted estimator",
    "check_f_contiguous_array_estimator": "Fortran-ordered input",
    "check_fit2d_1feature": "a one-feature matrix",
    "check_fit2d_1sample": "a one-sample matrix",
    "check_fit2d_predict1d": "1-D input to predict after fitting",
    "check_fit_check_is_fitted": "check_is_fitted before and after fit",
    "check_fit_idempotent": "fitting twice gives the same predictions",
    "check_fit_score_takes_y": "fit and score accept y",
    "check_methods_sample_order_invariance": "row order does not change a row's output (own test above)",
    "check_methods_subset_invariance": "a subset's output equals the rows' output (own test above)",
    "check_n_features_in": "n_features_in_ equals the width fitted on",
    "check_n_features_in_after_fitting": "a width mismatch is refused after fitting",
    "check_non_transformer_estimators_n_iter": "n_iter_ after fitting",
    "check_pipeline_consistency": "the same results inside a Pipeline",
    "check_positive_only_tag_during_fit": "negative input",
    "check_readonly_memmap_input": "read-only memory-mapped input",
    "check_requires_y_none": "a clear error when y is None",
    "check_supervised_y_2d": "a 2-D column y",
}


def expected_failed_checks(estimator) -> dict[str, str]:
    width = len(FEATURES)
    checks = {check: f"fixed {width}-column input; the check tests {what}" for check, what in FIXED_WIDTH.items()}
    if isinstance(estimator, LearnedScorer):
        del checks["check_requires_y_none"]  # y is required and said to be; passes
    else:
        del checks["check_non_transformer_estimators_n_iter"]  # no n_iter parameter: not run
    return checks


@parametrize_with_checks(
    [TransparentScorer(), LearnedScorer(max_iter=10, min_samples_leaf=5)],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_estimator_checks(estimator, check) -> None:
    check(estimator)
