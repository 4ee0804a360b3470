"""Find what a vacancy or CV text asks for or offers: spans with offsets, kind and value.

Rules written from how Flemish, Brussels and English job ads phrase them find language
requirements with a CEFR level, driving licences, years of experience, diplomas, shifts and
hours. What is left is cut into short phrases (at sentence ends, commas, bullets and "en"/"et"/
"and") and their word windows are searched in the ESCO taxonomy in one batch: a window that
links to a skill or an occupation strongly enough becomes a span. Offsets refer to
``Extraction.text``, the plain text after HTML and bullets are removed (:func:`plain_text`).
``tests/data/extraction_eval.jsonl`` and ``benchmarks/taxonomy_real.py`` measure it.
"""

# ruff: noqa: E501  (the pattern tables read best one rule a line)
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from typing import Any, Protocol

from .langdetect import detect_language
from .plain import plain_text

KINDS = ("skill", "occupation", "language", "licence", "experience", "education", "shift", "hours")


@dataclass(frozen=True, slots=True)
class Span:
    """One thing found in a text. ``value`` depends on ``kind``: an ESCO URI (skill, occupation),
    an ISO 639-1 code (language, with ``level``), a licence category, months (experience, in
    ``number``), an education level name, a shift ("day", "evening", "night", "weekend",
    "rotating") or "full_time"/"part_time" (hours, hours per week in ``number``)."""

    start: int
    end: int
    text: str
    kind: str
    value: str
    score: float = 1.0
    importance: str = "must"
    level: str | None = None
    number: float | None = None
    label: str | None = None
    alternatives: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, ())}


@dataclass(slots=True)
class Extraction:
    """The spans found in ``text`` (the plain form of the input) and the language it is in."""

    text: str
    lang: str
    lang_score: float
    spans: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "lang_score": round(self.lang_score, 3),
            "text": self.text,
            "spans": [s.to_dict() for s in self.spans],
        }


class ExtractingTaxonomy(Protocol):
    def search_skills_batch(
        self, texts: Sequence[str], k: int = 10, rescue_words: int | None = None
    ) -> Sequence[Sequence[Any]]: ...
    def search_occupations_batch(
        self, texts: Sequence[str], k: int = 10, rescue_words: int | None = None
    ) -> Sequence[Sequence[Any]]: ...


# -- rules ---------------------------------------------------------------------------------------
_F = re.IGNORECASE

LANGUAGE_NAMES: dict[str, str] = {
    "nederlands": "nl", "néerlandais": "nl", "neerlandais": "nl", "dutch": "nl", "vlaams": "nl",
    "frans": "fr", "français": "fr", "francais": "fr", "french": "fr",
    "engels": "en", "anglais": "en", "english": "en",
    "duits": "de", "allemand": "de", "german": "de",
    "spaans": "es", "espagnol": "es", "spanish": "es",
    "italiaans": "it", "italien": "it", "italian": "it",
    "arabisch": "ar", "arabe": "ar", "arabic": "ar",
    "turks": "tr", "turc": "tr", "turkish": "tr",
    "pools": "pl", "polonais": "pl", "polish": "pl",
}  # fmt: skip
LANGUAGE = re.compile(r"\b(" + "|".join(sorted(LANGUAGE_NAMES, key=len, reverse=True)) + r")\b", _F)
#: Level words before or after a language name, to a CEFR level (explicit "B2" wins).
LEVEL_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(moedertaal|native|langue maternelle|perfect|parfait\w*|uitstekend\w*|excellent\w*|bilingue|tweetalig)\b", _F), "C1"),
    (re.compile(r"\b(vlot\w*|vloeiend\w*|fluent\w*|couramment|courant|goede? kennis|good command|maîtrise|maitrise|beheers\w*)\b", _F), "B2"),
    (re.compile(r"\b(bonne connaissance|goed|good|working knowledge|behoorlijk\w*)\b", _F), "B1"),
    (re.compile(r"\b(basiskennis|basis|noties|notions?|elementair\w*|basic|élémentaire|beperkte? kennis|some)\b", _F), "A2"),
]  # fmt: skip
CEFR_CODE = re.compile(r"\b([ABC][12])\b")
NICE = re.compile(
    r"\b(is een (plus|troef|pluspunt)|pluspunt|troef|strekt tot aanbeveling|bij voorkeur|mooi meegenomen|"
    r"is a plus|an asset|a plus|nice to have|preferably|ideally|is preferred|"
    r"est un atout|un atout|un plus|souhaitée?s?|de préférence|serait un)\b",
    _F,
)
SHOULD = re.compile(r"\b(liefst|graag|should|idéalement|idealement)\b", _F)

LICENCE_CATEGORY = r"(?:AM|BE|B|C1E|C1|CE|C|DE|D|G|A)"
LICENCE = re.compile(
    r"\b(?:rijbewijs|permis(?: de conduire)?|driving licen[cs]e|driver'?s licen[cs]e|licen[cs]e)\s*(?:categorie|catégorie|category|type)?\s*"
    rf"({LICENCE_CATEGORY}(?:\s*(?:\+|/|,|en|of|et|ou|and|or)\s*{LICENCE_CATEGORY})*)\b"
    rf"|\b({LICENCE_CATEGORY}\s*\+\s*{LICENCE_CATEGORY})\b"
    r"|\b(CE|C1E)(?=[ -](?:chauffeur|vrachtwagen|driver|chauffeur))",
    re.IGNORECASE,
)
LICENCE_ORDER = ("AM", "A", "B", "BE", "G", "C1", "C1E", "C", "CE", "D", "DE")

NUMBER_WORDS = {
    "een": 1, "één": 1, "one": 1, "un": 1, "une": 1, "twee": 2, "two": 2, "deux": 2, "drie": 3,
    "three": 3, "trois": 3, "vier": 4, "four": 4, "quatre": 4, "vijf": 5, "five": 5, "cinq": 5,
}  # fmt: skip
NUM = r"(\d+(?:[.,]5)?|" + "|".join(NUMBER_WORDS) + r")"
UNIT = r"(jaar|jaren|years?|yrs|ans?|années?|maanden|maand|months?|mois)"
EXPERIENCE = re.compile(
    rf"\b{NUM}\s*\+?\s*(?:(?:à|a|tot|-|to)\s*\d+\s*)?{UNIT}\b(?:\s+\S+){{0,3}}?(?:\s+|\s+d'|\s+d’)(?:werk|beroeps|relevante\s+)?(ervaring|experience|expérience)\b"
    rf"|\b(ervaring|experience|expérience)\s+(?:\S+\s+){{0,4}}?(?:van|of|de|d')?\s*(?:minstens|minimum|minimaal|at least|au moins)?\s*{NUM}\s*\+?\s*{UNIT}\b",
    _F,
)
EDUCATION: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(master(?:'s)?(?: degree| diploma| in| en)?|licentiaat|licence universitaire|diplôme universitaire|universitair diploma)\b", _F), "master"),
    (re.compile(r"\b(professionele bachelor|academische bachelor|bachelor(?:'s)?(?: degree| diploma)?|bachelier|baccalauréat|hoger onderwijs|graduate degree)\b", _F), "bachelor"),
    (re.compile(r"\b(graduaat|hbo5|hbo 5|enseignement supérieur de type court)\b", _F), "higher_vocational"),
    (re.compile(r"\b(diploma (?:hoger )?secundair onderwijs|secundair onderwijs|diploma secundair|middelbaar onderwijs|hoger secundair|ASO|TSO|BSO|KSO|high school(?: diploma)?|CESS|secondaire supérieur|diplôme (?:d'enseignement |de l'enseignement )?secondaire|humaniora|A2-diploma)\b", _F), "secondary"),
    (re.compile(r"\b(tweede graad|lager secundair|CEB|CE1D|secondaire inférieur|CESI)\b", _F), "lower_secondary"),
    (re.compile(r"\b(geen diploma (?:vereist|nodig)|zonder diploma|sans diplôme|no (?:degree|diploma) (?:required|needed))\b", _F), "none"),
]  # fmt: skip
SHIFTS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(ploegenstelsel|ploegendienst(?:en)?|ploegenwerk|in ploegen|[23]-?ploegen(?:systeem|stelsel)?|volcontinu|shift work|rotating shifts|travail en (?:équipes|pauses)|en équipes|horaire en pauses|en pauses|[23] pauses)\b", _F), "rotating"),
    (re.compile(r"\b(nachtwerk|nachtdienst(?:en)?|nachtploeg|night shifts?|night work|travail de nuit|de nuit|poste de nuit)\b", _F), "night"),
    (re.compile(r"\b(weekendwerk|weekenddienst(?:en)?|in het weekend|weekend work|weekends?|le week-end|les week-ends)\b", _F), "weekend"),
    (re.compile(r"\b(avondwerk|avonddienst(?:en)?|avondploeg|late shifts?|evening shifts?|de soirée|le soir)\b", _F), "evening"),
    (re.compile(r"\b(dagdienst(?:en)?|dagwerk|dagploeg|day shifts?|de jour|vroege dienst)\b", _F), "day"),
]  # fmt: skip
HOURS_PART = re.compile(
    r"\b(deeltijds|deeltijdse|halftijds|part-?time|mi-temps|temps partiel|4/5|80\s?%)\b(?:\s*\(?\s*(\d{1,2})\s*(?:u|uur|h|heures|hours|hrs)\b)?",
    _F,
)
HOURS_FULL = re.compile(r"\b(voltijds|voltijdse|full-?time|temps plein|38\s*(?:u|uur|h)(?:/week| per week)?)\b", _F)
HOURS_NUMBER = re.compile(
    r"\b(\d{1,2})\s*(?:u|uur|h|heures|hours)\s*(?:/\s*week|per week|par semaine|a week|/sem)\b", _F
)


def _clause(text: str, start: int, end: int, stops: str = "\n.;!?•") -> tuple[int, int]:
    """The clause around [start, end): up to the nearest line end, sentence end or semicolon."""
    left = max(text.rfind(c, 0, start) for c in stops)
    right = [p for p in (text.find(c, end) for c in stops) if p >= 0]
    return left + 1, min(right) if right else len(text)


def _importance(text: str, start: int, end: int) -> str:
    lo, hi = _clause(text, start, end, "\n.;!?•,")
    clause = text[lo:hi]
    if NICE.search(clause):
        return "nice"
    if SHOULD.search(clause):
        return "should"
    return "must"


def _language_spans(text: str) -> list[Span]:
    spans = []
    previous_end = 0
    matches = list(LANGUAGE.finditer(text))
    for number, match in enumerate(matches):
        name = match.group(1)
        lo, hi = _clause(text, match.start(), match.end())
        # a level word belongs to the nearest language: look no further back than a comma or the
        # previous language name, and no further ahead than the next one
        left = max(lo, previous_end, text.rfind(",", 0, match.start()) + 1, match.start() - 40)
        right = min(hi, match.end() + 30, matches[number + 1].start() if number + 1 < len(matches) else hi)
        previous_end = match.end()
        before, after = text[left : match.start()], text[match.end() : right]
        code = CEFR_CODE.search(after) or CEFR_CODE.search(before)
        level, start, end = None, match.start(), match.end()
        if code:
            level = code.group(1).upper()
        # the level word nearest to the name, before it ("vlot Nederlands") or after ("Frans: basiskennis")
        for pattern, cefr in LEVEL_WORDS:
            found = list(pattern.finditer(before))
            if found:
                level = level or cefr
                start = min(start, match.start() - len(before) + found[-1].start())
                break
            found_after = pattern.search(after)
            if found_after:
                level = level or cefr
                end = max(end, match.end() + found_after.end())
                break
        if code:
            pos = text.find(code.group(1), lo)
            if pos >= 0:
                start, end = min(start, pos), max(end, pos + 2)
        is_language_context = (
            level is not None
            or re.search(
                r"\b(kennis|spreek\w*|spricht|speak\w*|talen|langue|language|parle\w*|maîtrise\w*|schrijf\w*|write|taal)\b",
                text[lo:hi],
                _F,
            )
            or NICE.search(text[lo:hi])
            or len(text[lo:hi].split()) <= 3
        )
        if not is_language_context:
            continue
        spans.append(
            Span(start, end, text[start:end], "language", LANGUAGE_NAMES[name.casefold()],
                 importance=_importance(text, start, end), level=level or "B1")
        )  # fmt: skip
    return spans


def _licence_spans(text: str) -> list[Span]:
    spans = []
    for match in LICENCE.finditer(text):
        listed = match.group(1) or match.group(2) or match.group(3)
        categories = [c.upper() for c in re.findall(LICENCE_CATEGORY, listed, re.IGNORECASE)]
        categories = [c for c in categories if c in LICENCE_ORDER]
        if not categories:
            continue
        alternative = re.search(r"\b(of|ou|or)\b", listed, _F)
        value = categories[0] if alternative else max(categories, key=LICENCE_ORDER.index)
        if match.group(1) is None and match.group(2) is None and value not in ("CE", "C1E"):
            continue
        spans.append(
            Span(
                match.start(),
                match.end(),
                match.group(0),
                "licence",
                value,
                importance=_importance(text, match.start(), match.end()),
            )
        )
    return spans


def _number(word: str) -> float:
    return float(NUMBER_WORDS.get(word.casefold(), 0) or word.replace(",", "."))


def _experience_spans(text: str) -> list[Span]:
    spans = []
    for match in EXPERIENCE.finditer(text):
        groups = match.groups()
        number, unit = (groups[0], groups[1]) if groups[0] else (groups[4], groups[5])
        months = _number(number) * (1 if unit.casefold().startswith(("maand", "month", "mois")) else 12)
        spans.append(
            Span(match.start(), match.end(), match.group(0), "experience", str(int(months)),
                 importance=_importance(text, match.start(), match.end()), number=months)
        )  # fmt: skip
    return spans


def _table_spans(text: str, table: list[tuple[re.Pattern[str], str]], kind: str) -> list[Span]:
    spans = []
    for pattern, value in table:
        for match in pattern.finditer(text):
            spans.append(
                Span(
                    match.start(),
                    match.end(),
                    match.group(0),
                    kind,
                    value,
                    importance=_importance(text, match.start(), match.end()),
                )
            )
    return spans


def _hours_spans(text: str) -> list[Span]:
    spans = []
    for match in HOURS_PART.finditer(text):
        hours = float(match.group(2)) if match.group(2) else None
        spans.append(Span(match.start(), match.end(), match.group(0), "hours", "part_time", number=hours))
    for match in HOURS_FULL.finditer(text):
        spans.append(Span(match.start(), match.end(), match.group(0), "hours", "full_time", number=38.0))
    for match in HOURS_NUMBER.finditer(text):
        hours = float(match.group(1))
        spans.append(
            Span(
                match.start(),
                match.end(),
                match.group(0),
                "hours",
                "full_time" if hours >= 36 else "part_time",
                number=hours,
            )
        )
    return spans


def rule_spans(text: str) -> list[Span]:
    """Spans of every rule-based kind, overlaps resolved (longest first)."""
    found = (
        _language_spans(text)
        + _licence_spans(text)
        + _experience_spans(text)
        + _table_spans(text, EDUCATION, "education")
        + _table_spans(text, SHIFTS, "shift")
        + _hours_spans(text)
    )
    return _non_overlapping(found, key=lambda s: s.end - s.start)


def _non_overlapping(spans: list[Span], key: Any) -> list[Span]:
    taken: list[Span] = []
    for span in sorted(spans, key=lambda s: (-key(s), s.start)):
        if all(span.end <= t.start or span.start >= t.end for t in taken):
            taken.append(span)
    return sorted(taken, key=lambda s: (s.start, s.end))


# -- ESCO phrases --------------------------------------------------------------------------------
STOPWORDS = frozenset(
    [
        "je",
        "jij",
        "u",
        "uw",
        "we",
        "wij",
        "ze",
        "zij",
        "hij",
        "het",
        "de",
        "een",
        "en",
        "of",
        "van",
        "voor",
        "met",
        "in",
        "op",
        "aan",
        "te",
        "om",
        "bij",
        "als",
        "door",
        "naar",
        "tot",
        "dat",
        "die",
        "dit",
        "deze",
        "is",
        "zijn",
        "bent",
        "ben",
        "hebt",
        "heeft",
        "heb",
        "hebben",
        "kan",
        "kunt",
        "kunnen",
        "wil",
        "wilt",
        "moet",
        "moeten",
        "zal",
        "ook",
        "zeer",
        "heel",
        "goed",
        "goede",
        "ervaring",
        "kennis",
        "sterk",
        "sterke",
        "vaardigheden",
        "taken",
        "functie",
        "profiel",
        "jouw",
        "onze",
        "ons",
        "wat",
        "wie",
        "waar",
        "hoe",
        "minstens",
        "bent",
        "graag",
        "eigen",
        "nieuwe",
        "diverse",
        "verschillende",
        "alle",
        "alles",
        "niet",
        "geen",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "for",
        "with",
        "in",
        "on",
        "at",
        "to",
        "by",
        "as",
        "from",
        "is",
        "are",
        "be",
        "you",
        "your",
        "we",
        "our",
        "will",
        "can",
        "must",
        "have",
        "has",
        "strong",
        "good",
        "knowledge",
        "experience",
        "skills",
        "ability",
        "able",
        "work",
        "working",
        "team",
        "our",
        "their",
        "this",
        "that",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "et",
        "ou",
        "de",
        "du",
        "d",
        "l",
        "à",
        "au",
        "aux",
        "pour",
        "avec",
        "dans",
        "en",
        "sur",
        "par",
        "vous",
        "votre",
        "nous",
        "nos",
        "est",
        "sont",
        "être",
        "avoir",
        "bonne",
        "bonnes",
        "connaissance",
        "connaissances",
        "expérience",
        "capacité",
        "sens",
        "travail",
    ]
)
CHUNK_SPLIT = re.compile(r"[\n.;:!?•()\[\],/]|\s(?:en|and|et|of|or|ou)\s", re.IGNORECASE)
WORD = re.compile(r"[\w+#'-]+")
MAX_WINDOW = 4


@dataclass(frozen=True, slots=True)
class _Window:
    start: int
    end: int
    words: int


def _windows(text: str, blocked: list[Span]) -> list[_Window]:
    """Word windows of 1..MAX_WINDOW words inside each chunk, not crossing a rule span, that start
    and end with a content word."""
    out = []
    bounds = [0] + [m.end() for m in CHUNK_SPLIT.finditer(text)] + [len(text)]
    for lo, hi in pairwise(bounds):
        words = [
            w for w in WORD.finditer(text, lo, hi) if not any(b.start < w.end() and w.start() < b.end for b in blocked)
        ]
        for i, first in enumerate(words):
            if first.group().casefold() in STOPWORDS:
                continue
            for j in range(i, min(i + MAX_WINDOW, len(words))):
                last = words[j]
                if last.group().casefold() in STOPWORDS or any(
                    b.start < last.end() and first.start() < b.end for b in blocked
                ):
                    continue
                word = first.group()
                if j == i and (word.isdigit() or (len(word) < 4 and not (word.isupper() and len(word) >= 2))):
                    continue
                out.append(_Window(first.start(), last.end(), j - i + 1))
    return out


def _concept_spans(
    texts: Sequence[str],
    blocked: Sequence[list[Span]],
    tax: ExtractingTaxonomy,
    min_skill: float,
    min_occupation: float,
) -> list[list[Span]]:
    windows = [_windows(text, b) for text, b in zip(texts, blocked, strict=True)]
    phrases = [text[w.start : w.end] for text, ws in zip(texts, windows, strict=True) for w in ws]
    unique = sorted(set(phrases))
    # Windows of one word only get the edit-distance rescue (a misspelt word): a sentence has
    # dozens of weak multi-word windows, and scanning every label for each was most of the time.
    skill_hits = dict(zip(unique, tax.search_skills_batch(unique, k=4, rescue_words=1), strict=True)) if unique else {}
    occ_hits = (
        dict(zip(unique, tax.search_occupations_batch(unique, k=4, rescue_words=1), strict=True)) if unique else {}
    )
    out = []
    for text, ws in zip(texts, windows, strict=True):
        found = []
        for w in ws:
            phrase = text[w.start : w.end]
            # one word links loosely to many labels: it must match almost exactly
            bar = 0.02 * max(0, 2 - w.words)
            for kind, hits, minimum in (("skill", skill_hits, min_skill), ("occupation", occ_hits, min_occupation)):
                best = list(hits.get(phrase, ()))
                if best and best[0].score >= minimum + bar:
                    found.append(
                        Span(w.start, w.end, phrase, kind, best[0].uri, score=round(float(best[0].score), 3),
                             importance=_importance(text, w.start, w.end), label=best[0].label,
                             alternatives=tuple(h.uri for h in best[1:4]))
                    )  # fmt: skip
        out.append(_non_overlapping(found, key=lambda s: s.score + 0.01 * len(s.text.split())))
    return out


def extract_batch(
    texts: Sequence[str], tax: ExtractingTaxonomy, *, min_skill: float = 0.8, min_occupation: float = 0.85
) -> list[Extraction]:
    """:func:`extract` for many texts: the ESCO look-ups of all their phrases go in one batch."""
    plains = [plain_text(t) for t in texts]
    rules = [rule_spans(p) for p in plains]
    concepts = _concept_spans(plains, rules, tax, min_skill, min_occupation)
    out = []
    for plain, rule, concept in zip(plains, rules, concepts, strict=True):
        lang, score = detect_language(plain)
        out.append(Extraction(plain, lang, score, sorted(rule + concept, key=lambda s: (s.start, s.end))))
    return out


def extract(text: str, tax: ExtractingTaxonomy, **options: float) -> Extraction:
    """Spans found in ``text`` (plain text or HTML), with offsets into ``Extraction.text``.

    >>> from matcher.taxonomy import load_taxonomy
    >>> spans = extract("Je spreekt vlot Nederlands en hebt rijbewijs B.", load_taxonomy()).spans
    >>> [(s.kind, s.value, s.level) for s in spans]
    [('language', 'nl', 'B2'), ('licence', 'B', None)]
    """
    return extract_batch([text], tax, **options)[0]
