"""Free text to ESCO: one batch search per import, original text kept, low scores left unresolved."""

from __future__ import annotations

import json

import pytest

from matcher.imports import import_candidates, import_vacancies
from matcher.normalise import normalise_candidates, normalise_vacancies
from matcher.profiles import Candidate, Competence, Experience, Requirement, Vacancy
from matcher.settings import Settings
from profiles_factory import FORKLIFT, SKILLS

UNKNOWN_SKILL = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"


class CountingTaxonomy:
    """The real taxonomy, counting batch searches, to prove there is one call per concept type."""

    def __init__(self, taxonomy) -> None:
        self.taxonomy, self.calls = taxonomy, []

    def __getattr__(self, name):
        return getattr(self.taxonomy, name)

    def search_skills_batch(self, texts, k=10):
        self.calls.append(("skills", list(texts)))
        return self.taxonomy.search_skills_batch(texts, k=k)

    def search_occupations_batch(self, texts, k=10):
        self.calls.append(("occupations", list(texts)))
        return self.taxonomy.search_occupations_batch(texts, k=k)


def test_candidates_are_normalised_in_one_batch_and_inputs_kept(taxonomy) -> None:
    people = [
        Candidate(
            id=f"c{i}",
            postcode="9000",
            competences=[
                Competence(text="heftruck besturen"),
                Competence(text="xqzv plorbk"),
                Competence(uri=SKILLS[0]),
            ],
            experience=[Experience(title="heftruckchauffeur", months=18)],
        )
        for i in range(3)
    ]
    before = [p.model_copy(deep=True) for p in people]
    spy = CountingTaxonomy(taxonomy)
    out = normalise_candidates(people, spy, Settings())
    assert people == before  # inputs untouched
    assert sorted(kind for kind, _ in spy.calls) == ["occupations", "skills"]
    assert dict(spy.calls)["skills"] == ["heftruck besturen", "xqzv plorbk"]  # each distinct text once
    first = out.records[0]
    forklift = first.competences[0]
    assert forklift.text == "heftruck besturen" and forklift.uri and forklift.match_score >= 0.6
    assert first.competences[1] == Competence(text="xqzv plorbk") and first.competences[2] == Competence(uri=SKILLS[0])
    assert first.experience[0].occupation_uri == FORKLIFT and first.experience[0].title == "heftruckchauffeur"
    assert [(w.index, w.field) for w in out.warnings] == [(i, "competences[1]") for i in range(3)]
    assert "kept as text" in out.warnings[0].message


def test_thresholds_come_from_settings(taxonomy) -> None:
    person = Candidate(id="c1", postcode="9000", competences=[Competence(text="heftruck besturen")])
    strict = normalise_candidates([person], taxonomy, Settings(min_skill_match=1.0))
    assert strict.records == [person] and len(strict.warnings) == 1


def test_vacancy_title_and_requirements_and_unknown_uris(taxonomy) -> None:
    good = Vacancy(
        id="v1",
        employer_id="e1",
        title="Heftruckchauffeur",
        postcode="9000",
        requirements=[Requirement(kind="competence", text="heftruck besturen", importance="should")],
    )
    bad = Vacancy(
        id="v2",
        employer_id="e1",
        title="Poetshulp",
        postcode="9000",
        requirements=[Requirement(kind="competence", value=UNKNOWN_SKILL)],
    )
    out = normalise_vacancies([good, bad], taxonomy)
    [vacancy] = out.records
    assert out.indices == [0] and vacancy.occupation_uri == FORKLIFT and vacancy.occupation_match_score >= 0.55
    req = vacancy.requirements[0]
    assert req.text == "heftruck besturen" and req.value.startswith("http") and req.importance.value == "should"
    [rejection] = out.rejections
    assert (rejection.index, rejection.field) == (
        1,
        "requirements[0].value",
    ) and "esco.ec.europa.eu" in rejection.message
    assert good.occupation_uri is None  # the input is not changed


def test_imports_normalise_and_report_with_source_fields(taxonomy) -> None:
    text = (
        "id;employer_id;title;postcode;skills\n"
        "v1;e1;Heftruckchauffeur;9000;heftruck besturen|xqzv plorbk\n"
        f"v2;e1;Magazijnier;9000;<{UNKNOWN_SKILL}>\n"
    )
    result = import_vacancies(text, taxonomy=taxonomy)
    assert [v.id for v in result.records] == ["v1"] and result.records[0].occupation_uri == FORKLIFT
    assert [(r.line, r.field) for r in result.rejections] == [(3, "skills[0].value")]
    assert [(w.line, w.field) for w in result.warnings] == [(2, "skills[1].text")]
    people = import_candidates(
        json.dumps({"id": "c1", "postcode": "9000", "competences": [{"text": "heftruck besturen"}]}), taxonomy=taxonomy
    )
    assert people.records[0].competences[0].uri is not None


@pytest.mark.parametrize(
    "field,value",
    [
        ("desired_occupations", ["http://data.europa.eu/esco/occupation/nope"]),
        ("competences", [{"uri": UNKNOWN_SKILL}]),
    ],
)
def test_unknown_candidate_uris_reject_the_record(taxonomy, field, value) -> None:
    result = import_candidates(json.dumps({"id": "c1", "postcode": "9000", field: value}), taxonomy=taxonomy)
    assert not result.records and result.rejections[0].field.startswith(field)


def test_weak_must_link_is_marked_to_confirm_with_alternatives() -> None:
    from matcher.normalise import normalise_vacancies
    from matcher.profiles import Requirement, RequirementKind, Vacancy
    from matcher.taxonomy import load_taxonomy

    tax = load_taxonomy()
    vacancy = Vacancy.model_validate(
        {
            "id": "v-scan",
            "employer_id": "e1",
            "title": "magazijnier",
            "postcode": "9000",
            "requirements": [
                {"kind": "competence", "text": "scanner gebruiken"},
                {"kind": "competence", "text": "xqzv wplk"},
            ],
        }
    )
    out = normalise_vacancies([vacancy], tax)
    scanner, nonsense = out.records[0].requirements
    assert scanner.value and scanner.to_confirm and 1 <= len(scanner.alternatives) <= 3
    assert nonsense.is_unrecognised and nonsense.text == "xqzv wplk"
    assert any("to confirm" in w.message for w in out.warnings)
    assert any("unrecognised" in w.message for w in out.warnings)
    assert isinstance(scanner, Requirement) and nonsense.kind is RequirementKind.competence


def test_language_written_as_a_competence_becomes_a_language_requirement() -> None:
    from matcher.normalise import normalise_vacancies
    from matcher.profiles import RequirementKind, Vacancy
    from matcher.taxonomy import load_taxonomy

    vacancy = Vacancy.model_validate(
        {
            "id": "v-nl",
            "employer_id": "e1",
            "title": "poetshulp",
            "postcode": "9000",
            "requirements": [{"kind": "competence", "text": "Je spreekt vlot Nederlands", "importance": "should"}],
        }
    )
    (req,) = normalise_vacancies([vacancy], load_taxonomy()).records[0].requirements
    assert (req.kind, req.value, req.level.name, req.importance.value) == (
        RequirementKind.language,
        "nl",
        "B2",
        "should",
    )
    assert req.text == "Je spreekt vlot Nederlands"
