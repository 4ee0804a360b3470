"""A grid over places, so a vacancy touches only the candidates that could commute to it.

Candidates are sorted by commute band (their maximum commute, in a few bands), then by grid cell
on a plane tangent to the pool's centre. A query for a few vacancies takes, per band, the cells
within that band's largest commute of the vacancies' bounding box: a handful of contiguous row
ranges. The same grid over vacancies (one band, radius 0) answers the other direction, with the
candidates' largest commute as the reach. The filter is conservative, never exact: it keeps every
row the hard constraints could allow (a coordinate difference on the tangent plane never exceeds
the chord, and the chord never exceeds the distance), so the kernel that follows still decides
every pair and the result is the same as a pass over all rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import EARTH_RADIUS_KM

CELL_KM = 5.0
"""Grid cell side: small enough that a 10 km commute touches a few cells, large enough that the
per-cell bookkeeping stays small for Flanders (about 60 × 40 cells)."""

BAND_EDGES_KM = (5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 60.0, 100.0)
"""Upper edges of the commute bands; a candidate above the last edge is in a band of its own."""

MARGIN_KM = 0.5
"""Slack for float32 rounding of coordinates and distances (far above it, far below a cell)."""


@dataclass(frozen=True)
class PlaceGrid:
    """Rows sorted by (commute band, cell row, cell column), with each cell row's start offsets.

    ``starts[b, i, j]`` is the position in ``order`` of the first candidate of band ``b`` in cell
    row ``i`` at column ``j`` or later (``j`` runs to ``n_cols``), so a column range of one cell row
    is one slice of ``order``.
    """

    order: np.ndarray  # (n,) candidate rows
    starts: np.ndarray  # (bands, n_rows, n_cols + 1) int64
    radius_km: np.ndarray  # (bands,) the largest commute in each band (0 for an empty band)
    origin: np.ndarray  # (2,) tangent-plane km of cell (0, 0)
    basis: np.ndarray  # (3, 2) unit vectors east and north at the pool's centre
    n_rows: int

    @classmethod
    def build(cls, xyz: np.ndarray, max_commute_km: np.ndarray) -> PlaceGrid:
        """Index every row (inactive ones too: the hard constraints drop them, the index must not miss any)."""
        n = len(xyz)
        basis = _tangent_basis(xyz)
        plane = _plane_km(xyz, basis)
        origin = plane.min(axis=0) if n else np.zeros(2)
        cells = np.floor((plane - origin) / CELL_KM).astype(np.int64) if n else np.zeros((0, 2), np.int64)
        n_rows, n_cols = (int(cells[:, 0].max()) + 1, int(cells[:, 1].max()) + 1) if n else (1, 1)
        band = commute_band(max_commute_km)
        n_bands = len(BAND_EDGES_KM) + 1
        order = np.lexsort((np.arange(n), cells[:, 1], cells[:, 0], band))
        key = (band[order] * n_rows + cells[order, 0]) * n_cols + cells[order, 1]
        boundaries = np.searchsorted(key, np.arange(n_bands * n_rows * n_cols + 1), side="left")
        per_row = boundaries[:-1].reshape(n_bands, n_rows, n_cols)
        row_ends = boundaries[n_cols::n_cols].reshape(n_bands, n_rows, 1)
        starts = np.concatenate([per_row, row_ends], axis=2)
        radius = np.zeros(n_bands, dtype=np.float64)
        if n:
            np.maximum.at(radius, band, max_commute_km.astype(np.float64))
        return cls(order, starts, radius, origin, basis, n)

    def map_order(self, xyz: np.ndarray, cell_km: float = 10.0) -> np.ndarray:
        """Positions of these places along a Z-order curve over ``cell_km`` cells (ties by position).

        Consecutive places along the curve are neighbours, so a block cut from it is compact and
        its :meth:`near` set stays close to that of one place.
        """
        cells = np.floor((_plane_km(xyz, self.basis) - self.origin) / cell_km).astype(np.int64)
        cells = np.clip(cells - cells.min(axis=0, initial=0), 0, (1 << 20) - 1)
        z = np.zeros(len(xyz), dtype=np.int64)
        for bit in range(20):
            z |= ((cells[:, 0] >> bit) & 1) << (2 * bit) | ((cells[:, 1] >> bit) & 1) << (2 * bit + 1)
        return np.argsort(z, kind="stable")

    def near(self, xyz: np.ndarray, reach_km: float = 0.0) -> np.ndarray:
        """Sorted rows that might be within their commute (plus ``reach_km``) of one of these places."""
        begin, end = self._ranges(xyz, reach_km)
        return np.sort(self.order[ranges_index(begin, end)])

    def near_count(self, xyz: np.ndarray, reach_km: float = 0.0) -> int:
        """``len(self.near(xyz, reach_km))``, from the row ranges alone (no rows gathered or sorted)."""
        begin, end = self._ranges(xyz, reach_km)
        return int((end - begin).sum())

    def _ranges(self, xyz: np.ndarray, reach_km: float) -> tuple[np.ndarray, np.ndarray]:
        """Start and end positions in ``order`` of the cell-row slices :meth:`near` takes (disjoint).

        Every band at once: per band a rectangle of cells, each of its cell rows one slice, in
        band then row order (a few array operations, no loop over bands or rows).
        """
        empty = np.zeros(0, dtype=np.int64)
        if self.n_rows == 0 or len(xyz) == 0:
            return empty, empty
        plane = _plane_km(xyz, self.basis) - self.origin
        lo, hi = plane.min(axis=0), plane.max(axis=0)
        _, n_rows, n_cols_plus = self.starts.shape
        reach = ((self.radius_km + reach_km) * (1 + 1e-3) + MARGIN_KM)[:, None]
        first = np.maximum(np.floor((lo - reach) / CELL_KM).astype(np.int64), 0)  # (bands, 2): row, column
        last = np.minimum(np.floor((hi + reach) / CELL_KM).astype(np.int64), [n_rows - 1, n_cols_plus - 2])
        taken = (self.starts[:, 0, 0] != self.starts[:, -1, -1]) & (first <= last).all(axis=1)  # empty bands: none
        bands = np.flatnonzero(taken)
        r0, c0, r1, c1 = first[bands, 0], first[bands, 1], last[bands, 0], last[bands, 1]
        row, at = ranges_with_owner(r0, r1 + 1)
        band = bands[at]
        return self.starts[band, row, c0[at]], self.starts[band, row, c1[at] + 1]


def ranges_index(begin: np.ndarray, end: np.ndarray) -> np.ndarray:
    """The positions ``begin[k]:end[k]`` of every k, one range after the other, as one index array.

    One gather through it replaces a Python list of slices and their concatenation.
    """
    return ranges_with_owner(begin, end)[0]


def ranges_with_owner(begin: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`ranges_index`, and which range each position comes from."""
    lengths = np.asarray(end, dtype=np.int64) - begin
    owner = segment_of(lengths)
    shift = np.asarray(begin, dtype=np.int64) - (np.cumsum(lengths) - lengths)  # range start minus its output start
    index = np.arange(len(owner), dtype=np.int64)
    index += shift[owner]
    return index, owner


def segment_of(lengths: np.ndarray) -> np.ndarray:
    """``np.repeat(np.arange(len(lengths)), lengths)``: the segment of each position of consecutive segments.

    Built from a count of the segment ends and a running sum, both of which release the GIL
    (``np.repeat`` holds it for the whole output, which caps a second ranking thread).
    """
    ends = np.cumsum(lengths, dtype=np.int64)
    total = int(ends[-1]) if len(ends) else 0
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    return np.cumsum(np.bincount(ends, minlength=total + 1)[:total])


def commute_band(max_commute_km: np.ndarray) -> np.ndarray:
    """The band of each maximum commute: 0 up to the first of :data:`BAND_EDGES_KM`, and so on."""
    return np.searchsorted(np.asarray(BAND_EDGES_KM, dtype=np.float32), max_commute_km.astype(np.float32), side="left")


def _tangent_basis(xyz: np.ndarray) -> np.ndarray:
    """East and north unit vectors at the mean position (or at lon 0, lat 0 for an empty pool)."""
    centre = xyz.astype(np.float64).mean(axis=0) if len(xyz) else np.array([1.0, 0.0, 0.0])
    centre /= np.linalg.norm(centre) or 1.0
    lon = np.arctan2(centre[1], centre[0])
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.cross(centre, east)
    return np.column_stack([east, north])


def _plane_km(xyz: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Coordinates on the tangent plane in km: differences never exceed the chord between points."""
    xyz = xyz.astype(np.float64)
    plane = xyz[:, 0:1] * basis[0] + xyz[:, 1:2] * basis[1] + xyz[:, 2:3] * basis[2]  # numpy's loops, not BLAS threads
    return plane * EARTH_RADIUS_KM
