"""A few candidate rows as a pool of their own, so the pair kernel's cost follows them, not the pool.

The kernel reads, for every skill a vacancy asks, the entries of all the candidates holding it;
re-checking a few hundred candidates against a rewritten vacancy would pay for a million. Every
value of a pair depends on that pair's two rows alone (the kernel's contract: a pair's values do
not depend on the block it is in), so the same rows copied into a small pool give the same
features, checks and scores, bit for bit.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import scipy.sparse as sp

from ..pool import CandidateArrays
from ..pool.derived import rows_of


def take_candidates(cand: CandidateArrays, rows: np.ndarray) -> CandidateArrays:
    """The arrays of candidate ``rows`` only: row ``i`` of the result is pool row ``rows[i]``."""
    n = len(cand.active)
    taken = {}
    for field in fields(cand):
        value = getattr(cand, field.name)
        if sp.issparse(value):
            taken[field.name] = rows_of(value)[rows].tocsc()  # the cached CSR form: only these rows are read
        elif isinstance(value, np.ndarray) and value.shape[:1] == (n,):
            taken[field.name] = value[rows]
        else:  # a field that is not one value per candidate would not survive a subset unchanged
            raise TypeError(f"CandidateArrays.{field.name} is not per candidate row")
    return CandidateArrays(**taken)
