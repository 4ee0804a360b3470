"""Demo employers: the tenants that own the vacancies, with a kind, a sector and a site.

About one employer per :data:`.shares.VACANCIES_PER_EMPLOYER` vacancies. Kind shares are in
:mod:`.shares`: small and medium employers post few vacancies, large ones and social-economy
employers (*maatwerkbedrijven*) many, so the size of an employer is its kind's size times a
log-normal factor. Employers sit near the cities (the postcode draw boosts city weights by 1.5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalogue import Catalogue
from .names import NAMES
from .places import PostcodeSampler
from .sampling import categorical
from .shares import EMPLOYER_KIND_SHARES, EMPLOYER_KIND_SIZE, EMPLOYER_KINDS, SOCIAL_ECONOMY_SECTORS

EMPLOYER_CITY_BOOST = 1.5
LEGAL_FORM = {"sme": "bv", "large": "nv", "social_economy": "vzw"}
#: Care, childcare and schools are non-profit associations whatever their size.
NON_PROFIT_SECTORS = ("zorg", "kinderopvang", "onderwijs")

#: Name patterns per sector; {family} is a Flemish family name, {place} the site's town.
SECTOR_NAMES: dict[str, tuple[str, ...]] = {
    "schoonmaak": ("{family} Cleaning", "Poetsbedrijf {family}", "Net & Proper {place}"),
    "logistiek": ("{family} Logistics", "Distributiecentrum {place}", "{family} Transport & Logistiek"),
    "productie": ("{family} Industries", "{family} Metaalbouw", "Voedingsbedrijf {place}"),
    "transport": ("Transport {family}", "{family} Trucking", "Koeriersdienst {place}"),
    "horeca": ("Brasserie {family}", "Restaurant Het Hof van {place}", "Traiteur {family}"),
    "zorg": ("WZC Sint-Jozef {place}", "AZ {place}", "Thuiszorg {place}"),
    "kinderopvang": ("Kinderdagverblijf De Zonnebloem {place}", "Kinderopvang {place}"),
    "onderwijs": ("Basisschool De Regenboog {place}", "Scholengroep {place}"),
    "dienstverlening": ("Kapsalon {family}", "Bewakingsdienst {place}"),
    "bouw": ("Bouwbedrijf {family}", "{family} & Zonen", "Renovatie {place}"),
    "techniek": ("Elektro {family}", "Installatiebedrijf {family}", "{family} Technics"),
    "retail": ("Supermarkt {place}", "Bakkerij {family}", "{family} Mode"),
    "kantoor": ("Boekhoudkantoor {family}", "{family} Consult", "Sociaal Secretariaat {place}"),
    "ict": ("{family} Digital", "{place} Software", "IT-partner {family}"),
    "groen": ("Tuinaanleg {family}", "Groenbeheer {place}"),
}
SOCIAL_ECONOMY_NAMES = (
    "Maatwerkbedrijf {place}",
    "De Ploeg {place}",
    "Kringwinkel {place}",
    "Sociale werkplaats {place}",
)


@dataclass(frozen=True)
class Employer:
    """An employer (tenant) in the demo pool."""

    id: str
    name: str
    kind: str  # one of shares.EMPLOYER_KINDS
    sector: str
    postcode: str


@dataclass(frozen=True)
class EmployerDraws:
    """The employers with the arrays the vacancy generator draws from."""

    employers: list[Employer]
    kind: np.ndarray  # index into EMPLOYER_KINDS
    sector: np.ndarray  # index into catalogue.sectors
    site: np.ndarray  # index into the postcode sampler
    size: np.ndarray  # relative number of open vacancies


def employer_count(n_vacancies: int, vacancies_per_employer: int) -> int:
    """At least two employers, so that every demo has more than one tenant."""
    return max(2, -(-n_vacancies // vacancies_per_employer))


def draw_employers(rng: np.random.Generator, n: int, catalogue: Catalogue, places: PostcodeSampler) -> EmployerDraws:
    """``n`` employers: kind, sector weighted by its vacancy weight, site, size and name."""
    zeros = np.zeros(n, dtype=np.int64)
    kind = categorical(rng, np.array([EMPLOYER_KIND_SHARES]), zeros)
    sector_weight = np.array([catalogue.weights[catalogue.sector_of == s].sum() for s in range(len(catalogue.sectors))])
    social = np.array([sector in SOCIAL_ECONOMY_SECTORS for sector in catalogue.sectors])
    table = np.vstack([sector_weight, sector_weight * social])
    sector = categorical(rng, table, (kind == EMPLOYER_KINDS.index("social_economy")).astype(np.int64))
    site = places.draw(rng, np.full(n, EMPLOYER_CITY_BOOST))
    size = np.asarray(EMPLOYER_KIND_SIZE)[kind] * rng.lognormal(0.0, 0.6, n)
    names = _names(rng, kind, sector, site, catalogue, places)
    width = max(4, len(str(n)))
    employers = [
        Employer(
            id=f"emp-{i + 1:0{width}d}",
            name=names[i],
            kind=EMPLOYER_KINDS[kind[i]],
            sector=catalogue.sectors[sector[i]],
            postcode=places.postcodes[site[i]],
        )
        for i in range(n)
    ]
    return EmployerDraws(employers=employers, kind=kind, sector=sector, site=site, size=size)


def _names(
    rng: np.random.Generator,
    kind: np.ndarray,
    sector: np.ndarray,
    site: np.ndarray,
    catalogue: Catalogue,
    places: PostcodeSampler,
) -> list[str]:
    """A plausible Flemish company name with its legal form, e.g. "Peeters Logistics bv"."""
    families = NAMES["nl"].family
    keys = rng.random((len(kind), 2))
    names = []
    for i in range(len(kind)):
        kind_name = EMPLOYER_KINDS[kind[i]]
        patterns = SOCIAL_ECONOMY_NAMES if kind_name == "social_economy" else SECTOR_NAMES[catalogue.sectors[sector[i]]]
        pattern = patterns[int(keys[i, 0] * len(patterns))]
        name = pattern.format(family=families[int(keys[i, 1] * len(families))], place=places.places[site[i]])
        non_profit = catalogue.sectors[sector[i]] in NON_PROFIT_SECTORS
        names.append(f"{name} {'vzw' if non_profit else LEGAL_FORM[kind_name]}")
    return names
