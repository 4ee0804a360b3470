"""Every endpoint × every role: 401 without a key, 403 for the wrong role, 404 across tenants.

``ACCESS`` is the access table of docs/api.md in code form: for each endpoint, the status each role
gets. Endpoints that change data get a fresh target per call, so the table's order does not matter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from profiles_factory import SKILLS

from .conftest import EMPLOYER_A, EMPLOYER_B, ROLES, VACANCY_A, VACANCY_B, LiveService, candidate_body, vacancy_body


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    expect: dict[str, int]  # role -> status; roles not listed get 403 (with a key) or 401 (without)
    body: Callable[[LiveService, str], Any] | None = None
    setup: Callable[[LiveService], dict[str, str]] | None = None  # fresh ids to format the path with
    raw: bytes | None = None

    def status_for(self, role: str) -> int:
        if role in self.expect:
            return self.expect[role]
        return 401 if role == "none" else 403

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


def everyone(status: int) -> dict[str, int]:
    return {role: status for role in ROLES}


def fresh_vacancy(service: LiveService) -> dict[str, str]:
    vacancy_id = service.new_id("vac")
    response = service.client("admin").post("/vacancies", json=vacancy_body(vacancy_id))
    assert response.status_code == 201, response.text
    return {"id": vacancy_id}


def fresh_candidate(service: LiveService) -> dict[str, str]:
    candidate_id = service.new_id("cand")
    response = service.client("admin").post("/candidates", json=candidate_body(candidate_id))
    assert response.status_code == 201, response.text
    return {"id": candidate_id}


def finished_run(service: LiveService) -> dict[str, str]:
    run_id = service.store.create_run(
        "all", {"today": "2026-11-23", "top_k": 5, "block_size": 2}, "transparent-1", service.store.snapshot(), []
    )
    service.store.set_run_status(run_id, "completed")
    return {"id": str(run_id)}


def no_run_running(service: LiveService) -> dict[str, str]:
    """One run at a time per store: let the previous role's run end (the seed scores in well under a second)."""
    service.wait_for_runs()
    return {}


def an_import(service: LiveService) -> dict[str, str]:
    return {"id": str(service.store.record_import("vacancies", "test", [VACANCY_A], [{"line": 2, "reason": "bad"}]))}


READERS_OF_VACANCIES = {"admin": 200, "broker": 200, "employer_a": 200, "employer_b": 404, "batch": 200}
OWN_VACANCY_ONLY = {"admin": 200, "broker": 200, "employer_a": 200, "employer_b": 404}
BROKERS = {"admin": 200, "broker": 200}
OPERATORS = {"admin": 200, "broker": 200, "batch": 200}
IMPORTERS = {"admin": 201, "broker": 201, "batch": 201}
JSONL_VACANCY = b'{"id":"vac-import-%s","employer_id":"emp-a","title":"Heftruckchauffeur","postcode":"9000"}\n'

ACCESS = [
    Endpoint("GET", "/health", everyone(200)),
    Endpoint("GET", "/ready", everyone(200)),
    Endpoint("GET", "/me", {**everyone(200), "none": 401}),
    Endpoint("GET", "/vacancies", {"admin": 200, "broker": 200, "employer_a": 200, "employer_b": 200, "batch": 200}),
    Endpoint(
        "POST",
        "/vacancies",
        {"admin": 201, "broker": 201, "employer_a": 201, "employer_b": 403},
        body=lambda s, role: vacancy_body(s.new_id(f"{EMPLOYER_A}-vac"), EMPLOYER_A),
    ),
    Endpoint("GET", f"/vacancies/{VACANCY_A}", READERS_OF_VACANCIES),
    Endpoint(
        "PUT", "/vacancies/{id}", OWN_VACANCY_ONLY, setup=fresh_vacancy, body=lambda s, role: None
    ),  # body filled in from the fresh id
    Endpoint("DELETE", "/vacancies/{id}", OWN_VACANCY_ONLY, setup=fresh_vacancy),
    Endpoint("GET", f"/vacancies/{VACANCY_A}/candidates?k=3", OWN_VACANCY_ONLY),
    Endpoint("GET", f"/vacancies/{VACANCY_A}/review", OWN_VACANCY_ONLY),
    Endpoint("GET", "/candidates?limit=5", BROKERS),
    Endpoint(
        "POST", "/candidates", {"admin": 201, "broker": 201}, body=lambda s, role: candidate_body(s.new_id("cand"))
    ),
    Endpoint("GET", "/candidates/cand-000", BROKERS),
    Endpoint("PUT", "/candidates/{id}", BROKERS, setup=fresh_candidate, body=lambda s, role: None),
    Endpoint("DELETE", "/candidates/{id}", BROKERS, setup=fresh_candidate),
    Endpoint("GET", "/candidates/cand-000/vacancies?k=3", BROKERS),
    Endpoint("POST", "/imports/vacancies?filename=v.jsonl", IMPORTERS, raw=JSONL_VACANCY),
    Endpoint(
        "POST", "/imports/candidates?filename=c.jsonl", IMPORTERS, raw=b'{"id":"cand-import-%s","postcode":"9000"}\n'
    ),
    Endpoint("GET", "/imports", OPERATORS),
    Endpoint("GET", "/imports/{id}", OPERATORS, setup=an_import),
    Endpoint(
        "POST",
        "/rescoring/runs",
        {"admin": 202, "batch": 202},
        body=lambda s, role: {"vacancy_ids": [VACANCY_A]},
        setup=no_run_running,
    ),
    Endpoint("GET", "/rescoring/runs", OPERATORS),
    Endpoint("GET", "/rescoring/runs/{id}", OPERATORS, setup=finished_run),
    Endpoint("GET", "/rescoring/runs/{id}/allocation", {"admin": 404, "broker": 404, "batch": 404}, setup=finished_run),
    Endpoint("POST", "/rescoring/runs/{id}/resume", {"admin": 409, "batch": 409}, setup=finished_run),
    Endpoint("GET", f"/suggestions?vacancy_id={VACANCY_A}", OPERATORS),
    Endpoint(
        "POST",
        "/decisions",
        {"admin": 201, "broker": 201},
        body=lambda s, role: {"vacancy_id": VACANCY_A, "candidate_id": "cand-000", "value": "proposed"},
    ),
    Endpoint("GET", f"/decisions?vacancy_id={VACANCY_A}", BROKERS),
    Endpoint("GET", "/audit/fairness?run_id={id}", {"admin": 200}, setup=finished_run),
    Endpoint(
        "PUT",
        "/vacancies/{id}/requirements/{position}/link",
        {"admin": 200, "broker": 200, "employer_a": 200, "employer_b": 404},
        setup=lambda s: {**fresh_vacancy(s), "position": "0"},
        body=lambda s, role: {"value": SKILLS[1]},
    ),
    Endpoint("GET", "/taxonomy/search?q=heftruck&kind=skill", READERS_OF_VACANCIES | {"employer_b": 200}),
    Endpoint(
        "POST",
        "/extract",
        READERS_OF_VACANCIES | {"employer_b": 200},
        body=lambda s, role: {"text": "Je spreekt vlot Nederlands en hebt rijbewijs B."},
    ),
    Endpoint("GET", "/audit?action=create_vacancy&limit=5", {"admin": 200}),
]


def _call(service: LiveService, endpoint: Endpoint, role: str):
    ids = endpoint.setup(service) if endpoint.setup else {}
    path = endpoint.path.format(**ids)
    kwargs: dict[str, Any] = {}
    if endpoint.raw is not None:
        kwargs["content"] = endpoint.raw.replace(b"%s", service.new_id(role).encode())
        kwargs["headers"] = {"Content-Type": "application/x-ndjson"}
    elif endpoint.body is not None:
        body = endpoint.body(service, role)
        if body is None and "vacancies" in endpoint.path:
            body = vacancy_body(ids["id"], title="Heftruckchauffeur (nieuw)")
        elif body is None:
            body = candidate_body(ids["id"], max_commute_km=30)
        kwargs["json"] = body
    return service.client(role).request(endpoint.method, path, **kwargs)


@pytest.mark.parametrize("endpoint", ACCESS, ids=lambda e: e.name)
def test_every_role_gets_the_status_of_the_access_table(service: LiveService, endpoint: Endpoint) -> None:
    for role in ROLES:
        response = _call(service, endpoint, role)
        expected = endpoint.status_for(role)
        assert response.status_code == expected, f"{role}: {endpoint.name} -> {response.status_code} {response.text}"
        if expected >= 400:
            error = response.json()["error"]
            assert error["status"] == expected and error["message"]
        if expected == 401:
            assert response.headers.get("www-authenticate") == "Bearer"


def test_openapi_lists_exactly_the_endpoints_of_the_access_table(service: LiveService) -> None:
    """A new endpoint cannot ship without a row in the access table."""
    schema = service.client("none").get("/openapi.json").json()
    documented = {
        f"{method.upper()} {re.sub(r'{[^}]+}', '{}', path)}"
        for path, item in schema["paths"].items()
        for method in item
    }
    tested = {f"{e.method} {re.sub(rf'{{[^}}]+}}|{VACANCY_A}|cand-000', '{}', e.path.split('?')[0])}" for e in ACCESS}
    assert documented == tested


def test_unknown_or_revoked_key_is_401(service: LiveService) -> None:
    import httpx

    for secret in ("nonsense", "mk_0000000000000000_forged", service.keys["broker"] + "x"):
        response = httpx.get(f"{service.url}/vacancies", headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 401
    secret = service.store.create_api_key("broker", label="to revoke")
    service.store.revoke(secret.split("_")[1])
    response = httpx.get(f"{service.url}/vacancies", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401 and "revoked" in response.json()["error"]["message"]


def test_employer_sees_only_its_own_vacancies(service: LiveService) -> None:
    listed = service.client("employer_a").get("/vacancies?limit=500").json()["items"]
    assert listed and {v["employer_id"] for v in listed} == {EMPLOYER_A}
    assert service.client("employer_a").get(f"/vacancies?employer_id={EMPLOYER_B}").status_code == 403
    for path in (
        f"/vacancies/{VACANCY_B}",
        f"/vacancies/{VACANCY_B}/candidates",
        f"/vacancies/{VACANCY_B}/review",
        "/vacancies/no-such-vacancy",
    ):
        response = service.client("employer_a").get(path)
        assert response.status_code == 404, path
    # another employer's vacancy and a missing one answer alike: existence does not leak
    other = service.client("employer_a").get(f"/vacancies/{VACANCY_B}").json()["error"]["message"]
    missing = service.client("employer_a").get("/vacancies/vac-zz").json()["error"]["message"]
    assert other.replace(VACANCY_B, "X") == missing.replace("vac-zz", "X")


def test_employer_cannot_write_another_employers_vacancy(service: LiveService) -> None:
    employer_a = service.client("employer_a")
    assert employer_a.put(f"/vacancies/{VACANCY_B}", json=vacancy_body(VACANCY_B, EMPLOYER_B)).status_code == 404
    assert employer_a.delete(f"/vacancies/{VACANCY_B}").status_code == 404
    assert employer_a.post("/vacancies", json=vacancy_body(service.new_id("vac"), EMPLOYER_B)).status_code == 403


def test_another_employers_vacancy_id_is_refused_like_any_free_id(service: LiveService) -> None:
    """Whether an id is taken by another employer does not show: both answers are the same 422."""
    employer_a = service.client("employer_a")
    taken = employer_a.post("/vacancies", json=vacancy_body(VACANCY_B, EMPLOYER_A))
    free_id = service.new_id("vac")
    free = employer_a.post("/vacancies", json=vacancy_body(free_id, EMPLOYER_A))
    assert taken.status_code == free.status_code == 422
    assert taken.json()["error"]["message"].replace(VACANCY_B, "ID") == free.json()["error"]["message"].replace(
        free_id, "ID"
    )
    own = service.new_id(f"{EMPLOYER_A}-vac")
    assert employer_a.post("/vacancies", json=vacancy_body(own, EMPLOYER_A)).status_code == 201
    assert employer_a.post("/vacancies", json=vacancy_body(own, EMPLOYER_A)).status_code == 409
    own = fresh_vacancy(service)["id"]
    moved = employer_a.put(f"/vacancies/{own}", json=vacancy_body(own, EMPLOYER_B))
    assert moved.status_code == 403
    assert service.client("broker").get(f"/vacancies/{own}").json()["employer_id"] == EMPLOYER_A


def _keys_and_strings(value: Any) -> tuple[set[str], set[str]]:
    keys, strings = set(), set()
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            sub_keys, sub_strings = _keys_and_strings(v)
            keys |= sub_keys
            strings |= sub_strings
    elif isinstance(value, list):
        for item in value:
            sub_keys, sub_strings = _keys_and_strings(item)
            keys |= sub_keys
            strings |= sub_strings
    elif isinstance(value, str):
        strings.add(value)
    return keys, strings


def test_employer_suggestions_carry_no_candidate_identity(service: LiveService) -> None:
    broker = service.client("broker").get(f"/vacancies/{VACANCY_A}/candidates?k=10&lang=en").json()
    employer = service.client("employer_a").get(f"/vacancies/{VACANCY_A}/candidates?k=10&lang=en").json()
    assert broker["view"] == "broker" and employer["view"] == "employer"
    assert broker["suggestions"], "the seed should give suggestions for the forklift vacancy"
    assert [s["score"] for s in employer["suggestions"]] == [s["score"] for s in broker["suggestions"]]
    keys, strings = _keys_and_strings(employer)
    assert not keys & {
        "candidate_id",
        "id",
        "personal",
        "name",
        "email",
        "phone",
        "commute_km",
        "coaching_need",
        "text",
        "postcode",
    }
    candidate_ids = {s["candidate_id"] for s in broker["suggestions"]}
    personal = {p.name for p in (service.store.get_personal(c) for c in candidate_ids) if p and p.name}
    assert not strings & (candidate_ids | personal)
    assert not any(c in text for text in strings for c in candidate_ids | personal)


def test_employer_and_batch_cannot_read_candidates(service: LiveService) -> None:
    for role in ("employer_a", "batch"):
        client = service.client(role)
        for path in ("/candidates", "/candidates/cand-000", "/candidates/cand-000/vacancies", "/candidates/nobody"):
            assert client.get(path).status_code == 403, (role, path)
    assert service.client("employer_a").get(f"/suggestions?vacancy_id={VACANCY_A}").status_code == 403
