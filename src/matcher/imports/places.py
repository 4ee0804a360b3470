"""A municipality name in Dutch or French (Gent/Gand, Brussel/Bruxelles, a deelgemeente) → its postcode.

Read from the packaged postcode table, whose localities are in the local language; the other
language's name of the larger towns is in :data:`OTHER_NAMES`. A name that several postcodes of
one town carry (Antwerpen 2000…2060 as their only name; Liège 4000/4020 within :data:`SAME_TOWN_KM`) gives the
lowest; a name that belongs to places farther apart (Meldert, Haren) is ambiguous and answered
with every candidate, unless only one of those postcodes is that place alone (Aalst is 9300, and
also a part of 3800 Sint-Truiden).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from functools import cache

from ..geo import distance_km, load_postcodes

#: Postcodes sharing a name and lying within this distance of each other are one town.
SAME_TOWN_KM = 10.0

#: Other-language names of towns, by the name the postcode table uses.
OTHER_NAMES: dict[str, str] = {
    "brussel": "bruxelles",
    "brussels": "bruxelles",
    "gand": "gent",
    "ghent": "gent",
    "anvers": "antwerpen",
    "antwerp": "antwerpen",
    "bruges": "brugge",
    "louvain": "leuven",
    "malines": "mechelen",
    "courtrai": "kortrijk",
    "ostende": "oostende",
    "ostend": "oostende",
    "luik": "liege",
    "namen": "namur",
    "bergen": "mons",
    "doornik": "tournai",
    "alost": "aalst",
    "termonde": "dendermonde",
    "ypres": "ieper",
    "audenarde": "oudenaarde",
    "renaix": "ronse",
    "tongres": "tongeren",
    "lierre": "lier",
    "vilvorde": "vilvoorde",
    "hal": "halle",
    "aarlen": "arlon",
    "nijvel": "nivelles",
    "waver": "wavre",
    "hoei": "huy",
    "wezet": "vise",
    "edingen": "enghien",
    "grammont": "geraardsbergen",
    "menin": "menen",
    "moeskroen": "mouscron",
    "zinnik": "soignies",
    "aat": "ath",
    "lessen": "lessines",
    "borgworm": "waremme",
    "saint trond": "sint truiden",
    "tirlemont": "tienen",
    "saint nicolas waas": "sint niklaas",
    "hasselt": "hasselt",
}


def place_key(name: str) -> str:
    """Case, accents, hyphens and apostrophes folded: ``Sint-Niklaas`` = ``sint niklaas``."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return " ".join(folded.replace("-", " ").replace("'", " ").replace("’", " ").split())


@cache
def _index() -> dict[str, list[tuple[str, str, bool]]]:
    """Place key → [(postcode, the postcode's first locality, whether it is the postcode's only one)]."""
    table = load_postcodes()
    found: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for postcode, localities in zip(table.postcodes, table.localities, strict=True):
        names = [n.strip() for n in localities.split("/")]
        for name in names:
            found[place_key(name)].append((postcode, names[0], len(names) == 1))
    return dict(found)


def _one_town(hits: list[tuple[str, str, bool]], one_name: bool = False) -> str | None:
    codes = sorted({code for code, _, _ in hits})
    if one_name or all(distance_km(codes[0], other) <= SAME_TOWN_KM for other in codes[1:]):
        return codes[0]
    return None


def postcode_of(name: str) -> tuple[str | None, list[str]]:
    """``(postcode, [])`` for a known place, ``(None, candidates)`` for an ambiguous one, ``(None, [])``
    for an unknown one. Candidates read ``1790 Affligem``."""
    key = place_key(name)
    key = OTHER_NAMES.get(key, key)
    hits = _index().get(key, [])
    if not hits:
        return None, []
    own = [hit for hit in hits if hit[2]]  # postcodes that are this place alone: Aalst 9300, not 3800
    town = _one_town(own, one_name=True) if own else _one_town(hits)
    if town is not None:
        return town, []
    return None, [f"{code} {first}" for code, first, _ in sorted(hits)]
