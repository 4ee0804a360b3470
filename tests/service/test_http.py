"""HTTP conformance: headers, methods, status codes and Location, as a client of a mature API expects."""

from __future__ import annotations

import pytest

from .conftest import VACANCY_A, LiveService, candidate_body, vacancy_body


def test_security_headers_and_no_server_banner(service: LiveService) -> None:
    for path in ("/health", "/ready", "/vacancies", "/nope"):
        response = service.client("broker").get(path)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert "server" not in response.headers


def test_ready_without_a_key_says_only_ready(service: LiveService) -> None:
    assert service.client("none").get("/ready").json() == {"status": "ready"}
    with_key = service.client("batch").get("/ready").json()
    assert {"database", "schema_revision", "candidates", "vacancies", "model_version"} <= set(with_key)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/candidates", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("PATCH", "/vacancies/vac-a1", {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}),
        ("GET", "/imports/vacancies", {"POST", "OPTIONS"}),
        ("PUT", "/rescoring/runs", {"GET", "HEAD", "POST", "OPTIONS"}),
    ],
)
def test_405_lists_every_allowed_method(service: LiveService, method: str, path: str, allowed: set[str]) -> None:
    response = service.client("admin").request(method, path)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allowed
    assert response.json()["error"]["status"] == 405


def test_options_answers_with_the_allowed_methods(service: LiveService) -> None:
    response = service.client("broker").options("/candidates")
    assert response.status_code == 204
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_a_body_that_is_not_utf8_is_a_422(service: LiveService) -> None:
    body = '{"id": "vac-é", "title": "Poetshulp"}'.encode("latin-1")
    response = service.client("broker").post("/vacancies", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "UTF-8" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "query", ["vacancy_id=vac-nope", "candidate_id=cand-nope", f"vacancy_id={VACANCY_A}&run_id=999999"]
)
def test_stored_suggestions_of_an_unknown_id_are_a_404(service: LiveService, query: str) -> None:
    response = service.client("batch").get(f"/suggestions?{query}")
    assert response.status_code == 404, response.text


def test_created_resources_say_where_they_are(service: LiveService) -> None:
    vacancy_id, candidate_id = service.new_id("vac"), service.new_id("cand")
    created = service.client("broker").post("/vacancies", json=vacancy_body(vacancy_id))
    assert created.status_code == 201 and created.headers["location"] == f"/vacancies/{vacancy_id}"
    assert service.client("broker").get(created.headers["location"]).status_code == 200
    created = service.client("broker").post("/candidates", json=candidate_body(candidate_id))
    assert created.status_code == 201 and created.headers["location"] == f"/candidates/{candidate_id}"
    line = (
        b'{"id":"%s","employer_id":"emp-a","title":"Heftruckchauffeur","postcode":"9000"}\n'
        % service.new_id("vac").encode()
    )
    imported = service.client("batch").post(
        "/imports/vacancies?filename=v.jsonl", content=line, headers={"Content-Type": "application/x-ndjson"}
    )
    assert imported.status_code == 201
    assert imported.headers["location"] == f"/imports/{imported.json()['import_id']}"
    service.wait_for_runs()
    started = service.client("batch").post("/rescoring/runs")  # no body: every vacancy
    assert started.status_code == 202, started.text
    assert started.headers["location"] == f"/rescoring/runs/{started.json()['id']}"
    service.wait_for_runs()


def test_a_second_run_is_a_409_naming_the_running_one(service: LiveService) -> None:
    service.wait_for_runs()
    running = service.store.create_run(
        "all", {"today": "2026-11-23", "top_k": 5, "block_size": 2}, "transparent-1", service.store.snapshot(), []
    )
    try:
        response = service.client("batch").post("/rescoring/runs", json={"vacancy_ids": [VACANCY_A]})
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["run_id"] == running and f"run {running}" in error["message"]
        assert response.headers["location"] == f"/rescoring/runs/{running}"
    finally:
        service.store.set_run_status(running, "failed", "test: stopped")


@pytest.mark.parametrize(
    ("change", "field", "limit"),
    [
        ({"requirements": [{"kind": "competence", "text": "heftruck"}] * 61}, "requirements", "at most 60 items"),
        ({"description": "x" * 20_001}, "description", "at most 20,000 characters"),
        (
            {"requirements": [{"kind": "competence", "text": "h" * 501}]},
            "requirements.0.text",
            "at most 500 characters",
        ),
        ({"contact_languages": ["fr"] * 11}, "contact_languages", "at most 10 items"),
    ],
)
def test_every_list_and_string_is_bounded(service: LiveService, change: dict, field: str, limit: str) -> None:
    body = {**vacancy_body(service.new_id("vac")), **change}
    response = service.client("broker").post("/vacancies", json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["fields"][0]["field"] == field and limit in error["fields"][0]["message"]
    assert limit in error["message"]


def test_candidate_lists_are_bounded(service: LiveService) -> None:
    body = {**candidate_body(service.new_id("cand")), "competences": [{"text": "poetsen"}] * 151}
    response = service.client("broker").post("/candidates", json=body)
    assert response.status_code == 422 and "at most 150 items" in response.json()["error"]["message"]


def test_a_body_over_the_upload_limit_is_a_413_naming_it(service: LiveService) -> None:
    response = service.client("broker").post(
        "/vacancies", content=b"x" * (65 * 1024), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and "65,536 bytes" in response.json()["error"]["message"]


def test_admins_read_the_audit_log_with_filters_and_next_links(service: LiveService) -> None:
    for _ in range(3):
        service.client("broker").post("/vacancies", json=vacancy_body(service.new_id("vac")))
    admin = service.client("admin")
    page = admin.get("/audit?action=create_vacancy&limit=2").json()
    assert len(page["items"]) == 2 and {e["action"] for e in page["items"]} == {"create_vacancy"}
    older = admin.get(page["next"]).json()
    assert older["items"] and older["items"][0]["id"] < page["items"][-1]["id"]
    assert service.client("broker").get("/audit").status_code == 403


@pytest.mark.parametrize(
    "path", [f"/vacancies/{VACANCY_A}", "/candidates/cand-000", f"/vacancies/{VACANCY_A}/review?lang=en"]
)
def test_gets_carry_an_etag_and_answer_304_when_unchanged(service: LiveService, path: str) -> None:
    client = service.client("broker")
    first = client.get(path)
    tag = first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.headers["etag"] == tag and not again.content
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_a_changed_profile_gets_a_new_etag(service: LiveService) -> None:
    vacancy_id = service.new_id("vac")
    client = service.client("broker")
    client.post("/vacancies", json=vacancy_body(vacancy_id))
    tag = client.get(f"/vacancies/{vacancy_id}").headers["etag"]
    client.put(f"/vacancies/{vacancy_id}", json=vacancy_body(vacancy_id, title="Magazijnier (nieuw)"))
    changed = client.get(f"/vacancies/{vacancy_id}", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("", "en-GB,en;q=0.9", "en"),
        ("", "fr-BE, nl;q=0.5, en;q=0.4", "nl"),
        ("", "de", "nl"),
        ("?lang=nl", "en", "nl"),  # the query wins
        ("?lang=en", "nl-BE", "en"),
    ],
)
def test_accept_language_picks_the_language_unless_lang_is_given(
    service: LiveService, query: str, header: str, expected: str
) -> None:
    for path in (f"/vacancies/{VACANCY_A}/candidates{query}", f"/vacancies/{VACANCY_A}/review{query}"):
        body = service.client("broker").get(path, headers={"Accept-Language": header}).json()
        assert body["lang"] == expected


@pytest.mark.parametrize(("page", "asset"), [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
def test_api_docs_are_served_without_a_cdn(service: LiveService, page: str, asset: str) -> None:
    html = service.client("none").get(page)
    assert html.status_code == 200 and f"/docs-static/{asset}" in html.text
    assert "cdn" not in html.text.lower() and "fonts.googleapis" not in html.text
    assert "'self'" in html.headers["content-security-policy"]
    script = service.client("none").get(f"/docs-static/{asset}")
    assert script.status_code == 200 and len(script.content) > 100_000


@pytest.mark.parametrize("path", ["/vacancies", "/candidates"])
def test_lists_give_the_total_and_a_next_link(service: LiveService, path: str) -> None:
    client = service.client("broker")
    first = client.get(f"{path}?limit=2").json()
    assert first["total"] >= 3 and len(first["items"]) == 2
    second = client.get(first["next"]).json()
    assert second["offset"] == 2 and {i["id"] for i in second["items"]}.isdisjoint(i["id"] for i in first["items"])
    last = client.get(f"{path}?limit=2&offset={first['total'] - 1}").json()
    assert last["next"] is None and len(last["items"]) == 1


def test_an_employers_list_counts_its_own_vacancies_only(service: LiveService) -> None:
    page = service.client("employer_a").get("/vacancies?limit=1").json()
    assert page["total"] == len(service.client("employer_a").get("/vacancies?limit=500").json()["items"])
    assert page["next"] is None or "employer_id=emp-a" in page["next"]


def test_api_and_imports_speak_one_error_vocabulary(service: LiveService) -> None:
    api = service.client("broker").post("/vacancies", json=vacancy_body(service.new_id("vac"), postcode="12"))
    api_message = api.json()["error"]["fields"][0]["message"]
    line = (
        b'{"id":"%s","employer_id":"emp-a","title":"Heftruckchauffeur","postcode":"12"}\n'
        % service.new_id("vac").encode()
    )
    imported = service.client("batch").post(
        "/imports/vacancies?filename=v.jsonl", content=line, headers={"Content-Type": "application/x-ndjson"}
    )
    rejection = imported.json()["rejections"][0]
    assert api_message == rejection["message"] == rejection["reason"] == "postcode '12' must be 4 digits, e.g. 9000"
    assert "String should match" not in api.json()["error"]["message"]


def test_openapi_examples_are_valid_and_accepted(service: LiveService) -> None:
    from matcher_service import examples, schemas

    spec = service.client("none").get("/openapi.json").json()
    bodies = [
        op["requestBody"]["content"]["application/json"]["schema"]
        for path in spec["paths"].values()
        for op in path.values()
        if "application/json" in op.get("requestBody", {}).get("content", {})
        and op["requestBody"]["content"]["application/json"]["schema"].get("format") != "binary"  # file uploads
    ]
    components = spec["components"]["schemas"]
    for schema in bodies:
        refs = [schema["$ref"]] if "$ref" in schema else []
        refs += [s["$ref"] for s in schema.get("anyOf", []) + schema.get("oneOf", []) if "$ref" in s]
        assert refs, schema
        for ref in refs:
            assert components[ref.rsplit("/", 1)[-1]].get("examples"), ref
    for model, example in [
        (schemas.VacancyIn, examples.VACANCY),
        (schemas.CandidateIn, examples.CANDIDATE),
        (schemas.RunRequest, examples.RUN_REQUEST),
        (schemas.RunPublic, examples.RUN),
        (schemas.ErrorResponse, examples.ERROR),
        (schemas.Me, examples.ME),
        (schemas.Readiness, examples.READY),
        (schemas.Deleted, examples.DELETED),
    ]:
        model.model_validate(example)
    vacancy = {**examples.VACANCY, "id": service.new_id("emp-a-example")}
    assert service.client("employer_a").post("/vacancies", json=vacancy).status_code == 201
    candidate = {**examples.CANDIDATE, "id": service.new_id("cand-example")}
    assert service.client("broker").post("/candidates", json=candidate).status_code == 201
