"""Arrays as one ``.npz`` payload (no pickles): how run-scoped pair sets travel to the store and back."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np


def to_npz(source: object, names: Sequence[str]) -> bytes:
    """The attributes ``names`` of ``source`` (numpy arrays) as one ``.npz`` payload."""
    out = io.BytesIO()
    np.savez(out, **{name: getattr(source, name) for name in names})
    return out.getvalue()


def from_npz(payload: bytes, names: Sequence[str]) -> dict[str, np.ndarray]:
    """The arrays ``names`` of a :func:`to_npz` payload, refusing pickled objects."""
    with np.load(io.BytesIO(payload), allow_pickle=False) as data:
        return {name: data[name] for name in names}
