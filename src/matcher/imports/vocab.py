"""Words people use for levels, in Dutch, English and French, mapped to the models' values.

Each table is explicit and documented in ``docs/import-formats.md``; a word not in it is a
warning on that field and the value is left out, never a guess, because a wrong CEFR level or
diploma silently changes who is matched. Wording around a known term is understood
("CESS (enseignement secondaire supérieur)", "Diploma secundair onderwijs - TSO").
"""

from __future__ import annotations

import re
from typing import Any

from ..profiles import CEFR, DRIVING_LICENCES, EducationLevel

#: Fluency words (JSON Resume ``languages[].fluency``) → CEFR. A CEFR code anywhere in the text wins.
FLUENCY: dict[str, CEFR] = {
    **dict.fromkeys(
        [
            "native",
            "native speaker",
            "mother tongue",
            "moedertaal",
            "langue maternelle",
            "bilingual",
            "bilingue",
            "tweetalig",
            "native or bilingual proficiency",
        ],
        CEFR.C2,
    ),
    **dict.fromkeys(
        [
            "fluent",
            "vloeiend",
            "courant",
            "full professional proficiency",
            "proficient",
            "zeer goed",
            "very good",
            "excellent",
            "uitstekend",
            "très bien",
            "tres bien",
            "très bon",
            "couramment",
        ],
        CEFR.C1,
    ),
    **dict.fromkeys(
        ["good", "goed", "professional working proficiency", "advanced", "gevorderd", "bon", "bien", "avancé"], CEFR.B2
    ),
    **dict.fromkeys(
        [
            "intermediate",
            "redelijk",
            "limited working proficiency",
            "conversational",
            "middelmatig",
            "moyen",
            "voldoende",
            "vrij goed",
            "fair",
            "assez bien",
            "intermédiaire",
            "intermediaire",
        ],
        CEFR.B1,
    ),
    **dict.fromkeys(
        [
            "basic",
            "basis",
            "basiskennis",
            "elementary",
            "elementary proficiency",
            "elementair",
            "notions",
            "beperkt",
            "limited",
            "schoolkennis",
            "scolaire",
            "de base",
            "élémentaire",
        ],
        CEFR.A2,
    ),
    **dict.fromkeys(
        [
            "beginner",
            "beginnend",
            "starter",
            "débutant",
            "debutant",
            "een beetje",
            "beetje",
            "een klein beetje",
            "a little",
            "un peu",
        ],
        CEFR.A1,
    ),
    **dict.fromkeys(["none", "geen", "no knowledge", "aucune", "néant"], CEFR.A0),
}

#: Language names → ISO 639-1, for the languages most spoken by job seekers in Flanders.
LANGUAGES: dict[str, str] = {
    **dict.fromkeys(["dutch", "nederlands", "vlaams", "flemish", "néerlandais", "neerlandais"], "nl"),
    **dict.fromkeys(["french", "frans", "français", "francais"], "fr"),
    **dict.fromkeys(["english", "engels", "anglais"], "en"),
    **dict.fromkeys(["german", "duits", "allemand", "deutsch"], "de"),
    **dict.fromkeys(["arabic", "arabisch", "arabe"], "ar"),
    **dict.fromkeys(["turkish", "turks", "turc"], "tr"),
    **dict.fromkeys(["spanish", "spaans", "espagnol"], "es"),
    **dict.fromkeys(["italian", "italiaans", "italien"], "it"),
    **dict.fromkeys(["polish", "pools", "polonais"], "pl"),
    **dict.fromkeys(["romanian", "roemeens", "roumain"], "ro"),
    **dict.fromkeys(["portuguese", "portugees", "portugais"], "pt"),
    **dict.fromkeys(["russian", "russisch", "russe"], "ru"),
    **dict.fromkeys(["ukrainian", "oekraïens", "oekraiens", "ukrainien"], "uk"),
    **dict.fromkeys(["bulgarian", "bulgaars", "bulgare"], "bg"),
    **dict.fromkeys(["albanian", "albanees", "albanais"], "sq"),
    **dict.fromkeys(["persian", "farsi", "perzisch", "persan", "dari"], "fa"),
    **dict.fromkeys(["pashto", "pasjtoe", "pachto"], "ps"),
    **dict.fromkeys(["somali", "somalisch"], "so"),
    **dict.fromkeys(["tigrinya", "tigrinya", "tigrinia"], "ti"),
    **dict.fromkeys(["amharic", "amhaars", "amharique"], "am"),
    **dict.fromkeys(["berber", "tamazight", "berbers"], "ber"),
    **dict.fromkeys(["kurdish", "koerdisch", "kurde"], "ku"),
    **dict.fromkeys(["chinese", "chinees", "mandarin", "chinois"], "zh"),
    **dict.fromkeys(["hindi"], "hi"),
    **dict.fromkeys(["urdu"], "ur"),
    **dict.fromkeys(["slovak", "slowaaks", "slovaque"], "sk"),
    **dict.fromkeys(["czech", "tsjechisch", "tchèque"], "cs"),
    **dict.fromkeys(["hungarian", "hongaars", "hongrois"], "hu"),
    **dict.fromkeys(["greek", "grieks", "grec"], "el"),
    **dict.fromkeys(["lingala"], "ln"),
    **dict.fromkeys(["swahili"], "sw"),
}

#: Diploma words → education level; the model's own names are accepted too.
EDUCATION: dict[str, EducationLevel] = {
    **dict.fromkeys(
        [
            "geen diploma",
            "no diploma",
            "basisonderwijs",
            "lager onderwijs",
            "getuigschrift basisonderwijs",
            "primary",
            "ceb",
            "certificat d'études de base",
            "enseignement primaire",
            "aucun diplôme",
        ],
        EducationLevel.none,
    ),
    **dict.fromkeys(
        [
            "tweede graad",
            "tweede graad secundair",
            "lower secondary",
            "getuigschrift tweede graad",
            "getuigschrift van de tweede graad",
            "studiegetuigschrift tweede graad",
            "ce1d",
            "ce2d",
            "cesi",
            "enseignement secondaire inférieur",
            "secondaire inférieur",
        ],
        EducationLevel.lower_secondary,
    ),
    **dict.fromkeys(
        [
            "secundair",
            "secundair onderwijs",
            "diploma secundair onderwijs",
            "high school",
            "highschool",
            "secondary school",
            "aso",
            "tso",
            "bso",
            "kso",
            "upper secondary",
            "hoger secundair",
            "getuigschrift secundair onderwijs",
            "diploma so",
            "cess",
            "enseignement secondaire supérieur",
            "secondaire supérieur",
            "secondaire",
            "humanités",
        ],
        EducationLevel.secondary,
    ),
    **dict.fromkeys(
        [
            "graduaat",
            "hbo5",
            "hbo 5",
            "associate degree",
            "associate",
            "higher vocational",
            "graduat",
            "brevet de l'enseignement supérieur",
        ],
        EducationLevel.higher_vocational,
    ),
    **dict.fromkeys(
        [
            "bachelor",
            "professionele bachelor",
            "academische bachelor",
            "bachelor's degree",
            "bachelors",
            "bachelor degree",
            "ba",
            "bsc",
            "bachelier",
            "baccalauréat",
        ],
        EducationLevel.bachelor,
    ),
    **dict.fromkeys(
        [
            "master",
            "master's degree",
            "masters",
            "master degree",
            "licentiaat",
            "ma",
            "msc",
            "doctor",
            "doctoraat",
            "phd",
            "licence",
            "licencié",
            "doctorat",
            "ingénieur",
        ],
        EducationLevel.master,
    ),
    **{level.name: level for level in EducationLevel},
}

_CEFR_CODE = re.compile(r"\b([ABC][12]|A0)\b", re.IGNORECASE)
_LICENCE = re.compile(
    r"^(?:rijbewijs|driving licen[cs]e|driver'?s licen[cs]e|permis(?: de conduire)?|licen[cs]e)"
    r"\s*:?\s*([a-z]{1,2}[1e]?)$",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _lookup(table: dict[str, Any], text: str) -> Any:
    """The table's value for ``text``: the whole text, the text without a bracketed part, or
    the longest term of at least four letters found in it as whole words."""
    key = _key(text)
    if key in table:
        return table[key]
    bare = _key(re.sub(r"\([^)]*\)", " ", key))
    if bare in table:
        return table[bare]
    for term in _terms(id(table), table):
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", key):
            return table[term]
    return None


_TERMS: dict[int, list[str]] = {}


def _terms(key: int, table: dict[str, Any]) -> list[str]:
    if key not in _TERMS:
        _TERMS[key] = sorted((t for t in table if len(t) >= 4), key=len, reverse=True)
    return _TERMS[key]


def cefr_of(fluency: str) -> CEFR | None:
    """A CEFR level for a fluency text: a code in it ("B1", "C1 - fluent") or a word from :data:`FLUENCY`."""
    match = _CEFR_CODE.search(fluency)
    if match:
        return CEFR[match.group(1).upper()]
    return _lookup(FLUENCY, fluency)


def language_code(name: str) -> str | None:
    """ISO 639 code for a language name, or the code itself when given as 2-3 letters."""
    key = _key(name)
    if key in LANGUAGES:
        return LANGUAGES[key]
    return key if re.fullmatch(r"[a-z]{2,3}", key) else None


def education_of(text: str) -> EducationLevel | None:
    return _lookup(EDUCATION, text)


def licence_of(text: str) -> str | None:
    """The category of "rijbewijs B", "driving licence CE", "permis C"; None if the text names no licence."""
    match = _LICENCE.match(text.strip())
    if match and match.group(1).upper() in DRIVING_LICENCES:
        return match.group(1).upper()
    return None


def months_of(text: str) -> int | None:
    """Months from "24 maanden", "2 jaar", "3 years", "6 months"; None when the text says no duration."""
    match = re.search(r"(\d+(?:[.,]5)?)\s*(jaar|jaren|years?|ans?|maanden|maand|months?|mois)\b", text.lower())
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    return round(number * 12) if match.group(2)[0] in "jya" else round(number)
