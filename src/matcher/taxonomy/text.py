"""Normalise Dutch and English job titles and skill phrases so that ESCO labels and free text meet.

Job ads and CVs write the same thing many ways: "Productiemedewerker (m/v/x)", "PRODUCTIE-
MEDEWERKERS", "verpleegkundige nachtdienst", "Vrachtwagenchauffeur CE". The search compares
character n-grams, so this module only has to remove what carries no meaning (case, accents,
punctuation, gender markers, contract and shift words) and fold the Dutch plural endings that
would otherwise make a plural look like a different concept. Compounds ("heftruckchauffeur" against
"chauffeur heftruck") are handled by :func:`compact`, which the search indexes beside the spaced form.
"""

from __future__ import annotations

import re
import unicodedata

#: Gender markers that Belgian and Dutch job ads append to titles: (m/v/x), m/v, (h/f), (m/w/d), M-V-X.
GENDER_MARKER = re.compile(r"\(?\b[mvhfwx]\s*[/\-|]\s*[mvhfwxd](?:\s*[/\-|]\s*[mvhfwxd])?\b\)?")

#: Anything that is not a letter, digit, '+' or '#': '+' and '#' keep "C++" and "C#" apart from "C".
NON_WORD = re.compile(r"[^0-9a-z+#]+")

#: Words in job-ad titles that say how or when, never what, the job is.
JOB_AD_NOISE: frozenset[str] = frozenset({
    # contract and regime
    "interim", "vast", "tijdelijk", "contract", "voltijds", "voltijdse", "deeltijds", "deeltijdse",
    "fulltime", "parttime", "full", "part", "time", "flexi", "flexijob", "jobstudent", "student",
    "studentenjob", "dienstencheques", "dienstencheque", "dringend", "gezocht", "vacature", "job",
    "startersjob",
    # shifts
    "nachtdienst", "nachtdiensten", "dagdienst", "dagdiensten", "ploegendienst", "ploegenstelsel",
    "ploegen", "ploeg", "2ploegen", "3ploegen", "weekend", "weekendwerk", "nacht", "shifts",
    # seniority and gender words
    "junior", "senior", "medior", "ervaren", "ervaring", "met", "zonder", "m", "v", "x",
})

#: Dutch and English plural endings folded to the singular, longest first. Only endings that are
#: (almost) never part of a singular noun, so that folding cannot merge two different words.
PLURAL_ENDINGS: tuple[tuple[str, str], ...] = (
    ("sters", "ster"), ("kundigen", "kundige"), ("hulpen", "hulp"), ("isten", "ist"),
    ("eurs", "eur"), ("iers", "ier"), ("ers", "er"), ("ors", "or"), ("ants", "ant"),
    ("ents", "ent"), ("ianen", "iaan"),
)

#: A folded word shorter than this is never treated as a plural ("ers" itself, "iers").
MIN_PLURAL_LENGTH = 5


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so that "Coördinator" and "coordinator" are equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def singular(word: str) -> str:
    """Fold a Dutch or English plural ending ("schoonmakers", "verpleegkundigen") to the singular."""
    if len(word) < MIN_PLURAL_LENGTH:
        return word
    for plural, single in PLURAL_ENDINGS:
        if word.endswith(plural):
            return word[: -len(plural)] + single
    return word


def tokens(text: str, *, drop_noise: bool = True) -> list[str]:
    """Folded, singular word tokens of ``text``, without gender markers and (optionally) job-ad noise.

    ``drop_noise`` is False for ESCO labels: a label never carries ad noise, and a few labels
    legitimately contain a word such as "nacht" that is noise only in an ad title.
    """
    folded = GENDER_MARKER.sub(" ", fold(text))
    words = [singular(word) for word in NON_WORD.split(folded) if word]
    if drop_noise:
        kept = [word for word in words if word not in JOB_AD_NOISE]
        words = kept or words  # a title made only of noise words ("student") still means itself
    return words


def normalise(text: str, *, drop_noise: bool = True) -> str:
    """The comparable form of a title or skill phrase: folded singular words joined by one space.

    >>> normalise("Productiemedewerkers (M/V/X) - voltijds")
    'productiemedewerker'
    >>> normalise("Coördinator logistiek")
    'coordinator logistiek'
    """
    return " ".join(tokens(text, drop_noise=drop_noise))


def compact(normalised: str) -> str:
    """``normalised`` without spaces, so that a Dutch compound and its spaced form compare equal."""
    return normalised.replace(" ", "")
