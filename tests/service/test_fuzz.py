"""Property-based fuzzing of the live API from its OpenAPI schema: no input may cause a 500.

The schema comes from the app itself (no server needed to collect the tests); each operation is
one test that sends hypothesis-generated requests, valid and invalid, to the live SQLite server as
admin (the key that reaches every operation). Bounded: at most ``MAX_EXAMPLES`` requests per
operation and ``BUDGET_SECONDS`` for the whole run, after which the remaining operations are
skipped, saying so. Loopback only.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install schemathesis)")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

try:
    from matcher_service import create_app
except ImportError:  # not installed yet: the package lives in service/
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "service"))
    from matcher_service import create_app

from matcher.settings import Settings  # noqa: E402

from .conftest import LiveService  # noqa: E402
from .test_access import HAS_IMPORTS  # noqa: E402

MAX_EXAMPLES = 30
BUDGET_SECONDS = 50
_started: list[float] = []

SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi())
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_input_causes_a_server_error(operation, sqlite_service: LiveService) -> None:
    if operation.label.startswith("POST /imports/") and not HAS_IMPORTS:
        pytest.skip("matcher.imports is not there yet")
    _started[:] = _started or [time.monotonic()]
    if time.monotonic() - _started[0] > BUDGET_SECONDS:
        pytest.skip(f"the fuzz budget of {BUDGET_SECONDS} s is spent")
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
