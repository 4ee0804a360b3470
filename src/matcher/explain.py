"""Explanations in the broker's words, in Dutch and English, as structured data and as text.

An explanation says which must-competences match or miss (and whether they can be learned on the
job), the language gap and what bridges it, the coaching need against what the employer offers,
the commute, and for a stretch match what would have to change. It never mentions personal data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, cast

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
    uri: str  # "" for an unrecognised requirement
    label: str  # the ESCO label, or the employer's own text when unrecognised
    status: str  # met, near, trainable, missing, unrecognised
    importance: str
    training_weeks: int | None = None
    to_confirm: bool = False  # a link a broker should confirm: used in matching, marked as such
    alternatives: list[str] = field(default_factory=list)  # labels of the next best links


@dataclass
class LanguageNote:
    language: str
    candidate_level: str
    asked_level: str
    status: str  # met, bridged, contact_language, missing
    importance: str
    bridged_by: str | None = None
    declined_training: bool = False  # the offered support would bridge it, but the candidate wants no training


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

    def explain(
        self, checks: PairChecks, score: float, stretch: bool, lang: Lang = "nl", changes: list[str] | None = None
    ) -> Explanation:
        """``changes`` (for a stretch match): the smallest change that makes the pair fit, then the
        alternatives, as computed by :func:`matcher.review.pair.fitting_changes`; without them the
        change is phrased from the failed check alone."""
        t = _Phrases(lang)
        comps = [
            self._competence_note(o, lang) for o in checks.outcomes if o.requirement.kind is RequirementKind.competence
        ]
        langs = [
            self._language_note(o, checks) for o in checks.outcomes if o.requirement.kind is RequirementKind.language
        ]
        coaching = checks.coaching
        must = [c for c in comps if c.importance == "must" and c.status != "unrecognised"]
        matched = [c for c in must if c.status == "met"]
        unrecognised = [c for c in comps if c.status == "unrecognised"]
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
        if not stretch:
            would_fit: list[str] = []
        elif changes:
            would_fit = changes
        else:
            would_fit = [self._change(o, checks, t) for o in checks.failed_checks]
        summary = t.summary(score, stretch, len(matched), len(must), would_fit, len(unrecognised), bool(changes))
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
        if outcome.status == "unrecognised":
            return CompetenceNote("", req.text or "", "unrecognised", req.importance.value)
        tax = self.taxonomy
        return CompetenceNote(
            uri=req.value,
            label=tax.skill(req.value).label(lang),
            status=outcome.status,
            importance=req.importance.value,
            training_weeks=req.training_weeks,
            to_confirm=req.to_confirm and not req.confirmed_by,
            alternatives=[tax.skill(a).label(lang) if tax.is_skill(a) else a for a in req.alternatives],
        )

    @staticmethod
    def _language_note(outcome: RequirementOutcome, checks: PairChecks) -> LanguageNote:
        req = outcome.requirement
        support = checks.vacancy.support.language_support
        have = CEFR(cast(int, outcome.have))  # a language outcome's ``have`` is the candidate's CEFR level
        declined = (
            outcome.status == "missing"
            and req.value == checks.vacancy.workplace_language
            and not checks.candidate.wants_language_training
            and support_bridges(support, have, int(outcome.gap))
        )
        return LanguageNote(
            language=req.value,
            candidate_level=have.name,
            asked_level=(req.level or CEFR.A0).name,
            status=outcome.status,
            importance=req.importance.value,
            bridged_by=support.name if outcome.status == "bridged" else None,
            declined_training=declined,
        )

    def _change(self, failed: RequirementOutcome | CoachingOutcome, checks: PairChecks, t: _Phrases) -> str:
        """What would have to change for this one failed check to pass."""
        if isinstance(failed, CoachingOutcome):
            return t.offer_coaching(WorkplaceCoaching(int(failed.need)))
        req = failed.requirement
        if req.kind is RequirementKind.competence:
            return t.train(self.taxonomy.skill(req.value).label(t.lang))
        if req.kind is RequirementKind.language:
            have = CEFR(cast(int, failed.have))  # a language outcome's ``have`` is the candidate's CEFR level
            return t.relax_language(req, have, _lever_for_gap(checks, have, req))
        if req.kind is RequirementKind.experience:
            months = cast("float | None", failed.have)  # an experience outcome's ``have`` is the candidate's months
            return t.relax_experience(req.months or 0, float(months or 0))
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

    def summary(
        self,
        score: float,
        stretch: bool,
        matched: int,
        must: int,
        changes: list[str],
        unrecognised: int = 0,
        computed: bool = False,
    ) -> str:
        pct = f"{score:.0%}"
        check = ""
        if unrecognised:
            check = (
                f" {unrecognised} {'eis' if unrecognised == 1 else 'eisen'} niet herkend: controleer zelf."
                if self.nl
                else f" {unrecognised} requirement{'s' if unrecognised != 1 else ''} not recognised: check yourself."
            )
        if stretch:
            head = "Stretchmatch" if self.nl else "Stretch match"
            if computed and changes:
                lead = "past na één wijziging: " if self.nl else "fits after one change: "
                rest = ("; of: " if self.nl else "; or: ") + "; of: ".join(changes[1:]) if len(changes) > 1 else ""
                if not self.nl:
                    rest = rest.replace("; of: ", "; or: ")
                return f"{head} ({pct}): {lead}{changes[0]}{rest}.{check}"
            change = changes[0] if changes else ""
            return f"{head} ({pct}): {change}.{check}"
        if must == 0 and unrecognised:
            return (
                f"Past ({pct}): geen herkende vereiste competenties.{check}"
                if self.nl
                else f"Fits ({pct}): no recognised required competences.{check}"
            )
        if must == 0:
            return (
                f"Past ({pct}): geen vereiste competenties gevraagd."
                if self.nl
                else f"Fits ({pct}): no required competences asked."
            )
        if self.nl:
            noun = "vereiste competentie" if must == 1 else "vereiste competenties"
            return f"Past ({pct}): {matched} van {must} {noun} aanwezig.{check}"
        noun = "required competence" if must == 1 else "required competences"
        return f"Fits ({pct}): has {matched} of {must} {noun}.{check}"

    def _label(self, c: CompetenceNote) -> str:
        if not c.to_confirm:
            return c.label
        alternatives = ", ".join(c.alternatives)
        if self.nl:
            return f"{c.label} (koppeling te bevestigen" + (
                f"; alternatieven: {alternatives})" if alternatives else ")"
            )
        return f"{c.label} (link to confirm" + (f"; alternatives: {alternatives})" if alternatives else ")")

    def competences(self, matched: list[CompetenceNote], must: list[CompetenceNote], all_: list[CompetenceNote]) -> str:
        parts = []
        for c in all_:
            if c.status == "unrecognised":
                tag = "" if c.importance == "must" else (" (wens)" if self.nl else " (wish)")
                parts.append(
                    f"Eis niet herkend: controleer zelf: '{c.label}'{tag}."
                    if self.nl
                    else f"Requirement not recognised: check yourself: '{c.label}'{tag}."
                )
        wishes_held = [c for c in all_ if c.importance != "must" and c.status == "met"]
        if wishes_held:
            names = ", ".join(self._label(c) for c in wishes_held)
            wishes = f"Heeft ook (wens): {names}." if self.nl else f"Also has (wish): {names}."
        if not must:
            return " ".join(parts + ([wishes] if wishes_held else []))  # the summary already says none are asked
        parts += self._must_parts(matched, must)
        return " ".join(parts + ([wishes] if wishes_held else []))

    def _must_parts(self, matched: list[CompetenceNote], must: list[CompetenceNote]) -> list[str]:
        parts: list[str] = []
        if matched:
            names = ", ".join(self._label(c) for c in matched)
            parts.append(f"Heeft: {names}." if self.nl else f"Has: {names}.")
        near = [c for c in must if c.status == "near"]
        if near:
            names = ", ".join(self._label(c) for c in near)
            parts.append(f"Verwante competentie voor: {names}." if self.nl else f"Related skill for: {names}.")
        trainable = [c for c in must if c.status == "trainable"]
        if trainable:
            names = ", ".join(
                self._label(c) + (f" (~{c.training_weeks} wk)" if c.training_weeks else "") for c in trainable
            )
            parts.append(f"Aan te leren op de werkvloer: {names}." if self.nl else f"Trainable on the job: {names}.")
        missing = [c for c in must if c.status == "missing"]
        if missing:
            names = ", ".join(self._label(c) for c in missing)
            parts.append(f"Ontbreekt: {names}." if self.nl else f"Missing: {names}.")
        return parts

    def language(self, note: LanguageNote) -> str:
        name = language_name(note.language, self.lang)
        have = note.candidate_level
        wish = "" if note.importance == "must" else (" (wens)" if self.nl else " (wish)")
        asked = note.asked_level + wish
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
        if note.declined_training:
            return (
                f"{name} {have}, {asked} gevraagd: kloof niet overbrugd: de kandidaat wil geen taalopleiding."
                if self.nl
                else f"{name} {have}, {asked} asked: gap not bridged: the candidate wants no language training."
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
            # an experience outcome's ``have`` is the candidate's months
            asked, have = req.months or 0, float(cast("float | None", o.have) or 0)
            return (
                f"Ervaring {have:.0f} maanden, {asked} gevraagd{tag}: {'in orde' if ok else 'te weinig'}."
                if self.nl
                else f"Experience {have:.0f} months, {asked} asked{tag}: {'fine' if ok else 'short'}."
            )
        if req.kind is RequirementKind.education:
            level = EDUCATION_NAMES[self.lang][req.value]
            return (
                f"{level[0].upper() + level[1:]} gevraagd{tag}: {'in orde' if ok else 'niet behaald'}."
                if self.nl
                else f"{level.capitalize()} asked{tag}: {'fine' if ok else 'not held'}."
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
