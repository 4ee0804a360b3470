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
from collections.abc import Iterable, Sequence

#: Separates texts in the joined string; no pattern below matches it or crosses it.
SEPARATOR = "\n"

#: Combining marks left by NFKD decomposition: removing them folds "ë" to "e", "ç" to "c".
COMBINING_MARK = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

#: Gender markers that Belgian and Dutch job ads append to titles: (m/v/x), m/v, (h/f), (m/w/d),
#: M-V-X; the brackets go with the other punctuation. The pattern starts with a character class,
#: not a look-behind, so that the regex engine can skip ahead quickly.
GENDER_MARKER = re.compile(r"[mvhfwx](?<!\w[mvhfwx])[ \t]*[/|-][ \t]*[mvhfwxd](?:[ \t]*[/|-][ \t]*[mvhfwxd])?(?!\w)")

#: Anything but a letter (any script), digit, "+" or "#" ("+" and "#" keep "C++" and "C#" apart
#: from "C"), a space or the separator.
NON_WORD = re.compile(r"[^\w+#\n ]+")

MULTI_SPACE = re.compile(r" {2,}")

#: Words in job-ad titles that say how or when, never what, the job is.
JOB_AD_NOISE: frozenset[str] = frozenset(
    {
        # contract and regime
        "interim",
        "vast",
        "tijdelijk",
        "tijdelijke",
        "contract",
        "voltijds",
        "voltijdse",
        "deeltijds",
        "deeltijdse",
        "fulltime",
        "parttime",
        "flexi",
        "flexijob",
        "jobstudent",
        "student",
        "studentenjob",
        "dienstencheques",
        "dienstencheque",
        "dringend",
        "gezocht",
        "vacature",
        "startersjob",
        "regio",
        # shifts
        "nachtdienst",
        "nachtdiensten",
        "dagdienst",
        "dagdiensten",
        "ploegendienst",
        "ploegenstelsel",
        "ploegen",
        "2ploegen",
        "3ploegen",
        "weekendwerk",
        "shifts",
        # seniority
        "junior",
        "senior",
        "medior",
        "ervaren",
        "ervaring",
    }
)

#: Plural endings folded to the singular: only endings that (almost) never end a singular noun,
#: so that folding cannot merge two different words. The word stem must keep ``MIN_STEM`` letters.
PLURAL_ENDINGS: dict[str, str] = {
    "sters": "ster",
    "kundigen": "kundige",
    "hulpen": "hulp",
    "isten": "ist",
    "eurs": "eur",
    "iers": "ier",
    "ers": "er",
    "ors": "or",
    "ants": "ant",
    "ents": "ent",
    "ianen": "iaan",
}
PLURAL_WORD = re.compile(r"(?:" + "|".join(sorted(PLURAL_ENDINGS, key=len, reverse=True)) + r")\b")
MIN_STEM = 3


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so that "Coördinator" and "coordinator" are equal."""
    return COMBINING_MARK.sub("", unicodedata.normalize("NFKD", text.casefold()))


def _singular_match(match: re.Match[str]) -> str:
    """The singular of a matched plural ending ("schoonmakers", "verpleegkundigen")."""
    start = match.start()
    if start < MIN_STEM or not match.string[start - MIN_STEM : start].isalnum():
        return match.group()  # "ers", "de iers": too short to be a plural
    return PLURAL_ENDINGS[match.group()]


#: French (and Dutch) titles name both genders: "infirmier/infirmière", "Infirmier / Infirmière",
#: "magasinier/magasinière", "kapper/kapster". The second half repeats the first.
GENDER_PAIR = re.compile(r"^(.+?)\s*/\s*(.+)$")


def _one_gender(text: str) -> str:
    """The first half of a male/female pair of the same title ("infirmier/infirmière" → "infirmier")."""
    if "/" not in text:
        return text
    match = GENDER_PAIR.match(text)
    if match is None:
        return text
    first, second = match.group(1).strip(), match.group(2).strip()
    same_start = fold(first[:4]) == fold(second[:4]) and len(first) >= 4
    return first if same_start and abs(len(first.split()) - len(second.split())) <= 1 else text


def normalise_many(texts: Sequence[str], *, noise: frozenset[str] = JOB_AD_NOISE) -> list[str]:
    """:func:`normalise` for many texts at once, in one pass of each regular expression.

    Labels and queries must go through the same call, so that dropping a word never makes them
    differ; skill phrases pass an empty ``noise`` because there every word means something.
    """
    if not texts:
        return []
    joined = SEPARATOR.join(_one_gender(text).replace(SEPARATOR, " ") for text in texts)
    words = NON_WORD.sub(" ", GENDER_MARKER.sub(" ", fold(joined)).replace("_", " "))
    plain = _squeeze(PLURAL_WORD.sub(_singular_match, words))
    present = noise.intersection(plain.split())
    if not present:
        return plain.split(SEPARATOR)
    cleaned = _squeeze(_word_pattern(present).sub(r"\1", SEPARATOR + plain)[1:])
    # A title made only of noise words ("student", "interim") still means itself.
    return [
        clean or original for clean, original in zip(cleaned.split(SEPARATOR), plain.split(SEPARATOR), strict=False)
    ]


def _squeeze(joined: str) -> str:
    """Collapse runs of spaces and drop spaces around separators and at both ends."""
    single = MULTI_SPACE.sub(" ", joined)
    return single.replace(" " + SEPARATOR, SEPARATOR).replace(SEPARATOR + " ", SEPARATOR).strip(" ")


def _word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """Any of ``words`` as a whole word of a squeezed, separator-prefixed string.

    The pattern starts with the character before the word, a space or separator, because a
    pattern that starts with a character class lets the regex engine skip ahead quickly.
    """
    return re.compile(r"([ \n])(?:" + "|".join(map(re.escape, sorted(words))) + r")(?=[ \n]|$)")


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
