"""Decisions and outcomes on suggestions, stored with the broker's key and model version; exports of a ranked list."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from matcher.app import LivePool, serve_candidates
from matcher.app.decisions import decisions, record_decision, record_outcome
from matcher.app.errors import InvalidInput
from matcher.app.exports import COLUMNS, rows, to_csv, to_xlsx
from matcher.settings import Settings
from matcher.store import Store
from profiles_factory import SKILLS, TODAY, candidate, vacancy


@pytest.fixture
def live(store_url, taxonomy):
    store = Store.from_url(store_url)
    store.migrate()
    store.upsert_candidates([candidate(f"c{i}", skills=tuple(SKILLS[: 3 - i % 2])) for i in range(4)])
    store.upsert_vacancies([vacancy("v1", must_skills=tuple(SKILLS[:2]), title='=HYPERLINK("x")')])
    store.dispose()
    pool = LivePool.load(Settings(database_url=store_url), TODAY, taxonomy)
    yield pool
    pool.close()


def test_latest_decision_and_outcome_per_pair_with_key_and_model(live) -> None:
    key = live.store.authenticate(live.store.create_api_key("broker"))
    record_decision(live, key, "v1", "c0", "not_interested")
    record_decision(live, key, "v1", "c0", "proposed")
    record_outcome(live, key, "v1", "c0", "hired")
    record_decision(live, key, "v1", "c1", "not_suitable", "no forklift licence")
    found = decisions(live.store, vacancy_id="v1")
    assert found[("v1", "c0")].decision == "proposed" and found[("v1", "c0")].outcome == "hired"
    assert found[("v1", "c0")].key_id == key.id and found[("v1", "c0")].model_version == live.model_version
    assert found[("v1", "c1")].reason == "no forklift licence" and found[("v1", "c1")].outcome is None
    assert set(decisions(live.store, candidate_id="c1")) == {("v1", "c1")}


def test_refusals_name_the_field(live) -> None:
    key = live.store.authenticate(live.store.create_api_key("broker"))
    with pytest.raises(InvalidInput, match="say why"):
        record_decision(live, key, "v1", "c0", "not_suitable", "  ")
    with pytest.raises(InvalidInput, match="decision must be one of"):
        record_decision(live, key, "v1", "c0", "maybe")
    with pytest.raises(InvalidInput, match="no candidate"):
        record_outcome(live, key, "v1", "nobody", "hired")
    assert decisions(live.store) == {}


def test_csv_and_xlsx_hold_the_ranked_list_and_defuse_formulas(live) -> None:
    key = live.store.authenticate(live.store.create_api_key("broker"))
    body = serve_candidates(live, key, "v1", 10, "nl")
    record_decision(live, key, "v1", body["suggestions"][0]["candidate_id"], "proposed")
    table = rows(body, decisions(live.store, vacancy_id="v1"))
    assert [r["candidate_id"] for r in table] == [s["candidate_id"] for s in body["suggestions"]]
    parsed = list(csv.DictReader(io.StringIO(to_csv(table))))
    assert list(parsed[0]) == list(COLUMNS) and parsed[0]["decision"] == "proposed"
    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    assert [c.value for c in sheet[1]] == list(COLUMNS) and sheet.max_row == len(table) + 1
    assert to_csv([{"title": "=cmd()"}], ["title"]).splitlines()[1] == "'=cmd()"
