"""Explanations in the broker's words, in Dutch and English, as structured data and as text.

An explanation says which must-competences match or miss (and whether they can be learned on the
job), the language gap and what bridges it, the coaching need against what the employer offers,
the commute, and for a stretch match what would have to change. It never mentions personal data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from .checks import CoachingOutcome, PairChecks, RequirementOutcome, support_bridges
from .profiles import CEFR, LanguageSupport, RequirementKind, WorkplaceCoaching
from .taxonomy import Taxonomy

Lang = Literal["nl", "en"]

LANGUAGE_NAMES = {
    "nl": {
        "nl": "Nederlands",
        "fr": "Frans",
        "en": "Engels",
        "de": "Duits",
        "ar": "Arabisch",
        "tr": "Turks",
        "pl": "Pools",
        "ro": "Roemeens",
        "uk": "Oekraïens",
        "ru": "Russisch",
        "es": "Spaans",
        "it": "Italiaans",
        "pt": "Portugees",
        "ti": "Tigrinya",
        "ps": "Pasjtoe",
        "fa": "Perzisch",
        "so": "Somali",
        "bg": "Bulgaars",
    },
    "en": {
        "nl": "Dutch",
        "fr": "French",
        "en": "English",
        "de": "German",
        "ar": "Arabic",
        "tr": "Turkish",
        "pl": "Polish",
        "ro": "Romanian",
        "uk": "Ukrainian",
        "ru": "Russian",
        "es": "Spanish",
        "it": "Italian",
        "pt": "Portuguese",
        "ti": "Tigrinya",
        "ps": "Pashto",
        "fa": "Persian",
        "so": "Somali",
        "bg": "Bulgarian",
    },
}
SUPPORT_NAMES = {
    "nl": {LanguageSupport.on_the_job: "taalcoaching op de werkvloer", LanguageSupport.course: "een taalcursus"},
    "en": {LanguageSupport.on_the_job: "language coaching on the job", LanguageSupport.course: "a language course"},
}
COACHING_NAMES = {
    "nl": {
        WorkplaceCoaching.none: "geen begeleiding",
        WorkplaceCoaching.mentor: "een mentor",
        WorkplaceCoaching.job_coach: "een jobcoach",
    },
    "en": {
        WorkplaceCoaching.none: "no coaching",
        WorkplaceCoaching.mentor: "a mentor",
        WorkplaceCoaching.job_coach: "a job coach",
    },
}
NEED_NAMES = {"nl": {0: "geen", 1: "lichte", 2: "intensieve"}, "en": {0: "no", 1: "light", 2: "intensive"}}
EDUCATION_NAMES = {
    "nl": {
        "none": "geen diploma",
        "lower_secondary": "tweede graad secundair",
        "secondary": "diploma secundair",
        "higher_vocational": "graduaat",
        "bachelor": "bachelor",
        "master": "master",
    },
    "en": {
        "none": "no diploma",
        "lower_secondary": "lower secondary",
        "secondary": "secondary diploma",
        "higher_vocational": "higher vocational diploma",
        "bachelor": "bachelor's degree",
        "master": "master's degree",
    },
}


def language_name(code: str, lang: Lang) -> str:
    return LANGUAGE_NAMES[lang].get(code, code)


@dataclass
class CompetenceNote:
    uri: str
    label: str
    status: str  # met, near, trainable, missing
    importance: str
    training_weeks: int | None = None


@dataclass
class LanguageNote:
    language: str
    candidate_level: str
    asked_level: str
    status: str  # met, bridged, contact_language, missing
    importance: str
    bridged_by: str | None = None


@dataclass
class Explanation:
    """Why a pair scores as it does; ``text`` is the same content as one paragraph."""

    lang: Lang
    score: float
    stretch: bool
    summary: str
    competences: list[CompetenceNote] = field(default_factory=list)
    languages: list[LanguageNote] = field(default_factory=list)
    coaching_need: str = "none"
    coaching_offered: str = "none"
    coaching_met: bool = True
    commute_km: float = 0.0
    max_commute_km: float = 0.0
    other: list[str] = field(default_factory=list)
    would_fit_if: list[str] = field(default_factory=list)
    text: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


class Explainer:
    """Turns a pair's checks into an :class:`Explanation` in Dutch or English."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy

    def explain(self, checks: PairChecks, score: float, stretch: bool, lang: Lang = "nl") -> Explanation:
        t = _Phrases(lang)
        comps = [
            self._competence_note(o, lang) for o in checks.outcomes if o.requirement.kind is RequirementKind.competence
        ]
        langs = [
            self._language_note(o, checks) for o in checks.outcomes if o.requirement.kind is RequirementKind.language
        ]
        coaching = checks.coaching
        must = [c for c in comps if c.importance == "must"]
        matched = [c for c in must if c.status == "met"]
        lines = [t.competences(matched, must, comps)]
        lines += [t.language(note) for note in langs]
        lines.append(t.coaching(coaching))
        lines.append(t.commute(checks.distance_km, checks.candidate.max_commute_km, checks.vacancy.remote))
        other = [
            t.other(o)
            for o in checks.outcomes
            if o.requirement.kind in (RequirementKind.experience, RequirementKind.education, RequirementKind.licence)
        ]
        lines += other
        would_fit = [self._change(o, checks, t) for o in checks.failed_checks] if stretch else []
        summary = t.summary(score, stretch, len(matched), len(must), would_fit)
        return Explanation(
            lang=lang,
            score=round(score, 4),
            stretch=stretch,
            summary=summary,
            competences=comps,
            languages=langs,
            coaching_need=coaching.need.name,
            coaching_offered=coaching.offered.name,
            coaching_met=not coaching.fails,
            commute_km=round(checks.distance_km, 1),
            max_commute_km=checks.candidate.max_commute_km,
            other=other,
            would_fit_if=would_fit,
            text=" ".join([summary] + [line for line in lines if line]),
        )

    def _competence_note(self, outcome: RequirementOutcome, lang: Lang) -> CompetenceNote:
        req = outcome.requirement
        return CompetenceNote(
            uri=req.value,
            label=self.taxonomy.skill(req.value).label(lang),
            status=outcome.status,
            importance=req.importance.value,
            training_weeks=req.training_weeks,
        )

    @staticmethod
    def _language_note(outcome: RequirementOutcome, checks: PairChecks) -> LanguageNote:
        req = outcome.requirement
        support = checks.vacancy.support.language_support
        return LanguageNote(
            language=req.value,
            candidate_level=CEFR(outcome.have).name,
            asked_level=(req.level or CEFR.A0).name,
            status=outcome.status,
            importance=req.importance.value,
            bridged_by=support.name if outcome.status == "bridged" else None,
        )

    def _change(self, failed: RequirementOutcome | CoachingOutcome, checks: PairChecks, t: _Phrases) -> str:
        """What would have to change for this one failed check to pass."""
        if isinstance(failed, CoachingOutcome):
            return t.offer_coaching(WorkplaceCoaching(int(failed.need)))
        req = failed.requirement
        if req.kind is RequirementKind.competence:
            return t.train(self.taxonomy.skill(req.value).label(t.lang))
        if req.kind is RequirementKind.language:
            return t.relax_language(req, CEFR(failed.have), _lever_for_gap(checks, CEFR(failed.have), req))
        if req.kind is RequirementKind.experience:
            return t.relax_experience(req.months or 0, float(failed.have or 0))
        if req.kind is RequirementKind.education:
            return t.drop_education(req.value)
        return t.drop_licence(req.value)


def _lever_for_gap(checks: PairChecks, have: CEFR, req) -> LanguageSupport | None:
    """The lightest language support that would bridge this gap, if any would."""
    if req.value != checks.vacancy.workplace_language or not checks.candidate.wants_language_training:
        return None
    gap = int(req.level or 0) - int(have)
    for support in (LanguageSupport.on_the_job, LanguageSupport.course):
        if support_bridges(support, have, gap):
            return support
    return None


class _Phrases:
    """The sentences of an explanation in one language."""

    def __init__(self, lang: Lang) -> None:
        if lang not in ("nl", "en"):
            raise ValueError(f"explanation language must be 'nl' or 'en'; got {lang!r}")
        self.lang = lang
        self.nl = lang == "nl"

    def summary(self, score: float, stretch: bool, matched: int, must: int, changes: list[str]) -> str:
        pct = f"{score:.0%}"
        if stretch:
            change = changes[0] if changes else ""
            return f"Stretchmatch ({pct}): {change}." if self.nl else f"Stretch match ({pct}): {change}."
        if self.nl:
            return f"Past ({pct}): {matched} van {must} vereiste competenties aanwezig."
        return f"Fits ({pct}): has {matched} of {must} required competences."

    def competences(self, matched: list[CompetenceNote], must: list[CompetenceNote], all_: list[CompetenceNote]) -> str:
        if not must:
            return "Geen vereiste competenties opgegeven." if self.nl else "No required competences given."
        parts = []
        if matched:
            names = ", ".join(c.label for c in matched)
            parts.append(f"Heeft: {names}." if self.nl else f"Has: {names}.")
        near = [c for c in must if c.status == "near"]
        if near:
            names = ", ".join(c.label for c in near)
            parts.append(f"Verwante competentie voor: {names}." if self.nl else f"Related skill for: {names}.")
        trainable = [c for c in must if c.status == "trainable"]
        if trainable:
            names = ", ".join(c.label + (f" (~{c.training_weeks} wk)" if c.training_weeks else "") for c in trainable)
            parts.append(f"Aan te leren op de werkvloer: {names}." if self.nl else f"Trainable on the job: {names}.")
        missing = [c for c in must if c.status == "missing"]
        if missing:
            names = ", ".join(c.label for c in missing)
            parts.append(f"Ontbreekt: {names}." if self.nl else f"Missing: {names}.")
        return " ".join(parts)

    def language(self, note: LanguageNote) -> str:
        name = language_name(note.language, self.lang)
        have, asked = note.candidate_level, note.asked_level
        if note.status == "met":
            return f"{name} {have}, {asked} gevraagd: in orde." if self.nl else f"{name} {have}, {asked} asked: fine."
        if note.status == "bridged":
            support = SUPPORT_NAMES[self.lang][LanguageSupport[note.bridged_by or "on_the_job"]]
            return (
                f"{name} {have}, {asked} gevraagd: overbrugd door {support}."
                if self.nl
                else f"{name} {have}, {asked} asked: bridged by {support}."
            )
        if note.status == "contact_language":
            return (
                f"{name} {have}, {asked} gevraagd: de kandidaat spreekt een aanvaarde contacttaal."
                if self.nl
                else f"{name} {have}, {asked} asked: the candidate speaks an accepted contact language."
            )
        return (
            f"{name} {have}, {asked} gevraagd: kloof niet overbrugd."
            if self.nl
            else f"{name} {have}, {asked} asked: gap not bridged."
        )

    def coaching(self, c: CoachingOutcome) -> str:
        need = NEED_NAMES[self.lang][int(c.need)]
        offered = COACHING_NAMES[self.lang][c.offered]
        if int(c.need) == 0:
            return ""
        if self.nl:
            state = (
                "voldoende"
                if not c.fails
                else "onvoldoende"
                if c.places_free > 0 or c.offered is WorkplaceCoaching.none
                else "geen plaats vrij"
            )
            return f"Heeft {need} begeleiding nodig; werkgever biedt {offered}: {state}."
        state = (
            "enough"
            if not c.fails
            else "not enough"
            if c.places_free > 0 or c.offered is WorkplaceCoaching.none
            else "no place free"
        )
        return f"Needs {need} coaching; employer offers {offered}: {state}."

    def commute(self, km: float, max_km: float, remote: bool) -> str:
        if remote:
            return "Werk op afstand." if self.nl else "Remote work."
        return (
            f"Woon-werkafstand {km:.0f} km (max {max_km:.0f} km)."
            if self.nl
            else f"Commute {km:.0f} km (max {max_km:.0f} km)."
        )

    def other(self, o: RequirementOutcome) -> str:
        req = o.requirement
        ok = o.status == "met"
        must = req.is_must
        tag = "" if must else (" (wens)" if self.nl else " (wish)")
        if req.kind is RequirementKind.experience:
            asked, have = req.months or 0, float(o.have or 0)
            return (
                f"Ervaring {have:.0f} maanden, {asked} gevraagd{tag}: {'in orde' if ok else 'te weinig'}."
                if self.nl
                else f"Experience {have:.0f} months, {asked} asked{tag}: {'fine' if ok else 'short'}."
            )
        if req.kind is RequirementKind.education:
            asked = EDUCATION_NAMES[self.lang][req.value]
            return (
                f"Diploma {asked} gevraagd{tag}: {'in orde' if ok else 'niet behaald'}."
                if self.nl
                else f"{asked.capitalize()} asked{tag}: {'fine' if ok else 'not held'}."
            )
        return (
            f"Rijbewijs {req.value} gevraagd{tag}: {'in orde' if ok else 'ontbreekt'}."
            if self.nl
            else f"Driving licence {req.value} asked{tag}: {'fine' if ok else 'missing'}."
        )

    def offer_coaching(self, needed: WorkplaceCoaching) -> str:
        name = COACHING_NAMES[self.lang][needed]
        return f"past als de werkgever {name} biedt" if self.nl else f"fits if the employer offers {name}"

    def train(self, label: str) -> str:
        return (
            f"past als '{label}' op de werkvloer aangeleerd mag worden"
            if self.nl
            else f"fits if '{label}' can be learned on the job"
        )

    def relax_language(self, req, have: CEFR, lever: LanguageSupport | None) -> str:
        name = language_name(req.value, self.lang)
        asked = (req.level or CEFR.A0).name
        if lever is not None:
            support = SUPPORT_NAMES[self.lang][lever]
            return (
                f"past als {name} {asked} verlaagd wordt naar {have.name} met {support}"
                if self.nl
                else f"fits if {name} {asked} is relaxed to {have.name} with {support}"
            )
        return (
            f"past als {name} {asked} verlaagd wordt naar {have.name}"
            if self.nl
            else f"fits if {name} {asked} is relaxed to {have.name}"
        )

    def relax_experience(self, asked: int, have: float) -> str:
        return (
            f"past als de gevraagde ervaring daalt van {asked} naar {have:.0f} maanden"
            if self.nl
            else f"fits if the experience asked is lowered from {asked} to {have:.0f} months"
        )

    def drop_education(self, level: str) -> str:
        name = EDUCATION_NAMES[self.lang][level]
        return f"past als de eis '{name}' vervalt" if self.nl else f"fits if the requirement '{name}' is dropped"

    def drop_licence(self, category: str) -> str:
        return (
            f"past als rijbewijs {category} niet vereist is"
            if self.nl
            else f"fits if driving licence {category} is not required"
        )
