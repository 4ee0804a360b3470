"""The pair lane's place test: a float32 product of unit vectors never drops a pair within reach."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.features import _chord_km, _chord_sq
from matcher.kernel import _dot, _near_enough, _pair_chord_sq
from matcher.pool.encoding import unit_vectors

latitudes = st.floats(49.4, 51.6)  # Belgium and a margin
longitudes = st.floats(2.5, 6.5)


@settings(max_examples=300, deadline=None)
@given(
    home=st.tuples(latitudes, longitudes),
    bearing=st.floats(0, 2 * np.pi),
    km=st.floats(0.0, 120.0),
    limit=st.floats(0.5, 100.0),
)
def test_a_pair_within_the_limit_always_passes_the_product_test(home, bearing, km, limit) -> None:
    lat, lon = home
    # a workplace about km away along the bearing (the exact figure is what _chord_km says)
    d_lat = km / 111.2 * np.cos(bearing)
    d_lon = km / (111.2 * np.cos(np.radians(lat))) * np.sin(bearing)
    xyz = unit_vectors(np.array([lat, lat + d_lat]), np.array([lon, lon + d_lon]))
    cand, vac = xyz[:1], xyz[1:]
    exact_km = _chord_km(_chord_sq(cand, vac))[0, 0]
    passes = _dot(cand, vac)[0, 0] >= _near_enough(np.array([limit], dtype=np.float32))[0]
    if exact_km <= np.float32(limit):
        assert passes
    if exact_km > 1.2 * limit + 10:  # the margin is small: far pairs are dropped
        assert not passes


def test_the_per_pair_chord_is_the_dense_one_bit_for_bit() -> None:
    rng = np.random.default_rng(4)
    lat, lon = rng.uniform(50.6, 51.5, 400), rng.uniform(2.6, 5.9, 400)
    xyz = unit_vectors(lat, lon)
    dense = _chord_sq(xyz[:200], xyz[200:])
    i, j = rng.integers(0, 200, 5000), rng.integers(0, 200, 5000)
    assert np.array_equal(_pair_chord_sq(xyz[i], xyz[200 + j]), dense[i, j])
