"""Forms of the packed pool matrices derived once and kept while the matrix lives.

A block that needs a CSR form of a candidates × columns matrix (to take a few rows) must not
convert the whole pool each time; the derived form is cached against the matrix object itself,
so a repacked pool (a new matrix) gets new forms and the old ones go with the old matrix.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

_derived: dict[int, tuple[weakref.ref, dict[str, Any]]] = {}
_derived_lock = threading.Lock()


def cached(matrix: sp.spmatrix | np.ndarray, kind: str, build: Callable[[Any], Any]) -> Any:
    """A form of a pool matrix (or array) derived once per object, dropped when the object goes."""
    key = id(matrix)
    with _derived_lock:
        entry = _derived.get(key)
        if entry is None or entry[0]() is not matrix:

            def forget(_: weakref.ref, key: int = key) -> None:
                _derived.pop(key, None)

            entry = (weakref.ref(matrix, forget), {})
            _derived[key] = entry
        forms = entry[1]
    if kind not in forms:
        forms[kind] = build(matrix)
    return forms[kind]


def rows_of(matrix_csc: sp.csc_matrix) -> sp.csr_matrix:
    """The CSR form of a candidates × columns matrix, so a block takes its rows without a pass over the pool."""
    return cached(matrix_csc, "csr", lambda m: m.tocsr())
