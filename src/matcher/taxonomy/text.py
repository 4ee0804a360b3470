"""Normalise Dutch and English job titles and skill phrases so that ESCO labels and free text meet.

Job ads and CVs write the same thing many ways: "Productiemedewerker (m/v/x)", "PRODUCTIE-
MEDEWERKERS", "verpleegkundige nachtdienst", "Vrachtwagenchauffeur CE". The search compares
character n-grams, so this module only removes what carries no meaning (case, accents,
punctuation, gender markers, contract and shift words) and folds the Dutch and English plural
endings that would otherwise make a plural look like another concept. Compounds
("heftruckchauffeur" against "chauffeur heftruck") are handled by :func:`compact`.

Everything runs as a few regular expressions over all texts joined into one string, because the
search normalises ~130,000 ESCO labels every time it builds an index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

#: Separates texts in the joined string; no pattern below matches it or crosses it.
SEPARATOR = "\n"

#: Combining marks left by NFKD decomposition: removing them folds "ë" to "e", "ç" to "c".
COMBINING_MARK = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

#: Gender markers (the brackets go with the other punctuation) that Belgian and Dutch job ads append to titles: (m/v/x), m/v, (h/f), (m/w/d), M-V-X.
GENDER_MARKER = re.compile(r"(?<!\w)[mvhfwx][ \t]*[/|-][ \t]*[mvhfwxd](?:[ \t]*[/|-][ \t]*[mvhfwxd])?(?!\w)")

#: Anything but a letter (any script), digit, "+" or "#" ("+" and "#" keep "C++" and "C#" apart from "C").
NON_WORD = re.compile(r"[^\w+#\n ]+")

#: Words in job-ad titles that say how or when, never what, the job is.
JOB_AD_NOISE: frozenset[str] = frozenset({
    # contract and regime
    "interim", "vast", "tijdelijk", "tijdelijke", "contract", "voltijds", "voltijdse", "deeltijds",
    "deeltijdse", "fulltime", "parttime", "flexi", "flexijob", "jobstudent", "student",
    "studentenjob", "dienstencheques", "dienstencheque", "dringend", "gezocht", "vacature",
    "startersjob", "regio",
    # shifts
    "nachtdienst", "nachtdiensten", "dagdienst", "dagdiensten", "ploegendienst", "ploegenstelsel",
    "ploegen", "2ploegen", "3ploegen", "weekendwerk", "shifts",
    # seniority
    "junior", "senior", "medior", "ervaren", "ervaring",
})

#: Plural endings folded to the singular: only endings that (almost) never end a singular noun,
#: so that folding cannot merge two different words. The word stem must keep 3 characters.
PLURAL_ENDINGS: dict[str, str] = {
    "sters": "ster", "kundigen": "kundige", "hulpen": "hulp", "isten": "ist", "eurs": "eur",
    "iers": "ier", "ers": "er", "ors": "or", "ants": "ant", "ents": "ent", "ianen": "iaan",
}
PLURAL_WORD = re.compile(
    r"(?<=[0-9a-z+#]{3})(?:" + "|".join(sorted(PLURAL_ENDINGS, key=len, reverse=True)) + r")\b")


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so that "Coördinator" and "coordinator" are equal."""
    return COMBINING_MARK.sub("", unicodedata.normalize("NFKD", text.casefold()))


def singular(word: str) -> str:
    """Fold a Dutch or English plural ending ("schoonmakers", "verpleegkundigen") to the singular."""
    return PLURAL_WORD.sub(_singular_match, word)


def _singular_match(match: re.Match[str]) -> str:
    return PLURAL_ENDINGS[match.group()]


def _noise_pattern(noise: frozenset[str]) -> re.Pattern[str] | None:
    if not noise:
        return None
    return re.compile(r"(?<![0-9a-z+#])(?:" + "|".join(sorted(map(re.escape, noise))) + r")(?![0-9a-z+#])")


def normalise_many(texts: Sequence[str], *, noise: frozenset[str] = JOB_AD_NOISE) -> list[str]:
    """:func:`normalise` for many texts at once, in one pass of each regular expression.

    Labels and queries must go through the same call, so that dropping a word never makes them
    differ; skill phrases pass an empty ``noise`` because there every word means something.
    """
    if not texts:
        return []
    joined = SEPARATOR.join(text.replace(SEPARATOR, " ") for text in texts)
    words = NON_WORD.sub(" ", GENDER_MARKER.sub(" ", fold(joined)).replace("_", " "))
    words = PLURAL_WORD.sub(_singular_match, words)
    plain = [" ".join(text.split()) for text in words.split(SEPARATOR)]
    pattern = _noise_pattern(noise)
    if pattern is None:
        return plain
    cleaned = [" ".join(text.split()) for text in pattern.sub(" ", SEPARATOR.join(plain)).split(SEPARATOR)]
    # A title made only of noise words ("student", "interim") still means itself.
    return [clean or original for clean, original in zip(cleaned, plain)]


def normalise(text: str, *, noise: frozenset[str] = JOB_AD_NOISE) -> str:
    """The comparable form of a title or skill phrase: folded singular words joined by one space.

    >>> normalise("Productiemedewerkers (M/V/X) - voltijds")
    'productiemedewerker'
    >>> normalise("Coördinator logistiek")
    'coordinator logistiek'
    """
    return normalise_many([text], noise=noise)[0]


def compact(normalised: str) -> str:
    """``normalised`` without spaces, so that a Dutch compound and its spaced form compare equal."""
    return normalised.replace(" ", "")
