"""Pools packed in pieces: growing a packed pool gives the arrays of a pool built at once."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.demo import generate_pool
from matcher.pool import CandidatePool, Encoding, VacancyPool
from profiles_factory import TAX


@pytest.fixture(scope="module")
def demo():
    return generate_pool(n_candidates=300, n_vacancies=40, seed=5, taxonomy=TAX)


def _same(a, b) -> None:
    for name in a.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if sp.issparse(x):
            x, y = x.tocsr(), y.tocsr()
            x.sort_indices(), y.sort_indices()
            assert x.shape == y.shape and x.dtype == y.dtype, name
            assert np.array_equal(x.indptr, y.indptr) and np.array_equal(x.indices, y.indices), name
            assert np.array_equal(x.data, y.data), name
        else:
            assert np.array_equal(np.asarray(x), np.asarray(y)), name
            assert np.asarray(x).dtype == np.asarray(y).dtype, name


@pytest.mark.parametrize("side", ["candidates", "vacancies"])
def test_growing_a_packed_pool_equals_building_it_at_once(demo, side: str) -> None:
    profiles = demo.candidates if side == "candidates" else demo.vacancies
    cls = CandidatePool if side == "candidates" else VacancyPool
    encoding = Encoding(TAX)
    changed = [p.model_copy(update={"hours_max": 20.0}) for p in profiles[3:7]]
    whole = cls(encoding, [*profiles, *changed])
    whole.remove(profiles[10].id)

    grown = cls(encoding)
    third = len(profiles) // 3
    grown.extend(profiles[:third])
    first = grown.arrays()
    grown.extend(profiles[third : 2 * third])
    grown.arrays()
    grown.extend(profiles[2 * third :])
    grown.extend(changed)
    grown.remove(profiles[10].id)
    _same(grown.arrays(), whole.arrays())
    assert len(first.active) == third  # arrays handed out earlier are not changed by later growth
    _same(pickle.loads(pickle.dumps(grown)).arrays(), whole.arrays())


def test_arrays_handed_out_are_copies(demo) -> None:
    pool = CandidatePool(Encoding(TAX), demo.candidates[:50])
    arrays = pool.arrays()
    arrays.hours_max[:] = -1.0
    arrays.languages[:] = 0
    pool.extend(demo.candidates[50:60])
    again = pool.arrays()
    assert (again.hours_max[:50] >= 0).all()
    assert again.languages[:50].any()
