"""schema.org JobPosting JSON-LD: one object, a list, an @graph, JSON Lines; extensions; round trips."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from matcher.imports import import_file, import_vacancies, write_vacancies
from matcher.profiles import LanguageSupport, RequirementKind, WorkplaceCoaching
from profiles_factory import FORKLIFT, SKILLS, vacancies

POSTING = {
    "@context": ["https://schema.org/", {"matcher": "urn:matcher:"}],
    "@type": "JobPosting",
    "identifier": {"@type": "PropertyValue", "value": "VDAB-123"},
    "title": "Heftruckchauffeur (m/v/x)",
    "hiringOrganization": {"@type": "Organization", "name": "Logistiek Gent", "identifier": "gent-e1"},
    "jobLocation": {"@type": "Place", "address": {"postalCode": 9042, "addressLocality": "Gent"}},
    "occupationalCategory": {"@type": "CategoryCode", "@id": FORKLIFT},
    "workHours": "30-38 uur",
    "employmentType": "FULL_TIME",
    "validThrough": "2026-12-31T23:59:59+01:00",
    "totalJobOpenings": 2,
    "skills": [
        "heftruck besturen, orderpicking",
        {
            "@type": "DefinedTerm",
            "@id": SKILLS[0],
            "name": "laden",
            "matcher:importance": "should",
            "matcher:trainable": True,
            "matcher:trainingWeeks": 2,
        },
    ],
    "experienceRequirements": {"@type": "OccupationalExperienceRequirements", "monthsOfExperience": 6},
    "educationRequirements": [
        {"@type": "EducationalOccupationalCredential", "credentialCategory": "secundair onderwijs"},
        {"@type": "EducationalOccupationalCredential", "credentialCategory": "rijbewijs C"},
    ],
    "matcher:languageRequirements": [{"language": "nl", "level": "A2", "matcher:trainable": True}],
    "matcher:supportOffered": {
        "languageSupport": "on_the_job",
        "workplaceCoaching": "job_coach",
        "coachingCapacity": 2,
    },
    "matcher:shifts": ["day", "evening"],
    "matcher:contactLanguages": ["fr", "en"],
}


def test_a_full_posting_maps_every_property() -> None:
    [vacancy] = import_vacancies(json.dumps(POSTING)).records
    assert (vacancy.id, vacancy.employer_id, vacancy.postcode, vacancy.occupation_uri) == (
        "VDAB-123",
        "gent-e1",
        "9042",
        FORKLIFT,
    )
    assert (vacancy.hours_min, vacancy.hours_max, vacancy.positions, str(vacancy.valid_through)) == (
        30,
        38,
        2,
        "2026-12-31",
    )
    kinds = [r.kind for r in vacancy.requirements]
    assert kinds == [RequirementKind.competence] * 3 + [
        RequirementKind.language,
        RequirementKind.experience,
        RequirementKind.education,
        RequirementKind.licence,
    ]
    assert [r.text for r in vacancy.requirements[:2]] == ["heftruck besturen", "orderpicking"]
    laden = vacancy.requirements[2]
    assert (laden.value, laden.importance.value, laden.trainable, laden.training_weeks) == (
        SKILLS[0],
        "should",
        True,
        2,
    )
    assert vacancy.support.language_support is LanguageSupport.on_the_job
    assert vacancy.support.workplace_coaching is WorkplaceCoaching.job_coach and vacancy.support.coaching_capacity == 2
    assert vacancy.contact_languages == ["fr", "en"] and [s.value for s in vacancy.shifts] == ["day", "evening"]


def test_graph_with_bad_postings_reports_lines_and_source_fields(tmp_path: Path) -> None:
    bad_level = {**POSTING, "identifier": "v3", "matcher:languageRequirements": [{"language": "nl", "level": "B9"}]}
    postings = [
        {**POSTING, "identifier": "v1"},
        {**POSTING, "identifier": "v2", "workHours": "in overleg"},
        bad_level,
        {**POSTING, "identifier": "v4", "jobLocation": {"address": {"postalCode": "90"}}},
        {**POSTING, "identifier": "v5", "educationRequirements": "levensschool"},
    ]
    body = ",\n".join(json.dumps(p, indent=1) for p in postings)
    path = tmp_path / "vacatures.jsonld"
    path.write_text('{"@context": "https://schema.org/",\n "@graph": [\n' + body + "\n]}\n")
    result = import_file(path)
    assert [v.id for v in result.records] == ["v1", "v5"]  # an unknown diploma is a warning, not a rejection
    starts = [i + 1 for i, line in enumerate(path.read_text().splitlines()) if line.startswith("{")][1:]
    found = {(r.record, r.line, r.field) for r in result.rejections}
    assert found == {
        (2, starts[1], "workHours"),
        (3, starts[2], "matcher:languageRequirements[0].level"),
        (4, starts[3], "jobLocation.address.postalCode"),
    }
    assert (5, starts[4], "educationRequirements[0]") in {(w.record, w.line, w.field) for w in result.warnings}
    assert not result.records[1].requirements_of(RequirementKind.education)


def test_list_and_json_lines_and_warnings() -> None:
    minimal = {
        "@type": "JobPosting",
        "identifier": "v9",
        "title": "Poetshulp",
        "hiringOrganization": {"name": "Poetsdienst Aalst"},
        "occupationalCategory": "9112",
        "jobLocation": [{"address": {"postalCode": "9300"}}, {"address": {"postalCode": "9000"}}],
    }
    as_list = import_vacancies(json.dumps([POSTING, minimal], indent=2))
    as_lines = import_vacancies(json.dumps(POSTING) + "\n" + json.dumps(minimal) + "\n")
    assert as_list.records == as_lines.records and len(as_list.records) == 2
    assert [r.line for r in as_lines.rejections] == [] and as_list.records[1].employer_id == "Poetsdienst Aalst"
    fields = {w.field for w in as_list.warnings}
    assert fields == {"hiringOrganization.identifier", "occupationalCategory", "jobLocation", "workHours"}
    assert all(w.record == 2 for w in as_list.warnings)


@given(st.lists(vacancies("v"), min_size=1, max_size=4), st.sampled_from(["Magazijnier", 'Schoonmaker "A" é']))
def test_round_trip(tmp_path_factory, pool, description) -> None:
    pool = [v.model_copy(update={"id": f"v{i}", "description": description}) for i, v in enumerate(pool)]
    path = write_vacancies(pool, tmp_path_factory.mktemp("rt") / "v.jsonld", "jobposting")
    result = import_file(path)
    assert result.records == pool and not result.warnings
