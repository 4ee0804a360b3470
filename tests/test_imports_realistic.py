"""The files Belgian users really have, refused whole before: each imports its good records with warnings.

The files in ``tests/data/imports/`` were written to look like the real thing: an Excel
"CSV (gescheiden door lijstscheidingsteken)" export (cp1252, ``;``, Dutch headers, two empty
trailing columns, day-first dates), a job site's JobPosting (``addressLocality`` only, HTML
description, ``baseSalary``), a JSON Resume without ``matcher.id`` (French diploma "CESS",
fluency "een beetje", LinkedIn wording) and a site export with its own headers and a
``--columns`` map.
"""

from __future__ import annotations

import csv
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.imports import import_file
from matcher.profiles import CEFR, Candidate, EducationLevel, PersonalData, RequirementKind
from matcher.store import Store

DATA = Path(__file__).parent / "data" / "imports"


def _fields(result, record: int) -> set[str | None]:
    return {w.field for w in result.warnings if w.record == record}


def test_excel_cp1252_csv_with_dutch_headers_trailing_columns_and_day_first_dates() -> None:
    result = import_file(DATA / "vacatures_excel_cp1252.csv")
    assert result.kind == "vacancies" and result.format == "csv"
    assert [v.id for v in result.records] == ["VDAB-2026-0141", "VDAB-2026-0142", "VDAB-2026-0143"]
    first, bakery, warehouse = result.records
    assert first.valid_through == date(2026, 12, 31) and bakery.valid_through == date(2027, 1, 31)
    assert warehouse.valid_through == date(2027, 3, 15)
    assert "één zaterdag" in bakery.description and "2°C" in warehouse.description  # cp1252 read right
    assert bakery.postcode == "9300"  # Aalst the town, not the part of Sint-Truiden
    file_notes = " ".join(w.message for w in result.warnings if w.record is None)
    assert "Windows-1252" in file_notes and "2 empty column(s)" in file_notes and "'Functie' as title" in file_notes
    assert "valid_through" in _fields(result, 1) and "2026-12-31" in " ".join(w.message for w in result.warnings)
    [rejection] = result.rejections  # Meldert is three villages: the rejection lists them
    assert rejection.line == 5 and rejection.field == "municipality"
    assert "3320 Hoegaarden" in rejection.reason and "9310 Baardegem" in rejection.reason


def test_excel_candidates_keep_the_record_when_a_personal_field_is_bad() -> None:
    result = import_file(DATA / "kandidaten_excel_cp1252.csv", kind="candidates")
    assert not result.rejections and [c.id for c in result.records] == ["K-1001", "K-1002"]
    fatma, jean = result.records
    assert fatma.education is EducationLevel.secondary and jean.education is EducationLevel.secondary  # CESS
    assert fatma.available_from == date(2026, 12, 1)
    personal = {p.candidate_id: p for p in result.personal}
    assert personal["K-1001"].birth_date == date(1985, 3, 12) and personal["K-1001"].phone == "0477 12 34 56"
    assert personal["K-1002"].birth_date is None and personal["K-1002"].phone is None
    assert personal["K-1002"].name == "Jean-Pierre Dubois"
    assert {"birth_date", "phone"} <= _fields(result, 2)


def test_jobposting_with_locality_only_html_description_and_base_salary() -> None:
    result = import_file(DATA / "jobposting_gent_html_salary.json")
    assert not result.rejections and [v.id for v in result.records] == ["jobat-88311", "jobat-88312"]
    gent, gand = result.records
    assert gent.postcode == gand.postcode == "9000"
    assert gent.description.startswith("Voor ons magazijn in Gent") and "- Laden & lossen" in gent.description
    assert "<b>Gent</b>" in gent.description_html and "&amp;" in gent.description_html
    assert gand.description == "Magasinier équipe de nuit"
    salary = gent.salary
    assert (salary.min, salary.max, salary.currency, salary.unit) == (14.5, 16.25, "EUR", "hour")
    assert (gand.salary.min, gand.salary.unit) == (2400, "month")
    assert gent.valid_through == date(2026, 12, 31)
    [education] = gent.requirements_of(RequirementKind.education)  # "Diploma secundair onderwijs (TSO)"
    assert education.value == "secondary"
    assert {"description", "jobLocation.address.addressLocality", "validThrough"} <= _fields(result, 1)


def test_json_resume_without_id_gets_a_stable_content_id_and_french_and_linkedin_wording() -> None:
    first = import_file(DATA / "jsonresume_zonder_id.json", today=date(2026, 12, 1))
    again = import_file(DATA / "jsonresume_zonder_id.json", today=date(2026, 12, 1))
    [candidate] = first.records
    assert not first.rejections and candidate.id == again.records[0].id and candidate.id.startswith("jr-")
    levels = {lang.language: lang.level for lang in candidate.languages}
    assert levels == {"ar": CEFR.C2, "fr": CEFR.C2, "nl": CEFR.A1, "en": CEFR.B1}
    assert candidate.education is EducationLevel.secondary
    assert "matcher.id" in _fields(first, 1)
    assert first.personal[0].name == "Amina El Idrissi"


def test_site_export_with_a_columns_map_and_salary_text() -> None:
    result = import_file(DATA / "site_export.csv", kind="vacancies", columns=DATA / "kolommen.toml")
    assert not result.rejections and [v.postcode for v in result.records] == ["9000", "9100"]
    assert [(v.salary.min, v.salary.max, v.salary.unit) for v in result.records] == [
        (14.5, 14.5, "hour"),
        (14.0, 15.2, "hour"),
    ]


def test_import_check_prints_a_summary_writes_the_report_and_exits_1_on_rejects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.csv"
    code = main(["import-check", str(DATA / "vacatures_excel_cp1252.csv"), "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    assert "4 records, 3 accepted, 1 rejected" in out and "Rejections per reason:" in out
    assert "Warnings per reason:" in out and "First rejections" in out and "line 5" in out
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert list(rows[0]) == ["line", "record", "record_id", "field", "severity", "reason", "fix"]
    rejected = [r for r in rows if r["severity"] == "rejected"]
    assert [(r["line"], r["record_id"], r["field"]) for r in rejected] == [("5", "VDAB-2026-0144", "municipality")]
    assert rejected[0]["fix"] == "give the postcode"
    assert main(["import-check", str(DATA / "vacatures_excel_cp1252.csv"), "--allow-rejects"]) == 0
    assert main(["import-check", str(DATA / "jsonresume_zonder_id.json")]) == 0


def test_load_stores_the_good_records_with_an_audited_import(
    store_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MATCHER_DATABASE_URL", store_url)
    code = main(["load", "--vacancies", str(DATA / "vacatures_excel_cp1252.csv"), "--allow-rejects"])
    assert code == 0
    store = Store.from_url(store_url)
    assert store.vacancy_ids() == ["VDAB-2026-0141", "VDAB-2026-0142", "VDAB-2026-0143"]
    [summary] = store.list_imports()
    assert (summary.accepted, summary.rejected, summary.status) == (3, 1, "completed")
    assert [r["line"] for r in store.import_rejections(summary.id)] == [5]
    assert [a.target for a in store.list_audit(action="import_vacancies")] == [str(summary.id)]
    assert "3 accepted, 1 rejected" in capsys.readouterr().out


def test_an_import_stopped_between_batches_is_visible_as_interrupted(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matcher.store import profiles as store_profiles

    store = Store.from_url(store_url)
    store.migrate()
    result = import_file(DATA / "kandidaten_excel_cp1252.csv", kind="candidates")
    real_write, calls = store._write_batch, []

    def crash_on_second(conn, kind, records, personal_of):
        calls.append(len(records))
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is killed between two batches
        real_write(conn, kind, records, personal_of)

    monkeypatch.setattr(store, "_write_batch", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        store.ingest(result, "kandidaten.csv", batch_size=1)
    [running] = store.list_imports()
    assert running.status == "running" and store.candidate_ids() == ["K-1001"]
    assert store.list_audit(action="import_candidates")  # who started it is on record
    monkeypatch.setattr(store_profiles, "STALLED_AFTER", timedelta(0))
    assert store.list_imports()[0].status == "interrupted"
    monkeypatch.setattr(store, "_write_batch", real_write)
    store.ingest(result, "kandidaten.csv", batch_size=1)  # importing again completes it
    assert store.candidate_ids() == ["K-1001", "K-1002"] and store.list_imports()[0].status == "completed"


def test_a_failing_write_logs_no_personal_data(store_url: str, caplog: pytest.LogCaptureFixture) -> None:
    store = Store.from_url(store_url)
    store.migrate()
    candidate = Candidate(id="c1", postcode="9000")
    secret = PersonalData(candidate_id="nobody", name="Griet Vanhoutte", email="griet.vanhoutte@example.be")
    caplog.set_level(logging.DEBUG)
    with pytest.raises(Exception) as failure:  # personal data for a candidate that does not exist
        store.upsert_candidates([candidate], [secret])
    logged = caplog.text + str(failure.value) + repr(failure.value.args)
    assert "Vanhoutte" not in logged and "griet.vanhoutte" not in logged
    assert "parameters hidden" in str(failure.value)
