"""JSON Resume: basics split into personal data, fluency mapped to CEFR (never guessed), round trips."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from matcher.imports import import_candidates, import_file, write_candidates
from matcher.profiles import CEFR, Competence, EducationLevel, PersonalData
from profiles_factory import SKILLS, candidates

RESUME = {
    "basics": {
        "name": "Fatima Benali",
        "email": "fatima@example.org",
        "phone": "+32 470 11 22 33",
        "location": {"postalCode": "2060", "city": "Antwerpen"},
    },
    "skills": [{"name": "kassawerk", "keywords": ["klantvriendelijk", SKILLS[1]]}],
    "languages": [
        {"language": "Arabisch", "fluency": "moedertaal"},
        {"language": "Nederlands", "fluency": "basis"},
        {"language": "French", "fluency": "B1 - intermediate"},
    ],
    "work": [
        {"name": "Supermarkt", "position": "kassierster", "startDate": "2019-03-01", "endDate": "2021-09-30"},
        {"position": "vakkenvuller", "startDate": "2025-11"},
    ],
    "education": [{"studyType": "secundair onderwijs", "area": "verkoop"}],
    "matcher": {
        "id": "c-77",
        "coachingNeed": "light",
        "maxCommuteKm": 15,
        "shifts": ["day", "weekend"],
        "drivingLicences": ["b"],
    },
}


def test_a_resume_maps_to_candidate_and_personal_data() -> None:
    result = import_candidates(json.dumps(RESUME), today=date(2026, 11, 23))
    [candidate] = result.records
    assert candidate.id == "c-77" and candidate.postcode == "2060" and candidate.driving_licences == ["B"]
    assert candidate.competences == [
        Competence(text="kassawerk"),
        Competence(text="klantvriendelijk"),
        Competence(uri=SKILLS[1]),
    ]
    assert [(lang.language, lang.level) for lang in candidate.languages] == [
        ("ar", CEFR.C2),
        ("nl", CEFR.A2),
        ("fr", CEFR.B1),
    ]
    assert [(e.title, e.months) for e in candidate.experience] == [("kassierster", 30), ("vakkenvuller", 12)]
    assert candidate.education is EducationLevel.secondary
    assert result.personal == [
        PersonalData(candidate_id="c-77", name="Fatima Benali", email="fatima@example.org", phone="+32 470 11 22 33")
    ]
    assert "Fatima" not in candidate.model_dump_json() and "fatima" not in candidate.model_dump_json()


def test_unmappable_fluency_and_diploma_are_warnings_naming_the_field(tmp_path: Path) -> None:
    vague = {
        **RESUME,
        "matcher": {**RESUME["matcher"], "id": "c-78"},
        "languages": [{"language": "Nederlands", "fluency": "wat"}],
    }
    unknown = {
        **RESUME,
        "matcher": {**RESUME["matcher"], "id": "c-79", "favouriteColour": "blauw"},
        "education": [{"studyType": "levensschool"}],
        "basics": {"location": {"postalCode": "20600"}},
    }
    path = tmp_path / "cv.json"
    path.write_text(json.dumps([RESUME, vague, unknown], indent=2))
    result = import_file(path, today=date(2026, 11, 23))
    assert [c.id for c in result.records] == ["c-77", "c-78"]
    assert not result.records[1].languages  # the language whose level is unknown is left out, not guessed
    assert {(r.record, r.field) for r in result.rejections} == {(3, "basics.location.postalCode")}
    warned = {(w.record, w.field) for w in result.warnings}
    assert {(2, "languages[0].fluency"), (3, "education[0].studyType"), (3, "matcher.favouriteColour")} <= warned
    assert "'wat'" in next(w.message for w in result.warnings if w.record == 2 and w.field == "languages[0].fluency")
    line_of = {w.record: w.line for w in result.warnings}
    lines = path.read_text().splitlines()
    assert lines[line_of[2] - 1].strip() == "{" and line_of[3] > line_of[2]


@given(st.lists(candidates("c"), min_size=1, max_size=4), st.sampled_from(["kassawerk", "heftruck besturen"]))
def test_round_trip(tmp_path_factory, pool, text) -> None:
    pool = [
        c.model_copy(
            update={
                "id": f"c{i}",
                "available_from": date(2027, 1, 4),
                "competences": [*c.competences, Competence(text=text, uri=SKILLS[2], match_score=0.9)],
            }
        )
        for i, c in enumerate(pool)
    ]
    personal = [
        PersonalData(
            candidate_id=c.id,
            name="Lotte Peeters",
            email="lotte@example.org",
            gender="v",
            nationality="BE",
            birth_date=date(1990, 5, 1),
        )
        for c in pool
    ]
    path = write_candidates(pool, personal, tmp_path_factory.mktemp("rt") / "cv.json", "jsonresume")
    result = import_file(path)
    assert result.records == pool and result.personal == personal and not result.warnings
