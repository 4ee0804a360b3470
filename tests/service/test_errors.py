"""Every error is JSON a person can act on: malformed bodies, oversized uploads, bad fields, unknown paths, 500s."""

from __future__ import annotations

import httpx
import pytest

from matcher.settings import Settings

from .conftest import UPLOAD_LIMIT, VACANCY_A, LiveService, vacancy_body


def _error(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and len(error["message"]) > 10
    return error


def test_malformed_json_is_422_saying_so(service: LiveService) -> None:
    response = service.client("broker").post(
        "/vacancies", content=b'{"id": "v", "title": ', headers={"Content-Type": "application/json"}
    )
    assert "not valid JSON" in _error(response, 422)["message"]


def test_a_body_that_is_not_an_object_is_422(service: LiveService) -> None:
    response = service.client("broker").post("/vacancies", json=[1, 2, 3])
    assert "JSON object" in _error(response, 422)["message"]


def test_a_bad_field_is_422_naming_it(service: LiveService) -> None:
    response = service.client("broker").post("/vacancies", json=vacancy_body("vac-bad", postcode="12"))
    error = _error(response, 422)
    assert error["fields"][0]["field"] == "postcode" and "postcode" in error["message"]
    nested = {**vacancy_body("vac-bad"), "requirements": [{"kind": "language", "value": "nl", "level": "Z9"}]}
    fields = _error(service.client("broker").post("/vacancies", json=nested), 422)["fields"]
    assert fields[0]["field"].startswith("requirements.0")


def test_unknown_fields_are_refused_by_name(service: LiveService) -> None:
    response = service.client("broker").post("/vacancies", json={**vacancy_body("vac-x"), "salary": 3000})
    assert _error(response, 422)["fields"][0]["field"] == "salary"


def test_bad_query_parameters_are_422_naming_them(service: LiveService) -> None:
    response = service.client("broker").get(f"/vacancies/{VACANCY_A}/candidates", params={"k": 0, "lang": "fr"})
    assert {f["field"] for f in _error(response, 422)["fields"]} == {"k", "lang"}


def test_path_and_body_ids_must_agree(service: LiveService) -> None:
    response = service.client("broker").put(f"/vacancies/{VACANCY_A}", json=vacancy_body("vac-other"))
    assert _error(response, 422)["fields"][0]["field"] == "id"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_oversized_upload_is_413(service: LiveService, chunked: bool) -> None:
    payload = b"{" + b" " * (UPLOAD_LIMIT + 10) + b"}"
    content = (payload[i : i + 4096] for i in range(0, len(payload), 4096)) if chunked else payload
    response = service.client("batch").post(
        "/imports/vacancies", content=content, headers={"Content-Type": "application/x-ndjson"}
    )
    assert "larger than the limit" in _error(response, 413)["message"]
    again = service.client("broker").post("/vacancies", content=payload, headers={"Content-Type": "application/json"})
    _error(again, 413)


def test_empty_upload_is_422(service: LiveService) -> None:
    response = service.client("batch").post(
        "/imports/vacancies", content=b"", headers={"Content-Type": "application/x-ndjson"}
    )
    assert _error(response, 422)["fields"][0]["field"] == "body"


def test_unknown_path_and_method_are_json(service: LiveService) -> None:
    _error(service.client("broker").get("/no/such/path"), 404)
    _error(service.client("broker").delete("/health"), 405)


def test_an_unexpected_failure_is_a_500_without_traceback(tmp_path, taxonomy) -> None:
    from matcher_service import create_app

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'm.sqlite3'}"), taxonomy=taxonomy)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/boom")

    import anyio

    response = anyio.run(call)
    error = _error(response, 500)
    assert "reference" in error["message"]
    assert "secret" not in response.text and "Traceback" not in response.text
