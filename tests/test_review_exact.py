"""Every count of the review equals re-ranking the rewritten vacancy: adversarial pools and regressions.

The pools are built to break shortcuts: coaching offered with every place taken, must-skills that
turn into wishes and lower scores, more than 24 options, many ties. Each reported pool, gain, best
combination and path step is checked against ranking the whole pool for the vacancy rewritten by
hand (or by the option's own rewrite), and small option sets are brute-forced.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.pool import CandidatePool, VacancyPool
from matcher.profiles import Competence, Requirement, SupportOffered
from matcher.ranking import Ranker
from matcher.review import review_vacancy
from matcher.review.counts import PoolCounter
from matcher.review.options import vacancy_options
from profiles_factory import CLEANER, FORKLIFT, SKILLS, TAX, TODAY, candidate, candidates, vacancies, vacancy

THRESHOLD = 0.3


def rerank(encoding, cands, vac, threshold: float = THRESHOLD) -> int:
    """The strict pool by ranking every candidate for ``vac`` itself."""
    ranker = Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, [vac]), today=TODAY, fit_threshold=threshold)
    [ranked] = ranker.top_candidates([vac.id], k=len(cands) + 1, stretch=False)
    return len(ranked)


def apply_all(vac, options):
    for option in options:
        vac = option.apply(vac)
    return vac


def make_ranker(encoding, cands, vacs, threshold: float = THRESHOLD) -> Ranker:
    return Ranker(CandidatePool(encoding, cands), VacancyPool(encoding, vacs), today=TODAY, fit_threshold=threshold)


def assert_review_exact(encoding, cands, vac, threshold: float = THRESHOLD, brute_force_up_to: int = 7) -> None:
    review = review_vacancy(make_ranker(encoding, cands, [vac], threshold), vac.id)
    assert review.fit_threshold == threshold
    base = rerank(encoding, cands, vac, threshold)
    assert review.counts.strict == base
    singles = [g for check in review.checks for g in check.options] + review.levers
    for gain in singles:
        assert gain.pool == rerank(encoding, cands, apply_all(vac, gain.options), threshold), gain.options[0].key
        assert gain.gain == gain.pool - base
    best = review.best_combination
    if best is not None:
        assert best.pool == rerank(encoding, cands, apply_all(vac, best.options), threshold)
    if review.path is not None:
        applied = vac
        for step in review.path.steps:
            assert step.pool_before == rerank(encoding, cands, applied, threshold)
            applied = step.option.apply(applied)
            assert step.pool_after == rerank(encoding, cands, applied, threshold)
        assert review.path.reached == (review.path.best_pool >= review.path.target)
    options = list({g.options[0].key: g.options[0] for g in singles}.values())
    if len(options) <= brute_force_up_to and best is not None and not best.lower_bound:
        for size in (2, 3):
            for combo in combinations(options, size):
                if len({o.group for o in combo}) == size:
                    assert rerank(encoding, cands, apply_all(vac, combo), threshold) - base <= best.gain


@st.composite
def adversarial_pools(draw):
    """Candidates with availability and cars; vacancies with full coaching places and ESCO extras."""
    n = draw(st.integers(2, 9))
    cands = []
    for i in range(n):
        c = draw(candidates(f"cand-{i:03d}"))
        cands.append(
            c.model_copy(
                update={
                    "has_car": draw(st.booleans()),
                    "available_from": draw(st.sampled_from([None, TODAY, TODAY + timedelta(days=200)])),
                }
            )
        )
    vac = draw(vacancies("vac-under-review"))
    if draw(st.booleans()):  # coaching offered, every place taken
        coaching = draw(st.sampled_from(["mentor", "job_coach"]))
        vac = vac.model_copy(
            update={
                "support": SupportOffered(
                    workplace_coaching=coaching,
                    coaching_capacity=2,
                    coaching_places_taken=2,
                    language_support=vac.support.language_support,
                )
            }
        )
    if draw(st.booleans()):  # must-skills ESCO lists only as optional: a wishes option, which may lower scores
        occupation = TAX.occupation(CLEANER)
        optional = [s for s in occupation.optional_skills if s not in occupation.essential_skills][:3]
        essential = occupation.essential_skills[0]
        extras = [Requirement(kind="competence", value=s) for s in optional]
        trainable = Requirement(kind="competence", value=essential, trainable=draw(st.booleans()))
        kept = vac.requirements if draw(st.booleans()) else []  # alone, the drop is easiest to hit
        vac = vac.model_copy(update={"occupation_uri": CLEANER, "requirements": [*kept, trainable, *extras]})
        held = optional + ([essential] if draw(st.booleans()) else [])
        cands = [
            c.model_copy(update={"competences": [*c.competences, *(Competence(uri=s) for s in held)]})
            if draw(st.booleans())
            else c
            for c in cands
        ]
    threshold = draw(st.sampled_from([0.2, 0.3, 0.5]))
    return cands, vac.model_copy(update={"valid_through": None}), threshold


@settings(max_examples=60)
@given(adversarial_pools())
def test_every_count_gain_and_step_equals_reranking_the_rewritten_vacancy(encoding, pool) -> None:
    cands, vac, threshold = pool
    assert_review_exact(encoding, cands, vac, threshold)


def test_full_job_coach_gets_no_mentor_lever_and_an_exact_extra_place(encoding) -> None:
    """Regression (issue 14, vac-00023): "offer a mentor" was evaluated as a free job-coach place."""
    skills = TAX.occupation(FORKLIFT).essential_skills[:1]
    cands = [candidate(f"c{i}", skills=skills, coaching_need=need) for i, need in enumerate(["light", "intensive"])]
    full = SupportOffered(workplace_coaching="job_coach", coaching_capacity=1, coaching_places_taken=1)
    vac = vacancy("coach", must_skills=skills, support=full)
    review = review_vacancy(make_ranker(encoding, cands, [vac]), "coach")
    keys = {g.options[0].key for g in review.levers}
    assert "lever:coaching:mentor" not in keys
    [place] = [g for g in review.levers if g.options[0].action == "add_coaching_place"]
    by_hand = vac.model_copy(update={"support": full.model_copy(update={"coaching_capacity": 2})})
    assert place.pool == rerank(encoding, cands, by_hand) == 2
    assert_review_exact(encoding, cands, vac)


def test_wishes_that_lower_scores_are_counted_by_rescoring_the_strict_pool(encoding) -> None:
    """Regression (issue 14): ESCO-optional must-skills made wishes lower a strict candidate's score."""
    occupation = TAX.occupation(CLEANER)
    optional = [s for s in occupation.optional_skills if s not in occupation.essential_skills][:2]
    essential = occupation.essential_skills[0]
    reqs = [Requirement(kind="competence", value=essential, trainable=True)] + [
        Requirement(kind="competence", value=s) for s in optional
    ]
    vac = vacancy("wens", occupation_uri=CLEANER, dutch=None, requirements=reqs)
    cands = [candidate(f"c{i}", skills=tuple(optional)) for i in range(3)]  # all optional held, essential missing
    ranker = make_ranker(encoding, cands, [vac], 0.0)
    [wishes] = [
        o for o in vacancy_options(vac, ranker.vacancies.slots("wens"), {1, 2}) if o.action == "extras_to_wishes"
    ]
    before = ranker.top_candidates(["wens"], k=5, stretch=False)[0].scores[0]
    after_ranker = make_ranker(encoding, cands, [wishes.apply(vac)], 0.0)
    after = after_ranker.top_candidates(["wens"], k=5, stretch=False)[0].scores[0]
    assert after < before  # the shortcut's assumption does not hold
    threshold = float((before + after) / 2)
    counter = PoolCounter(make_ranker(encoding, cands, [vac], threshold), "wens", threshold)
    [gain] = counter.single_gains([wishes])
    assert gain.pool == rerank(encoding, cands, wishes.apply(vac), threshold) == 0
    assert gain.gain == -3
    assert_review_exact(encoding, cands, vac, threshold)


def test_best_combination_is_exact_over_more_than_24_options(encoding) -> None:
    """Regression (issue 14): the 24-option cap cut the two options that, together, gain most."""
    skills = SKILLS[:26]
    diploma = Requirement(kind="education", value="secondary")
    licence = Requirement(kind="licence", value="C")
    vac = vacancy("raaf", must_skills=tuple(skills), dutch="B2", requirements=[diploma, licence])
    everyone = dict(dutch="B2", education="secondary", driving_licences=["C"])
    cands = [  # one candidate per skill misses only that skill: 26 options with a single gain of 1
        candidate(f"one-{i:02d}", skills=tuple(s for s in skills if s != skills[i]), **everyone) for i in range(26)
    ]
    cands += [  # eight miss both diploma and licence: neither option alone brings any in
        candidate(f"both-{i}", skills=tuple(skills), dutch="B2", education="none") for i in range(8)
    ]
    ranker = make_ranker(encoding, cands, [vac])
    options = vacancy_options(vac, ranker.vacancies.slots("raaf"))
    assert len(options) > 24
    review = review_vacancy(ranker, "raaf")
    best = review.best_combination
    assert best is not None and not best.lower_bound
    assert {o.action for o in best.options} >= {"drop_education", "drop_licence"}
    assert best.gain == rerank(encoding, cands, apply_all(vac, best.options)) - review.counts.strict >= 8


def test_ties_go_to_the_mildest_and_path_is_cheapest_first(encoding) -> None:
    skills = TAX.occupation(FORKLIFT).essential_skills[:2]
    cands = [candidate(f"c{i}", skills=skills, dutch="A2") for i in range(6)]
    vac = vacancy("taal", must_skills=skills, dutch="B1")
    review = review_vacancy(make_ranker(encoding, cands, [vac]), "taal")
    assert review.path is not None and review.path.reached
    first = review.path.steps[0].option
    assert first.kind == "lever"  # taalcoaching (cost 1) before lowering Dutch (cost 16)
    assert_review_exact(encoding, cands, vac)


def test_no_path_says_so_with_the_best_reachable_pool(encoding) -> None:
    skills = TAX.occupation(FORKLIFT).essential_skills[:1]
    cands = [candidate("c0", skills=skills, work_permit=True, dutch="A2")]
    vac = vacancy("klein", must_skills=skills, dutch="B2")
    review = review_vacancy(make_ranker(encoding, cands, [vac]), "klein")
    assert review.path is not None and not review.path.reached
    assert review.path.best_pool == 1
    text = review.to_text("nl", TAX)
    assert "haalt het doel" in text and "beste bereikbare pool: 1" in text


def test_part_time_and_night_shift_relaxations_bring_in_candidates_kept_out_by_hard_constraints(encoding) -> None:
    skills = TAX.occupation(FORKLIFT).essential_skills[:1]
    part_time = [candidate(f"half-{i}", skills=skills, hours_min=0, hours_max=20) for i in range(3)]
    no_car = [candidate(f"bus-{i}", postcode="9300", skills=skills, max_commute_km=60) for i in range(2)]
    vac = vacancy("ploeg", must_skills=skills, dutch=None, hours_min=38, hours_max=38, shifts=["day", "night"])
    review = review_vacancy(make_ranker(encoding, part_time + no_car, [vac], 0.0), "ploeg")
    assert review.counts.reachable == 0
    hard = {g.options[0].key: g for g in review.hard_options}
    assert hard["hours:19"].gain == 3 and hard["hours:30"].gain == 0
    assert hard["shifts:no-night"].gain == 2
    assert review.path is not None and review.path.reached and review.path.best_pool == 5
    assert_review_exact(encoding, part_time + no_car, vac, 0.0)
