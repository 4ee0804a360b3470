"""Oversight through the front ends: a run spread over the openings, its audit, and the records kept."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.demo import REFERENCE_DATE, generate_pool, write_pool
from matcher.demo.audit_attributes import write_audit_attributes
from matcher.store import Store


def _run(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(list(argv)) == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture(scope="module")
def rescored(tmp_path_factory, taxonomy) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("oversight")
    pool = generate_pool(n_candidates=600, n_vacancies=16, seed=3, taxonomy=taxonomy)
    paths = {p.name: p for p in write_pool(pool, folder / "demo")}
    write_audit_attributes(pool, folder / "demo")
    url = f"sqlite:///{folder / 'matcher.sqlite3'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MATCHER_DATABASE_URL", url)
        mp.setenv("MATCHER_N_JOBS", "1")
        _run("load", "--candidates", str(paths["candidates.jsonl"]), "--vacancies", str(paths["vacancies.jsonl"]),
             "--allow-rejects")  # fmt: skip
        printed = _run("rescore", "--allocate", "--no-progress", "--backend", "threading",
                       "--today", REFERENCE_DATE.isoformat())  # fmt: skip
    return folder, url + "\n" + printed


def test_rescore_allocate_prints_both_rankings_and_keeps_the_allocation(rescored) -> None:
    _folder, text = rescored
    url, printed = text.split("\n", 1)
    assert "relevance-only" in printed and "allocated" in printed and "exposure Gini" in printed
    assert "coverage of eligible vacancies" in printed and "max-flow bound" in printed
    store = Store.from_url(url)
    [run] = store.list_runs()
    stored = store.run_allocation(run.id)
    allocated = stored["lists"]
    per_candidate: dict[str, int] = {}
    for items in allocated.values():
        for candidate_id, _score in items:
            per_candidate[candidate_id] = per_candidate.get(candidate_id, 0) + 1
    assert allocated and max(per_candidate.values()) <= 3  # the default attention
    assert stored["metrics"]["allocated"]["exposure_max"] <= 3
    [entry] = store.list_audit(action="allocate_run")
    assert entry.target == str(run.id) and set(entry.detail) == {"change", "targets_met"}
    assert f"{stored['metrics']['allocated']['coverage']:.1%}" in printed
    store.dispose()


def test_audit_writes_json_and_html_with_the_supplied_attributes(rescored, monkeypatch, tmp_path) -> None:
    folder, text = rescored
    monkeypatch.setenv("MATCHER_DATABASE_URL", text.split("\n", 1)[0])
    printed = _run("audit", "--attributes", str(folder / "demo" / "audit_attributes.simulated.csv"),
                   "--out", str(tmp_path), "--json")  # fmt: skip
    report = json.loads(printed)
    groupings = json.dumps(report)
    assert "coaching_need" in groupings and "gender" in groupings
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".html", ".json"]
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert "<svg" in html and "http" not in html.split("</head>")[0].replace("http-equiv", "")


def test_decisions_round_trip_through_the_export(rescored, monkeypatch, tmp_path) -> None:
    from matcher.app.decisions import record

    _folder, text = rescored
    url = text.split("\n", 1)[0]
    monkeypatch.setenv("MATCHER_DATABASE_URL", url)
    store = Store.from_url(url)
    suggestion = store.run_suggestions(1)[0]
    record(store, None, suggestion.vacancy_id, suggestion.candidate_id, "decision", "proposed", by="test")
    record(store, None, suggestion.vacancy_id, suggestion.candidate_id, "outcome", "hired", by="test")
    out = tmp_path / "records.jsonl"
    assert "1 decision records, 1 outcome records" in _run("export-records", "--out", str(out))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    kinds = [r["record"] for r in records]
    assert kinds[0] == "meta" and kinds.count("decision") == 1 and kinds.count("outcome") == 1
    decision = next(r for r in records if r["record"] == "decision")
    assert (decision["vacancy_id"], decision["candidate_id"], decision["value"]) == (
        suggestion.vacancy_id,
        suggestion.candidate_id,
        "proposed",
    )
    assert decision["model_version"] == suggestion.model_version
