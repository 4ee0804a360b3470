"""What each endpoint does for the role allowed to call it, against the live server on both databases."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from .conftest import EMPLOYER_A, VACANCY_A, VACANCY_A2, LiveService, candidate_body, vacancy_body


def test_health_and_readiness(service: LiveService) -> None:
    assert service.client("none").get("/health").json() == {"status": "ok"}
    assert service.client("none").get("/ready").json() == {"status": "ready"}  # nothing more without a key
    ready = service.client("broker").get("/ready").json()
    assert ready["status"] == "ready" and ready["database"] == service.database
    assert ready["candidates"] >= 12 and ready["vacancies"] >= 3 and ready["schema_revision"]


def test_me_names_role_and_employer(service: LiveService) -> None:
    assert service.client("employer_a").get("/me").json()["employer_id"] == EMPLOYER_A
    assert service.client("broker").get("/me").json()["role"] == "broker"


def test_candidates_for_a_vacancy_are_ranked_explained_and_logged(service: LiveService) -> None:
    response = service.client("broker").get(f"/vacancies/{VACANCY_A}/candidates", params={"k": 5, "lang": "en"})
    body = response.json()
    assert response.status_code == 200 and body["vacancy_id"] == VACANCY_A and body["lang"] == "en"
    suggestions = body["suggestions"]
    assert suggestions and [s["rank"] for s in suggestions] == list(range(1, len(suggestions) + 1))
    strict = [s for s in suggestions if not s["stretch"]]
    assert [s["score"] for s in strict] == sorted((s["score"] for s in strict), reverse=True)
    assert all(s["explanation"]["text"] and s["explanation"]["lang"] == "en" for s in suggestions)
    audit = service.store.list_audit(key_id=service.keys["broker"].split("_")[1], action="serve_candidates", limit=1)[0]
    assert audit.target == VACANCY_A and audit.detail["model_version"] == body["model_version"]
    assert audit.detail["served"] == [s["candidate_id"] for s in suggestions]


def test_explanations_follow_lang(service: LiveService) -> None:
    dutch = service.client("broker").get(f"/vacancies/{VACANCY_A}/candidates?k=1&lang=nl").json()
    english = service.client("broker").get(f"/vacancies/{VACANCY_A}/candidates?k=1&lang=en").json()
    assert dutch["suggestions"][0]["explanation"]["summary"] != english["suggestions"][0]["explanation"]["summary"]


def test_stretch_matches_are_marked_with_what_would_change(service: LiveService) -> None:
    body = service.client("broker").get(f"/vacancies/{VACANCY_A2}/candidates?k=20").json()
    stretch = [s for s in body["suggestions"] if s["stretch"]]
    assert body["stretch_pool"] >= len(stretch) > 0
    assert all(s["explanation"]["would_fit_if"] for s in stretch)


def test_vacancies_for_a_candidate(service: LiveService) -> None:
    body = service.client("broker").get("/candidates/cand-000/vacancies", params={"k": 3, "lang": "en"}).json()
    assert body["candidate_id"] == "cand-000" and body["suggestions"]
    assert {"vacancy_id", "employer_id", "title", "explanation"} <= set(body["suggestions"][0])


def test_review_gives_counts_and_reasons_only(service: LiveService) -> None:
    body = service.client("employer_a").get(f"/vacancies/{VACANCY_A}/review?lang=en").json()
    assert body["vacancy_id"] == VACANCY_A and body["candidates_in_pool"] >= 12
    assert body["reachable"] >= body["strict"] >= 0 and body["checks"]
    assert "cand-" not in str(body)


def test_vacancy_crud_updates_the_pool_incrementally(service: LiveService) -> None:
    broker, vacancy_id = service.client("broker"), service.new_id("vac")
    created = broker.post("/vacancies", json=vacancy_body(vacancy_id))
    assert created.status_code == 201 and created.json()["id"] == vacancy_id
    assert broker.post("/vacancies", json=vacancy_body(vacancy_id)).status_code == 409
    assert broker.get(f"/vacancies/{vacancy_id}/candidates?k=3").json()["suggestions"]
    replaced = broker.put(f"/vacancies/{vacancy_id}", json=vacancy_body(vacancy_id, title="Heftruckchauffeur nacht"))
    assert replaced.json()["title"] == "Heftruckchauffeur nacht"
    assert broker.get(f"/vacancies/{vacancy_id}").json()["title"] == "Heftruckchauffeur nacht"
    assert broker.delete(f"/vacancies/{vacancy_id}").json() == {"id": vacancy_id, "deleted": True}
    assert broker.get(f"/vacancies/{vacancy_id}").status_code == 404
    assert broker.get(f"/vacancies/{vacancy_id}/candidates").status_code == 404


def test_candidate_crud_with_personal_data_apart(service: LiveService) -> None:
    broker, candidate_id = service.client("broker"), service.new_id("cand")
    created = broker.post("/candidates", json=candidate_body(candidate_id))
    assert created.status_code == 201 and created.json()["personal"]["name"] == "Nieuwe Kandidaat"
    stored = service.store.get_candidate(candidate_id)
    assert stored is not None and not hasattr(stored, "personal")
    ranked = broker.get(f"/vacancies/{VACANCY_A}/candidates?k=50").json()["suggestions"]
    assert candidate_id in {s["candidate_id"] for s in ranked}  # the new candidate is in the pool at once
    replaced = broker.put(f"/candidates/{candidate_id}", json={**candidate_body(candidate_id), "max_commute_km": 5})
    assert replaced.json()["max_commute_km"] == 5
    assert broker.delete(f"/candidates/{candidate_id}").status_code == 200
    assert service.store.get_personal(candidate_id) is None
    assert broker.get(f"/candidates/{candidate_id}").status_code == 404
    ranked = broker.get(f"/vacancies/{VACANCY_A}/candidates?k=50").json()["suggestions"]
    assert candidate_id not in {s["candidate_id"] for s in ranked}


def _finished(batch, run_id: int, timeout_s: float = 60) -> dict:
    """Poll a run until it stops; skip when another test changed the data under it (the run says so)."""
    deadline = time.monotonic() + timeout_s
    while (run := batch.get(f"/rescoring/runs/{run_id}").json())["status"] == "running":
        assert time.monotonic() < deadline, run
        time.sleep(0.1)
    if run["status"] == "failed":
        assert "changed" in run["error"]
        pytest.skip(f"run {run_id} was overtaken by a concurrent change: {run['error']}")
    return run


def test_rescoring_run_progress_and_stored_suggestions(service: LiveService) -> None:
    batch = service.client("batch")
    service.wait_for_runs()
    started = batch.post("/rescoring/runs", json={"vacancy_ids": [VACANCY_A], "today": "2026-11-23"})
    assert started.status_code == 202 and started.json()["status"] == "running"
    run_id = started.json()["id"]
    run = _finished(batch, run_id)
    assert run["progress"] == 1.0 and run["pairs"] > 0
    stored = batch.get("/suggestions", params={"vacancy_id": VACANCY_A, "run_id": run_id}).json()
    assert stored["run_id"] == run_id and stored["suggestions"]
    assert {s["model_version"] for s in stored["suggestions"]} == {run["model_version"]}
    assert run_id in {r["id"] for r in batch.get("/rescoring/runs").json()}


def test_a_run_started_with_allocate_serves_its_spread_lists(service: LiveService) -> None:
    batch = service.client("batch")
    service.wait_for_runs()
    started = batch.post("/rescoring/runs", json={"today": "2026-11-23", "allocate": True})
    assert started.status_code == 202
    run_id = started.json()["id"]
    _finished(batch, run_id)
    allocation = batch.get(f"/rescoring/runs/{run_id}/allocation").json()
    assert allocation["run_id"] == run_id
    assert {"allocated", "relevance_only"} <= set(allocation["metrics"])
    proposals = Counter(cid for items in allocation["lists"].values() for cid, _ in items)
    assert proposals and max(proposals.values()) <= 3  # no candidate gets more than their attention
    assert all(score >= 0.35 for items in allocation["lists"].values() for _, score in items)  # fits only
    # the employer never reads the run's lists
    assert service.client("employer_a").get(f"/rescoring/runs/{run_id}/allocation").status_code == 403


def test_unknown_vacancy_in_a_run_is_a_422_naming_the_field(service: LiveService) -> None:
    service.wait_for_runs()
    response = service.client("batch").post("/rescoring/runs", json={"vacancy_ids": ["vac-nope"]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "vacancy_ids"


def test_import_keeps_good_records_and_reports_bad_ones(service: LiveService) -> None:
    good, bad = service.new_id("vac"), service.new_id("vac")
    lines = [vacancy_body(good), {**vacancy_body(bad), "postcode": "12"}]
    import json

    body = "\n".join(json.dumps(line) for line in lines).encode() + b"\n"
    response = service.client("batch").post(
        "/imports/vacancies",
        params={"filename": "tonight.jsonl"},
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["accepted"] == 1 and report["record_ids"] == [good] and report["rejected"] == 1
    rejection = report["rejections"][0]
    assert rejection["line"] == 2 and rejection["field"] == "postcode" and rejection["reason"]
    assert service.client("broker").get(f"/vacancies/{good}").status_code == 200
    detail = service.client("batch").get(f"/imports/{report['import_id']}").json()
    assert detail["rejected"] == 1 and detail["rejections"][0]["line"] == 2


def test_taxonomy_picker_and_extraction(service: LiveService) -> None:
    hits = service.client("broker").get("/taxonomy/search", params={"q": "Infirmier", "kind": "occupation",
                                                                     "lang": "fr"}).json()  # fmt: skip
    assert hits and {"uri", "label", "label_lang", "score"} <= set(hits[0])
    found = service.client("employer_a").post(
        "/extract", json={"text": "Je spreekt vlot Nederlands en hebt rijbewijs C. Minstens 3 jaar ervaring."}
    )
    assert found.status_code == 200, found.text
    kinds = {span["kind"] for span in found.json()["spans"]}
    assert {"language", "licence", "experience"} <= kinds
    too_long = service.client("broker").post("/extract", json={"text": "x" * 20_001})
    assert too_long.status_code == 422 and "text" in too_long.text
