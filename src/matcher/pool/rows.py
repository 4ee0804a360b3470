"""Growable row storage: profiles by id with tombstones, numeric columns and sparse rows.

An update appends the new row and marks the old one inactive, so only the changed profile is
encoded; the packed numpy arrays and CSR matrices are rebuilt from the rows when next needed. A
removal only marks its row inactive, so the packed arrays are kept with the new ``active`` mask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import numpy as np
import scipy.sparse as sp

from ..profiles import Candidate, Vacancy

if TYPE_CHECKING:
    from .candidates import CandidateArrays
    from .vacancies import VacancyArrays

P = TypeVar("P", Candidate, Vacancy)


class RowStore(Generic[P]):
    """Rows addressed by id, with tombstones, so an update re-encodes only one profile.

    A pool made with ``keep_profiles=False`` keeps the arrays only (a batch run reads nothing
    else), so a million profiles need not stay in memory as objects once encoded.
    """

    keep_profiles: bool = True  # a class default, so pools pickled before the option keep theirs

    def __init__(self, keep_profiles: bool = True) -> None:
        self.ids: list[str] = []
        self.profiles: list[P | None] = []
        self.row_of: dict[str, int] = {}
        self._active: list[bool] = []
        self._cache: dict[str, object] = {}  # packed arrays, rebuilt after an add or update
        self.keep_profiles = keep_profiles

    def _place(self, profile: P) -> int:
        old = self.row_of.get(profile.id)
        if old is not None:
            self._active[old] = False
        row = len(self.ids)
        self.ids.append(profile.id)
        self.profiles.append(profile if self.keep_profiles else None)
        self._active.append(True)
        self.row_of[profile.id] = row
        return row

    def remove(self, profile_id: str) -> None:
        row = self.row_of.pop(profile_id, None)
        if row is None:
            raise KeyError(f"no profile with id {profile_id!r} in the pool")
        self._active[row] = False
        # "arrays" is only ever set by the subclasses, to their CandidateArrays or VacancyArrays.
        cached = cast("CandidateArrays | VacancyArrays | None", self._cache.get("arrays"))
        self._invalidate()
        if cached is not None and len(cached.active) == len(self._active):
            # Only the active mask changes (id_rank and every other packed field cover all rows,
            # inactive ones included), so the packed arrays are kept rather than rebuilt.
            self._cache["arrays"] = replace(cached, active=self.active)

    def rows(self, ids: Sequence[str]) -> np.ndarray:
        missing = [i for i in ids if i not in self.row_of]
        if missing:
            raise KeyError(f"unknown id {missing[0]!r}" + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""))
        return np.fromiter((self.row_of[i] for i in ids), dtype=np.int64, count=len(ids))

    @property
    def active(self) -> np.ndarray:
        return np.asarray(self._active, dtype=bool)

    def __len__(self) -> int:
        return len(self.row_of)

    def ids_active(self) -> list[str]:
        """Ids of the profiles currently in the pool, in insertion order."""
        return list(self.row_of)

    def profile(self, profile_id: str) -> P:
        profile = self.profiles[self.row_of[profile_id]]
        if profile is None:
            raise LookupError(f"this pool keeps arrays only; read profile {profile_id!r} from the store")
        return profile

    def snapshot_state(self) -> dict[str, Any]:
        """The pool's rows without its profiles, its encoding or its packed-array cache (see :mod:`.snapshot`)."""
        self.arrays()  # type: ignore[attr-defined]  # both pools pack: one piece per row store to save
        return {k: v for k, v in vars(self).items() if k not in ("encoding", "profiles", "_cache", "keep_profiles")}

    @classmethod
    def from_snapshot_state(cls, encoding: Any, state: dict[str, Any]) -> Any:
        """An arrays-only pool over ``encoding`` from :meth:`snapshot_state`."""
        pool = cls.__new__(cls)
        pool.__dict__.update(state)
        pool.encoding = encoding  # type: ignore[attr-defined]  # both pools have one
        pool.profiles = [None] * len(pool.ids)
        pool.keep_profiles = False
        pool._cache = {}
        return pool

    def id_rank(self) -> np.ndarray:
        """Position of each row's id in sorted order: the deterministic tie-break of rankings."""
        order = np.argsort(np.asarray(self.ids, dtype=object), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    def _invalidate(self) -> None:
        self._cache.clear()


class Columns:
    """Growable per-row numeric columns, packed to numpy arrays on demand."""

    def __init__(self, spec: dict[str, type]) -> None:
        self._spec = spec
        self._lists: dict[str, list] = {name: [] for name in spec}

    def append(self, **values: object) -> None:
        for name in self._spec:
            self._lists[name].append(values[name])

    def packed(self) -> dict[str, np.ndarray]:
        """Every column as an array (a copy); the rows are kept packed from then on, not as Python values."""
        pieces: dict[str, np.ndarray] = self.__dict__.setdefault("_pieces", {})  # absent in pools pickled before
        out = {}
        for name, dtype in self._spec.items():
            tail: np.ndarray = np.asarray(self._lists[name], dtype=dtype)
            if name in pieces:
                tail = np.concatenate([pieces[name], tail])
            pieces[name], self._lists[name] = tail, []
            out[name] = tail.copy()
        return out


class SparseRows:
    """Growable sparse rows (column index lists with values), packed to CSR on demand."""

    def __init__(self, n_cols: int, dtype: type = np.float32) -> None:
        self.n_cols = n_cols
        self.dtype = dtype
        self._indptr = [0]
        self._indices: list[np.ndarray] = []
        self._data: list[np.ndarray] = []
        self._nnz = 0

    def append(self, cols: Sequence[int] | np.ndarray, values: Sequence[float] | np.ndarray | None = None) -> None:
        cols = np.asarray(cols, dtype=np.int32)
        vals: np.ndarray = (
            np.ones(len(cols), dtype=self.dtype) if values is None else np.asarray(values, dtype=self.dtype)
        )
        self._indices.append(cols)
        self._data.append(vals)
        self._nnz += len(cols)
        self._indptr.append(self._nnz)

    def extend(self, rows: sp.csr_matrix) -> None:
        """Append every row of ``rows`` (the same columns) at once: one piece, not one per row."""
        self._indices.append(rows.indices.astype(np.int32, copy=False))
        self._data.append(rows.data.astype(self.dtype, copy=False))
        self._indptr.extend((rows.indptr[1:].astype(np.int64) + self._nnz).tolist())
        self._nnz += int(rows.indptr[-1])

    def packed(self) -> sp.csr_matrix:
        """The rows as CSR; they are kept as that one piece from then on (appends add pieces after it)."""
        n_rows = len(self._indptr) - 1
        indices = np.concatenate(self._indices) if self._indices else np.zeros(0, np.int32)
        data = np.concatenate(self._data) if self._data else np.zeros(0, self.dtype)
        self._indices, self._data = [indices], [data]
        return sp.csr_matrix((data, indices, np.asarray(self._indptr, dtype=np.int64)), shape=(n_rows, self.n_cols))
