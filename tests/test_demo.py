"""The demo pool: deterministic, valid, realistic shares, real ESCO relations and real postcodes."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.demo import REFERENCE_DATE, generate_pool, main_demo_data, write_pool
from matcher.demo.catalogue import TYPO, build_catalogue, read_demo_occupations, with_typo
from matcher.demo.employers import SECTOR_NAMES
from matcher.demo.places import CITIES, is_brussels, is_flemish
from matcher.demo.shares import (
    GROUPS,
    NEIGHBOUR_SECTORS,
    NEWCOMER_LANGUAGES,
    OFF_SECTOR_SHARE,
    SECTOR_SHIFTS,
    SOCIAL_ECONOMY_SECTORS,
    SUPPORT_SECTORS,
)
from matcher.demo.writing import CANDIDATES_JSONL, EMPLOYERS_JSONL, README, VACANCIES_JSONL
from matcher.geo import load_postcodes
from matcher.profiles import (
    CEFR,
    DRIVING_LICENCES,
    PERSONAL_FIELDS,
    Candidate,
    EducationLevel,
    Importance,
    LanguageSupport,
    PersonalData,
    RequirementKind,
    Vacancy,
    WorkplaceCoaching,
)
from matcher.taxonomy import isco_skill_level

N_CANDIDATES, N_VACANCIES = 1000, 400


@pytest.fixture(scope="module")
def pool(taxonomy):
    return generate_pool(N_CANDIDATES, N_VACANCIES, seed=5, taxonomy=taxonomy)


@pytest.fixture(scope="module")
def catalogue(taxonomy):
    return build_catalogue(taxonomy)


def inflated_requirements(vacancy: Vacancy, taxonomy) -> int:
    """How many of the five dimensions a white raven inflates this vacancy asks above the work."""
    occupation = taxonomy.occupation(vacancy.occupation_uri)
    row = next(r for r in read_demo_occupations() if r.uri == vacancy.occupation_uri)
    musts = [r for r in vacancy.requirements if r.importance is Importance.must]
    extra_skill = any(
        r.kind is RequirementKind.competence and r.value not in occupation.essential_skills for r in musts
    )
    long_experience = any(r.kind is RequirementKind.experience and r.months >= 36 for r in musts)
    high_dutch = any(
        r.kind is RequirementKind.language and r.value == "nl" and r.level >= max(CEFR.B2, row.dutch_level + 1)
        for r in musts
    )
    needed_education = (0, 0, 2, 4)[isco_skill_level(occupation.isco_group) - 1]
    diploma = any(r.kind is RequirementKind.education and EducationLevel[r.value] > needed_education for r in musts)
    licence = any(r.kind is RequirementKind.licence and r.value == "B" and row.licence is None for r in musts)
    return sum([extra_skill, long_experience, high_dutch, diploma, licence])


def looks_like_white_raven(vacancy: Vacancy, taxonomy) -> bool:
    """The planted set: several requirements above what the work needs, and no support at all."""
    support = vacancy.support
    no_support = (
        support.language_support is LanguageSupport.none
        and support.workplace_coaching is WorkplaceCoaching.none
        and not support.training_on_the_job
    )
    return no_support and inflated_requirements(vacancy, taxonomy) >= 2


# -- determinism -------------------------------------------------------------------------------
def test_same_seed_writes_byte_identical_files(tmp_path, taxonomy):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_pool(generate_pool(150, 40, seed=11, taxonomy=taxonomy), first)
    write_pool(generate_pool(150, 40, seed=11, taxonomy=taxonomy), second)
    write_pool(generate_pool(150, 40, seed=12, taxonomy=taxonomy), other)
    names = sorted(path.name for path in first.iterdir())
    assert names == sorted(path.name for path in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert (first / CANDIDATES_JSONL).read_bytes() != (other / CANDIDATES_JSONL).read_bytes()
    assert (first / VACANCIES_JSONL).read_bytes() != (other / VACANCIES_JSONL).read_bytes()


def test_more_vacancies_leave_the_candidates_unchanged(taxonomy):
    few = generate_pool(60, 5, seed=3, taxonomy=taxonomy)
    many = generate_pool(60, 50, seed=3, taxonomy=taxonomy)
    assert few.candidates == many.candidates
    assert few.personal == many.personal


# -- validity ----------------------------------------------------------------------------------
def test_every_record_passes_full_validation(pool):
    """Dumping a record and validating it again gives the same record and the same JSON."""
    for candidate in pool.candidates:
        validated = Candidate.model_validate(candidate.model_dump())
        assert validated == candidate
        assert validated.model_dump_json() == candidate.model_dump_json()
    for person in pool.personal:
        validated = PersonalData.model_validate(person.model_dump())
        assert validated == person and validated.model_dump_json() == person.model_dump_json()
    for vacancy in pool.vacancies:
        assert Vacancy.model_validate(vacancy.model_dump()) == vacancy


def test_written_lines_read_back_as_the_same_records(tmp_path, taxonomy):
    pool = generate_pool(80, 30, seed=8, taxonomy=taxonomy)
    write_pool(pool, tmp_path)
    candidate_lines = (tmp_path / CANDIDATES_JSONL).read_text(encoding="utf-8").splitlines()
    assert len(candidate_lines) == len(pool.candidates)
    for line, candidate, person in zip(candidate_lines, pool.candidates, pool.personal, strict=False):
        record = json.loads(line)
        personal = record.pop("personal")
        assert Candidate.model_validate(record) == candidate
        assert PersonalData.model_validate({"candidate_id": record["id"], **personal}) == person
    vacancy_lines = (tmp_path / VACANCIES_JSONL).read_text(encoding="utf-8").splitlines()
    assert [Vacancy.model_validate_json(line) for line in vacancy_lines] == pool.vacancies
    employer_ids = {json.loads(line)["id"] for line in (tmp_path / EMPLOYERS_JSONL).read_text().splitlines()}
    assert {vacancy.employer_id for vacancy in pool.vacancies} <= employer_ids


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1), n_candidates=st.integers(0, 25), n_vacancies=st.integers(0, 10))
def test_any_seed_and_size_gives_valid_records(taxonomy, seed, n_candidates, n_vacancies):
    pool = generate_pool(n_candidates, n_vacancies, seed, taxonomy)
    assert len(pool.candidates) == len(pool.personal) == len(pool.groups) == n_candidates
    assert len(pool.vacancies) == n_vacancies and len(pool.employers) >= 2
    for candidate in pool.candidates:
        Candidate.model_validate(candidate.model_dump())
    for vacancy in pool.vacancies:
        Vacancy.model_validate(vacancy.model_dump())


@pytest.mark.parametrize("name, value", [("n_candidates", -1), ("n_vacancies", 2.5), ("seed", -3)])
def test_bad_arguments_are_named(taxonomy, name, value):
    arguments = {"n_candidates": 5, "n_vacancies": 5, "seed": 1} | {name: value}
    with pytest.raises(ValueError, match=name):
        generate_pool(**arguments, taxonomy=taxonomy)


# -- shares ------------------------------------------------------------------------------------
def test_group_shares_match_the_profiles(pool):
    counts = Counter(pool.groups)
    for profile in GROUPS:
        assert counts[profile.name] / N_CANDIDATES == pytest.approx(profile.share, abs=0.06), profile.name


def test_dutch_levels_follow_each_group(pool):
    for profile in GROUPS:
        members = [c for c, group in zip(pool.candidates, pool.groups, strict=False) if group == profile.name]
        levels = Counter(int(c.language_level("nl")) for c in members)
        for level, share in enumerate(profile.dutch):
            assert levels[level] / len(members) == pytest.approx(share, abs=0.1), (profile.name, CEFR(level).name)


def test_groups_have_their_defining_traits(pool):
    by_group: dict[str, list[Candidate]] = {}
    for candidate, group in zip(pool.candidates, pool.groups, strict=False):
        by_group.setdefault(group, []).append(candidate)
    newcomers = by_group["newcomer"]
    assert all(c.language_level("nl") <= CEFR.A2 for c in newcomers)
    assert all(
        any(lang.language in NEWCOMER_LANGUAGES and lang.level == CEFR.C2 for lang in c.languages) for c in newcomers
    )
    assert 0 < sum(not c.work_permit for c in newcomers) < 0.2 * len(newcomers)
    assert all(c.work_permit for group in ("returner", "young", "experienced") for c in by_group[group])
    assert all(c.education <= EducationLevel.lower_secondary for c in by_group["young"])
    assert all(sum(e.months for e in c.experience) >= 36 for c in by_group["experienced"])
    part_time = {group: np.mean([c.hours_max < 38 for c in members]) for group, members in by_group.items()}
    assert part_time["returner"] > 0.5 > part_time["experienced"]
    licence_b = {group: np.mean(["B" in c.driving_licences for c in members]) for group, members in by_group.items()}
    assert licence_b["newcomer"] < 0.45 < licence_b["experienced"] and licence_b["young"] < 0.45
    coaching = {group: np.mean([int(c.coaching_need) for c in members]) for group, members in by_group.items()}
    assert coaching["young"] > coaching["experienced"] and coaching["newcomer"] > coaching["experienced"]


def test_a_quarter_of_competences_are_free_text(pool):
    competences = [competence for candidate in pool.candidates for competence in candidate.competences]
    free_text = [c for c in competences if c.uri is None]
    assert len(free_text) / len(competences) == pytest.approx(0.25, abs=0.04)
    assert all(c.text and c.text.strip() for c in free_text)


def test_free_text_is_written_as_people_write_it(pool, taxonomy, catalogue):
    labels = {taxonomy.skill(uri).label("nl") for uri in catalogue.skill_uris}
    synonyms = {text for phrasings in catalogue.skill_phrasings for text in phrasings[TYPO + 1 :]}
    typos = {phrasings[TYPO] for phrasings in catalogue.skill_phrasings} - labels
    texts = [c.text for candidate in pool.candidates for c in candidate.competences if c.uri is None]
    written = Counter(
        "capital"
        if t[:1].isupper() and t not in labels | synonyms | typos
        else "label"
        if t in labels
        else "synonym"
        if t in synonyms
        else "typo"
        if t in typos
        else "other"
        for t in texts
    )
    assert written["other"] == 0
    assert written["label"] > written["capital"] > written["typo"] > 0 and written["synonym"] > 0


def test_normalisation_finds_the_skill_behind_most_free_text(pool, taxonomy, catalogue):
    uri_of = {
        text.casefold(): uri
        for uri, phrasings in zip(catalogue.skill_uris, catalogue.skill_phrasings, strict=False)
        for text in phrasings
    }
    written = [c.text for candidate in pool.candidates[:300] for c in candidate.competences if c.uri is None]
    hits = taxonomy.search_skills_batch(written, k=1)
    found = [bool(h) and h[0].uri == uri_of[text.casefold()] for text, h in zip(written, hits, strict=False)]
    assert sum(found) / len(found) >= 0.9


def test_with_typo_swaps_two_letters_of_the_longest_word():
    assert with_typo("heftruck besturen") == "hefrtuck besturen"  # of equally long words, the first
    assert with_typo("ramen wassen") == "ramen wasen"  # two equal letters: one is dropped
    assert with_typo("til") == "til"


def test_white_ravens_are_a_realistic_share_and_unmarked(pool, taxonomy):
    found = {v.id for v in pool.vacancies if looks_like_white_raven(v, taxonomy)}
    assert found == pool.planted_white_ravens
    assert 0.13 <= len(found) / N_VACANCIES <= 0.28
    raven_json = next(v for v in pool.vacancies if v.id in found).model_dump_json()
    assert "raven" not in raven_json.lower() and "raaf" not in raven_json.lower()


def test_support_is_offered_in_realistic_shares(pool):
    ordinary = [v for v in pool.vacancies if v.id not in pool.planted_white_ravens]
    coached = [v for v in ordinary if v.support.workplace_coaching is not WorkplaceCoaching.none]
    assert 0.3 < len(coached) / len(ordinary) < 0.8
    assert all(v.support.coaching_capacity >= 1 for v in coached)


def test_dates_are_relative_to_the_reference_date(pool):
    assert all(c.available_from >= REFERENCE_DATE for c in pool.candidates)
    expired = [v for v in pool.vacancies if v.valid_through < REFERENCE_DATE]
    assert 0 < len(expired) < 0.15 * N_VACANCIES


# -- real places and real ESCO relations --------------------------------------------------------
def test_postcodes_are_real_and_mostly_flemish(pool):
    table = load_postcodes()
    places = [c.postcode for c in pool.candidates] + [v.postcode for v in pool.vacancies]
    assert all(p in table for p in places)
    assert all(is_flemish(p) or is_brussels(p) for p in places)
    assert np.mean([is_flemish(p) for p in places]) > 0.9
    city_postcodes = {p for _, postcodes in CITIES.values() for p in postcodes}
    in_city = {
        group: np.mean(
            [c.postcode in city_postcodes for c, g in zip(pool.candidates, pool.groups, strict=False) if g == group]
        )
        for group in ("newcomer", "experienced")
    }
    assert in_city["newcomer"] > in_city["experienced"]


def test_every_city_postcode_exists():
    table = load_postcodes()
    assert [p for _, postcodes in CITIES.values() for p in postcodes if p not in table] == []


def test_catalogue_occupations_exist_in_esco(taxonomy):
    rows = read_demo_occupations()
    assert 40 <= len(rows) <= 80
    assert len({row.uri for row in rows}) == len(rows)
    for row in rows:
        assert taxonomy.is_occupation(row.uri), row.uri
        assert taxonomy.occupation(row.uri).label_nl == row.label_nl, row.uri
        assert row.weight > 0 and row.sector in SECTOR_NAMES
        assert row.licence is None or row.licence in DRIVING_LICENCES
        assert taxonomy.occupation(row.uri).essential_skills, row.label_nl
    assert set(SECTOR_SHIFTS) <= set(SECTOR_NAMES)
    assert set(SOCIAL_ECONOMY_SECTORS) <= {row.sector for row in rows}


def test_candidate_skills_come_from_their_occupations(pool, taxonomy, catalogue):
    catalogue_uris = {row.uri for row in catalogue.rows}
    for candidate in pool.candidates:
        assert candidate.desired_occupations and set(candidate.desired_occupations) <= catalogue_uris
        assert {e.occupation_uri for e in candidate.experience} <= set(candidate.desired_occupations)
        occupations = [taxonomy.occupation(uri) for uri in candidate.desired_occupations]
        related = {
            uri for occupation in occupations for uri in occupation.essential_skills + occupation.optional_skills
        }
        related_text = {
            text.casefold()
            for uri, phrasings in zip(catalogue.skill_uris, catalogue.skill_phrasings, strict=False)
            if uri in related
            for text in phrasings
        }
        for competence in candidate.competences:
            assert competence.uri in related if competence.uri else competence.text.casefold() in related_text


def test_vacancy_requirements_come_from_the_occupation(pool, taxonomy):
    for vacancy in pool.vacancies:
        occupation = taxonomy.occupation(vacancy.occupation_uri)
        raven = vacancy.id in pool.planted_white_ravens
        for requirement in vacancy.requirements_of(RequirementKind.competence):
            assert taxonomy.is_skill(requirement.value)
            if requirement.importance is Importance.nice:
                assert requirement.value in occupation.optional_skills
            elif not raven:
                assert requirement.value in occupation.essential_skills
            else:
                assert requirement.value in occupation.essential_skills + occupation.optional_skills
        assert vacancy.requirements_of(RequirementKind.language)[0].value == "nl"


def test_employers_hire_mostly_in_their_sector_and_otherwise_plausibly(pool, catalogue):
    sector_of = {row.uri: row.sector for row in catalogue.rows}
    employer_sector = {e.id: e.sector for e in pool.employers}
    pairs = [(employer_sector[v.employer_id], sector_of[v.occupation_uri]) for v in pool.vacancies]
    off_sector = [(own, hired) for own, hired in pairs if own != hired]
    assert len(off_sector) / len(pairs) == pytest.approx(OFF_SECTOR_SHARE, abs=0.06)
    for own, hired in off_sector:  # a care home hires cooks, a bookkeeping office no welders
        assert hired in SUPPORT_SECTORS or hired in NEIGHBOUR_SECTORS.get(own, ()), (own, hired)


def test_vacancy_titles_read_like_job_ads(pool):
    titles = [v.title for v in pool.vacancies]
    assert all(title[0].isupper() for title in titles)
    assert any(title.endswith("(m/v/x)") for title in titles)


# -- personal data -----------------------------------------------------------------------------
def test_personal_data_never_appears_in_a_candidate(pool):
    assert not PERSONAL_FIELDS & set(Candidate.model_fields)
    for candidate, person in zip(pool.candidates, pool.personal, strict=False):
        assert person.candidate_id == candidate.id
        dumped = candidate.model_dump_json()
        for value in (person.name, person.email, person.phone, person.birth_date.isoformat()):
            assert value not in dumped


def test_personal_data_looks_real(pool):
    assert all(p.name and "@" in p.email and p.phone.startswith("+32 4") for p in pool.personal)
    assert {p.gender for p in pool.personal} <= {"female", "male", "x"}
    assert Counter(p.nationality for p in pool.personal).most_common(1)[0][0] == "BE"
    ages = [(REFERENCE_DATE - p.birth_date).days / 365.25 for p in pool.personal]
    assert min(ages) > 17.5 and max(ages) < 63.5


# -- writing -----------------------------------------------------------------------------------
def test_readme_says_synthetic_and_attributes_sources(tmp_path, taxonomy):
    write_pool(generate_pool(5, 3, seed=1, taxonomy=taxonomy), tmp_path)
    readme = (tmp_path / README).read_text(encoding="utf-8")
    for phrase in ("SYNTHETIC", "ESCO v1.1.1", "European Commission", "postcodes", REFERENCE_DATE.isoformat()):
        assert phrase in readme


def test_main_demo_data_writes_and_summarises(tmp_path):
    summary = main_demo_data(30, 6, 2, tmp_path / "demo")
    assert "30 candidates" in summary and "6 vacancies" in summary
    assert (tmp_path / "demo" / CANDIDATES_JSONL).exists() and (tmp_path / "demo" / VACANCIES_JSONL).exists()
