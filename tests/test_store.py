"""The store on SQLite and on PostgreSQL: schema, profiles, imports, runs, suggestions, keys, audit."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from matcher.profiles import PersonalData
from matcher.store import Role, Store, SuggestionList, SuggestionRow, normalise_url
from matcher.store.base import alembic_config, utcnow
from matcher.store.schema import metadata, suggestions
from profiles_factory import SKILLS, candidate, vacancy


@pytest.fixture
def store(store_url: str) -> Store:
    store = Store.from_url(store_url)
    store.migrate()
    yield store
    store.dispose()


def ranked(direction: str, query_id: str, others: list[str], score: float = 0.5) -> SuggestionList:
    rows = [
        SuggestionRow(
            vacancy_id=query_id if direction == "candidates" else other,
            candidate_id=other if direction == "candidates" else query_id,
            rank=rank,
            score=score - rank / 100,
            stretch=False,
            failed=0,
            distance_km=1.5,
            explanation={"summary": f"rank {rank}"},
        )
        for rank, other in enumerate(others, start=1)
    ]
    return SuggestionList(direction, query_id, strict_count=len(others), stretch_count=0, rows=rows)


# --- schema -----------------------------------------------------------------------------------


def test_migrations_create_exactly_the_declared_schema(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store.migrate()  # a second run is a no-op
    assert store.schema_revision() == "0009"
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_migrations_downgrade_to_an_empty_database(store: Store) -> None:
    from alembic import command

    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert store.schema_revision() is None
    store.migrate()
    assert store.counts() == {"candidates": 0, "vacancies": 0, "employers": 0}


def test_urls_pick_psycopg_and_refuse_other_databases() -> None:
    assert normalise_url("postgresql://u@localhost/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@localhost/db").drivername == "postgresql+psycopg"
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        normalise_url("mysql://u@localhost/db")
    with pytest.raises(ValueError, match="not a database URL"):
        normalise_url("no url at all")


# --- profiles ---------------------------------------------------------------------------------


def test_candidates_round_trip_with_personal_data_apart(store: Store) -> None:
    cand = candidate("c1", skills=tuple(SKILLS[:3]), coaching_need="light")
    store.upsert_candidate(cand, PersonalData(candidate_id="c1", name="Fatima El Amrani", email="f@example.be"))
    store.upsert_candidate(candidate("c2"))
    assert store.get_candidate("c1") == cand
    assert store.get_personal("c1").name == "Fatima El Amrani"
    assert store.get_personal("c2") is None
    assert [c.id for c in store.list_candidates()] == ["c1", "c2"]
    assert [c.id for c in store.list_candidates(limit=1, offset=1)] == ["c2"]
    with store.engine.connect() as conn:  # the profile JSON carries nothing personal
        profile = conn.execute(text("select profile from candidates where id = 'c1'")).scalar_one()
    assert "Fatima" not in str(profile)


def test_updating_a_candidate_replaces_it_and_changes_the_snapshot(store: Store) -> None:
    store.upsert_candidate(candidate("c1", dutch="A2"))
    before = store.snapshot()
    store.upsert_candidate(candidate("c1", dutch="B2"))
    assert store.get_candidate("c1").language_level("nl").name == "B2"
    assert store.counts()["candidates"] == 1
    assert store.snapshot() != before


def test_deleting_a_candidate_deletes_their_personal_data(store: Store) -> None:
    store.upsert_candidate(candidate("c1"), PersonalData(candidate_id="c1", name="Jan"))
    assert store.delete_candidate("c1") is True
    assert store.get_candidate("c1") is None and store.get_personal("c1") is None
    assert store.delete_candidate("c1") is False


def test_personal_data_must_belong_to_the_candidate(store: Store) -> None:
    with pytest.raises(ValueError, match="personal data is for 'c2'"):
        store.upsert_candidate(candidate("c1"), PersonalData(candidate_id="c2"))


def test_vacancies_filter_by_employer_and_create_it(store: Store) -> None:
    store.upsert_vacancies(
        [vacancy("v1", employer_id="e1"), vacancy("v2", employer_id="e2"), vacancy("v3", employer_id="e1")]
    )
    assert [v.id for v in store.list_vacancies(employer_id="e1")] == ["v1", "v3"]
    assert [v.id for v in store.list_vacancies()] == ["v1", "v2", "v3"]
    assert [e["id"] for e in store.list_employers()] == ["e1", "e2"]
    store.upsert_employer("e1", name="Logistiek Gent nv")
    store.upsert_vacancy(vacancy("v4", employer_id="e1"))  # a new vacancy keeps the employer's name
    assert store.get_employer("e1") == {"id": "e1", "name": "Logistiek Gent nv"}
    assert store.get_vacancy("v2").employer_id == "e2"
    with pytest.raises(ValueError, match="still has 3 vacancies"):
        store.delete_employer("e1")
    assert store.delete_vacancy("v2") and store.delete_employer("e2")
    assert store.get_employer("e2") is None


# --- imports ----------------------------------------------------------------------------------


@dataclass
class Rejection:
    line: int
    reason: str


def test_imports_keep_each_rejection_with_its_line_and_reason(store: Store) -> None:
    import_id = store.record_import(
        "vacancies",
        "tonight.jsonl",
        ["v1", "v2"],
        [
            Rejection(3, "postcode '90000' is not a Belgian postcode"),
            {"line": 7, "reason": "title is empty"},
            "unreadable line",
        ],
    )
    [summary] = store.list_imports()
    assert (summary.id, summary.accepted, summary.rejected, summary.source) == (import_id, 2, 3, "tonight.jsonl")
    rejections = store.import_rejections(import_id)
    assert [(r["line"], r["reason"]) for r in rejections] == [
        (3, "postcode '90000' is not a Belgian postcode"),
        (7, "title is empty"),
        (None, "unreadable line"),
    ]
    assert store.import_record_ids(import_id) == ["v1", "v2"]
    with pytest.raises(ValueError, match="import kind"):
        store.record_import("employers", "x", [], [])


# --- rescoring runs and suggestions -----------------------------------------------------------


def test_a_block_is_stored_once_and_atomically(store: Store) -> None:
    run_id = store.create_run(
        "all", {"top_k": 2}, "transparent-1", "snap", [("candidates", ["v1"]), ("candidates", ["v2"])]
    )
    assert [b.block_no for b in store.pending_blocks(run_id)] == [0, 1]
    assert store.complete_block(run_id, 0, [ranked("candidates", "v1", ["c1", "c2"])], pairs=2) is True
    assert store.complete_block(run_id, 0, [ranked("candidates", "v1", ["c1", "c2"])], pairs=2) is False
    broken = ranked("candidates", "v2", ["c1", "c2"])
    broken.rows.append(broken.rows[0])  # a duplicate rank violates the unique constraint mid-block
    with pytest.raises(IntegrityError):
        store.complete_block(run_id, 1, [broken], pairs=2)
    assert [b.block_no for b in store.pending_blocks(run_id)] == [1]  # nothing of block 1 was kept
    assert len(store.run_suggestions(run_id)) == 2
    run = store.get_run(run_id)
    assert (run.done_blocks, run.total_blocks, run.pairs, run.progress) == (1, 2, 2, 0.5)


def test_bulk_rows_read_back_as_the_lists_they_were(store: Store) -> None:
    """Arrays written in bulk (binary COPY / executemany) read back as the same rows as the list path."""
    import numpy as np

    from matcher.batch.work import with_provenance
    from matcher.store.bulk import Provenance, SuggestionArrays, inputs_ref

    odd = ["c\t1", "c\\2", "ç\n3"]  # ids a text COPY would have to escape
    provenance = Provenance("m1", 'esco "1.2" \\', "2026-11-23", "nl")
    lists = [ranked("candidates", "v1", odd, score=0.1 + 1e-9), ranked("candidates", "v0", ["c9"])]
    digests = ({c: f"d-{c}" for c in [*odd, "c9"]}, {"v1": "e1"})
    rows = [r for x in sorted(lists, key=lambda x: x.query_id) for r in x.rows]
    column = lambda name, dtype: np.array([getattr(r, name) for r in rows], dtype=dtype)  # noqa: E731
    plain = SuggestionArrays(
        direction="candidates",
        query_ids=np.array(["v0", "v1"], dtype=object),
        strict_count=np.array([1, 3]),
        stretch_count=np.array([0, 0]),
        starts=np.array([0, 1, 4]),
        vacancy_ids=column("vacancy_id", object),
        candidate_ids=column("candidate_id", object),
        rank=column("rank", np.int64),
        score=column("score", np.float32),
        stretch=column("stretch", bool),
        failed=column("failed", np.int64),
        distance_km=column("distance_km", np.float32),
        explanations=(),
    )
    arrays = with_provenance(plain, digests, provenance)
    run_id = store.create_run("all", {}, "m1", "snap", [("candidates", ["v0", "v1"])])
    assert store.complete_block(run_id, 0, [], pairs=4, model_version="m1", arrays=[arrays]) is True

    stored = store.run_suggestions(run_id)
    assert [(s.query_id, s.candidate_id, s.rank) for s in stored] == [("v0", "c9", 1)] + [
        ("v1", c, r) for r, c in enumerate(odd, start=1)
    ]
    want = {(s.vacancy_id, s.candidate_id): s for x in lists for s in x.rows}
    for s in stored:
        row = want[(s.vacancy_id, s.candidate_id)]
        assert (s.score, s.stretch, s.failed, s.distance_km) == (
            float(np.float32(row.score)),
            row.stretch,
            row.failed,
            row.distance_km,
        )
        ref = inputs_ref(digests[0][s.candidate_id], digests[1].get(s.vacancy_id, ""), "m1", "nl")
        assert s.explanation == json.loads(provenance.explanation_json(ref))
        assert s.model_version == "m1"
    assert store.run_lists(run_id) == [("candidates", "v0", 1, 0), ("candidates", "v1", 3, 0)]


def _delete_run(store: Store, run_id: int) -> int:
    """Delete a run by hand (the store never does) and count the suggestions left of it."""
    with store.engine.begin() as conn:
        conn.execute(text("delete from rescoring_runs where id = :id"), {"id": run_id})
        return conn.execute(text("select count(*) from suggestions where run_id = :id"), {"id": run_id}).scalar_one()


def test_migration_0009_keeps_the_stored_suggestions_both_ways(store_url: str) -> None:
    """0009 (no foreign key, json explanations) up and down: the same rows read back; a deleted run takes its rows."""
    from alembic import command

    store = Store.from_url(store_url)
    store.migrate("0008")
    runs = [store.create_run("all", {}, "m1", "snap", [("candidates", ["v1"]), ("vacancies", ["c1"])]) for _ in "ab"]
    for run_id in runs:
        store.complete_block(run_id, 0, [ranked("candidates", "v1", ["c1", "c2"])], pairs=2)
        store.complete_block(run_id, 1, [ranked("vacancies", "c1", ["v1"])], pairs=1)
    store.log_suggestions([ranked("candidates", "v2", ["c3"])], model_version="m0")
    before = [store.run_suggestions(run_id) for run_id in runs]
    assert before[0][0].explanation == {"summary": "rank 1"}

    store.migrate()
    assert store.schema_revision() == "0009"
    assert [store.run_suggestions(run_id) for run_id in runs] == before
    assert _delete_run(store, runs[0]) == 0  # the trigger that replaces the cascade
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0008")
    assert store.run_suggestions(runs[1]) == before[1]
    assert _delete_run(store, runs[1]) == 0  # the foreign key's cascade again
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from suggestions")).scalar_one() == 1  # the served log
    store.dispose()


def test_a_decision_records_the_model_of_the_pairs_latest_suggestion(store: Store) -> None:
    """Found through the pair's lists (no pair index): either direction, runs and served logs, the latest."""
    from datetime import timedelta

    from matcher.store.decisions import _pair_model_version

    store.upsert_vacancy(vacancy("v1"))
    store.upsert_candidate(candidate("c1"))
    assert store.record_decision("v1", "c1", "proposed").model_version is None
    run_id = store.create_run("all", {}, "m1", "s", [("candidates", ["v1"]), ("vacancies", ["c1"])])
    store.complete_block(run_id, 0, [ranked("candidates", "v1", ["c2", "c1"])], pairs=2)
    assert store.record_decision("v1", "c1", "proposed").model_version == "m1"
    store.complete_block(run_id, 1, [ranked("vacancies", "c1", ["v1"])], pairs=1, model_version="m2")
    assert store.record_decision("v1", "c1", "proposed").model_version == "m2"  # the candidate's list, later
    store.log_suggestions([ranked("candidates", "v9", ["c1"])], model_version="other pair")
    store.log_suggestions([ranked("candidates", "v1", ["c3"])], model_version="other candidate")
    assert store.record_decision("v1", "c1", "proposed").model_version == "m2"
    store.log_suggestions([ranked("candidates", "v1", ["c1"])], model_version="served")
    assert store.record_decision("v1", "c1", "proposed").model_version == "served"
    with store.engine.begin() as conn:  # the served row back to before the run: the run's is the latest again
        conn.execute(
            suggestions.update().where(suggestions.c.run_id.is_(None)).values(created_at=utcnow() - timedelta(days=1))
        )
        assert _pair_model_version(conn, "v1", "c1") == "m2"
        assert _pair_model_version(conn, "c1", "v1") is None  # ids the wrong way round


def test_the_explanation_template_is_the_json_it_replaces() -> None:
    from matcher.store.bulk import COPY_TYPES, ROW_COLUMNS, Provenance

    assert len(COPY_TYPES) == len(ROW_COLUMNS)
    for provenance in (Provenance("m", "1.2", "2026-11-23", "nl"), Provenance("m", 'a"\\b\n', "ü", "x\u2028")):
        head, tail = provenance.explanation_parts()
        assert head + "0123abcdef" * 3 + tail == provenance.explanation_json("0123abcdef" * 3)


def test_candidate_side_blocks_are_planned_once(store: Store) -> None:
    run_id = store.create_run("selected", {}, "m", "snap", [("candidates", ["v1"])])
    assert store.add_blocks(run_id, [("vacancies", ["c1", "c2"]), ("vacancies", ["c3"])]) is True
    assert store.add_blocks(run_id, [("vacancies", ["c1"])]) is False
    assert [(b.block_no, b.direction, b.query_ids) for b in store.blocks(run_id)] == [
        (0, "candidates", ["v1"]),
        (1, "vacancies", ["c1", "c2"]),
        (2, "vacancies", ["c3"]),
    ]
    assert store.get_run(run_id).total_blocks == 3


def test_suggestions_come_from_the_latest_completed_run(store: Store) -> None:
    old = store.create_run("all", {}, "m1", "s", [("candidates", ["v1"]), ("vacancies", ["c1"])])
    store.complete_block(old, 0, [ranked("candidates", "v1", ["c1", "c2"])], pairs=2)
    store.complete_block(old, 1, [ranked("vacancies", "c1", ["v1"])], pairs=1)
    store.set_run_status(old, "completed")
    new = store.create_run("selected", {}, "m2", "s", [("candidates", ["v1"])])
    store.complete_block(new, 0, [ranked("candidates", "v1", ["c2"])], pairs=2)  # not completed yet

    latest = store.list_suggestions(vacancy_id="v1")
    assert [(s.run_id, s.candidate_id, s.rank, s.model_version) for s in latest] == [
        (old, "c1", 1, "m1"),
        (old, "c2", 2, "m1"),
    ]
    assert latest[0].explanation == {"summary": "rank 1"}
    store.set_run_status(new, "completed")
    assert [s.candidate_id for s in store.list_suggestions(vacancy_id="v1")] == ["c2"]
    assert [s.vacancy_id for s in store.list_suggestions(candidate_id="c1")] == ["v1"]  # still from the old run
    assert [s.candidate_id for s in store.list_suggestions(vacancy_id="v1", run_id=old)] == ["c1", "c2"]
    assert [
        s.rank for s in store.list_suggestions(vacancy_id="v1", candidate_id="c2", direction="candidates", run_id=old)
    ] == [2]
    assert store.list_suggestions(vacancy_id="v9") == []
    with pytest.raises(ValueError, match="direction"):
        store.list_suggestions()


def test_live_suggestions_are_logged_outside_runs(store: Store) -> None:
    store.log_suggestions([ranked("candidates", "v1", ["c1"])], model_version="transparent-1")
    assert store.list_suggestions(vacancy_id="v1") == []  # only runs feed the stored lists
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from suggestions where run_id is null")).scalar_one() == 1


# --- API keys and audit -----------------------------------------------------------------------


def test_api_keys_are_hashed_checked_and_revoked(store: Store) -> None:
    secret = store.create_api_key("broker", label="VDAB Gent")
    key = store.authenticate(secret)
    assert key is not None and key.role is Role.broker and key.label == "VDAB Gent"
    assert secret.startswith(f"mk_{key.id}_")
    with store.engine.connect() as conn:
        stored = conn.execute(text("select secret_hash from api_keys")).scalar_one()
    assert secret not in stored and len(stored) == 64
    assert store.authenticate(secret[:-1] + ("x" if secret[-1] != "x" else "y")) is None
    assert store.authenticate(f"mk_{'0' * 16}_nope") is None
    assert store.authenticate("Bearer something") is None
    assert store.revoke(key.id) is True and store.revoke(key.id) is False
    assert store.authenticate(secret) is None
    assert store.list_api_keys() == [] and len(store.list_api_keys(include_revoked=True)) == 1


def test_employer_keys_are_bound_to_an_existing_employer(store: Store) -> None:
    with pytest.raises(ValueError, match="not in the store"):
        store.create_api_key("employer", employer_id="e1")
    store.upsert_vacancy(vacancy("v1", employer_id="e1"))
    key = store.authenticate(store.create_api_key("employer", employer_id="e1"))
    assert key.role is Role.employer and key.employer_id == "e1"
    with pytest.raises(ValueError, match="needs employer_id"):
        store.create_api_key("employer")
    with pytest.raises(ValueError, match="only for employer keys"):
        store.create_api_key("broker", employer_id="e1")
    with pytest.raises(ValueError, match="role must be one of admin, broker, employer, batch"):
        store.create_api_key("root")


def test_audit_log_records_who_asked_for_what(store: Store) -> None:
    key = store.authenticate(store.create_api_key("batch"))
    store.audit("rescore", key=key, target="run 1", detail={"vacancies": 12})
    store.audit("create_api_key", role="cli", target="abc")
    newest, oldest = store.list_audit()
    assert (oldest.key_id, oldest.role, oldest.action, oldest.target, oldest.detail) == (
        key.id,
        "batch",
        "rescore",
        "run 1",
        {"vacancies": 12},
    )
    assert (newest.key_id, newest.role) == (None, "cli")
    assert [e.action for e in store.list_audit(key_id=key.id)] == ["rescore"]
