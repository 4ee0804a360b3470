"""Who belongs to which group for an audit: from the profile, or from attributes supplied apart.

Coaching need, Dutch level, wanting language training and region are on the profile (they are
scoring inputs or follow from one, the postcode). Age band, gender and nationality group are
protected: they are never on the profile and never a scoring input, so an audit gets them only as a
separate table (``candidate id → {attribute: value}``), for example the demo generator's simulated
file; a candidate missing from it is counted as ``unknown``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..profiles import CEFR, Candidate, CoachingNeed

PROFILE_GROUPS = ("coaching_need", "dutch_level", "wants_language_training", "region")
AUDIT_ATTRIBUTES = ("age_band", "gender", "nationality_group")
UNKNOWN = "unknown"

DUTCH_BANDS = ("A0-A1", "A2", "B1", "B2+")

# Belgian postcode ranges (bpost) to provinces and the Brussels region, in Dutch.
_REGIONS = (
    (1000, 1299, "Brussel"),
    (1300, 1499, "Waals-Brabant"),
    (1500, 1999, "Vlaams-Brabant"),
    (2000, 2999, "Antwerpen"),
    (3000, 3499, "Vlaams-Brabant"),
    (3500, 3999, "Limburg"),
    (4000, 4999, "Luik"),
    (5000, 5999, "Namen"),
    (6000, 6599, "Henegouwen"),
    (6600, 6999, "Luxemburg"),
    (7000, 7999, "Henegouwen"),
    (8000, 8999, "West-Vlaanderen"),
    (9000, 9999, "Oost-Vlaanderen"),
)


def region(postcode: str) -> str:
    """The province (or Brussels) of a Belgian postcode; ``unknown`` when it is not one."""
    try:
        code = int(str(postcode).strip())
    except ValueError:
        return UNKNOWN
    return next((name for low, high, name in _REGIONS if low <= code <= high), UNKNOWN)


def dutch_band(level: CEFR) -> str:
    """Dutch level in the four bands the training report uses."""
    if level <= CEFR.A1:
        return DUTCH_BANDS[0]
    if level == CEFR.A2:
        return DUTCH_BANDS[1]
    return DUTCH_BANDS[2] if level == CEFR.B1 else DUTCH_BANDS[3]


def profile_groups(candidates: Sequence[Candidate]) -> dict[str, np.ndarray]:
    """Per grouping in :data:`PROFILE_GROUPS`, each candidate's group label."""
    return {
        "coaching_need": np.array([CoachingNeed(c.coaching_need).name for c in candidates], dtype=object),
        "dutch_level": np.array([dutch_band(c.language_level("nl")) for c in candidates], dtype=object),
        "wants_language_training": np.array(
            ["yes" if c.wants_language_training else "no" for c in candidates], dtype=object
        ),
        "region": np.array([region(c.postcode) for c in candidates], dtype=object),
    }


def attribute_groups(
    candidate_ids: Sequence[str], attributes: Mapping[str, Mapping[str, str]]
) -> dict[str, np.ndarray]:
    """Per audit attribute present in ``attributes``, each candidate's value (``unknown`` if absent).

    Only :data:`AUDIT_ATTRIBUTES` are read; any other key is refused, so an audit table cannot
    smuggle in something else.
    """
    present = {key for row in attributes.values() for key in row}
    unexpected = sorted(present - set(AUDIT_ATTRIBUTES))
    if unexpected:
        raise ValueError(f"unknown audit attribute {unexpected[0]!r}; use {', '.join(AUDIT_ATTRIBUTES)}")
    return {
        name: np.array(
            [str(attributes.get(cid, {}).get(name) or UNKNOWN) for cid in candidate_ids],
            dtype=object,
        )
        for name in AUDIT_ATTRIBUTES
        if name in present
    }
