"""Records for oversight: decisions and outcomes on suggestions, their export and pruning (SQLite and PostgreSQL)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from matcher.store import Store, SuggestionList, SuggestionRow
from profiles_factory import candidate, vacancy


@pytest.fixture
def store(store_url: str) -> Store:
    store = Store.from_url(store_url)
    store.migrate()
    store.upsert_employer("e1", "Schoonmaak NV")
    store.upsert_candidates([candidate("c1"), candidate("c2")])
    store.upsert_vacancies([vacancy("v1")])
    yield store
    store.dispose()


def _serve(store: Store, model_version: str = "placement-test") -> None:
    row = SuggestionRow("v1", "c1", 1, 0.61, False, 0, 2.0, {"summary": "fits"})
    store.log_served([SuggestionList("candidates", "v1", 1, 0, [row])], model_version, "rank")


def test_a_decision_and_an_outcome_round_trip_with_who_and_when(store: Store) -> None:
    _serve(store)
    secret = store.create_api_key("broker", label="Ann (job team Gent)")
    key = store.authenticate(secret)
    proposed = store.record_decision("v1", "c1", "proposed", key=key)
    hired = store.record_outcome("v1", "c1", "hired", by="employer phone call")
    assert proposed.model_version == "placement-test" and proposed.role == "broker" and proposed.key_id == key.id
    assert hired.kind == "outcome" and hired.recorded_by == "employer phone call"
    assert store.decisions(vacancy_id="v1") == [proposed, hired]
    assert store.decisions(candidate_id="c2") == []


def test_not_suitable_needs_a_reason_and_values_are_checked(store: Store) -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        store.record_decision("v1", "c2", "not_suitable")
    with pytest.raises(ValueError, match="decision must be one of proposed, not_suitable, not_interested"):
        store.record_decision("v1", "c2", "maybe")
    with pytest.raises(ValueError, match="outcome must be one of"):
        store.record_outcome("v1", "c2", "proposed")
    with pytest.raises(ValueError, match="unknown candidate 'nobody'"):
        store.record_decision("v1", "nobody", "proposed")
    kept = store.record_decision("v1", "c2", "not_suitable", reason="  night shifts only ")
    assert kept.reason == "night shifts only" and kept.model_version is None


def test_export_writes_a_period_as_json_lines_and_prune_keeps_the_recent(store: Store) -> None:
    _serve(store)
    old = datetime.now(UTC) - timedelta(days=400)
    store.record_decision("v1", "c1", "proposed", at=old)
    store.record_decision("v1", "c2", "not_interested")
    store.record_outcome("v1", "c1", "left_within_6_months")
    out = io.StringIO()
    counts = store.export_records(out, since=datetime.now(UTC) - timedelta(days=1))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["record"] == "meta" and lines[0]["format"] == "matcher-records/1"
    assert counts == {"suggestion": 1, "decision": 1, "outcome": 1}
    assert [line["record"] for line in lines[1:]] == ["suggestion", "decision", "outcome"]
    assert lines[1]["model_version"] == "placement-test" and lines[1]["explanation"] == {"summary": "fits"}
    assert store.prune_records(before=datetime.now(UTC) - timedelta(days=183)) == 1
    assert [d.value for d in store.decisions()] == ["not_interested", "left_within_6_months"]


def test_a_stored_run_feeds_the_audit(store: Store) -> None:
    from matcher.audit import lists_from_stored, run_audit

    rows = [
        SuggestionRow("v1", cid, rank, 0.7 - rank / 10, False, 0, 1.0, {}) for rank, cid in enumerate(["c2", "c1"], 1)
    ]
    run_id = store.create_run("all", {}, "placement-test", "snap", [("candidates", ["v1"])])
    store.complete_block(run_id, 0, [SuggestionList("candidates", "v1", 2, 0, rows)], pairs=2)
    lists = lists_from_stored(store.run_suggestions(run_id))
    assert [cid for cid, _ in lists["v1"]] == ["c2", "c1"]
    report = run_audit(lists, [candidate("c1"), candidate("c2")], k=1, min_group_size=1, n_bootstrap=10)
    (only,) = report.to_dict()["groupings"]["coaching_need"]["groups"]
    assert only["selection_rate"]["estimate"] == 0.5
