"""Profiles validate at the edge with errors a person can act on, and round-trip through JSON."""

from __future__ import annotations

import pytest
from hypothesis import given
from pydantic import ValidationError

from matcher.profiles import (
    CEFR,
    PERSONAL_FIELDS,
    Candidate,
    CoachingNeed,
    PersonalData,
    Requirement,
    SupportOffered,
    Vacancy,
)
from profiles_factory import candidates, vacancies


def test_enum_fields_accept_names_and_write_names() -> None:
    cand = Candidate(id="c", postcode="9000", languages=[{"language": "NL", "level": "b1"}], coaching_need="Light")
    assert cand.languages[0].level is CEFR.B1 and cand.languages[0].language == "nl"
    assert cand.coaching_need is CoachingNeed.light
    assert cand.model_dump(mode="json")["coaching_need"] == "light"


def test_errors_name_the_field_and_the_allowed_values() -> None:
    with pytest.raises(ValidationError) as info:
        Candidate(id="c", postcode="90", coaching_need="heavy")
    text = str(info.value)
    assert "postcode" in text and "coaching_need" in text and "none, light, intensive" in text


def test_requirement_value_must_fit_its_kind() -> None:
    with pytest.raises(ValidationError, match="'level'"):
        Requirement(kind="language", value="nl")
    with pytest.raises(ValidationError, match="licence must be one of"):
        Requirement(kind="licence", value="Z")
    with pytest.raises(ValidationError, match="training_weeks"):
        Requirement(kind="competence", text="lassen", training_weeks=4)
    assert Requirement(kind="licence", value="ce").value == "CE"


def test_coaching_without_capacity_defaults_to_one_place_but_zero_is_refused() -> None:
    assert SupportOffered(workplace_coaching="mentor").coaching_capacity == 1
    with pytest.raises(ValidationError, match="coaching_capacity is 0"):
        SupportOffered(workplace_coaching="job_coach", coaching_capacity=0)


def test_personal_data_is_not_part_of_a_candidate() -> None:
    assert not PERSONAL_FIELDS & set(Candidate.model_fields)
    assert {"name", "email", "phone", "gender", "nationality", "birth_date"} == PERSONAL_FIELDS
    with pytest.raises(ValidationError):
        Candidate(id="c", postcode="9000", name="Jan")
    assert PersonalData(candidate_id="c", name="Jan").name == "Jan"


@given(candidates("c"))
def test_candidate_json_round_trip(cand: Candidate) -> None:
    assert Candidate.model_validate_json(cand.model_dump_json()) == cand


@given(vacancies("v"))
def test_vacancy_json_round_trip(vac: Vacancy) -> None:
    assert Vacancy.model_validate_json(vac.model_dump_json()) == vac
