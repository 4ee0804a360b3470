"""The transparent scorer: estimator contract, monotone weights, and score properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from matcher.features import FEATURES
from matcher.geo import distance_km
from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import CEFR, Competence, LanguageLevel, SupportOffered
from matcher.ranking import Ranker
from matcher.scoring import TransparentScorer
from profiles_factory import POSTCODES, TODAY, candidates, vacancies


def pair_score(encoding, cand, vac) -> float:
    ranker = Ranker(CandidatePool(encoding, [cand]), VacancyPool(encoding, [vac]), today=TODAY)
    _, scores = ranker.score_block(slice(None), np.arange(1))
    return float(scores[0, 0])


def test_unfitted_scorer_says_what_to_call() -> None:
    with pytest.raises(NotFittedError, match="TransparentScorer"):
        TransparentScorer().predict_fit(np.zeros((1, len(FEATURES))))


def test_weight_with_wrong_sign_is_refused() -> None:
    with pytest.raises(ValueError, match=r"must_coverage.*non-negative"):
        TransparentScorer(weights={"must_coverage": -1.0}).fit()
    with pytest.raises(ValueError, match="unknown feature 'charm'"):
        TransparentScorer(weights={"charm": 1.0}).fit()


def test_scores_are_probabilities() -> None:
    X = np.random.default_rng(0).uniform(-5, 5, size=(1000, len(FEATURES))).astype(np.float32)
    p = TransparentScorer().fit().predict_proba(X)
    assert p.shape == (1000, 2) and np.all((p >= 0) & (p <= 1)) and np.allclose(p.sum(axis=1), 1)


@given(candidates("c"), vacancies("v"), st.data())
def test_giving_a_required_competence_never_lowers_the_score(encoding, cand, vac, data) -> None:
    asked = [r.value for r in vac.requirements if r.kind.value == "competence"]
    assume(asked)
    skill = data.draw(st.sampled_from(asked))
    better = cand.model_copy(update={"competences": [*cand.competences, Competence(uri=skill)]})
    assert pair_score(encoding, better, vac) >= pair_score(encoding, cand, vac)


@given(candidates("c"), vacancies("v"))
def test_raising_dutch_never_lowers_the_score(encoding, cand, vac) -> None:
    level = cand.language_level("nl")
    assume(level < CEFR.C2)
    others = [lang for lang in cand.languages if lang.language != "nl"]
    better = cand.model_copy(update={"languages": [*others, LanguageLevel(language="nl", level=CEFR(level + 1))]})
    assert pair_score(encoding, better, vac) >= pair_score(encoding, cand, vac)


@given(
    candidates("c"), vacancies("v"), st.sampled_from(["on_the_job", "course"]), st.sampled_from(["mentor", "job_coach"])
)
def test_offering_support_never_lowers_the_score(encoding, cand, vac, language_support, coaching) -> None:
    base = vac.support
    stronger_language = max(int(base.language_support), ["none", "on_the_job", "course"].index(language_support))
    stronger_coaching = max(int(base.workplace_coaching), ["none", "mentor", "job_coach"].index(coaching))
    support = SupportOffered(
        language_support=stronger_language,
        workplace_coaching=stronger_coaching,
        coaching_capacity=max(base.coaching_capacity, 1),
        training_on_the_job=base.training_on_the_job,
    )
    better = vac.model_copy(update={"support": support})
    assert pair_score(encoding, cand, better) >= pair_score(encoding, cand, vac)


@given(candidates("c"), vacancies("v"), st.sampled_from(POSTCODES))
def test_moving_closer_never_lowers_the_score(encoding, cand, vac, new_postcode) -> None:
    assume(distance_km(new_postcode, vac.postcode) <= distance_km(cand.postcode, vac.postcode))
    closer = cand.model_copy(update={"postcode": new_postcode})
    assert pair_score(encoding, closer, vac) >= pair_score(encoding, cand, vac)
