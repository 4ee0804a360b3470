"""The project's own JSON Lines: fast path, precise rejections, personal data split, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.imports import (
    ImportFormatError,
    check_file,
    import_candidates,
    import_file,
    write_candidates,
    write_vacancies,
)
from matcher.profiles import PERSONAL_FIELDS, PersonalData
from profiles_factory import FORKLIFT, candidates, vacancies

GOOD_VACANCY = {
    "id": "v1",
    "employer_id": "gent-e1",
    "title": "Heftruckchauffeur",
    "postcode": "9000",
    "occupation_uri": FORKLIFT,
    "requirements": [{"kind": "language", "value": "nl", "level": "A2"}],
}


def _lines(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def test_mixed_file_reports_every_bad_line_and_keeps_every_good_one(tmp_path: Path) -> None:
    bad_level = {**GOOD_VACANCY, "id": "v3", "requirements": [{"kind": "language", "value": "nl", "level": "B7"}]}
    path = tmp_path / "vacatures.jsonl"
    path.write_text(
        _lines(
            GOOD_VACANCY,
            {**GOOD_VACANCY, "id": "v2", "postcode": "12"},
            "",
            "{not json",
            bad_level,
            {**GOOD_VACANCY, "id": "v4"},
            {**GOOD_VACANCY, "title": "dubbel"},
        )
    )
    result = import_file(path)
    assert result.kind == "vacancies" and result.format == "jsonl"
    assert [v.id for v in result.records] == ["v1", "v4"]
    found = {(r.record, r.line, r.field) for r in result.rejections}
    assert found == {(2, 2, "postcode"), (3, 4, None), (4, 5, "requirements[0].level"), (6, 7, "id")}
    reasons = {r.field: r.reason for r in result.rejections}
    assert reasons["postcode"] == "postcode '12' must be 4 digits, e.g. 9000"
    assert "B7" in reasons["requirements[0].level"] and "B1" in reasons["requirements[0].level"]
    assert "record 1 (line 1)" in reasons["id"]
    text = result.to_text()
    assert "7 records" not in text and "6 records, 2 accepted, 4 rejected" in text
    assert "line 5 (record 4), field requirements[0].level:" in text


def test_personal_data_is_split_off_and_never_in_the_candidate() -> None:
    line = {
        "id": "c1",
        "postcode": "9050",
        "languages": [{"language": "nl", "level": "A2"}],
        "personal": {
            "name": "Amina El Idrissi",
            "email": "amina@example.org",
            "birth_date": "1991-04-17",
            "nationality": "MA",
        },
    }
    result = import_candidates(_lines(line))
    [candidate] = result.records
    assert result.personal == [
        PersonalData(
            candidate_id="c1",
            name="Amina El Idrissi",
            email="amina@example.org",
            birth_date="1991-04-17",
            nationality="MA",
        )
    ]
    dumped = candidate.model_dump_json()
    assert "Amina" not in dumped and not any(f'"{f}"' in dumped for f in PERSONAL_FIELDS)


def test_personal_dates_are_read_day_first_and_bad_personal_fields_dropped_with_a_warning() -> None:
    lines = [
        {"id": "c1", "postcode": "9000", "personal": {"name": "Jan", "birth_date": "17/04/1991"}},
        {"id": "c2", "postcode": "9000", "personal": {"name": "An", "birth_date": "vorig jaar", "phone": 477123456}},
    ]
    result = import_candidates(_lines(*lines))
    assert not result.rejections and [c.id for c in result.records] == ["c1", "c2"]
    by_id = {p.candidate_id: p for p in result.personal}
    assert str(by_id["c1"].birth_date) == "1991-04-17" and by_id["c2"].birth_date is None
    assert by_id["c2"].name == "An" and by_id["c2"].phone is None
    fields = {(w.record, w.field) for w in result.warnings}
    assert {(1, "personal.birth_date"), (2, "personal.birth_date"), (2, "personal.phone")} <= fields
    assert "1991-04-17" in next(w.message for w in result.warnings if w.record == 1)


def test_kind_and_format_errors_are_clear(tmp_path: Path) -> None:
    odd = tmp_path / "x.jsonl"
    odd.write_text('{"foo": 1}\n{"foo": 2}\n')
    with pytest.raises(ImportFormatError, match="vacancies or candidates"):
        import_file(odd)
    with pytest.raises(ImportFormatError, match="unknown format 'xml'"):
        import_file(odd, kind="candidates", format="xml")
    sheet = tmp_path / "x.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    with pytest.raises(ImportFormatError, match="CSV"):
        check_file(sheet)


@given(st.lists(candidates("c"), min_size=1, max_size=4), st.data())
def test_candidates_round_trip(tmp_path_factory, pool, data) -> None:
    pool = [c.model_copy(update={"id": f"c{i}"}) for i, c in enumerate(pool)]
    personal = [
        PersonalData(
            candidate_id=c.id,
            name=data.draw(st.sampled_from(["Lotte Peeters", "Yusuf Demir"])),
            phone="+32 470 12 34 56",
        )
        for c in pool[::2]
    ]
    path = write_candidates(pool, personal, tmp_path_factory.mktemp("rt") / "c.jsonl", "jsonl")
    result = import_file(path)
    assert result.records == pool and result.personal == personal and not result.rejections


@given(st.lists(vacancies("v"), min_size=1, max_size=4))
def test_vacancies_round_trip(tmp_path_factory, pool) -> None:
    pool = [v.model_copy(update={"id": f"v{i}"}) for i, v in enumerate(pool)]
    path = write_vacancies(pool, tmp_path_factory.mktemp("rt") / "v.jsonl", "jsonl")
    assert import_file(path).records == pool


def test_an_unknown_postcode_rejects_its_record_with_the_line(tmp_path) -> None:
    good = {"id": "c1", "postcode": "9000"}
    unknown = {"id": "c2", "postcode": "9999"}
    path = tmp_path / "candidates.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in (good, unknown, {**good, "id": "c3"})) + "\n")
    result = import_file(path, kind="candidates")
    assert [c.id for c in result.records] == ["c1", "c3"]
    [rejection] = result.rejections
    assert (rejection.line, rejection.field) == (2, "postcode") and "'9999'" in rejection.reason
