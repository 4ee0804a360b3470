"""The employer view holds no handle on a person: coarse bands, per-vacancy handles, no coaching need.

On a demo pool, every list of the busiest employer's vacancies is served as an employer sees it.
An employer trying to follow one person across two of its vacancies can only compare what the
responses show; the test checks that no value shown (a whole explanation, or the candidate-side
bands alone) belongs to exactly one person who appears in both lists.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict

import pytest

from matcher.app import rank
from matcher.app.employer_view import EXPERIENCE_BANDS, candidate_handle, experience_band
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.normalise import normalise_candidates, normalise_vacancies
from matcher.ranking import Ranker

SECRET = b"test secret for employer handles"


@pytest.fixture(scope="module")
def served(taxonomy):
    pool = generate_pool(n_candidates=1500, n_vacancies=80, seed=11, taxonomy=taxonomy)
    candidates = normalise_candidates(pool.candidates, taxonomy).records
    vacancies = normalise_vacancies(pool.vacancies, taxonomy).records
    ranker = Ranker.from_profiles(taxonomy, candidates, vacancies, today=REFERENCE_DATE)
    by_employer = defaultdict(list)
    for v in vacancies:
        by_employer[v.employer_id].append(v.id)
    busiest = max(by_employer.values(), key=len)
    employer = rank(ranker, "candidates", busiest, 10, "nl", audience="employer", secret=SECRET)
    broker = rank(ranker, "candidates", busiest, 10, "nl", audience="broker")
    return ranker, busiest, employer, broker


def _shown(item):
    """What an employer could compare across lists: the explanation without the pair's own score."""
    explanation = {k: v for k, v in item["explanation"].items() if k not in ("score", "summary")}
    return json.dumps(explanation, sort_keys=True)


def _bands(item):
    """The candidate-side values alone: experience bands and language outcomes."""
    e = item["explanation"]
    experience = tuple(sorted(o for o in e["other"] if o.startswith("Ervaring")))
    return experience, tuple(sorted((n["language"], n["status"]) for n in e["languages"]))


def _exact(item):
    """What the broker's explanation shows of the person: experience months and CEFR levels."""
    e = item["explanation"]
    experience = tuple(sorted(o for o in e["other"] if o.startswith("Ervaring")))
    return experience, tuple(sorted((n["language"], n["candidate_level"]) for n in e["languages"]))


def _linkable(shown, broker, feature):
    """How many values seen in two lists belong to exactly one person (a handle), of how many shared."""
    carriers = []  # per list: value -> the candidates it was shown for
    for emp, brk in zip(shown, broker, strict=True):
        assert emp["vacancy_id"] == brk["vacancy_id"]
        by_value = defaultdict(set)
        for e_item, b_item in zip(emp["suggestions"], brk["suggestions"], strict=True):
            by_value[feature(e_item)].add(b_item["candidate_id"])
        carriers.append(by_value)
    handles, pairs = 0, 0
    for a, b in itertools.combinations(carriers, 2):
        for value in a.keys() & b.keys():
            pairs += 1
            handles += len(a[value] | b[value]) == 1
    return handles, pairs


@pytest.mark.parametrize("feature", [_shown, _bands], ids=["explanation", "bands"])
def test_no_value_singles_out_a_person_across_two_vacancies(served, feature):
    _, vacancy_ids, employer, broker = served
    assert len(vacancy_ids) >= 5
    handles, pairs = _linkable(employer, broker, feature)
    print(f"\nemployer view, {feature.__name__}: {pairs} values shown in two lists, {handles} single out one person")
    assert handles == 0


def test_exact_values_would_single_people_out(served):
    """The same measure on the broker's exact values finds handles: the test above can fail."""
    _, _, _, broker = served
    handles, pairs = _linkable(broker, broker, _exact)
    print(f"\nbroker view, exact values: {pairs} values shown in two lists, {handles} single out one person")
    assert handles > 0


def test_handles_are_stable_per_vacancy_and_unrelated_across_vacancies(served):
    ranker, vacancy_ids, employer, broker = served
    first = employer[0]
    again = rank(ranker, "candidates", [first["vacancy_id"]], 10, "nl", audience="employer", secret=SECRET)
    assert [s["handle"] for s in again[0]["suggestions"]] == [s["handle"] for s in first["suggestions"]]
    handles = [s["handle"] for body in employer for s in body["suggestions"]]
    assert len(set(handles)) == len(handles)
    person = broker[0]["suggestions"][0]["candidate_id"]
    assert candidate_handle(vacancy_ids[0], person, SECRET) != candidate_handle(vacancy_ids[1], person, SECRET)
    assert candidate_handle(vacancy_ids[0], person, SECRET) != candidate_handle(vacancy_ids[0], person, b"other")


def test_employer_responses_carry_no_exact_value_or_coaching_need(served):
    _, _, employer, broker = served
    text = json.dumps(employer)
    for body in broker:
        for s in body["suggestions"]:
            assert s["candidate_id"] not in text
    assert "maanden, " not in text.replace("maanden gevraagd", "")
    assert "candidate_level" not in text and "coaching_need" not in text and "coaching_met" not in text
    for word in ("jobcoach", "mentor", "lichte", "intensieve"):
        assert all(
            word not in w for body in employer for s in body["suggestions"] for w in s["explanation"]["would_fit_if"]
        )
    bands = set(EXPERIENCE_BANDS["nl"])
    shown = {
        o.split(",")[0].removeprefix("Ervaring ")
        for b in employer
        for s in b["suggestions"]
        for o in s["explanation"]["other"]
        if o.startswith("Ervaring")
    }
    assert shown <= bands


@pytest.mark.parametrize(("months", "band"), [(0, 0), (11.9, 0), (12, 1), (35, 1), (36, 2), (400, 2)])
def test_experience_bands(months, band):
    assert experience_band(months, "nl") == EXPERIENCE_BANDS["nl"][band]
