"""What if: the rewritten copy's pool equals the pool of a vacancy stored that way; the original is untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.app.errors import InvalidInput
from matcher.app.whatif import (
    LEVERS,
    TOGGLES,
    Changes,
    check_vacancy,
    funnel_counts,
    main_obstacles,
    pool_after,
    rewrite,
)
from matcher.profiles import Requirement, SupportOffered
from matcher.ranking import Ranker
from matcher.review import rank_by_white_raven, review_vacancy
from profiles_factory import SKILLS, TODAY, candidate, vacancy

PEOPLE = [
    candidate(
        f"c{i}",
        postcode=("9000", "9050", "9100")[i % 3],
        skills=tuple(SKILLS[: 3 - (i % 3)]) + tuple(SKILLS[3 + i : 4 + i]),
        dutch=("A2", "B1", "B2")[i % 3],
        coaching_need=("none", "light", "intensive")[i % 3],
        driving_licences=["B"] if i % 2 else [],
    )
    for i in range(15)
]
VACANCY = vacancy(
    "v1",
    must_skills=tuple(SKILLS[:2]),
    dutch="B2",
    requirements=[Requirement(kind="licence", value="B"), Requirement(kind="experience", months=24)],
    support=SupportOffered(),
)


@pytest.fixture(scope="module")
def ranker(taxonomy):
    return Ranker.from_profiles(taxonomy, PEOPLE, [VACANCY], today=TODAY)


def test_no_change_gives_the_review_of_the_vacancy_as_stored(ranker) -> None:
    body = check_vacancy(ranker, VACANCY, 0.35, "nl")
    stored = review_vacancy(ranker, "v1", 0.35)
    assert body["strict"] == stored.counts.strict and body["reachable"] == stored.counts.reachable
    assert body["funnel"][0]["count"] == stored.counts.reachable and body["funnel"][-1]["count"] == stored.counts.strict


@given(
    toggles=st.dictionaries(st.integers(0, len(VACANCY.requirements) - 1), st.sampled_from(TOGGLES)),
    levers=st.frozensets(st.sampled_from(LEVERS)),
)
def test_what_if_equals_a_vacancy_stored_with_the_changes(taxonomy, ranker, toggles, levers) -> None:
    changes = Changes.parse(toggles, levers)
    changed = rewrite(VACANCY, changes)
    direct = Ranker.from_profiles(taxonomy, PEOPLE, [changed], today=TODAY)
    expected = review_vacancy(direct, "v1", 0.35).counts.strict
    assert check_vacancy(ranker, changed, 0.35, "nl")["strict"] == expected
    assert pool_after(ranker, changed, 0.35)["strict"] == expected


@given(toggles=st.dictionaries(st.integers(0, len(VACANCY.requirements) - 1), st.sampled_from(TOGGLES)))
def test_funnel_never_grows_and_relaxing_never_shrinks_the_reachable_pool(ranker, toggles) -> None:
    counts = check_vacancy(ranker, rewrite(VACANCY, Changes.parse(toggles, frozenset())), 0.35, "nl")["funnel"]
    numbers = [s["count"] for s in counts]
    assert numbers == sorted(numbers, reverse=True)
    assert numbers[0] == funnel_counts(ranker, "v1", 0.35)[0]  # requirements do not change who can reach the job


def test_rewrite_leaves_the_original_alone_and_applies_each_toggle() -> None:
    before = VACANCY.model_dump()
    changed = rewrite(VACANCY, Changes.parse({0: "drop", 2: "wish", 4: "lower"}, {"job_coach", "language_course"}))
    assert VACANCY.model_dump() == before
    assert len(changed.requirements) == len(VACANCY.requirements) - 1
    assert changed.requirements[1].importance.value == "should"
    assert changed.requirements[3].months == 12
    assert changed.support.workplace_coaching.name == "job_coach" and changed.support.language_support.name == "course"


def test_unknown_toggles_and_levers_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput, match="toggle must be one of"):
        Changes.parse({0: "explode"}, frozenset())
    with pytest.raises(InvalidInput, match="levers must be among"):
        Changes.parse({}, {"free beer"})


def test_main_obstacle_is_the_check_that_keeps_out_most(ranker) -> None:
    stored = review_vacancy(ranker, "v1", 0.35)
    worst = max(stored.checks, key=lambda c: c.failing)
    row = main_obstacles(ranker, ["v1"], 0.35)["v1"]
    assert row["obstacle"] == ((worst.position, worst.failing) if worst.failing else None)
    assert (row["reachable"], row["strict"]) == (stored.counts.reachable, stored.counts.strict)
    assert rank_by_white_raven(ranker, ["v1"], 0.35)[0][1] == row["white_raven_index"]


def test_apply_stores_the_changed_vacancy_and_its_pool_is_the_what_if_pool(tmp_path, taxonomy) -> None:
    from matcher.app import LivePool
    from matcher.app.whatif import apply_changes, what_if
    from matcher.settings import Settings
    from matcher.store import Store

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    store = Store.from_url(url)
    store.migrate()
    store.upsert_candidates(PEOPLE)
    store.upsert_vacancies([VACANCY, VACANCY.model_copy(update={"id": "v2", "employer_id": "someone-else"})])
    key = store.authenticate(store.create_api_key("employer", employer_id=VACANCY.employer_id))
    other = store.authenticate(store.create_api_key("employer", employer_id="someone-else"))
    store.dispose()
    live = LivePool.load(Settings(database_url=url), TODAY, taxonomy)
    try:
        changes = Changes.parse({3: "drop"}, {"language_course"})
        tried = what_if(live, key, "v1", changes, "nl")["what_if"]["strict"]
        with pytest.raises(InvalidInput):
            apply_changes(live, key, "v1", Changes())
        from matcher.app.errors import NotFound

        with pytest.raises(NotFound):
            apply_changes(live, other, "v1", changes)
        apply_changes(live, key, "v1", changes)
        assert len(live.store.get_vacancy("v1").requirements) == len(VACANCY.requirements) - 1
        assert what_if(live, key, "v1", Changes(), "nl")["current"]["strict"] == tried
    finally:
        live.close()
