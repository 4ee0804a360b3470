"""Explanations for hand-built pairs read as a broker would put it, in Dutch and English."""

from __future__ import annotations

import pytest

from matcher.checks import check_pair
from matcher.explain import Explainer
from matcher.profiles import Experience, LanguageLevel, Requirement, SupportOffered
from profiles_factory import FORKLIFT, TAX, TODAY, candidate, vacancy

ESSENTIAL = TAX.occupation(FORKLIFT).essential_skills
RADIO = next(uri for uri in ESSENTIAL if TAX.skill(uri).label_en == "operate radio equipment")
RADIO_NARROWER = TAX.skill(RADIO).narrower[0]


@pytest.fixture(scope="module")
def explainer():
    return Explainer(TAX)


def explain(encoding, explainer, cand, vac, lang="en", score=0.8, stretch=False):
    return explainer.explain(check_pair(cand, vac, encoding, TODAY), score, stretch, lang)


def test_matched_near_trainable_and_missing_competences(encoding, explainer) -> None:
    reqs = [
        Requirement(kind="competence", value=ESSENTIAL[0]),
        Requirement(kind="competence", value=RADIO_NARROWER),
        Requirement(kind="competence", value=ESSENTIAL[2], trainable=True, training_weeks=2),
        Requirement(kind="competence", value=ESSENTIAL[3]),
    ]
    vac = vacancy("v", requirements=reqs, dutch=None)
    cand = candidate("c", skills=(ESSENTIAL[0], RADIO))
    e = explain(encoding, explainer, cand, vac)
    label = lambda uri: TAX.skill(uri).label_en  # noqa: E731
    assert e.summary == "Fits (80%): has 1 of 4 required competences."
    assert f"Has: {label(ESSENTIAL[0])}." in e.text
    assert f"Related skill for: {label(RADIO_NARROWER)}." in e.text
    assert f"Trainable on the job: {label(ESSENTIAL[2])} (~2 wk)." in e.text
    assert f"Missing: {label(ESSENTIAL[3])}." in e.text
    assert [c.status for c in e.competences] == ["met", "near", "trainable", "missing"]


def test_language_gap_bridged_by_coaching_in_dutch(encoding, explainer) -> None:
    vac = vacancy("v", dutch="B1", support=SupportOffered(language_support="on_the_job"))
    e = explain(encoding, explainer, candidate("c", dutch="A2"), vac, lang="nl")
    assert "Nederlands A2, B1 gevraagd: overbrugd door taalcoaching op de werkvloer." in e.text
    assert e.languages[0].status == "bridged" and e.languages[0].bridged_by == "on_the_job"


def test_no_bridge_when_candidate_does_not_want_training(encoding, explainer) -> None:
    vac = vacancy("v", dutch="B1", support=SupportOffered(language_support="course"))
    e = explain(encoding, explainer, candidate("c", dutch="A2", wants_language_training=False), vac)
    assert "Dutch A2, B1 asked: gap not bridged: the candidate wants no language training." in e.text
    assert e.languages[0].declined_training


def test_contact_language_removes_the_gap(encoding, explainer) -> None:
    vac = vacancy("v", dutch="B1", contact_languages=["fr"])
    cand = candidate("c", dutch="A1").model_copy(
        update={"languages": [LanguageLevel(language="nl", level="A1"), LanguageLevel(language="fr", level="C1")]}
    )
    e = explain(encoding, explainer, cand, vac)
    assert "Dutch A1, B1 asked: the candidate speaks an accepted contact language." in e.text


def test_coaching_need_against_offer_and_commute(encoding, explainer) -> None:
    vac = vacancy("v", postcode="9000", dutch=None, support=SupportOffered(workplace_coaching="mentor"))
    cand = candidate("c", postcode="9300", coaching_need="intensive", max_commute_km=40)
    e = explain(encoding, explainer, cand, vac)
    assert "Needs intensive coaching; employer offers a mentor: not enough." in e.text
    assert "Commute 24 km (max 40 km)." in e.text or "Commute 25 km (max 40 km)." in e.text
    assert not e.coaching_met
    nl = explain(encoding, explainer, cand, vac, lang="nl")
    assert "Heeft intensieve begeleiding nodig; werkgever biedt een mentor: onvoldoende." in nl.text


def test_stretch_match_says_what_would_have_to_change(encoding, explainer) -> None:
    vac = vacancy("v", dutch=None, requirements=[Requirement(kind="experience", value=FORKLIFT, months=24)])
    cand = candidate("c", **{"experience": [Experience(occupation_uri=FORKLIFT, months=6)]})
    e = explain(encoding, explainer, cand, vac, score=0.4, stretch=True)
    assert e.would_fit_if == ["fits if the experience asked is lowered from 24 to 6 months"]
    assert e.summary == "Stretch match (40%): fits if the experience asked is lowered from 24 to 6 months."
    assert "Experience 6 months, 24 asked: short." in e.text


def test_explanations_hold_no_personal_data(encoding, explainer) -> None:
    from matcher.profiles import PERSONAL_FIELDS

    e = explain(encoding, explainer, candidate("c"), vacancy("v"))
    assert not set(e.to_dict()) & PERSONAL_FIELDS
    with pytest.raises(ValueError, match="'nl' or 'en'"):
        explain(encoding, explainer, candidate("c"), vacancy("v"), lang="fr")


def test_unrecognised_requirement_is_neither_met_nor_failed_and_always_shown(encoding, explainer) -> None:
    reqs = [
        Requirement(kind="competence", text="heftruck rijden"),
        Requirement(kind="competence", value=ESSENTIAL[0]),
        Requirement(kind="competence", text="stressbestendig", importance="should"),
    ]
    vac = vacancy("v", requirements=reqs, dutch=None)
    checks = check_pair(candidate("c", skills=(ESSENTIAL[0],)), vac, encoding, TODAY)
    assert not checks.failed_checks  # neither met nor failed
    assert [o.status for o in checks.outcomes if o.requirement.is_unrecognised] == ["unrecognised"] * 2
    e = explainer.explain(checks, 0.8, False, "nl")
    assert e.summary == "Past (80%): 1 van 1 vereiste competentie aanwezig. 2 eisen niet herkend: controleer zelf."
    assert "Eis niet herkend: controleer zelf: 'heftruck rijden'." in e.text
    assert "Eis niet herkend: controleer zelf: 'stressbestendig' (wens)." in e.text
    alone = vacancy("w", requirements=reqs[:1], dutch=None)
    en = explainer.explain(check_pair(candidate("c"), alone, encoding, TODAY), 0.7, False, "en")
    assert en.summary == "Fits (70%): no recognised required competences. 1 requirement not recognised: check yourself."
    assert "0 of 0" not in en.text
    assert "Requirement not recognised: check yourself: 'heftruck rijden'." in en.text


def test_to_confirm_link_is_used_and_marked_with_its_alternatives(encoding, explainer) -> None:
    req = Requirement(
        kind="competence", value=ESSENTIAL[0], text="scanner gebruiken", to_confirm=True, alternatives=ESSENTIAL[1:3]
    )
    vac = vacancy("v", requirements=[req], dutch=None)
    checks = check_pair(candidate("c"), vac, encoding, TODAY)
    assert len(checks.failed_checks) == 1  # used in matching
    e = explainer.explain(checks, 0.3, True, "en")
    label = TAX.skill(ESSENTIAL[0]).label_en
    alternatives = ", ".join(TAX.skill(a).label_en for a in ESSENTIAL[1:3])
    assert f"Missing: {label} (link to confirm; alternatives: {alternatives})." in e.text
    assert e.competences[0].to_confirm and len(e.competences[0].alternatives) == 2


def test_wish_markers_and_should_skills_held(encoding, explainer) -> None:
    reqs = [
        Requirement(kind="competence", value=ESSENTIAL[1], importance="should"),
        Requirement(kind="language", value="fr", level="B1", importance="should"),
        Requirement(kind="education", value="secondary"),
    ]
    vac = vacancy("v", requirements=reqs, dutch=None)
    e = explain(encoding, explainer, candidate("c", skills=(ESSENTIAL[1],)), vac, lang="nl")
    assert f"Heeft ook (wens): {TAX.skill(ESSENTIAL[1]).label('nl')}." in e.text
    assert "Frans A0, B1 (wens) gevraagd" in e.text
    assert "Diploma secundair gevraagd: niet behaald." in e.text
