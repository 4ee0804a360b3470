"""The learned scorer: integrity of the model file, probabilities, monotonicity, explanations."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from matcher.features import FEATURES, INCREASING, F
from matcher.geo import distance_km
from matcher.learned import (
    DEFAULT_MODEL_VERSION,
    HASH_FILE,
    MODEL_FILE,
    LearnedScorer,
    ModelIntegrityError,
    default_model_dir,
    load_model,
    save_model,
)
from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import CEFR, Competence, LanguageLevel, SupportOffered
from matcher.ranking import Ranker
from profiles_factory import POSTCODES, TODAY, candidates, vacancies

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


@pytest.fixture(scope="module")
def shipped() -> LearnedScorer:
    return load_model(default_model_dir())


@pytest.fixture()
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(default_model_dir(), target)
    return target


def test_tampered_model_file_is_refused(model_copy) -> None:
    path = model_copy / MODEL_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    expected = (model_copy / HASH_FILE).read_text().split()[0]
    with pytest.raises(ModelIntegrityError) as refused:
        load_model(model_copy)
    message = str(refused.value)
    assert str(path) in message and expected in message
    assert len(set(re.findall(r"\b[0-9a-f]{64}\b", message))) == 2  # the actual and the recorded hash


def test_model_without_hash_file_is_refused(model_copy) -> None:
    (model_copy / HASH_FILE).unlink()
    with pytest.raises(ModelIntegrityError, match=r"checksum file .* is missing"):
        load_model(model_copy)


def test_malformed_hash_file_is_refused(model_copy) -> None:
    (model_copy / HASH_FILE).write_text("not-a-hash  model.joblib\n")
    with pytest.raises(ModelIntegrityError, match="does not hold a sha256"):
        load_model(model_copy)


def test_shipped_model_predicts_probabilities(shipped) -> None:
    X = np.random.default_rng(0).uniform(0, 1, size=(2000, len(FEATURES))).astype(np.float32)
    p = shipped.predict_proba(X)
    assert shipped.version == DEFAULT_MODEL_VERSION
    assert p.shape == (2000, 2) and np.all((p >= 0) & (p <= 1)) and np.allclose(p.sum(axis=1), 1)
    assert shipped.predict_fit(X).dtype == np.float32


def test_a_pair_scores_the_same_alone_and_in_a_block(shipped) -> None:
    X = np.random.default_rng(1).uniform(0, 2, size=(500, len(FEATURES))).astype(np.float32)
    together = shipped.predict_fit(X)
    alone = np.array([shipped.predict_fit(X[i : i + 1])[0] for i in range(0, 500, 50)])
    assert np.array_equal(together[::50], alone)


def test_lookup_tables_match_the_trees(shipped) -> None:
    X = np.random.default_rng(2).uniform(0, 3, size=(5000, len(FEATURES))).astype(np.float32)
    trees = shipped.calibration_slope_ * shipped.model_.decision_function(X) + shipped.calibration_offset_
    assert np.abs(shipped.decision_function(X) - trees).max() < 1e-4


def test_unfitted_scorer_says_what_to_call() -> None:
    with pytest.raises(NotFittedError, match="LearnedScorer"):
        LearnedScorer().predict_fit(np.zeros((1, len(FEATURES))))


def test_save_then_load_round_trips(tmp_path, shipped) -> None:
    save_model(shipped, tmp_path)
    X = np.random.default_rng(3).uniform(0, 1, size=(50, len(FEATURES))).astype(np.float32)
    assert np.array_equal(load_model(tmp_path).predict_fit(X), shipped.predict_fit(X))


@given(feature_rows, st.sampled_from(FEATURES), st.floats(0.01, 2.0))
def test_raising_a_feature_moves_the_score_in_its_direction(shipped, x, name, delta) -> None:
    raised = x.copy()
    raised[0, F[name]] += np.float32(delta)
    before, after = shipped.predict_fit(x)[0], shipped.predict_fit(raised)[0]
    assert after >= before if name in INCREASING else after <= before


@given(feature_rows, st.floats(0.01, 1.0))
def test_support_that_bridges_a_gap_never_lowers_the_score(shipped, x, share) -> None:
    steps = np.float32(min(float(x[0, F["language_gap_open"]]), 1.0))
    bridged = x.copy()
    bridged[0, F["language_gap_open"]] -= steps
    bridged[0, F["language_gap_bridged"]] += steps
    trainable = x.copy()
    moved = np.float32(share) * x[0, F["missing_must_skills"]]
    trainable[0, F["missing_must_skills"]] -= moved
    trainable[0, F["trainable_gap"]] += moved
    assert shipped.predict_fit(bridged)[0] >= shipped.predict_fit(x)[0]
    assert shipped.predict_fit(trainable)[0] >= shipped.predict_fit(x)[0]


def test_contributions_sum_to_the_logit_and_keep_each_features_sign(shipped) -> None:
    X = np.random.default_rng(4).uniform(0, 1.5, size=(10, len(FEATURES))).astype(np.float32)
    contributions = shipped.contributions(X)
    assert contributions.shape == X.shape
    assert np.allclose(contributions.sum(axis=1) + shipped.reference_logit_, shipped.decision_function(X), atol=1e-4)
    increasing = np.array([name in INCREASING for name in FEATURES])
    assert np.all(contributions[:, increasing] >= -1e-6) and np.all(contributions[:, ~increasing] <= 1e-6)
    assert np.all(shipped.contributions(np.zeros((1, len(FEATURES)), dtype=np.float32)) == 0)


def pair_score(encoding, scorer, cand, vac) -> float:
    ranker = Ranker(CandidatePool(encoding, [cand]), VacancyPool(encoding, [vac]), scorer=scorer, today=TODAY)
    return float(ranker.score_block(slice(None), np.arange(1))[1][0, 0])


profile_examples = settings(max_examples=25)


@profile_examples
@given(candidates("c"), vacancies("v"), st.data())
def test_giving_a_required_competence_never_lowers_the_learned_score(encoding, shipped, cand, vac, data) -> None:
    asked = [r.value for r in vac.requirements if r.kind.value == "competence"]
    assume(asked)
    skill = data.draw(st.sampled_from(asked))
    better = cand.model_copy(update={"competences": [*cand.competences, Competence(uri=skill)]})
    assert pair_score(encoding, shipped, better, vac) >= pair_score(encoding, shipped, cand, vac)


@profile_examples
@given(candidates("c"), vacancies("v"))
def test_raising_dutch_never_lowers_the_learned_score(encoding, shipped, cand, vac) -> None:
    level = cand.language_level("nl")
    assume(level < CEFR.C2)
    others = [lang for lang in cand.languages if lang.language != "nl"]
    better = cand.model_copy(update={"languages": [*others, LanguageLevel(language="nl", level=CEFR(level + 1))]})
    assert pair_score(encoding, shipped, better, vac) >= pair_score(encoding, shipped, cand, vac)


@profile_examples
@given(
    candidates("c"), vacancies("v"), st.sampled_from(["on_the_job", "course"]), st.sampled_from(["mentor", "job_coach"])
)
def test_offering_support_never_lowers_the_learned_score(encoding, shipped, cand, vac, language, coaching) -> None:
    base = vac.support
    support = SupportOffered(
        language_support=max(int(base.language_support), ["none", "on_the_job", "course"].index(language)),
        workplace_coaching=max(int(base.workplace_coaching), ["none", "mentor", "job_coach"].index(coaching)),
        coaching_capacity=max(base.coaching_capacity, 1),
        training_on_the_job=base.training_on_the_job,
    )
    better = vac.model_copy(update={"support": support})
    assert pair_score(encoding, shipped, cand, better) >= pair_score(encoding, shipped, cand, vac)


@profile_examples
@given(candidates("c"), vacancies("v"), st.sampled_from(POSTCODES))
def test_moving_closer_never_lowers_the_learned_score(encoding, shipped, cand, vac, new_postcode) -> None:
    assume(distance_km(new_postcode, vac.postcode) <= distance_km(cand.postcode, vac.postcode))
    closer = cand.model_copy(update={"postcode": new_postcode})
    assert pair_score(encoding, shipped, closer, vac) >= pair_score(encoding, shipped, cand, vac)
