"""Belgian postcodes to coordinates, and commute distances between them, vectorised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

EARTH_RADIUS_KM = 6371.0088


class UnknownPostcodeError(ValueError):
    """A postcode that is not in the Belgian postcode table."""

    def __init__(self, postcodes: Sequence[str]) -> None:
        self.postcodes = list(postcodes)
        shown = ", ".join(repr(p) for p in self.postcodes[:5])
        more = f" and {len(self.postcodes) - 5} more" if len(self.postcodes) > 5 else ""
        super().__init__(f"unknown Belgian postcode {shown}{more}: use a 4-digit bpost postcode such as '9000'")


@dataclass(frozen=True)
class PostcodeTable:
    """Postcodes with the mean latitude/longitude of their localities, in degrees."""

    postcodes: tuple[str, ...]
    localities: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {p: i for i, p in enumerate(self.postcodes)})

    def __contains__(self, postcode: object) -> bool:
        return postcode in self._index  # type: ignore[attr-defined]

    def index(self, postcodes: Iterable[str]) -> np.ndarray:
        """Row numbers of the postcodes; raises :class:`UnknownPostcodeError` naming unknown ones."""
        lookup = self._index  # type: ignore[attr-defined]
        codes = [str(p).strip() for p in postcodes]
        unknown = [p for p in dict.fromkeys(codes) if p not in lookup]
        if unknown:
            raise UnknownPostcodeError(unknown)
        return np.fromiter((lookup[p] for p in codes), dtype=np.int64, count=len(codes))

    def coordinates(self, postcodes: Iterable[str]) -> np.ndarray:
        """An (n, 2) float array of (lat, lon) in degrees."""
        rows = self.index(postcodes)
        return np.column_stack([self.lat[rows], self.lon[rows]])

    def locality(self, postcode: str) -> str:
        return self.localities[int(self.index([postcode])[0])]


@cache
def load_postcodes() -> PostcodeTable:
    """The packaged Belgian postcode table, read once per process (immutable reference data)."""
    text = resources.files("matcher.data").joinpath("postcodes_be.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(line for line in io.StringIO(text) if not line.startswith("#")))[1:]
    return PostcodeTable(
        postcodes=tuple(r[0] for r in rows),
        localities=tuple(r[1] for r in rows),
        lat=np.array([float(r[2]) for r in rows]),
        lon=np.array([float(r[3]) for r in rows]),
    )


def haversine_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between (lat, lon) degree arrays that broadcast together.

    ``a`` of shape (n, 1, 2) against ``b`` of shape (1, m, 2) gives an (n, m) matrix; two (n, 2)
    arrays give n element-wise distances.
    """
    lat1, lon1 = np.radians(a[..., 0]), np.radians(a[..., 1])
    lat2, lon2 = np.radians(b[..., 0]), np.radians(b[..., 1])
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def pairwise_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """An (n, m) matrix of distances between n and m (lat, lon) points."""
    return haversine_km(a[:, None, :], b[None, :, :])


def distance_km(postcode_a: str, postcode_b: str, table: PostcodeTable | None = None) -> float:
    """Straight-line distance in km between two Belgian postcodes."""
    table = table or load_postcodes()
    coords = table.coordinates([postcode_a, postcode_b])
    return float(haversine_km(coords[0], coords[1]))
