"""Search and filter the live pool's vacancies and candidates for a broker (or an employer's own).

Filters combine: free text on id, title or occupation; a postcode or municipality with a radius;
a skill label; a minimum Dutch level; a coaching need; availability by a date. Results are
profiles, first ``limit`` in id order, with the number that matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

import numpy as np

from ..geo import haversine_km
from ..profiles import CEFR, Candidate, CoachingNeed, RequirementKind, Vacancy
from ..store import ApiKey, Role
from .errors import InvalidInput
from .live import LivePool

P = TypeVar("P", Candidate, Vacancy)
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Filters:
    text: str = ""
    place: str = ""
    radius_km: float = 10.0
    skill: str = ""
    dutch: str = ""  # candidates: at least this level; vacancies: asks at most this level
    coaching: str = ""
    available_by: date | None = None


@dataclass(frozen=True)
class Found(Generic[P]):
    total: int
    profiles: list[P]


def _place_postcodes(live: LivePool, place: str) -> np.ndarray:
    """(lat, lon) of the place: a postcode, or every postcode of a municipality named so."""
    table = live.ranker.candidates.encoding.postcodes
    place = place.strip()
    if place in table:
        return np.asarray(table.coordinates([place]))
    codes = [
        p for p, name in zip(table.postcodes, table.localities, strict=True) if name.casefold() == place.casefold()
    ]
    if not codes:
        raise InvalidInput("place", f"no Belgian postcode or municipality {place!r}", "query")
    return np.asarray(table.coordinates(codes))


def _near(live: LivePool, postcodes: list[str], filters: Filters) -> np.ndarray:
    if not filters.place:
        return np.ones(len(postcodes), dtype=bool)
    centre = _place_postcodes(live, filters.place)
    coords = live.ranker.candidates.encoding.postcodes.coordinates(postcodes)
    return np.asarray(haversine_km(coords[:, None, :], centre[None, :, :]).min(axis=1) <= filters.radius_km)


def _skill_uris(live: LivePool, label: str, lang: str) -> set[str]:
    """Skills whose label in ``lang`` (or English) contains ``label``."""
    needle = label.strip().casefold()
    taxonomy = live.taxonomy
    return {
        s.uri
        for s in taxonomy.skills.values()
        if needle in s.label(lang).casefold() or needle in s.label("en").casefold()
    }


def _text_match(profile: Candidate | Vacancy, needle: str, live: LivePool, lang: str) -> bool:
    if needle in profile.id.casefold():
        return True
    if isinstance(profile, Vacancy):
        if needle in profile.title.casefold():
            return True
        uri = profile.occupation_uri
        return uri is not None and needle in live.taxonomy.occupation(uri).label(lang).casefold()
    return False


def _level(value: str) -> CEFR:
    try:
        return CEFR[value]
    except KeyError as exc:
        raise InvalidInput(
            "dutch", f"level must be one of {', '.join(c.name for c in CEFR)}; got {value!r}", "query"
        ) from exc


def _criteria(
    live: LivePool, postcodes: list[str], filters: Filters, lang: str
) -> tuple[np.ndarray, str, set[str] | None, CEFR | None]:
    """What both searches test per profile: near enough, the text, the skill's URIs and the Dutch level."""
    keep = _near(live, postcodes, filters)
    needle = filters.text.strip().casefold()
    skills = _skill_uris(live, filters.skill, lang) if filters.skill.strip() else None
    dutch = _level(filters.dutch) if filters.dutch else None
    return keep, needle, skills, dutch


def search_candidates(
    live: LivePool, filters: Filters, lang: str = "nl", limit: int = DEFAULT_LIMIT
) -> Found[Candidate]:
    with live.lock.reading():
        pool = live.ranker.candidates
        profiles = [pool.profile(i) for i in sorted(pool.ids_active())]
    if not profiles:
        return Found(0, [])
    keep, needle, skills, dutch = _criteria(live, [p.postcode for p in profiles], filters, lang)
    coaching = CoachingNeed[filters.coaching] if filters.coaching in CoachingNeed.__members__ else None
    out = []
    for profile, near in zip(profiles, keep.tolist(), strict=True):
        if not near or (needle and not _text_match(profile, needle, live, lang)):
            continue
        if skills is not None and not any(c.uri in skills for c in profile.competences):
            continue
        if (
            dutch is not None
            and max((lv.level for lv in profile.languages if lv.language == "nl"), default=CEFR.A0) < dutch
        ):
            continue
        if coaching is not None and profile.coaching_need != coaching:
            continue
        if filters.available_by and profile.available_from and profile.available_from > filters.available_by:
            continue
        out.append(profile)
    return Found(len(out), out[:limit])


def search_vacancies(
    live: LivePool, key: ApiKey, filters: Filters, lang: str = "nl", limit: int = DEFAULT_LIMIT
) -> Found[Vacancy]:
    with live.lock.reading():
        pool = live.ranker.vacancies
        profiles = [pool.profile(i) for i in sorted(pool.ids_active())]
    if key.role is Role.employer:
        profiles = [p for p in profiles if p.employer_id == key.employer_id]
    if not profiles:
        return Found(0, [])
    keep, needle, skills, dutch = _criteria(live, [p.postcode for p in profiles], filters, lang)
    out = []
    for profile, near in zip(profiles, keep.tolist(), strict=True):
        if not near or (needle and not _text_match(profile, needle, live, lang)):
            continue
        reqs = profile.requirements
        if skills is not None and not any(r.kind is RequirementKind.competence and r.value in skills for r in reqs):
            continue
        if dutch is not None and any(
            r.kind is RequirementKind.language and r.value == "nl" and r.is_must and (r.level or 0) > dutch
            for r in reqs
        ):
            continue
        out.append(profile)
    return Found(len(out), out[:limit])
