"""Shared fixtures: the packaged taxonomy, a shared encoding, and small realistic profiles."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, settings

from matcher.pool import Encoding
from matcher.taxonomy import load_taxonomy

# The throwaway PostgreSQL cluster and the store URL fixture (SQLite and PostgreSQL) for every test module.
pytest_plugins = ["pg"]

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("ci")

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="session")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="session")
def encoding(taxonomy):
    return Encoding(taxonomy)
