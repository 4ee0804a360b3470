"""Property-based fuzzing of the live API from its OpenAPI schema: no input may cause a 500.

The schema comes from the app itself (no server needed to collect the tests); each operation is
one test that sends hypothesis-generated requests, valid and invalid, to the live SQLite server as
admin (the key that reaches every operation). Bounded by count, never by time: exactly
``MAX_EXAMPLES`` generated requests per operation, derandomised, so every operation is fuzzed on
every machine, however slow. Loopback only.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.checks import not_a_server_error

from matcher.settings import Settings
from matcher_service import create_app

from .conftest import LiveService

MAX_EXAMPLES = 25

SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_input_causes_a_server_error(operation, sqlite_service: LiveService) -> None:
    headers = {"Authorization": f"Bearer {sqlite_service.keys['admin']}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        case.call_and_validate(base_url=sqlite_service.url, headers=headers, checks=[not_a_server_error], timeout=30)

    fuzz()


ALL_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    checks.positive_data_acceptance,
    checks.missing_required_header,
    checks.unsupported_method,
    checks.use_after_free,
    checks.ensure_resource_availability,
    checks.ignored_auth,
]
ROLE_EXAMPLES = 10
# Rules an OpenAPI schema cannot state, so a schema-valid request may still get a 422 naming the
# field; for these operations only, schemathesis' "positive data is accepted" check is left out.
SEMANTIC_422 = {
    "POST /vacancies": "the postcode must be a known Belgian one (the pattern ^\\d{4}$ admits 0000)",
    "PUT /vacancies/{vacancy_id}": "a known postcode, and the body's id equal to the path's",
    "POST /candidates": "the postcode must be a known Belgian one",
    "PUT /candidates/{candidate_id}": "a known postcode, and the body's id equal to the path's",
    "GET /suggestions": "exactly one of vacancy_id and candidate_id",
    "POST /imports/vacancies": "an upload must not be empty (a binary body cannot require bytes)",
    "POST /imports/candidates": "an upload must not be empty (a binary body cannot require bytes)",
}


@pytest.mark.parametrize("role", ["broker", "batch"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_every_check_holds_for_broker_and_batch(operation, role: str, sqlite_service: LiveService) -> None:
    """schemathesis' checks (``--checks all``): statuses, headers and bodies as documented, for each role."""
    headers = {"Authorization": f"Bearer {sqlite_service.keys[role]}"}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=ROLE_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case) -> None:
        excluded = [checks.positive_data_acceptance] if operation.label in SEMANTIC_422 else []
        case.call_and_validate(
            base_url=sqlite_service.url, headers=headers, checks=ALL_CHECKS, excluded_checks=excluded, timeout=30
        )

    fuzz()
