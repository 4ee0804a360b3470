"""Postcodes to coordinates and commute distances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.geo import UnknownPostcodeError, distance_km, haversine_km, load_postcodes, pairwise_km

TABLE = load_postcodes()


def test_known_distances() -> None:
    assert distance_km("9000", "2000") == pytest.approx(51.5, abs=2.5)  # Gent – Antwerpen
    assert distance_km("3000", "1000") == pytest.approx(24.5, abs=2.5)  # Leuven – Brussel
    assert distance_km("8000", "8000") == 0.0


def test_unknown_postcode_names_it() -> None:
    with pytest.raises(UnknownPostcodeError, match="'0042'"):
        TABLE.coordinates(["9000", "0042"])


def test_flemish_cities_are_in_the_table() -> None:
    for code in ("1000", "2000", "2800", "3000", "3500", "8000", "8500", "9000", "9300"):
        assert code in TABLE


@given(
    st.lists(st.sampled_from(TABLE.postcodes), min_size=1, max_size=6),
    st.lists(st.sampled_from(TABLE.postcodes), min_size=1, max_size=6),
)
def test_pairwise_equals_scalar(a: list[str], b: list[str]) -> None:
    matrix = pairwise_km(TABLE.coordinates(a), TABLE.coordinates(b))
    for i, pa in enumerate(a):
        for j, pb in enumerate(b):
            assert matrix[i, j] == pytest.approx(distance_km(pa, pb), abs=1e-9)
    assert np.all(matrix >= 0)


def test_haversine_is_symmetric() -> None:
    coords = TABLE.coordinates(["9000", "3600"])
    assert haversine_km(coords[0], coords[1]) == pytest.approx(haversine_km(coords[1], coords[0]))
