"""Where demo candidates live and vacancies are: real Flemish and Brussels postcodes.

Every Flemish postcode (1500-3999, 8000-9999) and every Brussels one (1000-1299) in the packaged
bpost table can be drawn. A postcode's weight is its rough population in thousands: the postcodes
of the large Flemish cities share the city's population, every other Flemish postcode counts for
11 (the rest of Flanders, about 5.1 million people, spread over ~465 postcodes), and Brussels
counts for a sixth of its population because most Brussels job seekers register with Actiris,
not VDAB. A group that lives in the cities more than average multiplies the city weights by its
``city_boost``: about 27 % of experienced workers and returners live in one of these cities,
36 % of young people (boost 1.5) and half of the newcomers (boost 2.5); 3-5 % live in Brussels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..geo import PostcodeTable
from .sampling import categorical

#: Cities and their postcodes, with the city's population in thousands (2024, rounded).
CITIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Antwerpen": (
        536,
        (
            "2000",
            "2018",
            "2020",
            "2030",
            "2040",
            "2050",
            "2060",
            "2100",
            "2140",
            "2170",
            "2180",
            "2600",
            "2610",
            "2660",
        ),
    ),
    "Gent": (265, ("9000", "9030", "9031", "9032", "9040", "9041", "9042", "9050", "9051", "9052")),
    "Brussel": (
        200,
        (
            "1000",
            "1020",
            "1030",
            "1040",
            "1050",
            "1060",
            "1070",
            "1080",
            "1081",
            "1082",
            "1083",
            "1090",
            "1120",
            "1130",
            "1140",
            "1150",
            "1160",
            "1170",
            "1180",
            "1190",
            "1200",
            "1210",
        ),
    ),
    "Brugge": (119, ("8000", "8200", "8310", "8380")),
    "Leuven": (103, ("3000", "3001", "3010", "3012", "3018")),
    "Aalst": (89, ("9300", "9308", "9310", "9320")),
    "Mechelen": (88, ("2800", "2801", "2811", "2812")),
    "Hasselt": (80, ("3500", "3510", "3511", "3512")),
    "Kortrijk": (80, ("8500", "8501", "8510", "8511")),
    "Sint-Niklaas": (80, ("9100", "9111", "9112")),
    "Oostende": (72, ("8400",)),
    "Genk": (67, ("3600",)),
    "Roeselare": (64, ("8800",)),
    "Turnhout": (46, ("2300",)),
    "Vilvoorde": (46, ("1800",)),
}

#: Population weight (thousands) of a Flemish postcode outside the cities above.
OTHER_POSTCODE_WEIGHT = 11.0
#: Brussels postcodes outside ``CITIES`` (none today) get this weight.
OTHER_BRUSSELS_WEIGHT = 1.0


def is_flemish(postcode: str) -> bool:
    """A postcode of the Flemish Region (the Brussels Region is separate)."""
    number = int(postcode)
    return 1500 <= number <= 3999 or 8000 <= number <= 9999


def is_brussels(postcode: str) -> bool:
    return 1000 <= int(postcode) <= 1299


@dataclass(frozen=True)
class PostcodeSampler:
    """Flemish and Brussels postcodes with a population weight and whether they are in a city."""

    postcodes: tuple[str, ...]
    places: tuple[str, ...]  # the city's name, else the postcode's first locality
    weight: np.ndarray
    in_city: np.ndarray

    def draw(self, rng: np.random.Generator, city_boost: np.ndarray) -> np.ndarray:
        """One postcode index per element of ``city_boost``, cities weighted up by the boost."""
        boosts, rows = np.unique(city_boost, return_inverse=True)
        table = np.where(self.in_city[None, :], self.weight[None, :] * boosts[:, None], self.weight[None, :])
        return categorical(rng, table, rows.reshape(-1))


def build_sampler(table: PostcodeTable) -> PostcodeSampler:
    """The sampler over every Flemish and Brussels postcode of the table, in table order."""
    city_weight: dict[str, float] = {}
    city_name: dict[str, str] = {}
    for name, (population, postcodes) in CITIES.items():
        present = [p for p in postcodes if p in table]
        for postcode in present:
            city_weight[postcode] = population / len(present)
            city_name[postcode] = name
    rows = [i for i, p in enumerate(table.postcodes) if is_flemish(p) or is_brussels(p)]
    postcodes = tuple(table.postcodes[i] for i in rows)
    weight = np.array(
        [city_weight.get(p, OTHER_BRUSSELS_WEIGHT if is_brussels(p) else OTHER_POSTCODE_WEIGHT) for p in postcodes]
    )
    return PostcodeSampler(
        postcodes=postcodes,
        places=tuple(city_name.get(table.postcodes[i], table.localities[i].split(" / ")[0]) for i in rows),
        weight=weight,
        in_city=np.array([p in city_weight for p in postcodes]),
    )
