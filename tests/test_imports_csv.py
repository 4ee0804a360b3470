"""CSV imports: Belgian Excel (``;`` and a BOM), list cells, physical line numbers, round trips."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from matcher.imports import import_file, write_vacancies
from matcher.imports.cells import CellError, format_item, parse_item, split_list
from matcher.imports.tabular import write_candidates as write_csv
from matcher.profiles import Competence, Importance, PersonalData, Requirement
from profiles_factory import FORKLIFT, SKILLS, candidates, vacancies

SKILL = SKILLS[0]
VACANCY_HEADER = "id;employer_id;title;postcode;hours_min;hours_max;skills;languages;experience;licences;description"


def _write(tmp_path: Path, name: str, text: str, bom: bool = True) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" if bom else "").encode() + text.replace("\n", "\r\n").encode("utf-8"))
    return path


def test_semicolon_csv_with_bom_and_multiline_cells_reports_physical_lines(tmp_path: Path) -> None:
    rows = [
        VACANCY_HEADER,
        f"v1;gent-e1;Heftruckchauffeur;9000;19,5;38;heftruck besturen [should, trainable 4 weeks]|<{SKILL}>;"
        f'nl:A2|fr:B1 [nice];[24 months];B;"Wij zoeken:\nmet zin voor orde\nen veiligheid"',
        "v2;gent-e1;Magazijnier;12;38;38;;nl:B1;;;",
        'v3;gent-e1;Poetshulp;9050;38;38;kuisen [verplicht];nl:B1;;;"twee\nregels"',
        "v4;gent-e1;Keukenhulp;9300;38;38;;nl:Z1;;X;",
        "v5;aalst-e2;Schoonmaker;9300;20;30;schoonmaken;nl:A1;;;",
    ]
    result = import_file(_write(tmp_path, "vacatures.csv", "\n".join(rows) + "\n"))
    assert result.format == "csv" and result.kind == "vacancies"
    assert [v.id for v in result.records] == ["v1", "v5"]
    v1 = result.records[0]
    assert v1.hours_min == 19.5 and v1.description == "Wij zoeken:\r\nmet zin voor orde\r\nen veiligheid"
    assert v1.requirements[0] == Requirement(
        kind="competence", text="heftruck besturen", importance="should", trainable=True, training_weeks=4
    )
    assert v1.requirements[1].value == SKILL and v1.requirements[3].importance is Importance.nice
    assert v1.requirements[4].months == 24 and v1.requirements[5].value == "B"
    found = {(r.record, r.line, r.field) for r in result.rejections}
    assert found == {(2, 5, "postcode"), (3, 6, "skills[0]"), (4, 8, "languages[0].level"), (4, 8, "licences[0]")}
    assert "verplicht" in next(r.reason for r in result.rejections if r.record == 3)


def test_comma_csv_without_bom_candidates_with_personal_columns(tmp_path: Path) -> None:
    text = (
        "id,postcode,competences,languages,coaching_need,has_car,name,email,shoe_size\n"
        f"c1,9000,heftruck besturen|<{SKILL}>,nl:A2|ar:C2,light,ja,Yusuf Demir,yusuf@example.org,43\n"
        "c2,9000,,nl:A2|nl:B1,,nee,,,\n"
    )
    result = import_file(_write(tmp_path, "kandidaten.csv", text, bom=False))
    [c1] = result.records
    assert c1.competences == [Competence(text="heftruck besturen"), Competence(uri=SKILL)] and c1.has_car
    assert result.personal == [PersonalData(candidate_id="c1", name="Yusuf Demir", email="yusuf@example.org")]
    assert "Yusuf" not in c1.model_dump_json()
    [rejection] = result.rejections
    assert (rejection.line, rejection.field) == (3, None) and "'nl' is listed twice" in rejection.reason
    assert [w.field for w in result.warnings] == ["shoe_size"]


def test_cell_grammar_escapes_and_refuses_unknown_flags() -> None:
    item = format_item("Excel [gevorderd] | Word", SKILL, ["should", "score 0.75"])
    [again] = split_list(item)
    parsed = parse_item(again)
    assert (parsed.text, parsed.uri, parsed.importance, parsed.score) == (
        "Excel [gevorderd] | Word",
        SKILL,
        "should",
        0.75,
    )
    try:
        parse_item("VCA [heel belangrijk]")
    except CellError as exc:
        assert "heel belangrijk" in str(exc) and "trainable" in str(exc)
    else:
        raise AssertionError("an unknown flag must be refused")


texts = st.sampled_from(["heftruck besturen", "kuisen | poetsen", "Excel <gevorderd>", "HACCP [basis]", "a\\b"])


@given(st.lists(candidates("c"), min_size=1, max_size=3), texts, st.sampled_from([",", ";"]))
def test_candidates_round_trip(tmp_path_factory, pool, text, delimiter) -> None:
    pool = [
        c.model_copy(
            update={
                "id": f"c{i}",
                "competences": [
                    *c.competences,
                    Competence(text=text),
                    Competence(text=text, uri=SKILL, match_score=0.81),
                ],
            }
        )
        for i, c in enumerate(pool)
    ]
    personal = [PersonalData(candidate_id=pool[0].id, name="Lotte Peeters", birth_date="1988-02-29")]
    path = tmp_path_factory.mktemp("rt") / "c.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        write_csv(pool, {p.candidate_id: p for p in personal}, out, delimiter=delimiter)
    result = import_file(path)
    assert result.records == pool and result.personal == personal and not result.rejections


@given(st.lists(vacancies("v"), min_size=1, max_size=3), texts)
def test_vacancies_round_trip(tmp_path_factory, pool, text) -> None:
    pool = [
        v.model_copy(
            update={
                "id": f"v{i}",
                "description": f"regel 1\nregel 2 {text}",
                "requirements": [
                    Requirement(kind="competence", text=text, importance="nice", trainable=True, training_weeks=3),
                    *v.requirements,
                ],
            }
        )
        for i, v in enumerate(pool)
    ]
    path = write_vacancies(pool, tmp_path_factory.mktemp("rt") / "v.csv", "csv")
    assert import_file(path).records == pool


def test_experience_requirement_with_an_occupation(tmp_path: Path) -> None:
    text = f"id,employer_id,title,postcode,experience\nv1,e1,Chauffeur,9000,<{FORKLIFT}> [12 maanden; should]\n"
    result = import_file(_write(tmp_path, "v.csv", text))
    assert result.rejections and result.rejections[0].field == "experience[0]"
